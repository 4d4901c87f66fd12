#!/usr/bin/env python3
"""A crash does not leave Kavel down: the supervisor restarts it.

dist/kavel.service runs Kavel in production with Restart=always and a start
limit.  systemd is not available to a test (and is often not PID 1), so the
server runs under dist/kavel-supervise.sh, which reads Restart=, RestartSec=
and the start limit from that same unit file.  The test:

  * checks the unit (the settings the issue asks for; `systemd-analyze
    verify` and the offline security score when systemd-analyze exists);
  * serves a demo database under the supervisor, makes acknowledged writes
    (procedures created with 201), kills the server with SIGSEGV and
    measures how soon it answers again (must be under 2 s), then checks
    that every acknowledged write is there and the session still works;
    three kills in a row, then one in the middle of a burst of writes from
    four clients;
  * checks the supervisor's start limit (gives up after StartLimitBurst
    starts within StartLimitIntervalSec, the window reopens after the
    interval), the Restart= variants and its stop (SIGTERM: no restart).

ASan: a SIGSEGV caught by ASan is a "deadly signal" report, and every report
in the test command's log_path counts as a failure.  The supervised server
therefore runs with ASAN_OPTIONS extended by handle_segv=0 (the signal kills
it as it would a release build) and a log_path in this test's own temporary
directory; any report that lands there anyway (a leak at the final stop, say)
fails this test and is printed.  One extra round keeps handle_segv=1 to show
what the override avoids: the report then names the SEGV, lands in the
private directory and not in the test command's.
"""
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Tap, free_port  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UNIT = os.path.join(ROOT, "dist", "kavel.service")
SUPERVISE = os.path.join(ROOT, "dist", "kavel-supervise.sh")
BUYER = "buyer@dordrecht.example"
RESTART_LIMIT_S = 2.0


def unit_values(path):
    """{(section, key): [values]} of a unit file."""
    out, sec = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                sec = line.strip("[]")
                continue
            k, _, v = line.partition("=")
            out.setdefault((sec, k.strip()), []).append(v.strip())
    return out


def global_log_bases():
    """The test command's sanitizer log_path values (reports land in
    <base>.<pid>)."""
    out = []
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        m = re.findall(r"(?:^|:)log_path=([^:]+)", os.environ.get(var, ""))
        if m:
            out.append(m[-1])
    return out


def in_global_logs(pids):
    return [f"{b}.{p}" for b in global_log_bases() for p in pids if os.path.exists(f"{b}.{p}")]


