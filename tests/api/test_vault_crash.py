#!/usr/bin/env python3
"""kill -9 during bid uploads and sealed prices: no receipt without its sealed bid.

Two buyers set vault passphrases; a procedure gets a tender deadline ten
minutes ahead and a vault; four candidates get a bidder account each.
Then, in a few rounds, 24 uploader threads post small random files
(1-200 KiB) to the lots' submission route, and one time in four a sealed
price (the price envelope), as fast as they can while the server is
killed with SIGKILL at a random moment.  Every receipt that arrived in
full (201 with its JSON) is kept.  After a restart on the same database:

  (a) every acknowledged receipt's submission is listed on the buyers'
      vault JSON and by the receipt route, with the same SHA-256, size
      and receipt digest; every acknowledged price is listed with its
      receipt, and each bidder has one live price per lot, its newest;
  (b) every listed submission has its sealed file in <db dir>/vault,
      named after its SHA-256 and larger than the bid itself;
  (c) no sealed file is referenced twice, every submission row has its
      submission.receive audit event, and no temporary file (tmp-*) the
      kill left is listed (their number, and that of sealed files no row
      refers to, is reported as a TAP comment);
  (d) `kavel audit verify` passes.

The vault is not opened (the deadline is ten minutes away; test_vault.py
covers the opening).
"""
import hashlib
import http.client
import json
import os
import re
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, free_port, tender_with_vault  # noqa: E402

PASS_A = "crash vault passphrase A-123"
PASS_B = "crash vault passphrase B-456"
DEADLINE_IN = 600
ROUNDS = 3
THREADS = 24
BIDDERS = 4
HEADER = 109        # VAULT_HEADER_LEN
FRAME_EXTRA = 4 + 17  # a frame's prefix and secretstream tag


