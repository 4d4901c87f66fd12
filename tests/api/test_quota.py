#!/usr/bin/env python3
"""Storage quotas and the free-space floor (issue 13 item 3).

One bidder could fill the disk before the deadline (30 x 8 MiB in 1.5 s),
and on a full disk every other bid failed with a 500 and nobody could log
in.  Three parts:

  quotas      the buyer sets per procedure the largest file, the files and
              the MiB each candidate keeps per lot (the form refuses bad
              values at their field and changes nothing); a candidate is
              refused past either, per lot and per candidate, counted
              while uploads still stream in (8 at once against a quota of
              2: exactly 2 are taken), a withdrawn file no longer counts,
              a limit cannot go below what is held, and a refusal leaves
              no file behind;
  simulated   a floor larger than the disk's free space (a full disk as
              the floor sees it): a bid and an application document get a
              507 saying the disk is full and that logins go on; logins,
              a sealed price and a question go on; the log says why;
  tmpfs       where the test can mount one (a user and mount namespace,
              `unshare -rm`), the database and vault on a 64 MiB tmpfs,
              floor 16 MiB, reserve 8 MiB: bids are taken until the floor
              (507 after), every other user still logs in; then another
              program fills the disk to the last byte and Kavel gives up
              its reserve so that logins still work; once space is freed
              the reserve comes back and bids are taken again.
"""
import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, free_port, tender_with_vault  # noqa: E402

MIB = 1 << 20


def body(n, seed):
    """n bytes that sniff as no known type (a zero byte first: random
    bytes could begin like a program)."""
    out = bytearray(b"\0")
    block = hashlib.sha256(seed.encode()).digest()
    while len(out) < n:
        out += block
        block = hashlib.sha256(block).digest()
    return bytes(out[:n])


def bidder(srv, account):
    c = Client(srv)
    r = c.login(*account)
    return c if r.status == 200 else None


def upload(c, pid, lot, name, data):
    return c.request("POST", f"/api/v1/procedures/{pid}/lots/{lot}/submissions", body=data,
                     headers={"Content-Type": "application/octet-stream", "X-File-Name": name})


def err(r):
    """The (field, message) of an API refusal."""
    e = (r.json or {}).get("error") or {}
    return e.get("field"), e.get("message", "")


def vault_files(vault_dir):
    return sorted(f for f in os.listdir(vault_dir) if f.endswith(".kvlt") or f.startswith("tmp-"))