def no_core():
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Supervised:
    """kavel serve on a demo database under dist/kavel-supervise.sh."""

    def __init__(self, tmp, name, handle_segv=0, db=None):
        self.bin = os.path.abspath(os.environ.get("KAVEL_BIN", "build/kavel"))
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        self.db = db or os.path.join(self.dir, "kavel.db")
        if db is None:
            out = subprocess.run([self.bin, "demo", "--db", self.db, "--reset"],
                                 capture_output=True, text=True, timeout=120)
            if out.returncode != 0:
                raise RuntimeError("kavel demo failed: " + out.stderr + out.stdout)
        self.port = free_port()
        self.pid_file = os.path.join(self.dir, "kavel.pid")
        self.asan_dir = os.path.join(self.dir, "asan")
        os.makedirs(self.asan_dir)
        env = dict(os.environ)
        # Later flags win: keep the test command's (detect_leaks, ...), but
        # let SIGSEGV kill the server and keep its reports here.  log_path
        # and handle_segv are flags common to the sanitizers, and the
        # runtime reads UBSAN_OPTIONS after ASAN_OPTIONS: set both.
        for var, name in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
            env[var] = ":".join(filter(None, [
                os.environ.get(var, ""), f"handle_segv={handle_segv}",
                "log_path=" + os.path.join(self.asan_dir, name)]))
        self.log_path = os.path.join(self.dir, "supervisor.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [SUPERVISE, "--unit", UNIT, "--pid-file", self.pid_file, "--",
             self.bin, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}",
             "--static", os.path.join(ROOT, "static")],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, preexec_fn=no_core)
        self.pids = []
        if self.wait_up(30) is None:
            raise RuntimeError("supervised server did not start: " + self.logtext())
        self.pids.append(self.pid())

    def logtext(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def pid(self):
        try:
            with open(self.pid_file) as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return 0

    def answers(self):
        try:
            return Client(self).get("/healthz").status == 200
        except OSError:
            return False

    def wait_up(self, limit, old_pid=0):
        """Seconds until /healthz answers 200 from a pid other than
        old_pid, or None after `limit` seconds."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < limit:
            if self.pid() != old_pid and self.answers():
                return time.monotonic() - t0
            time.sleep(0.01)
        return None

    def segv(self):
        """kill -SEGV the server; seconds until it answers again (None:
        not within 10 s)."""
        old = self.pid()
        os.kill(old, signal.SIGSEGV)
        t0 = time.monotonic()
        rest = self.wait_up(10, old_pid=old)
        took = None if rest is None else time.monotonic() - t0
        self.pids.append(self.pid())
        return old, took

    def stop(self):
        """SIGTERM to the supervisor (`systemctl stop`): its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def kill_all(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def asan_reports(self):
        return sorted(os.path.join(self.asan_dir, f) for f in os.listdir(self.asan_dir))


def create(c, ref):
    return c.post("/api/v1/procedures", {
        "reference": ref, "title": "Herstarttest", "type": "open",
        "cpv": "85310000-5", "value": "100000",
        "lots": [{"title": "Enig perceel", "value": "100000"}]})


def references(srv):
    c = Client(srv)
    if c.login(BUYER).status != 200:
        return None
    r = c.get("/api/v1/procedures")
    return {p["reference"] for p in r.json["procedures"]} if r.status == 200 else None


def check_unit(t):
    u = unit_values(UNIT)

    def one(sec, key):
        v = u.get((sec, key))
        return v[-1] if v else None

    t.eq(one("Service", "Restart"), "always", "unit: Restart=always")
    t.ok(one("Unit", "StartLimitIntervalSec") and one("Unit", "StartLimitBurst"),
         f"unit: a start limit ({one('Unit', 'StartLimitBurst')} starts within "
         f"{one('Unit', 'StartLimitIntervalSec')})")
    want = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
            "ProtectHome": "yes", "User": "kavel"}
    bad = {k: one("Service", k) for k, v in want.items() if one("Service", k) != v}
    t.ok(not bad, "unit: " + ", ".join(f"{k}={v}" for k, v in want.items()), f"differ: {bad}")
    rw = one("Service", "ReadWritePaths") or ""
    start = one("Service", "ExecStart") or ""
    t.ok("/var/lib/kavel" in rw.split() and "--db /var/lib/kavel/" in start,
         "unit: the database lies in the one ReadWritePaths= directory", f"{rw!r} / {start!r}")
    t.ok(all(f" {o} " in start + " " for o in ("--db", "--listen", "--static", "--secure-cookies")),
         "unit: ExecStart passes --db, --listen, --static and --secure-cookies", start)

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        t.ok(True, "unit: systemd-analyze verify # SKIP systemd-analyze is not installed")
        return
    # verify wants ExecStart's binary to exist: check a copy that runs this
    # build's binary instead of /opt/kavel/kavel; nothing else changes.
    tmp = tempfile.mkdtemp(prefix="kavel-unit-")
    try:
        copy = os.path.join(tmp, "kavel.service")
        binary = os.path.abspath(os.environ.get("KAVEL_BIN", "build/kavel"))
        with open(UNIT) as f, open(copy, "w") as g:
            g.write(f.read().replace("ExecStart=/opt/kavel/kavel ", f"ExecStart={binary} "))
        v = subprocess.run([analyze, "verify", copy], capture_output=True, text=True, timeout=60)
        t.ok(v.returncode == 0 and not v.stderr.strip() and not v.stdout.strip(),
             "unit: systemd-analyze verify finds nothing to say",
             f"status {v.returncode}\n{v.stdout}{v.stderr}")
        s = subprocess.run([analyze, "security", "--offline=true", copy],
                           capture_output=True, text=True, timeout=60)
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", s.stdout + s.stderr)
        if m:
            t.ok(float(m.group(1)) <= 2.0,
                 f"unit: systemd-analyze security exposure {m.group(1)} (at most 2.0)")
        else:
            t.ok(True, "unit: exposure level # SKIP this systemd-analyze has no --offline security")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def kills(t, tmp):
    srv = Supervised(tmp, "kills")
    acked = []
    times = []
    try:
        c = Client(srv)
        t.eq(c.login(BUYER).status, 200, "the buyer logs in on the supervised server")
        # Three kills in a row, each after a few acknowledged writes.
        for k in range(3):
            for i in range(5):
                ref = f"SEGV-{k}-{i}"
                r = create(c, ref)
                if r.status == 201:
                    acked.append(ref)
            old, took = srv.segv()
            times.append(took)
            t.ok(took is not None and took < RESTART_LIMIT_S,
                 f"kill {k + 1}: answers again {took if took is None else round(took, 3)} s after "
                 f"kill -SEGV (under {RESTART_LIMIT_S} s)", srv.logtext()[-2000:])
            print(f"# restart after SIGSEGV {k + 1}: {took if took is None else f'{took:.3f}'} s")
            t.ok(re.search(rf"pid {old} killed by signal SEGV; restarting", srv.logtext()),
                 f"kill {k + 1}: the supervisor saw pid {old} die of SIGSEGV and restarted it")
            r = c.get("/api/v1/me")
            t.eq(r.status, 200, f"kill {k + 1}: the session survives the crash (server-side)")
            have = references(srv) or set()
            missing = [x for x in acked if x not in have]
            t.ok(len(acked) == 5 * (k + 1) and not missing,
                 f"kill {k + 1}: all {len(acked)} acknowledged writes are there",
                 f"missing: {missing}")

        # A kill in the middle of a burst from four clients, who keep
        # writing through the crash and the restart.
        burst, lock, stop = [], threading.Lock(), threading.Event()
        kill_at = [None]

        def writer(wid):
            w = Client(srv)
            while not stop.is_set():
                try:
                    if w.login(BUYER).status == 200:
                        break
                except OSError:
                    pass                  # down: the supervisor is at work
                time.sleep(0.05)
            i = 0
            while not stop.is_set():
                ref = f"BURST-{wid}-{i}"
                i += 1
                try:
                    r = create(w, ref)
                except OSError:
                    time.sleep(0.01)      # down: the supervisor is at work
                    continue
                if r.status == 201:
                    with lock:
                        burst.append((time.monotonic(), ref))

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for th in threads:
            th.start()
        # The kill comes at a random moment once the burst's writes are
        # being acknowledged, and the test goes on until writes are
        # acknowledged after the restart (bounded: a busy machine logs
        # four clients in under ASan slowly).
        def wait_for(cond, limit):
            end = time.monotonic() + limit
            while time.monotonic() < end and not cond():
                time.sleep(0.05)

        def acked_since(moment):
            with lock:
                return any(at >= moment for at, _ in burst)

        wait_for(lambda: acked_since(0), 120)
        time.sleep(random.uniform(0.2, 1.0))
        kill_at[0] = time.monotonic()
        old, took = srv.segv()
        times.append(took)
        wait_for(lambda: acked_since(kill_at[0]), 60)
        time.sleep(0.2)                   # writes go on after the restart
        stop.set()
        for th in threads:
            th.join(timeout=30)
        before = [ref for at, ref in burst if at < kill_at[0]]
        after = [ref for at, ref in burst if at >= kill_at[0]]
        t.ok(took is not None and took < RESTART_LIMIT_S,
             f"kill during a burst: answers again {took if took is None else round(took, 3)} s "
             f"after kill -SEGV (under {RESTART_LIMIT_S} s)")
        print(f"# restart after SIGSEGV during the burst: "
              f"{took if took is None else f'{took:.3f}'} s")
        t.ok(len(before) > 0, f"kill during a burst: {len(before)} writes acknowledged before the kill")
        t.ok(len(after) > 0, f"kill during a burst: {len(after)} writes acknowledged after the restart")
        have = references(srv) or set()
        missing = [ref for _, ref in burst if ref not in have] + [x for x in acked if x not in have]
        t.ok(not missing, f"kill during a burst: every acknowledged write is there "
             f"({len(burst)} of the burst, {len(acked)} before it)", f"missing: {missing[:20]}")
        t.eq(len(set(srv.pids)), 5, "five server processes in all (one start, four restarts)")
        v = subprocess.run([srv.bin, "audit", "verify", "--db", srv.db],
                           capture_output=True, text=True, timeout=120)
        t.ok(v.returncode == 0, "the audit chain verifies after the crashes", v.stdout + v.stderr)

        rc = srv.stop()
        t.eq(rc, 0, "SIGTERM to the supervisor (systemctl stop) stops Kavel, exit 0")
        t.ok(not srv.answers(), "and nothing answers any more (no restart after a stop)")
        t.ok("after a stop request; not restarting" in srv.logtext(),
             "the supervisor says it does not restart after a stop")
        reports = srv.asan_reports()
        t.ok(not reports, "no sanitizer report from the supervised servers (handle_segv=0)",
             "".join(open(r).read()[:3000] for r in reports))
        if global_log_bases():
            t.ok(not in_global_logs(srv.pids), "none in the test command's log_path either",
                 in_global_logs(srv.pids))
        ok_times = [x for x in times if x is not None]
        if ok_times:
            print(f"# restart after SIGSEGV: max {max(ok_times):.3f} s, "
                  f"mean {sum(ok_times) / len(ok_times):.3f} s over {len(ok_times)} kills")
    finally:
        srv.kill_all()


def deadly_signal_report(t, tmp):
    """With ASan's SEGV handler on, the kill is a report: in our log_path."""
    binary = os.path.abspath(os.environ.get("KAVEL_BIN", "build/kavel"))
    with open(binary, "rb") as f:
        if b"__asan_init" not in f.read():
            t.ok(True, "handle_segv=1: ASan's report # SKIP KAVEL_BIN is not built with ASan")
            return
    srv = Supervised(tmp, "handled", handle_segv=1)
    try:
        old, took = srv.segv()
        t.ok(took is not None and took < 10,
             f"handle_segv=1: restarted after ASan's report too ({took if took is None else round(took, 3)} s)")
        reports = [r for r in srv.asan_reports() if r.endswith(f".{old}")]
        text = "".join(open(r).read() for r in reports)
        t.ok("AddressSanitizer: SEGV" in text or "DEADLYSIGNAL" in text,
             "handle_segv=1: the report is a deadly-signal SEGV report, in this test's own log_path",
             text[:2000] or f"no report; files: {srv.asan_reports()}")
        if global_log_bases():
            t.ok(not in_global_logs([old]),
                 "handle_segv=1: nothing of it in the test command's log_path",
                 in_global_logs([old]))
        for r in reports:                 # expected: not a finding
            os.unlink(r)
        srv.stop()
        left = srv.asan_reports()
        t.ok(not left, "handle_segv=1: no other sanitizer report",
             "".join(open(r).read()[:3000] for r in left))
    finally:
        srv.kill_all()


def supervisor_rules(t, tmp):
    d = os.path.join(tmp, "rules")
    os.makedirs(d)
    starts = os.path.join(d, "starts")
    failing = ["sh", "-c", f'echo x >> "{starts}"; exit 3']
    u = unit_values(UNIT)
    burst = int(u[("Unit", "StartLimitBurst")][-1])

    def nstarts():
        try:
            with open(starts) as f:
                return len(f.read().split())
        except OSError:
            return 0

    # The unit's own limit: a command that cannot start is tried
    # StartLimitBurst times, then the supervisor gives up.
    t0 = time.monotonic()
    r = subprocess.run([SUPERVISE, "--unit", UNIT, "--", *failing],
                       capture_output=True, text=True, timeout=120)
    took = time.monotonic() - t0
    t.ok(r.returncode == 1 and nstarts() == burst and "repeated too quickly" in r.stderr,
         f"start limit of the unit: {nstarts()} starts (StartLimitBurst={burst}) in {took:.1f} s, "
         f"then it gives up with status {r.returncode}", r.stderr[-1500:])

    def unit(name, text):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    # The window reopens after StartLimitIntervalSec (systemd's ratelimit).
    os.unlink(starts)
    slow = unit("slow.service", "[Unit]\nStartLimitIntervalSec=1s\nStartLimitBurst=2\n"
                "[Service]\nRestart=always\nRestartSec=600ms\n")
    p = subprocess.Popen([SUPERVISE, "--unit", slow, "--", *failing],
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    # SIGTERM once the supervisor says it waits to restart after the fifth
    # start (a fixed sleep could land while the failing command runs, and
    # then its own exit status 3 is the answer, as with systemd).
    seen = []
    deadline = time.monotonic() + 30
    restarts = 0
    while time.monotonic() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        seen.append(line)
        if "restarting in" in line:
            restarts += 1
            if restarts >= 5:
                break
    alive = p.poll() is None
    n = nstarts()
    p.send_signal(signal.SIGTERM)
    try:
        err = "".join(seen) + p.communicate(timeout=10)[1]
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        err = "".join(seen) + p.communicate()[1]
    t.ok(alive and n >= 5, f"2 starts per 1 s, one every 0.6 s: still restarting after {n} starts",
         err[-1500:])
    t.eq(p.returncode, 0, "SIGTERM while it waits to restart: exit 0")
    # (a window of 20 s, so that a busy machine's slow starts still fall
    # into it)
    fast = unit("fast.service", "[Unit]\nStartLimitIntervalSec=20s\nStartLimitBurst=2\n"
                "[Service]\nRestart=always\nRestartSec=300ms\n")
    os.unlink(starts)
    r = subprocess.run([SUPERVISE, "--unit", fast, "--", *failing],
                       capture_output=True, text=True, timeout=60)
    t.ok(r.returncode == 1 and nstarts() == 2,
         f"2 starts per 20 s, one every 0.3 s: gives up after {nstarts()}", r.stderr[-1500:])

    # Restart= variants.
    for policy, cmd, want_starts, want_rc in [
            ("no", ["sh", "-c", f'echo x >> "{starts}"; exit 3'], 1, 3),
            ("on-failure", ["sh", "-c", f'echo x >> "{starts}"; exit 0'], 1, 0),
            ("on-success", ["sh", "-c", f'echo x >> "{starts}"; exit 4'], 1, 4),
            ("on-abnormal", ["sh", "-c", f'echo x >> "{starts}"; exit 5'], 1, 5),
            ("on-failure", ["sh", "-c", f'echo x >> "{starts}"; kill -SEGV $$'], 3, 1),
            ("always", ["sh", "-c", f'echo x >> "{starts}"; exit 0'], 3, 1)]:
        os.unlink(starts) if os.path.exists(starts) else None
        f = unit(f"{policy}.service", "[Unit]\nStartLimitIntervalSec=10s\nStartLimitBurst=3\n"
                 f"[Service]\nRestart={policy}\nRestartSec=10ms\n")
        r = subprocess.run([SUPERVISE, "--unit", f, "--", *cmd],
                           capture_output=True, text=True, timeout=30)
        t.ok(nstarts() == want_starts and r.returncode == want_rc,
             f"Restart={policy}, {cmd[2].split('; ')[1]}: {nstarts()} start(s), status {r.returncode}",
             f"want {want_starts} start(s), status {want_rc}\n{r.stderr[-1500:]}")


def main():
    t = Tap()
    tmp = tempfile.mkdtemp(prefix="kavel-restart-")
    try:
        check_unit(t)
        kills(t, tmp)
        deadly_signal_report(t, tmp)
        supervisor_rules(t, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