def upload(port, cookies, csrf, pid, lot, name, data):
    """Posts one bid; the receipt (dict) only when the 201 and its JSON
    arrived in full, else None.  Raises OSError when the server is gone."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("POST", f"/api/v1/procedures/{pid}/lots/{lot}/submissions", body=data,
                  headers={"Content-Type": "application/octet-stream", "X-File-Name": name,
                           "X-CSRF-Token": csrf,
                           "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
        r = c.getresponse()
        raw = r.read()
        if r.status != 201:
            return r.status, None
        try:
            j = json.loads(raw)
        except ValueError:
            return r.status, None
        return 201, j if isinstance(j, dict) and "submission" in j else None
    except http.client.HTTPException as ex:
        raise OSError(str(ex)) from ex
    finally:
        c.close()


def post_price(port, cookies, csrf, pid, lot, cents):
    """Seals one price (the price envelope); its receipt (dict) only when
    the 201 and its JSON arrived in full, else None."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"price": f"{cents // 100},{cents % 100:02d}"})
    try:
        c.request("POST", f"/api/v1/procedures/{pid}/lots/{lot}/price", body=body,
                  headers={"Content-Type": "application/json", "X-CSRF-Token": csrf,
                           "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
        r = c.getresponse()
        raw = r.read()
        if r.status != 201:
            return r.status, None
        try:
            j = json.loads(raw)
        except ValueError:
            return r.status, None
        return 201, j if isinstance(j, dict) and j.get("envelope") == "price" else None
    except http.client.HTTPException as ex:
        raise OSError(str(ex)) from ex
    finally:
        c.close()


def wait_up(srv):
    c = Client(srv)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if c.get("/healthz").status == 200:
                return True
        except OSError:
            time.sleep(0.05)
    return False


def sealed_len(n):
    """Bytes the sealed file of an n-byte bid takes at least."""
    return HEADER + n + FRAME_EXTRA * max(1, -(-n // 65536))


def main():
    t0 = time.time()
    t = Tap()
    srv = Server()
    vault_dir = os.path.join(srv.dir, "vault")
    try:
        a, pid, lots, accounts = tender_with_vault(t, srv, "DOR-VAULT-KILL", BIDDERS,
                                                   DEADLINE_IN, (PASS_A, PASS_B))
        # Hundreds of bids per bidder and lot: past the default quota of 20.
        r = a.post(f"/api/v1/procedures/{pid}/vault/limit", {"quota_files": 1000})
        t.ok(r.status == 200, "the quota is raised to 1000 files per bidder and lot", r.text[:300])

        acked_all = {}          # submission id -> (receipt, plaintext size, sha256)
        prices_acked = {}       # submission id -> (receipt, bidder index, lot number)
        figures = []
        for rnd in range(ROUNDS):
            # Log the bidders in (again: the server restarted).
            sessions = []
            for email, pw in accounts:
                c = Client(srv)
                if c.login(email, pw).status == 200:
                    sessions.append((dict(c.cookies), c.csrf))
            t.eq(len(sessions), BIDDERS, f"round {rnd}: the bidders log in")

            acked, refused, lock, stop = [], [], threading.Lock(), threading.Event()
            price_acks = []
            port = srv.port

            def uploader(wid):
                rng = random.Random()
                cookies, csrf = sessions[wid % len(sessions)]
                i = 0
                while not stop.is_set():
                    lot = rng.choice(lots)
                    if rng.random() < 0.25:
                        # A price (unique, so no two sealed files share a
                        # SHA-256); a new one withdraws the bidder's last.
                        try:
                            status, rc = post_price(port, cookies, csrf, pid, lot,
                                                    rng.randint(10 ** 6, 10 ** 12))
                        except OSError:
                            return
                        with lock:
                            if rc is not None:
                                price_acks.append((rc, wid % len(sessions)))
                            else:
                                refused.append(status)
                        continue
                    # A zero first byte: random bytes may begin like a
                    # program ("MZ", "#!"), which Kavel refuses
                    # (file_type_check), and these bids must all be taken.
                    data = b"\0" + os.urandom(rng.randint(1024, 200 * 1024))
                    name = f"bod-{rnd}-{wid}-{i}.bin"
                    try:
                        status, rc = upload(port, cookies, csrf, pid, lot, name, data)
                    except OSError:
                        return
                    with lock:
                        if rc is not None:
                            acked.append((rc, len(data), hashlib.sha256(data).hexdigest(), lot,
                                          name))
                        else:
                            refused.append(status)
                    i += 1

            threads = [threading.Thread(target=uploader, args=(w,)) for w in range(THREADS)]
            for th in threads:
                th.start()
            time.sleep(random.uniform(1.0, 3.0))
            srv.proc.send_signal(signal.SIGKILL)
            srv.proc.wait()
            stop.set()
            for th in threads:
                th.join(timeout=30)
            t.ok(not any(th.is_alive() for th in threads), f"round {rnd}: the uploaders stop")
            t.ok(len(acked) > 0 and not refused,
                 f"round {rnd}: {len(acked)} bids were acknowledged before the kill, none refused",
                 f"refused: {refused[:20]}")
            bad = [x for x in acked if x[0].get("sha256") != x[2] or x[0].get("size") != x[1]
                   or x[0].get("lot") is None or x[0].get("file_name") != x[4]]
            t.ok(not bad, f"round {rnd}: every receipt names its file's SHA-256, size and name",
                 bad[:3])
            for rc, size, sha, _lot, _name in acked:
                acked_all[rc["submission"]] = (rc, size, sha)
            for rc, who in price_acks:
                prices_acked[rc["submission"]] = (rc, who, rc.get("lot"))

            # Restart on the same database.
            srv.port = free_port()
            srv.proc = subprocess.Popen(
                [srv.bin, "serve", "--db", srv.db, "--listen", f"127.0.0.1:{srv.port}"],
                stdout=srv.log, stderr=subprocess.STDOUT)
            t.ok(wait_up(srv), f"round {rnd}: the server restarts on the same database",
                 srv.logtext()[-2000:])
            a = Client(srv)
            a.login("buyer@dordrecht.example")
            v = a.get(f"/api/v1/procedures/{pid}/vault")
            listed = {s["id"]: s for s in (v.json or {}).get("submissions", [])}
            t.ok(v.status == 200 and listed, f"round {rnd}: the vault lists {len(listed)} bids",
                 v.text[:300])

            # (a) every acknowledged receipt is listed, as it was given.
            missing = [sid for sid in acked_all if sid not in listed]
            t.ok(not missing, f"round {rnd}: every acknowledged bid so far "
                 f"({len(acked_all)}) is listed", f"missing: {missing[:10]}")
            differ = [sid for sid, (rc, size, sha) in acked_all.items() if sid in listed and (
                listed[sid]["sha256"] != sha or listed[sid]["size"] != size or
                listed[sid]["receipt"] != rc["receipt"] or listed[sid]["withdrawn_at"])]
            t.ok(not differ, f"round {rnd}: with the receipt's SHA-256, size and digest",
                 [(listed[s], acked_all[s][0]) for s in differ[:3]])
            wrong = []
            for rc, size, sha, _lot, _name in acked:
                g = a.get(f"/api/v1/procedures/{pid}/submissions/{rc['submission']}/receipt")
                j = g.json or {}
                if g.status != 200 or j.get("sha256") != sha or j.get("receipt") != rc["receipt"] \
                        or j.get("received_at") != rc["received_at"]:
                    wrong.append((rc["submission"], g.status, g.text[:200]))
            t.ok(not wrong, f"round {rnd}: the receipt route gives each of this round's "
                 f"{len(acked)} receipts back", wrong[:5])

            # (a') every acknowledged price is listed as given, and each
            # bidder has at most one price per lot not withdrawn: its
            # newest, never older than its last acknowledged one.
            gone = [sid for sid, (rc, _w, _l) in prices_acked.items()
                    if sid not in listed or listed[sid]["envelope"] != "price" or
                    listed[sid]["sha256"] != rc["sha256"] or listed[sid]["receipt"] != rc["receipt"]]
            t.ok(prices_acked and not gone,
                 f"round {rnd}: every acknowledged price ({len(prices_acked)} so far, "
                 f"{len(price_acks)} this round) is listed with its receipt", gone[:5])
            pairs = {}
            for sid, sub in listed.items():
                if sub["envelope"] == "price":
                    pairs.setdefault((sub["candidate_id"], sub["lot"]), []).append(sub)
            cand_of = {}
            for sid, (rc, who, lotn) in prices_acked.items():
                if sid in listed:
                    cand_of[who] = listed[sid]["candidate_id"]
            wrong_pairs = []
            for (cand, lotn), subs in pairs.items():
                live = [x for x in subs if not x["withdrawn_at"]]
                newest = max(x["id"] for x in subs)
                last_acked = max([sid for sid, (rc, who, l_) in prices_acked.items()
                                  if cand_of.get(who) == cand and l_ == lotn] or [0])
                if len(live) != 1 or live[0]["id"] != newest or newest < last_acked:
                    wrong_pairs.append((cand, lotn, [x["id"] for x in live], newest, last_acked))
            t.ok(pairs and not wrong_pairs, f"round {rnd}: each bidder keeps one live price per "
                 "lot, its newest", wrong_pairs[:5])

            # (b), (c): the rows, their files and their audit events.
            db = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True, timeout=10)
            try:
                rows = db.execute("SELECT id, hex(sha256), size, path FROM submissions "
                                  "WHERE procedure_id = ?", (pid,)).fetchall()
                objs = [o for (o,) in db.execute(
                    "SELECT object FROM audit WHERE action = 'submission.receive' "
                    "AND object LIKE ?", (f"procedure/{pid}/submission/%",))]
                # Every procedure's, the demo's sealed bids too.
                all_paths = {p_ for (p_,) in db.execute("SELECT path FROM submissions")}
            finally:
                db.close()
            t.eq(sorted(r_[0] for r_ in rows), sorted(listed),
                 f"round {rnd}: the vault lists exactly the submission rows")
            files = os.listdir(vault_dir)
            sealed = {f for f in files if f.endswith(".kvlt")}
            tmps = [f for f in files if f.startswith("tmp-")]
            paths = [r_[3] for r_ in rows]
            t.eq(len(set(paths)), len(paths), f"round {rnd}: no sealed file is referenced twice")
            lacking = []
            for sid, sha, size, path in rows:
                full = os.path.join(vault_dir, path)
                st = os.stat(full) if os.path.isfile(full) else None
                if (st is None or st.st_size < sealed_len(size) or
                        not re.fullmatch(r"[0-9a-f]{32}\.kvlt", path) or sha.lower() in path or
                        listed.get(sid, {}).get("sha256") != sha.lower()):
                    lacking.append((sid, path, st.st_size if st else None, size))
            t.ok(not lacking, f"round {rnd}: every listed bid has its sealed file, named by a "
                 "random id (not its SHA-256) and larger than the bid", lacking[:5])
            t.ok(not any(p.startswith("tmp-") for p in paths),
                 f"round {rnd}: no temporary file is a listed bid")
            t.eq(tmps, [], f"round {rnd}: the restarted server swept the unfinished uploads")
            t.eq(sorted(objs), sorted(f"procedure/{pid}/submission/{r_[0]}" for r_ in rows),
                 f"round {rnd}: every submission row has its one submission.receive event")
            unreferenced = sealed - all_paths
            t.eq(sorted(unreferenced), [], f"round {rnd}: the restarted server moved every sealed "
                 "file no submission refers to aside (vault/unclaimed)")
            new_ids = [sid for sid in listed if sid not in acked_all and sid not in prices_acked]
            prev = figures[-1] if figures else (0, 0, 0, 0)
            figures.append((len(acked), len(listed), len(tmps), len(unreferenced)))
            print(f"# round {rnd}: {len(acked)} bids and {len(price_acks)} prices acknowledged, "
                  f"{len(listed)} listed in all, "
                  f"{len(new_ids)} listed so far without an acknowledged receipt (stored, answer lost); "
                  f"in the vault directory {len(tmps)} orphan tmp-* files "
                  f"(+{len(tmps) - prev[2]}) and {len(unreferenced)} sealed files no row "
                  f"refers to (+{len(unreferenced) - prev[3]})")
            sys.stdout.flush()

            # (d) the audit chain.
            vr = srv.kavel("audit", "verify", "--db", srv.db)
            t.ok(vr.returncode == 0, f"round {rnd}: the audit chain verifies after the kill",
                 vr.stdout + vr.stderr)

        total = sum(f[0] for f in figures)
        t.ok(total >= 100, f"{total} bids acknowledged over {ROUNDS} rounds")
        r = a.get(f"/api/v1/procedures/{pid}/vault")
        t.ok(r.status == 200 and r.json["vault"]["opened_at"] is None,
             "the vault is still sealed (not opened: the deadline is ten minutes away)")
    finally:
        code = srv.stop()
    t.eq(code, 0, "server stops cleanly")
    log = getattr(srv, "final_log", "")
    t.ok("Sanitizer" not in log and "runtime error:" not in log,
         "no sanitizer report in the server log", log[-3000:])
    print(f"# {time.time() - t0:.1f} s")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
