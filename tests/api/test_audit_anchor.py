#!/usr/bin/env python3
"""The audit anchor: signed checkpoints outside the database catch what the
hash chain alone cannot.

Someone with write access to the database file (and the triggers dropped)
can cut the newest events off, or rewrite an event and compute the chain
again: `kavel audit verify` then still says "intact" (shown here first, as
the weakness).  With a checkpoint signed by `kavel audit anchor` (an
Ed25519 key in a file of its own), `kavel audit verify --anchor` reports
both, names the checkpoint, and exits 3.  Also checked: the key file is
made 0600 and refused when wider; a forged or edited checkpoint line is
refused naming its line; a checkpoint of another key than the published
one is refused; no checkpoint is signed over a broken chain; a second
checkpoint after more events; an empty chain.
"""
import hashlib
import os
import shutil
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Tap  # noqa: E402

BIN = os.path.abspath(os.environ.get("KAVEL_BIN", "build/kavel"))


def kavel(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def seal(prev, seq, at, actor, tenant, action, obj, before, after):
    """core/audit.c's hash, computed again: what an attacker can do."""
    h = hashlib.sha256(b"kavel-audit-v1")
    h.update(prev)
    for v in (seq, at, actor, tenant):
        h.update(struct.pack(">Q", v & 0xFFFFFFFFFFFFFFFF))
    for s in (action, obj, before, after):
        b = s.encode()
        h.update(struct.pack(">Q", len(b)))
        h.update(b)
    return h.digest()


def tamper(db, how):
    """Opens the database as an attacker with the file would."""
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_no_update")
    con.execute("DROP TRIGGER audit_no_delete")
    if how == "cut":
        con.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
    else:
        rows = con.execute("SELECT seq, at, actor, tenant_id, action, object, before_json, "
                           "after_json, prev FROM audit ORDER BY seq").fetchall()
        target = rows[len(rows) // 2][0]
        prev = None
        for seq, at, actor, tenant, action, obj, before, after, p in rows:
            if seq < target:
                continue
            if prev is None:
                prev = p
            if seq == target:
                after = '{"verified":true}'
            h = seal(prev, seq, at, actor, tenant, action, obj, before, after)
            con.execute("UPDATE audit SET after_json = ?, prev = ?, hash = ? WHERE seq = ?",
                        (after, prev, h, seq))
            prev = h
    con.commit()
    con.close()


def main():
    t = Tap()
    tmp = tempfile.mkdtemp(prefix="kavel-anchor-")
    try:
        db = os.path.join(tmp, "kavel.db")
        key = os.path.join(tmp, "keys", "anchor.key")
        os.makedirs(os.path.dirname(key), mode=0o700)
        anchor = os.path.join(tmp, "anchor.txt")
        r = kavel("demo", "--db", db)
        t.ok(r.returncode == 0, "a demo database", r.stderr[-1500:])

        r = kavel("audit", "anchor", "--db", db, "--anchor", anchor)
        t.ok(r.returncode == 2 and "--key" in r.stderr, "audit anchor without a key is refused",
             r.stderr)
        r = kavel("audit", "anchor", "--db", db, "--key", key, "--anchor", anchor)
        t.ok(r.returncode == 0, "audit anchor signs the head", r.stderr + r.stdout)
        t.eq(oct(stat.S_IMODE(os.stat(key).st_mode)), oct(0o600), "the new key file is 0600")
        t.ok("a new anchor key was made" in r.stderr and "publish its public key" in r.stderr,
             "and the operator is told to keep it apart and publish the public key", r.stderr)
        lines = open(anchor).read().splitlines()
        t.ok(len(lines) == 1 and lines[0].startswith("kavel-anchor v1 seq=")
             and lines[0] in r.stdout, "one checkpoint line, printed for publication", r.stdout)
        pub = lines[0].split(" key=")[1].split(" ")[0]

        r = kavel("audit", "verify", "--db", db, "--anchor", anchor)
        t.ok(r.returncode == 0 and "all 1 signed checkpoints" in r.stdout,
             "verify --anchor: intact, and it holds the checkpoint", r.stdout + r.stderr)
        r = kavel("audit", "verify", "--db", db, "--anchor", anchor, "--public-key", pub)
        t.ok(r.returncode == 0, "with the published public key too", r.stdout + r.stderr)
        r = kavel("audit", "verify", "--db", db, "--anchor", anchor, "--public-key", "00" * 32)
        t.ok(r.returncode == 3 and "not by the published key" in r.stdout,
             "a checkpoint of another key than the published one is refused", r.stdout)

        # The cut tail.
        cut = os.path.join(tmp, "cut.db")
        shutil.copy(db, cut)
        tamper(cut, "cut")
        r = kavel("audit", "verify", "--db", cut)
        t.ok(r.returncode == 0 and "intact" in r.stdout,
             "without the anchor a cut tail still reads as intact (the weakness)", r.stdout)
        r = kavel("audit", "verify", "--db", cut, "--anchor", anchor)
        t.ok(r.returncode == 3 and "BROKEN" in r.stdout and "cut off" in r.stdout
             and "line 1" in r.stdout, "with it the cut tail is found, naming the checkpoint",
             r.stdout + r.stderr)

        # The recomputed chain.
        rewritten = os.path.join(tmp, "rewritten.db")
        shutil.copy(db, rewritten)
        tamper(rewritten, "rewrite")
        r = kavel("audit", "verify", "--db", rewritten)
        t.ok(r.returncode == 0 and "intact" in r.stdout,
             "without the anchor a recomputed chain reads as intact (the weakness)", r.stdout)
        r = kavel("audit", "verify", "--db", rewritten, "--anchor", anchor)
        t.ok(r.returncode == 3 and "rewritten" in r.stdout,
             "with it the recomputed chain is found", r.stdout + r.stderr)
        r = kavel("audit", "anchor", "--db", rewritten, "--key", key, "--anchor", anchor)
        t.ok(r.returncode == 3 and len(open(anchor).read().splitlines()) == 1,
             "and no new checkpoint is signed over it", r.stdout + r.stderr)

        # A forged line: one digit of the hash changed.
        forged = os.path.join(tmp, "forged.txt")
        line = lines[0]
        i = line.index("hash=") + 5
        bad = line[:i] + ("1" if line[i] != "1" else "2") + line[i + 1:]
        with open(forged, "w") as f:
            f.write(line + "\n" + bad + "\n")
        r = kavel("audit", "verify", "--db", db, "--anchor", forged)
        t.ok(r.returncode == 3 and f"{forged}:2:" in r.stderr and "signature" in r.stderr,
             "an edited checkpoint is refused, naming its line", r.stderr)

        # One more event, appended as Kavel would (a valid link): a
        # second checkpoint over the longer chain.
        con = sqlite3.connect(db)
        n0, prev = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        n1 = n0 + 1
        ev = (n1, 1796212800, 0, 0, "test.append", "test/1", "", '{"n":1}')
        con.execute("INSERT INTO audit (seq, at, actor, tenant_id, action, object, before_json, "
                    "after_json, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (*ev, prev, seal(prev, *ev)))
        con.commit()
        con.close()
        r = kavel("audit", "verify", "--db", db, "--anchor", anchor)
        t.ok(r.returncode == 0, "a chain that grew past its checkpoint still holds it",
             r.stdout + r.stderr)
        r = kavel("audit", "anchor", "--db", db, "--key", key, "--anchor", anchor)
        t.ok(r.returncode == 0 and "a new anchor key" not in r.stderr and
             len(open(anchor).read().splitlines()) == 2, "a second checkpoint with the same key",
             r.stderr)
        r = kavel("audit", "verify", "--db", db, "--anchor", anchor)
        t.ok(r.returncode == 0 and "all 2 signed checkpoints" in r.stdout and f"event {n1}" in r.stdout,
             "both hold", r.stdout + r.stderr)

        # A key file others may read is refused.
        os.chmod(key, 0o644)
        r = kavel("audit", "anchor", "--db", db, "--key", key, "--anchor", anchor)
        t.ok(r.returncode == 1 and "open to others" in r.stderr and "chmod 600" in r.stderr,
             "a key file others may read is refused", r.stderr)
        os.chmod(key, 0o600)
        other_key = os.path.join(tmp, "keys", "other.key")
        r = kavel("audit", "anchor", "--db", db, "--key", other_key, "--anchor", anchor)
        t.ok(r.returncode == 1 and "another key" in r.stderr and
             len(open(anchor).read().splitlines()) == 2,
             "a checkpoint file is not mixed with another key's", r.stderr)

        # An empty chain: a checkpoint of event 0.
        empty = os.path.join(tmp, "empty.db")
        r = kavel("migrate", "--db", empty)
        empty_anchor = os.path.join(tmp, "empty-anchor.txt")
        r = kavel("audit", "anchor", "--db", empty, "--key", key, "--anchor", empty_anchor)
        t.ok(r.returncode == 0 and "event 0" in r.stdout, "an empty chain is anchored at event 0",
             r.stdout + r.stderr)
        r = kavel("audit", "verify", "--db", empty, "--anchor", empty_anchor)
        t.ok(r.returncode == 0, "and verifies", r.stdout + r.stderr)
        r = kavel("audit", "verify", "--db", db, "--anchor", empty_anchor)
        t.ok(r.returncode == 0, "a chain that grew since an empty checkpoint holds it",
             r.stdout + r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    t.done()


if __name__ == "__main__":
    main()
