#!/usr/bin/env python3
"""Helpers for bench/upload/run.sh: setting up a sealed-bid procedure
through Kavel's API, and the "deadline rush" (many bidders uploading at
once just before the tender deadline).  Standard library only.

  upload_bench.py setup  --port P --env FILE
      two buyers with vault passphrases, a procedure with a vault and a
      tender deadline an hour ahead, one candidate with a bidder account,
      logged in; writes shell assignments (procedure, lot, cookie, CSRF
      token) to FILE for run.sh's curl upload.
  upload_bench.py receipt --env FILE --json RECEIPT --sha256 HEX --size N
      checks an upload's 201 answer against the file and the buyer's vault.
  upload_bench.py rush   --port P --server-pid PID --bidders N --mib M
      the deadline rush; prints its figures, exits 1 on any failure.
"""
import argparse
import hashlib
import http.client
import json
import os
import shlex
import sys
import threading
import time

BUYER_A = "buyer@dordrecht.example"
BUYER_B = "buyer2@dordrecht.example"
DEMO_PASSWORD = "kavel-demo-2022"
PASS_A = "bench upload passphrase A"
PASS_B = "bench upload passphrase B"
BIDDER_PASSWORD = "bench-bieder-2024"
SPANS = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}


def log(msg):
    print(f"bench: {msg}", flush=True)


def die(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def local_in(seconds):
    """Europe/Amsterdam local time `seconds` from now, as the API takes it."""
    os.environ["TZ"] = "Europe/Amsterdam"
    time.tzset()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() + seconds))


class Client:
    """A cookie (kavel_session) and a CSRF token; JSON requests."""

    def __init__(self, port, cookie=None, csrf=None):
        self.port = port
        self.cookie = cookie
        self.csrf = csrf

    def request(self, method, path, body=None):
        h = {}
        if self.cookie:
            h["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if self.csrf and method != "GET":
            h["X-CSRF-Token"] = self.csrf
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            c.request(method, path, body=data, headers=h)
            r = c.getresponse()
            raw = r.read()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie" and v.startswith("kavel_session="):
                    self.cookie = v.split(";", 1)[0]
        finally:
            c.close()
        try:
            js = json.loads(raw) if raw else None
        except ValueError:
            js = None
        return r.status, js, raw

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body=None):
        return self.request("POST", path, body if body is not None else {})

    def login(self, email, password=DEMO_PASSWORD):
        st, js, raw = self.post("/api/v1/login", {"email": email, "password": password})
        if st != 200:
            die(f"login {email} answered {st}: {raw[:200]!r}")
        self.csrf = js["csrf"]
        return self


def want(what, got, expected, raw=b""):
    if got != expected:
        die(f"{what}: answered {got}, wanted {expected}: {raw[:300]!r}")


def move_deadline(a, pid, procedure, seconds):
    """Plans the tender deadline `seconds` from now; returns its UTC epoch."""
    for s in procedure["stages"]:
        if s["kind"] == "tender-deadline":
            st, js, raw = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move",
                                 {"start": local_in(seconds)})
            want("planning the tender deadline", st, 200, raw)
            d = [x for x in js["stages"] if x["kind"] == "tender-deadline"][0]
            return js, d["end"]["utc"]
    die("the procedure has no tender-deadline stage")


def make_procedure(port, reference):
    """Buyers A and B with vault passphrases, a procedure with one lot, its
    stages planned up to a tender deadline an hour ahead, and a vault.
    Returns (buyer A's client, procedure id, lot id, procedure JSON)."""
    a = Client(port).login(BUYER_A)
    b = Client(port).login(BUYER_B)
    for c, p in ((a, PASS_A), (b, PASS_B)):
        st, _, raw = c.post("/api/v1/account/vault-key", {"passphrase": p})
        if st not in (201, 409):     # 409: set by an earlier setup
            die(f"vault-key answered {st}: {raw[:200]!r}")
    st, js, raw = a.post("/api/v1/procedures", {
        "reference": reference, "title": "Upload-benchmark", "type": "open",
        "cpv": "85310000-5", "value": "100.000",
        "lots": [{"title": "Perceel", "value": "50.000"}]})
    want("creating the procedure", st, 201, raw)
    pid, lot = js["id"], js["lots"][0]["id"]
    proc = js
    for i, s in enumerate(js["stages"]):
        if s["kind"] == "tender-deadline":
            break
        body = {"start": local_in(2 + i)}
        if s["kind"] in SPANS:
            body["end"] = local_in(3 + i)
        st, proc, raw = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
        want(f"planning {s['kind']}", st, 200, raw)
    proc, _ = move_deadline(a, pid, proc, 3600)
    st, _, raw = a.post(f"/api/v1/procedures/{pid}/vault", {})
    want("making the vault", st, 201, raw)
    # The procedure's own size limit: room for the largest bid benched
    # (2 GiB is the most a buyer may set).
    st, _, raw = a.post(f"/api/v1/procedures/{pid}/vault/limit", {"max_mib": 2048})
    want("setting the size limit", st, 200, raw)
    return a, pid, lot, proc


