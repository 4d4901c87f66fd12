#!/usr/bin/env python3
"""The README's run command, on a clean copy, serves Dutch pages.

Copies the working tree as git sees it (tracked and new files, `git ls-files
-co --exclude-standard`: no build directories, no node_modules, nothing
ignored) into a temporary directory, breaks one unit test's source there (a
broken unit test must not stop the demo), and runs `./scripts/demo.sh` in it
with KAVEL_LISTEN on a free port, as a new process group.  Once the server
answers: GET /login must be Dutch ("Inloggen bij Kavel", po/nl.po's
translation of the login heading, with lang="nl") and the server must not
have said that a translation is missing.  Then SIGTERM to the process group
stops it.  Last, the copy's binary is started once without its Dutch catalog
and once without the nl_NL locale: each time it must say so in one line on
stderr, naming the language and the path it looked in.

This builds a release build from scratch (only what demo.sh builds: the
binary and the .mo); the figures (copy, deps, configure, build, demo data,
total) are printed as TAP comments.  The copy uses nothing outside itself
but the system's packages.  KAVEL_BIN is not used.
"""
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
from kavel_test import Tap, free_port  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
START_LIMIT_S = 270          # scripts/test.sh gives each API test file 300 s
DUTCH_HEADING = "Inloggen bij Kavel"
ENGLISH_HEADING = "Log in to Kavel"
MISSING = "no Dutch (nl) translation"


def copy_tree(dest):
    """The files git knows or would add, as they are in the working tree."""
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-co", "--exclude-standard", "-z"],
                         capture_output=True, check=True, timeout=60).stdout
    n = 0
    for rel in sorted(set(out.decode().split("\0"))):
        if not rel or "__pycache__" in rel.split("/"):
            continue
        src = os.path.join(ROOT, rel)
        if not os.path.lexists(src):          # deleted in the working tree
            continue
        dst = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
        n += 1
    return n


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode("utf-8", "replace")
    c.close()
    return r.status, body


