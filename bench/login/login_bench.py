#!/usr/bin/env python3
"""The login benchmark's driver (bench/login/run.sh; issue 13).

One reader, wrk with one connection, reads a logged-in page while:
  idle        nothing else runs;
  control     32 loops post to the login route a body that is no JSON
              (400 at once: no limit, no password check), so that the
              cost of the loops' HTTP traffic itself is measured;
  one-account 32 loops log in to one account with its right password,
              back to back (the finding: one self-registered account);
  many        32 loops, each attempt a fresh client address (through the
              trusted proxy's X-Forwarded-For) and a fresh unknown e-mail
              address, so that no limit applies and every attempt costs a
              full argon2id check: the hash pool's worst case;
  idle again  to see the idle figure did not drift.
Prints each phase's reader p50/p99 and the loops' answers, then the ratio
of each loaded p99 to the idle p99 (the first and last idle phases' worse).

The loops run in a process of their own at nice 19 (--loop-nice): on a
small machine the load generator would otherwise take the CPU the server
needs and measure itself.  Attackers' loops run on their own machines; the
server's cost of answering them is what is measured.  --loop-nice 0 shows
the figure with the generator competing.
"""
import multiprocessing
import os
import argparse
import http.client
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

PASSWORD = "kavel-demo-2022"


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
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


def wrk(port, cookie, path, seconds, pace_ms):
    """The reader: one connection, back to back (pace_ms 0: it keeps a
    core busy by itself), or paced, pace_ms between requests, as a person
    clicking through pages is (wrk's delay() hook)."""
    cmd = ["wrk", "-t1", "-c1", f"-d{seconds}s", "--latency", "-H", f"Cookie: kavel_session={cookie}"]
    script = None
    if pace_ms:
        fd, script = tempfile.mkstemp(suffix=".lua")
        with os.fdopen(fd, "w") as f:
            f.write(f"function delay() return {pace_ms} end\n")
        cmd += ["-s", script]
    try:
        out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True,
                             text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script)
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
    rnd = random.Random(os.getpid())

    def loop(i):
        while not stop.is_set():
            body = None
            if mode == "control":
                body, via = b"{not json", f"198.19.{i}.1"
            elif mode == "one-account":
                email, pw, via = "bidder@wijkzorg.example", PASSWORD, f"198.18.{i}.1"
            else:
                a = rnd.getrandbits(24)
                email = f"u{a:x}-{i}@nowhere.example"
                pw, via = "not-the-password", f"10.{a >> 16 & 255}.{a >> 8 & 255}.{a & 255}"
            try:
                st, _ = request(port, "POST", "/api/v1/login",
                                body or {"email": email, "password": pw},
                                {"X-Forwarded-For": via})
            except OSError:
                st = "error"
            with lock:
                counts[st] = counts.get(st, 0) + 1
    ts = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(32)]
    for t in ts:
        t.start()
    return ts


def loop_process(port, mode, niceness, stop, out):
    """The 32 loops in a process of their own at the given nice value;
    their answers' counts into out when stop is set."""
    os.nice(niceness)
    counts, lock, tstop = {}, threading.Lock(), threading.Event()
    ts = loops(port, mode, tstop, counts, lock)
    stop.wait()
    tstop.set()
    for t in ts:
        t.join(timeout=70)
    out.put(counts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--path", default="/api/v1/me")
    ap.add_argument("--loop-nice", type=int, default=19)
    ap.add_argument("--pace-ms", type=int, default=0)
    a = ap.parse_args()
    print(f"bench: the login loops run at nice {a.loop_nice}; the reader "
          + (f"waits {a.pace_ms} ms between requests" if a.pace_ms else "reads back to back"),
          flush=True)
    cookie = reader_cookie(a.port)
    rows = []
    for phase in ("idle", "control", "one-account", "many", "idle again"):
        counts, proc = {}, None
        stop, out = multiprocessing.Event(), multiprocessing.Queue()
        if phase in ("control", "one-account", "many"):
            proc = multiprocessing.Process(target=loop_process,
                                           args=(a.port, phase, a.loop_nice, stop, out))
            proc.start()
            time.sleep(1)   # let the loops reach their pace
        p50, p99, n, bad = wrk(a.port, cookie, a.path, a.seconds, a.pace_ms)
        stop.set()
        if proc:
            counts = out.get(timeout=90)
            proc.join(timeout=10)
        time.sleep(2)
        logins = sum(v for v in counts.values())
        rows.append((phase, p50, p99, n, bad, counts, logins))
        ans = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)) or "-"
        print(f"bench: {phase:12s} reader p50 {p50:.3f} ms  p99 {p99:.3f} ms  "
              f"({n} reads, {bad} not 2xx)  logins {logins} [{ans}]", flush=True)
    idle = max(rows[0][2], rows[4][2])
    control = rows[1][2]
    print(f"bench: control: reader p99 {control / idle:.2f}x idle (the loops' own traffic)")
    worst = 0.0
    for phase, _, p99, *_ in rows[2:4]:
        ratio = p99 / idle
        worst = max(worst, ratio)
        print(f"bench: {phase}: reader p99 {ratio:.2f}x idle (goal: at most 2x), "
              f"{p99 / control:.2f}x control")
    print(f"RESULT login worst_p99_ratio {worst:.2f} idle_p99_ms {idle:.3f} "
          f"control_p99_ms {control:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
