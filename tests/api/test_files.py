#!/usr/bin/env python3
"""The database and the sealed bids are their owner's alone.

Run with a permissive umask (022, as a shell or a service manager may
give), Kavel must still make its files 0600 and its directories 0700: the
database holds the password hashes and, after an opening, the vault's
secret key.  Checked: `kavel migrate` (new database and data directory),
`kavel demo` (database, WAL, the vault directory and every sealed file in
it), `kavel serve` after writes (WAL and SHM), `kavel backup`.  And a
database or directory left wider by hand is named in a warning on stderr
at start, with the chmod that fixes it.
"""
import os
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Tap, free_port  # noqa: E402

BIN = os.path.abspath(os.environ.get("KAVEL_BIN", "build/kavel"))


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(0o022))


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def main():
    t = Tap()
    tmp = tempfile.mkdtemp(prefix="kavel-files-")
    try:
        db = os.path.join(tmp, "data", "kavel.db")
        r = run("migrate", "--db", db)
        t.ok(r.returncode == 0, "kavel migrate under umask 022 makes a new database", r.stderr)
        t.eq(oct(mode(os.path.dirname(db))), oct(0o700), "its data directory is 0700")
        t.eq(oct(mode(db)), oct(0o600), "the database is 0600")
        t.ok("warning" not in r.stderr, "and nothing is wider than it should be", r.stderr)

        demo = os.path.join(tmp, "demo", "kavel.db")
        r = run("demo", "--db", demo)
        t.ok(r.returncode == 0, "kavel demo under umask 022", r.stderr[-2000:])
        files = [demo] + [demo + x for x in ("-wal", "-shm") if os.path.exists(demo + x)]
        wide = [f"{p} {oct(mode(p))}" for p in files if mode(p) & 0o077]
        t.ok(not wide, f"the demo's database files are 0600 ({len(files)} files)", wide)
        vault = os.path.join(os.path.dirname(demo), "vault")
        sealed, wide = 0, []
        for d, dirs, names in os.walk(vault):
            if mode(d) != 0o700:
                wide.append(f"{d} {oct(mode(d))}")
            for n in names:
                p = os.path.join(d, n)
                sealed += 1
                if mode(p) & 0o077:
                    wide.append(f"{p} {oct(mode(p))}")
        t.ok(os.path.isdir(vault) and sealed > 0 and not wide,
             f"the vault directory is 0700 and its {sealed} sealed files 0600", wide[:5])

        # The server, started under umask 022, writes: WAL and SHM are 0600.
        class Srv:
            port = free_port()
        log = open(os.path.join(tmp, "serve.log"), "w+")
        proc = subprocess.Popen([BIN, "serve", "--db", demo, "--listen", f"127.0.0.1:{Srv.port}"],
                                stdout=log, stderr=subprocess.STDOUT,
                                preexec_fn=lambda: os.umask(0o022))
        try:
            c = Client(Srv)
            for _ in range(300):
                try:
                    if c.get("/healthz").status == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            c.login("buyer@dordrecht.example")
            r = c.post("/api/v1/procedures", {
                "reference": "FILES-1", "title": "Rechten", "type": "open",
                "cpv": "85310000-5", "value": "100000",
                "lots": [{"title": "Enig perceel", "value": "100000"}]})
            t.eq(r.status, 201, "the server, started under umask 022, writes a procedure")
            files = [demo + x for x in ("-wal", "-shm") if os.path.exists(demo + x)]
            wide = [f"{p} {oct(mode(p))}" for p in files if mode(p) & 0o077]
            t.ok(len(files) == 2 and not wide, "its WAL and SHM are 0600 while it runs",
                 wide or files)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.seek(0)
            served = log.read()
            log.close()
        t.ok("warning" not in served, "it warned of nothing", served[-2000:])
        r = subprocess.run([BIN, "backup", "--db", demo, os.path.join(tmp, "copy.db")],
                           capture_output=True, text=True, timeout=300,
                           preexec_fn=lambda: os.umask(0o022))
        t.ok(r.returncode == 0 and mode(os.path.join(tmp, "copy.db")) == 0o600,
             "kavel backup writes its copy 0600", r.stderr)

        # Left wider by hand: each file and directory is named at start.
        os.chmod(demo, 0o644)
        os.chmod(os.path.dirname(demo), 0o755)
        os.chmod(vault, 0o755)
        r = run("migrate", "--db", demo)
        t.ok(r.returncode == 0, "a database left 0644 still opens", r.stderr)
        t.ok(f"{demo} is open to others (mode 0644)" in r.stderr and f"chmod 600 {demo}" in r.stderr,
             "the warning names the database, its mode and the chmod", r.stderr)
        t.ok(f"chmod 700 {os.path.dirname(demo)}" in r.stderr and f"chmod 700 {vault}" in r.stderr,
             "and the data and vault directories", r.stderr)
    finally:
        subprocess.run(["rm", "-rf", tmp])
    t.done()


if __name__ == "__main__":
    main()