class Output:
    """Reads a process's output in a thread, keeping when each line came."""

    def __init__(self, stream, log_path):
        self.lines = []
        self.lock = threading.Lock()
        self.log = open(log_path, "w")
        self.t0 = time.monotonic()
        self.th = threading.Thread(target=self.read, args=(stream,), daemon=True)
        self.th.start()

    def read(self, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                self.lines.append((time.monotonic() - self.t0, line))
            self.log.write(line + "\n")
            self.log.flush()

    def first(self, pattern):
        """Seconds from the start to the first line matching pattern."""
        rx = re.compile(pattern)
        with self.lock:
            for at, line in self.lines:
                if rx.search(line):
                    return at
        return None

    def text(self):
        with self.lock:
            return "\n".join(line for _, line in self.lines)


def main():
    t = Tap()
    tmp = tempfile.mkdtemp(prefix="kavel-run-")
    repo = os.path.join(tmp, "kavel")
    proc = None
    try:
        t0 = time.monotonic()
        n = copy_tree(repo)
        copy_s = time.monotonic() - t0
        t.ok(n > 50 and os.path.exists(os.path.join(repo, "scripts", "demo.sh"))
             and not os.path.exists(os.path.join(repo, "build")),
             f"a clean copy of the working tree: {n} files, no build directory ({copy_s:.1f} s)")
        # A unit test that does not compile: the demo must not build it.
        broken = os.path.join(repo, "tests", "unit", "test_arena.c")
        with open(broken, "a") as f:
            f.write("\n#error this unit test is broken on purpose (tests/api/test_run_command.py)\n")

        port = free_port()
        env = {k: v for k, v in os.environ.items()
               if k not in ("KAVEL_BIN", "KAVEL_DB", "KAVEL_LISTEN", "MESON_BUILD_ROOT")}
        env["KAVEL_LISTEN"] = f"127.0.0.1:{port}"
        t0 = time.monotonic()
        proc = subprocess.Popen(["./scripts/demo.sh"], cwd=repo, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        out = Output(proc.stdout, os.path.join(tmp, "demo.log"))
        up = None
        while time.monotonic() - t0 < START_LIMIT_S and proc.poll() is None:
            try:
                if get(port, "/healthz")[0] == 200:
                    up = time.monotonic() - t0
                    break
            except OSError:
                pass
            time.sleep(0.2)
        if up is None:
            time.sleep(0.5)
        t.ok(up is not None, f"./scripts/demo.sh serves on 127.0.0.1:{port} "
             f"({'not' if up is None else f'after {up:.1f} s'})", out.text()[-3000:])
        # The figures: when each phase's first line came.
        deps = out.first(r"^deps: ok")
        setup = out.first(r"^ninja: Entering directory")
        built = out.first(r"Demo database ready|^Kavel is running")
        print(f"# copy {copy_s:.1f} s; demo.sh: deps.sh done at "
              f"{deps if deps is None else f'{deps:.1f}'} s, build started at "
              f"{setup if setup is None else f'{setup:.1f}'} s, demo loaded at "
              f"{built if built is None else f'{built:.1f}'} s, serving at "
              f"{up if up is None else f'{up:.1f}'} s")
        if deps is not None:
            t.ok(deps < 30, f"scripts/deps.sh is quick when everything is installed ({deps:.1f} s)")
        if up is None:
            return t.done()

        status, body = get(port, "/login")
        t.eq(status, 200, "GET /login answers 200")
        t.ok(DUTCH_HEADING in body and ENGLISH_HEADING not in body,
             f"the login page is Dutch: \"{DUTCH_HEADING}\"",
             (re.search(r"<h1[^>]*>.*?</h1>", body) or [body[:300]])[0])
        t.ok('<html lang="nl"' in body, 'and says lang="nl"')
        t.ok(MISSING not in out.text(), "the server did not say a translation is missing",
             out.text()[-1500:])
        b = os.path.join(repo, "build")
        t.ok(os.path.exists(os.path.join(b, "po", "nl", "LC_MESSAGES", "kavel.mo")),
             "the demo built the Dutch catalog build/po/nl/LC_MESSAGES/kavel.mo")
        units = [f for f in os.listdir(os.path.join(b, "tests", "unit"))
                 if f.startswith("test_") and "." not in f] \
            if os.path.isdir(os.path.join(b, "tests", "unit")) else []
        t.ok(not units, "and no unit test (one of them does not even compile here)", units)
        with open(os.path.join(b, "meson-info", "intro-buildoptions.json")) as f:
            buildtype = [o["value"] for o in json.load(f) if o["name"] == "buildtype"]
        t.eq(buildtype, ["release"], "build/ is a release build")

        # Stop: SIGTERM to the process group, as Ctrl-C's SIGINT would.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            rc = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
        t.eq(rc, 0, "SIGTERM to its process group stops it (exit 0)")
        try:
            get(port, "/healthz")
            down = False
        except OSError:
            down = True
        t.ok(down, "and nothing answers any more")
        proc = None

        # The one line when Dutch cannot be had.
        kavel = os.path.join(b, "kavel")
        db = os.path.join(repo, "var", "demo.db")
        mo = os.path.join(b, "po", "nl", "LC_MESSAGES", "kavel.mo")

        def serve_stderr(extra_env=None):
            p2 = free_port()
            e = dict(env, **(extra_env or {}))
            s = subprocess.Popen([kavel, "serve", "--db", db, "--listen", f"127.0.0.1:{p2}",
                                  "--static", os.path.join(repo, "static")],
                                 env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 start_new_session=True)
            page = ""
            for _ in range(100):
                try:
                    page = get(p2, "/login")[1]
                    break
                except OSError:
                    time.sleep(0.1)
            s.send_signal(signal.SIGTERM)
            err = s.communicate(timeout=30)[1].decode("utf-8", "replace")
            return err, page

        os.rename(mo, mo + ".away")
        err, page = serve_stderr()
        os.rename(mo + ".away", mo)
        lines = [x for x in err.splitlines() if MISSING in x]
        t.ok(len(lines) == 1 and mo in lines[0] and "No such file" in lines[0],
             "without its catalog the server says so in one line naming nl and the path",
             err[-1500:])
        if lines:
            print(f"#   {lines[0]}")
        t.ok(ENGLISH_HEADING in page, "(and the page is indeed English then)")
        err, page = serve_stderr({"LOCPATH": os.path.join(tmp, "no-locales")})
        lines = [x for x in err.splitlines() if MISSING in x]
        t.ok(len(lines) == 1 and "nl_NL.UTF-8" in lines[0] and "no-locales" in lines[0],
             "without the nl_NL.UTF-8 locale too, naming where it looked", err[-1500:])
        if lines:
            print(f"#   {lines[0]}")
        err, page = serve_stderr()
        t.ok(MISSING not in err and DUTCH_HEADING in page,
             "with both it says nothing and serves Dutch", err[-1500:])
        print(f"# the run-command test took {time.monotonic() - t0 + copy_s:.1f} s "
              f"(of which demo.sh until serving {up:.1f} s)")
    finally:
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