def part_quotas(t):
    srv = Server()
    try:
        a, pid, lots, accounts = tender_with_vault(t, srv, "DOR-QUOTA", 2)
        v = a.get(f"/api/v1/procedures/{pid}/vault").json
        t.ok(v["limits"] == {"max_bytes": 256 * MIB, "quota_files": 20, "quota_bytes": 1024 * MIB},
             "the defaults: 256 MiB a file, 20 files and 1 GiB per bidder and lot", v.get("limits"))

        # The buyer's form: each bad value refused at its field, nothing changed.
        page = a.get(f"/procedures/{pid}/vault")
        t.ok('name="quota_files"' in page.text and 'name="quota_mib"' in page.text,
             "the vault page's limits form has the two quota fields")
        for form, field in (({"max_mib": "2", "quota_files": "2", "quota_mib": "1"}, "quota_mib"),
                            ({"max_mib": "2", "quota_files": "0", "quota_mib": "3"}, "quota_files"),
                            ({"max_mib": "2", "quota_files": "twee", "quota_mib": "3"}, "quota_files"),
                            ({"max_mib": "2", "quota_files": "1001", "quota_mib": "3"}, "quota_files"),
                            ({"max_mib": "2", "quota_files": "2", "quota_mib": "16385"}, "quota_mib")):
            r = a.post(f"/api/v1/procedures/{pid}/vault/limit", form)
            t.ok(r.status == 422 and err(r)[0] == field,
                 f"{form} is refused at {field}", r.text[:300])
        v2 = a.get(f"/api/v1/procedures/{pid}/vault").json
        t.eq(v2["limits"], v["limits"], "the refusals changed nothing")
        r = a.post(f"/api/v1/procedures/{pid}/vault/limit",
                   {"max_mib": "2", "quota_files": "2", "quota_mib": "3"})
        t.eq(r.status, 200, "the buyer sets 2 MiB a file, 2 files and 3 MiB per bidder and lot")
        v = a.get(f"/api/v1/procedures/{pid}/vault").json
        t.ok(v["limits"] == {"max_bytes": 2 * MIB, "quota_files": 2, "quota_bytes": 3 * MIB},
             "and the vault shows them", v["limits"])
        audit = a.get(f"/api/v1/procedures/{pid}/audit").text
        t.ok('quota_files' in audit, "the change is in the audit trail with the quota")

        before = set(vault_files(os.path.join(srv.dir, "vault")))
        b1, b2 = bidder(srv, accounts[0]), bidder(srv, accounts[1])
        t.ok(b1 and b2, "both bidders log in")
        lot1, lot2 = lots
        r = upload(b1, pid, lot1, "plan.bin", body(2 * MIB, "a"))
        t.eq(r.status, 201, "bidder 1: a file of 2 MiB in lot 1 is taken")
        first = r.json["submission"] if r.json else None
        r = upload(b1, pid, lot1, "bijlage.bin", body(MIB + MIB // 2, "b"))
        t.ok(r.status == 413 and re.search(r"3 Mi?B", err(r)[1]),
             "a second of 1.5 MiB would make 3.5 MiB: 413 naming the 3 MiB", r.text[:300])
        r = upload(b1, pid, lot1, "bijlage.bin", body(MIB, "c"))
        t.eq(r.status, 201, "one of 1 MiB makes 3 MiB exactly: taken")
        r = upload(b1, pid, lot1, "extra.bin", body(10, "d"))
        t.ok(r.status == 422 and re.search(r"at most 2 files|ten hoogste 2 bestanden", err(r)[1]),
             "a third file, however small, is refused naming the 2 files", r.text[:300])
        r = upload(b1, pid, lot2, "plan.bin", body(2 * MIB, "e"))
        t.eq(r.status, 201, "lot 2 has its own quota: bidder 1's file there is taken")
        r = upload(b2, pid, lot1, "plan.bin", body(2 * MIB, "f"))
        t.eq(r.status, 201, "bidder 2 has its own quota in lot 1")

        # A limit cannot go below what is held.
        r = a.post(f"/api/v1/procedures/{pid}/vault/limit", {"quota_files": "1"})
        t.ok(r.status == 409 and err(r)[0] == "quota_files"
             and re.search(r"2 (files|bestanden)", err(r)[1]),
             "the buyer cannot lower the files below the 2 bidder 1 keeps in lot 1", r.text[:300])
        r = a.post(f"/api/v1/procedures/{pid}/vault/limit", {"quota_mib": "2"})
        t.ok(r.status == 409 and err(r)[0] == "quota_mib",
             "nor the total below the 3 MiB it keeps", r.text[:300])

        # A withdrawn file no longer counts.
        r = b1.post(f"/api/v1/procedures/{pid}/submissions/{first}/withdraw", {})
        t.ok(r.status in (200, 204), "bidder 1 withdraws its 2 MiB file", r.text[:300])
        r = upload(b1, pid, lot1, "plan-v2.bin", body(2 * MIB, "g"))
        t.eq(r.status, 201, "after which a new 2 MiB file fits again")

        # Eight at once against a quota of 2 (bidder 2, lot 2): counted
        # while they stream in, so exactly 2 are taken.
        statuses, lock = [], threading.Lock()
        data = body(700 * 1024, "h")

        def send(i):
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
            hdr = {"Content-Type": "application/octet-stream", "X-File-Name": f"p{i}.bin",
                   "X-CSRF-Token": b2.csrf,
                   "Cookie": "; ".join(f"{k}={v}" for k, v in b2.cookies.items())}
            c.putrequest("POST", f"/api/v1/procedures/{pid}/lots/{lot2}/submissions")
            for k, val in hdr.items():
                c.putheader(k, val)
            c.putheader("Content-Length", str(len(data)))
            c.endheaders()
            # Slowly, so that all eight are under way together.
            for off in range(0, len(data), 64 * 1024):
                c.send(data[off:off + 64 * 1024])
                time.sleep(0.05)
            st = c.getresponse().status
            c.close()
            with lock:
                statuses.append(st)
        ts = [threading.Thread(target=send, args=(i,)) for i in range(8)]
        for th in ts:
            th.start()
        for th in ts:
            th.join()
        t.ok(sorted(statuses).count(201) == 2 and all(s in (201, 413, 422) for s in statuses),
             "eight parallel uploads against a quota of 2: exactly 2 taken", sorted(statuses))

        v = a.get(f"/api/v1/procedures/{pid}/vault").json
        live = [s for s in v["submissions"] if not s.get("withdrawn_at")]
        t.eq(len(live), 6, "six live bids are listed: every refusal left nothing")
        on_disk = set(vault_files(os.path.join(srv.dir, "vault"))) - before
        t.eq(len(on_disk), len(v["submissions"]),
             "one new sealed file per listed bid (withdrawn too), no more")
        t.eq([f for f in vault_files(os.path.join(srv.dir, "vault")) if f.startswith("tmp-")], [],
             "no temporary file is left")
    finally:
        srv.stop()


def part_simulated(t):
    """--min-free-mb above the free space: the floor sees a full disk."""
    free = shutil.disk_usage(tempfile.gettempdir()).free
    floor_mb = min(1 << 20, free // MIB + 1024)
    srv = Server(args=("--min-free-mb", str(floor_mb)))
    try:
        a, pid, lots, accounts = tender_with_vault(t, srv, "DOR-FULL", 1)
        b = bidder(srv, accounts[0])
        r = upload(b, pid, lots[0], "plan.bin", body(100 * 1024, "s"))
        t.ok(r.status == 507 and re.search(r"disk|schijf", err(r)[1])
             and re.search(r"logging in|inloggen", err(r)[1]),
             "below the floor a bid gets 507 saying the disk is full and logins go on",
             r.text[:300])
        r = b.post(f"/api/v1/procedures/{pid}/lots/{lots[0]}/price", {"price": "95000,00"})
        t.ok(r.status == 201, "a sealed price (a few kilobytes) is still taken", r.text[:300])
        c = Client(srv)
        t.eq(c.login("council@dordrecht.example").status, 200, "a council member logs in")
        t.eq(c.get("/api/v1/me").status, 200, "and her session works")
        # The demo's registration tender: a new organisation registers
        # (a small write) and sends an application document (a file).
        procs = a.get("/api/v1/procedures").json["procedures"]
        wor = next(p["id"] for p in procs if p["reference"] == "DOR-2027-WOR-DEMO")
        r = Client(srv).post(f"/api/v1/tenders/{wor}/register", {
            "org_name": "Volle Schijf Zorg (test)", "kvk": "89345677", "name": "Vera Vol",
            "email": "vera@volleschijf.example", "password": "registratie-2026!"})
        t.eq(r.status, 201, "an organisation registers below the floor")
        d = Client(srv)
        t.eq(d.login("vera@volleschijf.example", "registratie-2026!").status, 200,
             "and logs in")
        doc = b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF\n"
        r = d.post(f"/api/v1/procedures/{wor}/application/documents",
                   {"name": "referentie.pdf", "content": base64.b64encode(doc).decode()})
        t.ok(r.status == 507 and re.search(r"disk|schijf", err(r)[1]),
             "its application document gets 507 too", r.text[:300])
        time.sleep(0.2)
        t.ok("below the floor" in srv.logtext(), "the log names the floor once",
             srv.logtext()[-500:])
    finally:
        srv.stop()


class TmpfsServer(Server):
    """kavel serve with its database on a tmpfs of size_mb, mounted in a
    user and mount namespace of its own (unshare -rm); the test reaches
    the tmpfs through /proc/PID/root."""

    def __init__(self, size_mb, args=()):
        self.bin = os.environ.get("KAVEL_BIN", "build/kavel")
        self.dir = tempfile.mkdtemp(prefix="kavel-test-")
        seed = os.path.join(self.dir, "seed.db")
        out = subprocess.run([self.bin, "demo", "--db", seed, "--reset"],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError("kavel demo failed: " + out.stderr)
        self.disk = os.path.join(self.dir, "disk")
        os.mkdir(self.disk, 0o700)
        self.db = os.path.join(self.disk, "kavel.db")
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        script = ('mount -t tmpfs -o size=%dm,mode=0700 kavel "$1" && cp "$2" "$1/kavel.db" && '
                  'shift 2 && exec "$@"') % size_mb
        self.proc = subprocess.Popen(
            ["unshare", "-rm", "sh", "-c", script, "sh", self.disk, seed,
             self.bin, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}", *args],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_up()

    def path(self, *parts):
        """A path on the tmpfs as this process sees it."""
        return os.path.join(f"/proc/{self.proc.pid}/root", self.disk.lstrip("/"), *parts)

    def free(self):
        return shutil.disk_usage(self.path()).free


def can_unshare():
    try:
        r = subprocess.run(["unshare", "-rm", "sh", "-c",
                            "d=$(mktemp -d) && mount -t tmpfs -o size=1m t $d && umount $d"],
                           capture_output=True, timeout=10)
        return r.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def wait_for(pred, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


def part_tmpfs(t):
    srv = TmpfsServer(64, ("--min-free-mb", "16", "--reserve-mb", "8"))
    try:
        t.ok(wait_for(lambda: os.path.exists(srv.path("vault", "reserve")), 5)
             and os.path.getsize(srv.path("vault", "reserve")) == 8 * MIB,
             "the reserve of 8 MiB is in place on the 64 MiB tmpfs")
        a, pid, lots, accounts = tender_with_vault(t, srv, "DOR-TMPFS", 2)
        r = a.post(f"/api/v1/procedures/{pid}/vault/limit",
                   {"max_mib": "4", "quota_files": "100", "quota_mib": "1024"})
        t.eq(r.status, 200, "the quota is raised out of the way")
        b = bidder(srv, accounts[0])
        taken, last = 0, None
        for i in range(40):
            last = upload(b, pid, lots[i % 2], f"deel{i}.bin", body(3 * MIB, f"t{i}"))
            if last.status != 201:
                break
            taken += 1
        free = srv.free()
        t.ok(last is not None and last.status == 507 and taken >= 5,
             f"bids are taken until the floor ({taken} of 3 MiB), then 507", last.text[:300])
        t.ok(free >= 16 * MIB - 256 * 1024,
             f"the floor held: {free // 1024} KiB free at the refusal (floor 16384 KiB)")
        t.eq([f for f in os.listdir(srv.path("vault")) if f.startswith("tmp-")], [],
             "the refused bid left no temporary file")
        c = Client(srv)
        t.eq(c.login("council@dordrecht.example").status, 200,
             "below the floor another user logs in")
        r = upload(bidder(srv, accounts[1]), pid, lots[0], "ook.bin", body(4 * MIB, "k"))
        t.eq(r.status, 507, "and another bidder's bid of 4 MiB is refused with 507, not a 500")

        # Another program fills the disk to the last byte.
        fill = srv.path("fill")
        with open(fill, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * MIB)
                    f.flush()
            except OSError:
                pass
        t.ok(wait_for(lambda: not os.path.exists(srv.path("vault", "reserve")), 5),
             "with the disk full Kavel gives up its reserve within seconds")
        t.ok("reserve of 8 MiB is given up" in srv.logtext(), "and says so in its log")
        logins = [Client(srv).login(e).status for e in
                  ("buyer@dordrecht.example", "council@dordrecht.example", "buyer2@dordrecht.example")]
        t.eq(logins, [200, 200, 200], "on the full disk three people still log in")
        r = c.get("/api/v1/me")
        t.eq(r.status, 200, "and the sessions work")

        os.unlink(fill)
        t.ok(wait_for(lambda: os.path.exists(srv.path("vault", "reserve")), 5),
             "once space is freed the reserve comes back")
        r = upload(b, pid, lots[0], "later.bin", body(MIB, "late"))
        t.eq(r.status, 201, "and bids are taken again")
    finally:
        srv.stop()


def main():
    t = Tap()
    part_quotas(t)
    part_simulated(t)
    if can_unshare():
        part_tmpfs(t)
    else:
        print("# no user and mount namespace here (unshare -rm): the tmpfs part is "
              "skipped; the simulated full disk above covers the floor")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