def make_bidder(a, port, pid, n, kvk):
    """Candidate n with a bidder account, logged in: its Client."""
    name = f"Bieder {n} (bench)"
    st, js, raw = a.post(f"/api/v1/procedures/{pid}/candidates", {
        "name": name, "consortium": False,
        "parties": [{"org_name": name, "kvk": kvk, "role": "penvoerder"}]})
    want(f"registering candidate {n}", st, 201, raw)
    email = f"bieder{n}.p{pid}@bench.example"
    st, _, raw = a.post(f"/api/v1/procedures/{pid}/candidates/{js['id']}/accounts", {
        "email": email, "name": name, "password": BIDDER_PASSWORD})
    want(f"the bidder account {n}", st, 201, raw)
    return Client(port).login(email, BIDDER_PASSWORD)


def write_env(path, **kv):
    with open(path, "w") as f:
        for k, v in kv.items():
            f.write(f"{k}={shlex.quote(str(v))}\n")


def cmd_setup(args):
    a, pid, lot, _ = make_procedure(args.port, f"BENCH-UP-{int(time.time())}")
    bid = make_bidder(a, args.port, pid, 1, "91000001")
    write_env(args.env, PORT=args.port, PROC=pid, LOT=lot,
              BIDDER_COOKIE=bid.cookie, BIDDER_CSRF=bid.csrf,
              BUYER_COOKIE=a.cookie, BUYER_CSRF=a.csrf)
    log(f"procedure {pid}, lot {lot}: vault made, deadline in an hour, bidder logged in")


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            env[k] = shlex.split(v)[0] if v else ""
    return env


def cmd_receipt(args):
    env = read_env(args.env)
    with open(args.json) as f:
        rc = json.load(f)
    if rc.get("sha256") != args.sha256 or rc.get("size") != args.size:
        die(f"the receipt does not match the file: {rc}")
    a = Client(int(env["PORT"]), env["BUYER_COOKIE"], env["BUYER_CSRF"])
    st, v, raw = a.get(f"/api/v1/procedures/{env['PROC']}/vault")
    want("reading the vault", st, 200, raw)
    listed = {s["id"]: s for s in v["submissions"]}
    s = listed.get(rc["submission"])
    if not s or s["sha256"] != args.sha256 or s["size"] != args.size:
        die(f"the vault does not list submission {rc['submission']} with that hash")
    log(f"receipt ok: submission {rc['submission']}, sha256 {args.sha256[:16]}…, "
        f"listed in the buyer's vault")


# ------------------------------------------------------------------ rush

def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmHWM", "VmRSS", "Threads"):
                    out[k] = v.strip()
    except OSError:
        pass
    return out


