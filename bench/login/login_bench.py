#!/usr/bin/env python3
"""The login benchmark's driver (bench/login/run.sh; issue 13).

One reader, wrk with one connection, reads a logged-in page while:
  idle        nothing else runs;
  one-account 32 loops log in to one account with its right password,
              back to back (the finding: one self-registered account);
  many        32 loops, each attempt a fresh client address (through the
              trusted proxy's X-Forwarded-For) and a fresh unknown e-mail
              address, so that no limit applies and every attempt costs a
              full argon2id check: the hash pool's worst case;
  idle again  to see the idle figure did not drift.
Prints each phase's reader p50/p99 and the loops' answers, then the ratio
of each loaded p99 to the idle p99 (the first and last idle phases' worse).
"""
import argparse
import http.client
import json
import random
import re
import subprocess
import sys
import threading
import time

PASSWORD = "kavel-demo-2022"


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    r.read()
    cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
    c.close()
    return r.status, cookies


def reader_cookie(port):
    st, cookies = request(port, "POST", "/api/v1/login",
                          {"email": "council@dordrecht.example", "password": PASSWORD},
                          {"X-Forwarded-For": "192.0.2.250"})
    if st != 200:
        sys.exit(f"bench: the reader could not log in ({st})")
    for c in cookies:
        m = re.match(r"kavel_session=([0-9a-f]{64})", c)
        if m:
            return m.group(1)
    sys.exit("bench: no session cookie")


def wrk(port, cookie, path, seconds):
    out = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency", "-H", f"Cookie: kavel_session={cookie}",
         f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    pct = {}
    for line in out.splitlines():
        m = re.match(r"\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", line)
        if m:
            v = float(m.group(2)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(3)]
            pct[m.group(1)] = v
    m = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return pct.get("50"), pct.get("99"), int(m.group(1)) if m else 0, int(non2xx.group(1)) if non2xx else 0


def loops(port, mode, stop, counts, lock):
    rnd = random.Random()

    def loop(i):
        while not stop.is_set():
            if mode == "one-account":
                email, pw, via = "bidder@wijkzorg.example", PASSWORD, f"198.18.{i}.1"
            else:
                a = rnd.getrandbits(24)
                email = f"u{a:x}-{i}@nowhere.example"
                pw, via = "not-the-password", f"10.{a >> 16 & 255}.{a >> 8 & 255}.{a & 255}"
            try:
                st, _ = request(port, "POST", "/api/v1/login", {"email": email, "password": pw},
                                {"X-Forwarded-For": via})
            except OSError:
                st = "error"
            with lock:
                counts[st] = counts.get(st, 0) + 1
    ts = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(32)]
    for t in ts:
        t.start()
    return ts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--path", default="/api/v1/me")
    a = ap.parse_args()
    cookie = reader_cookie(a.port)
    rows = []
    for phase in ("idle", "one-account", "many", "idle again"):
        counts, lock, stop = {}, threading.Lock(), threading.Event()
        ts = []
        if phase in ("one-account", "many"):
            ts = loops(a.port, phase, stop, counts, lock)
            time.sleep(1)   # let the loops reach their pace
        p50, p99, n, bad = wrk(a.port, cookie, a.path, a.seconds)
        stop.set()
        for t in ts:
            t.join(timeout=70)
        time.sleep(2)
        logins = sum(v for v in counts.values())
        rows.append((phase, p50, p99, n, bad, counts, logins))
        ans = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)) or "-"
        print(f"bench: {phase:12s} reader p50 {p50:.3f} ms  p99 {p99:.3f} ms  "
              f"({n} reads, {bad} not 2xx)  logins {logins} [{ans}]", flush=True)
    idle = max(rows[0][2], rows[3][2])
    worst = 0.0
    for phase, _, p99, *_ in rows[1:3]:
        ratio = p99 / idle
        worst = max(worst, ratio)
        print(f"bench: {phase}: reader p99 {ratio:.2f}x idle (goal: at most 2x)")
    print(f"RESULT login worst_p99_ratio {worst:.2f} idle_p99_ms {idle:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
