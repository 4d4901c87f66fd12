#!/usr/bin/env python3
"""Login limits that cannot be bypassed and cannot lock out the innocent
(issue 13, item 2).  Each part failed on main 0a2e38d:

  - the limit's table is keyed (a secret BLAKE2b key, the full 128-bit
    key compared): the old table's computed collisions between one
    account's wrong passwords no longer reset its count;
  - behind --trusted-proxy the client is X-Forwarded-For's last address
    that is no proxy: one client's random-address flood blocks that client
    and no other, and an account's e-mail guessed at from many clients
    blocks strangers but not a browser that logged in to it before (the
    device cookie); without the setting the header is not believed;
  - check and record are one step: 20 parallel wrong passwords are 5
    checked, 15 refused;
  - successful logins are limited too (30 at once per account);
  - the password checks run on a bounded pool: a burst larger than its
    queue is answered 503 with Retry-After, nothing else fails, and the
    server stops cleanly with checks still queued.
The block lengths, the backoff and the buckets' refill are the unit
test's (tests/unit/test_login_limit.c).  That reads are not held up by
logins is measured by bench/login/run.sh.
"""
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import DEMO_PASSWORD, Client, Server, Tap  # noqa: E402


def login(srv, email, password=DEMO_PASSWORD, client=None, via=None, c=None):
    c = c or Client(srv)
    h = {"X-Forwarded-For": via} if via else None
    r = c.request("POST", "/api/v1/login", body={"email": email, "password": password},
                  headers=h)
    return r


def old_slot(address, email):
    """The slot the old, unkeyed table gave a pair (main 0a2e38d)."""
    k = hashlib.blake2b(address.encode() + b"\0" + email.encode(), digest_size=16).digest()
    return (k[0] | k[1] << 8) % 1024


def old_collisions(address, email, n):
    want = old_slot(address, email)
    out, i = [], 0
    while len(out) < n:
        e = f"c{i}@nowhere.example"
        if old_slot(address, e) == want:
            out.append(e)
        i += 1
    return out


def parallel(n, fn):
    out = [None] * n

    def run(i):
        try:
            out[i] = fn(i)
        except Exception as e:  # noqa: BLE001
            out[i] = e
    ts = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for x in ts:
        x.start()
    for x in ts:
        x.join()
    return out