def reset_hwm(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def upload(port, pid, lot, bidder, name, data, chunk, result):
    """One streamed upload of `data` (a memoryview) on a fresh connection.
    result gets t0, t1, status, json."""
    result["t0"] = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        c.putrequest("POST", f"/api/v1/procedures/{pid}/lots/{lot}/submissions",
                     skip_accept_encoding=True)
        c.putheader("Cookie", bidder.cookie)
        c.putheader("X-CSRF-Token", bidder.csrf)
        c.putheader("Content-Type", "application/octet-stream")
        c.putheader("X-File-Name", name)
        c.putheader("Content-Length", str(len(data)))
        c.endheaders()
        for off in range(0, len(data), chunk):
            c.send(data[off:off + chunk])
        r = c.getresponse()
        raw = r.read()
        result["status"] = r.status
        try:
            result["json"] = json.loads(raw)
        except ValueError:
            result["json"] = None
        result["raw"] = raw[:300]
        c.close()
    except Exception as ex:  # noqa: BLE001 - every failure is counted
        result["status"] = None
        result["error"] = f"{type(ex).__name__}: {ex}"
    result["t1"] = time.monotonic()


def pct(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, int(round(p / 100 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


def cmd_rush(args):
    n, size = args.bidders, args.mib * 1024 * 1024
    port = args.port
    t_setup = time.time()
    a, pid, lot, proc = make_procedure(port, f"BENCH-RUSH-{int(time.time())}")
    log(f"procedure {pid}: making {n} candidates with bidder accounts and logging them in "
        f"({args.setup_threads} at a time; two argon2id hashes each)")
    bidders = [None] * n
    errors = []
    nxt = [0]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= n:
                return
            try:
                bidders[i] = make_bidder(a, port, pid, i + 1, f"95{i:06d}")
            except SystemExit:
                errors.append(i)
                return
            if (i + 1) % 50 == 0:
                log(f"  {i + 1} bidders ready")

    ts = [threading.Thread(target=worker) for _ in range(args.setup_threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        die(f"{len(errors)} bidders could not be made")
    log(f"{n} bidders ready in {time.time() - t_setup:.0f} s")

    # The files: slices of one random pool at distinct offsets, so every
    # bid differs; hashed now, before the clock starts.
    pool = bytearray(os.urandom(size + n * 4099))
    # Each file's first byte zero: random bytes may begin like a program
    # ("MZ", "#!"), which Kavel refuses (file_type_check).
    for i in range(n):
        pool[i * 4099] = 0
    mv = memoryview(pool)
    files = [mv[i * 4099:i * 4099 + size] for i in range(n)]
    digests = [hashlib.sha256(f).hexdigest() for f in files]

    # The deadline: deadline_after s after the uploads start.
    lead = 3
    proc, deadline_utc = move_deadline(a, pid, proc, lead + args.deadline_after)
    start_at = deadline_utc - args.deadline_after
    log(f"tender deadline planned {args.deadline_after} s after the uploads start "
        f"(at {time.strftime('%H:%M:%S', time.localtime(deadline_utc))})")
    time.sleep(max(0.0, start_at - time.time()))

    reset_ok = reset_hwm(args.server_pid)
    before = proc_status(args.server_pid)
    results = [{} for _ in range(n)]
    threads = [threading.Thread(target=upload, args=(port, pid, lot, bidders[i],
                                                     f"bod-{i + 1}.bin", files[i],
                                                     args.chunk, results[i]))
               for i in range(n)]
    barrier_t0 = time.monotonic()
    wall0 = time.time()
    for t in threads:
        t.start()
    # Sample the server's RSS while the rush runs.
    peak_threads = 0
    while any(t.is_alive() for t in threads):
        st = proc_status(args.server_pid)
        try:
            peak_threads = max(peak_threads, int(st.get("Threads", "0")))
        except ValueError:
            pass
        time.sleep(0.2)
    for t in threads:
        t.join()
    wall1 = time.time()
    # From the first request's start to the last answer.
    elapsed = max(r["t1"] for r in results) - min(r["t0"] for r in results)
    after = proc_status(args.server_pid)

    # Verify: 201, receipt's hash and size, listed by the buyer's vault.
    st, v, raw = a.get(f"/api/v1/procedures/{pid}/vault")
    want("reading the vault", st, 200, raw)
    listed = {s["id"]: s for s in v["submissions"]}
    failures = []
    lat = []
    for i, r in enumerate(results):
        lat.append(r["t1"] - r["t0"])
        if r.get("status") != 201:
            failures.append((i, r.get("status"), r.get("error") or r.get("raw")))
            continue
        rc = r["json"] or {}
        if rc.get("sha256") != digests[i] or rc.get("size") != size:
            failures.append((i, 201, "receipt hash/size mismatch"))
            continue
        s = listed.get(rc.get("submission"))
        if not s or s["sha256"] != digests[i] or s["size"] != size:
            failures.append((i, 201, "not listed by the vault with that hash"))
    lat.sort()
    total = n * size
    last_end = max(r["t1"] for r in results) - barrier_t0
    to_deadline = deadline_utc - wall1
    print()
    print(f"deadline rush: {n} bidders x {args.mib} MiB "
          f"({total / 2**30:.2f} GiB), all started at once, deadline "
          f"{args.deadline_after} s after the start")
    print(f"  uploads ok          {n - len(failures)} / {n}   failures: {len(failures)}")
    print(f"  latency p50         {pct(lat, 50):8.2f} s")
    print(f"  latency p99         {pct(lat, 99):8.2f} s")
    print(f"  latency max         {lat[-1]:8.2f} s")
    print(f"  latency min         {lat[0]:8.2f} s")
    print(f"  all done after      {last_end:8.2f} s ({to_deadline:.1f} s before the deadline)")
    print(f"  total throughput    {total / 2**20 / elapsed:8.1f} MiB/s "
          f"({total / 2**20:.0f} MiB in {elapsed:.2f} s)")
    print(f"  server peak RSS     {after.get('VmHWM', '?')} during the rush"
          f"{'' if reset_ok else ' (VmHWM not reset: peak since start)'}; "
          f"RSS before {before.get('VmRSS', '?')}, after {after.get('VmRSS', '?')}; "
          f"threads up to {peak_threads}")
    for f in failures[:20]:
        print(f"  FAILED bidder {f[0] + 1}: status {f[1]}: {f[2]!r}")
    summary = {"bidders": n, "size": size, "failures": len(failures),
               "p50": pct(lat, 50), "p99": pct(lat, 99), "max": lat[-1],
               "elapsed": elapsed, "mib_s": total / 2**20 / elapsed,
               "vmhwm": after.get("VmHWM"), "started": wall0}
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f)
    sys.exit(1 if failures else 0)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--env", required=True)
    r = sub.add_parser("receipt")
    r.add_argument("--env", required=True)
    r.add_argument("--json", required=True)
    r.add_argument("--sha256", required=True)
    r.add_argument("--size", type=int, required=True)
    u = sub.add_parser("rush")
    u.add_argument("--port", type=int, required=True)
    u.add_argument("--server-pid", type=int, required=True)
    u.add_argument("--bidders", type=int, default=200)
    u.add_argument("--mib", type=int, default=20)
    u.add_argument("--deadline-after", type=int, default=70)
    u.add_argument("--setup-threads", type=int, default=2)
    u.add_argument("--chunk", type=int, default=256 * 1024)
    u.add_argument("--summary")
    args = ap.parse_args()
    {"setup": cmd_setup, "receipt": cmd_receipt, "rush": cmd_rush}[args.cmd](args)


if __name__ == "__main__":
    main()