def main():
    t = Tap()
    srv = Server(args=("--trusted-proxy", "127.0.0.1", "--max-per-address", "512",
                       "--hash-workers", "1"))
    try:
        # 1. Keyed table.  Before, a slot was BLAKE2b(address, e-mail) with
        #    no key, mod 1024, and a collision reset it: wrong passwords at
        #    computed colliding addresses between the victim's reset its
        #    count.  Those same collisions now land elsewhere.
        victim = "council@haarlem.example"
        colliding = old_collisions("127.0.0.1", victim, 6)
        got = []
        for i in range(6):
            got.append(login(srv, victim, "wrong-password").status)
            login(srv, colliding[i], "wrong-password")
        t.eq(got, [401] * 5 + [429],
             "between computed colliding keys, the sixth wrong password is still refused")

        # 2. Behind the proxy: one client's flood blocks that client only.
        flood = "192.0.2.66"
        statuses = [login(srv, f"random{i}@example.org", "guess", via=flood).status
                    for i in range(52)]
        t.eq(statuses[:50], [401] * 50, "50 wrong logins at random addresses: 401 each")
        t.eq(statuses[50:], [429, 429], "then the flooding client is refused")
        t.eq(login(srv, "buyer@haarlem.example", via=flood).status, 429,
             "even for an account it knows the password of")
        t.eq(login(srv, "buyer@haarlem.example", via="192.0.2.67").status, 200,
             "another client behind the same proxy logs in")
        r = login(srv, "buyer@haarlem.example", via="10.1.1.1, " + flood)
        t.eq(r.status, 429, "a client cannot hide behind an X-Forwarded-For it wrote itself")
        r = login(srv, "buyer@dordrecht.example", via=flood + ", 127.0.0.1")
        t.eq(r.status, 429, "the trusted proxy's own address is skipped, the client's is used")

        # 3. An account guessed at from many clients: strangers are refused,
        #    a browser that logged in to it before is not.
        target = "buyer2@dordrecht.example"
        known = Client(srv)
        t.eq(login(srv, target, c=known, via="198.51.100.200").status, 200,
             "the account's owner logs in once (and gets a device cookie)")
        t.ok("kavel_device" in known.cookies, "a device cookie was set")
        for i in range(20):
            login(srv, target, "wrong-guess", via=f"198.51.{100 + i}.1")
        r = login(srv, target, via="198.51.150.1")
        t.eq(r.status, 429, "after 20 wrong from 20 clients a stranger is refused, right password or not")
        t.ok(r.getheader("Retry-After") and int(r.getheader("Retry-After")) > 60,
             "with a Retry-After in minutes", r.getheader("Retry-After") or "")
        t.ok(r.json and "minut" in r.json["error"]["message"], "and a message saying how long",
             r.text[:200])
        again = Client(srv)   # the same browser, its session since ended
        again.cookies["kavel_device"] = known.cookies["kavel_device"]
        t.eq(login(srv, target, c=again, via="198.51.100.200").status, 200,
             "the owner's browser still logs in: not locked out")
        forged = Client(srv)
        forged.cookies["kavel_device"] = known.cookies["kavel_device"][:-4] + "0000"
        t.eq(login(srv, target, c=forged, via="198.51.151.1").status, 429,
             "a forged device cookie does not help")

        # 4. Atomic: 20 wrong passwords at once from one client for one account.
        res = parallel(20, lambda i: login(srv, "council@dordrecht.example", "wrong-pw",
                                           via="198.18.0.5").status)
        t.eq(sorted(res), [401] * 5 + [429] * 15,
             "20 parallel wrong passwords: 5 checked, 15 refused")

        # 5. Successful logins are limited too.
        #    At most 20 checks of one account are in flight at once (each
        #    could be a failure, and 20 failures block), at most 30 in a
        #    burst and one more each 2 seconds.
        t0 = time.time()
        first = parallel(40, lambda i: login(srv, "assessor@dordrecht.example",
                                             via=f"198.19.{i}.1").status)
        t.eq(sorted(first), [200] * 20 + [429] * 20,
             "40 right logins at once from 40 clients: 20 in flight let in, 20 refused")
        second = parallel(20, lambda i: login(srv, "assessor@dordrecht.example",
                                              via=f"198.19.{i}.2").status)
        elapsed = time.time() - t0
        let_in = first.count(200) + second.count(200)
        t.ok(second.count(429) > 0 and let_in <= 30 + int(elapsed / 2) + 1,
             f"20 more at once: {second.count(200)} let in; {let_in} in {elapsed:.1f} s, "
             f"within 30 plus one per 2 s")
    finally:
        code = srv.stop()
    t.eq(code, 0, "server stopped cleanly")

    # 6. The pool's bound: 120 logins at once on one worker, queue of 64.
    srv = Server(args=("--trusted-proxy", "127.0.0.1", "--max-per-address", "512",
                       "--hash-workers", "1", "--threads", "2"))
    try:
        res = parallel(120, lambda i: login(srv, f"burst{i}@nowhere.example", "pw",
                                            via=f"100.64.{i // 200}.{i % 200 + 1}"))
        st = [r.status if not isinstance(r, Exception) else repr(r) for r in res]
        n401, n503 = st.count(401), st.count(503)
        t.eq(n401 + n503, 120, f"every login answered 401 or 503 ({n401} checked, {n503} busy)")
        t.ok(n503 > 0 and n401 >= 64, "the queue's bound held: some were told to come back")
        busy = [r for r in res if not isinstance(r, Exception) and r.status == 503]
        t.ok(all(r.getheader("Retry-After") == "5" for r in busy), "each 503 says Retry-After: 5")
        t.ok(all(r.json and r.json["error"]["message"] for r in busy), "and why, in words")
        # Stop while checks are still queued: every one is answered.
        answers = []
        th = threading.Thread(target=lambda: answers.extend(
            parallel(40, lambda i: login(srv, f"late{i}@nowhere.example", "pw",
                                         via=f"100.65.0.{i + 1}"))))
        th.start()
        time.sleep(0.5)
        stopping = srv
        code = srv.stop()
        srv = None
        th.join()
        t.ok(code == 0, "the server stops cleanly with logins still waiting for their check",
             f"exit {code}; log: {stopping.final_log[-3000:]}")
        t.ok(all(isinstance(a, Exception) or a.status in (401, 503) for a in answers),
             "those waiting were answered 401 or 503, or their connection closed")
    finally:
        if srv:
            srv.stop()

    # 8. New accounts from one client: 30 at once, then one a minute.
    srv = Server(args=("--trusted-proxy", "127.0.0.1", "--max-per-address", "512"))
    try:
        b = Client(srv)
        b.login("buyer@dordrecht.example")
        wor = next(p["id"] for p in b.get("/api/v1/procedures").json["procedures"]
                   if p["reference"] == "DOR-2027-WOR-DEMO")

        def register(i, via):
            return Client(srv).request("POST", f"/api/v1/tenders/{wor}/register", body={
                "org_name": f"Aanmelder {i} (test)", "kvk": f"8{i:07d}", "name": f"Aanmelder {i}",
                "email": f"aanmelder{i}@signup.example", "password": "aanmelden-2026!"},
                headers={"X-Forwarded-For": via})
        st = [register(i, "198.51.100.77").status for i in range(31)]
        t.eq(st, [201] * 30 + [429], "one client registers 30 organisations at once, the 31st is refused")
        r = register(31, "198.51.100.77")
        t.ok(r.status == 429 and r.getheader("Retry-After", "").isdigit()
             and 0 < int(r.getheader("Retry-After")) <= 60
             and r.json and r.json["error"]["message"],
             "a 429 with Retry-After of at most a minute and a sentence",
             f"{r.status} {r.getheader('Retry-After')} {r.text[:200]}")
        t.eq(register(32, "198.51.100.78").status, 201, "another client still registers")
        t.eq(login(srv, "aanmelder3@signup.example", "aanmelden-2026!",
                   via="198.51.100.77").status, 200, "and the accounts made log in")
    finally:
        srv.stop()

    # 9. The checks run in helper processes, one per worker; one killed,
    # its worker checks in-process and logins go on.
    srv = Server(args=("--hash-workers", "2"))
    try:
        kids = subprocess.run(["pgrep", "-P", str(srv.proc.pid)], capture_output=True,
                              text=True).stdout.split()
        t.eq(len(kids), 2, "two hash workers, two helper processes")
        t.eq(login(srv, "council@dordrecht.example").status, 200, "a login is checked by a helper")
        for k in kids:
            os.kill(int(k), signal.SIGKILL)
        time.sleep(0.3)
        st = [login(srv, "council@dordrecht.example").status,
              login(srv, "buyer@dordrecht.example", "wrong password").status,
              login(srv, "buyer@dordrecht.example").status]
        t.eq(st, [200, 401, 200], "with the helpers killed, the checks still answer right and wrong")
    finally:
        code = srv.stop()
    t.eq(code, 0, "and the server stops cleanly")

    # 7. Without --trusted-proxy the header is not believed.
    srv = Server()
    try:
        st = [login(srv, "council@haarlem.example", "wrong", via=f"203.0.113.{i}").status
              for i in range(6)]
        t.eq(st, [401] * 5 + [429], "a forged X-Forwarded-For does not escape the limit")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
