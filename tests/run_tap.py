#!/usr/bin/env python3
"""Run TAP-speaking test programs and count their results (used by scripts/test.sh).

Every part of the test run (unit tests of one build dir, API tests, browser
tests, fuzz smoke) appends one JSON line to a tally file; `summary` adds the
lines up and prints, as its very last line, `N passed, N failed`.

Subcommands:

  run     --tally F --part NAME [--runner "python3"] [--args "--smoke"]
          [--timeout S] [--log-dir D] [--plain] FILE...
          Runs each FILE (as `RUNNER FILE ARGS`, or `FILE ARGS` when no runner),
          one after the other, from the current directory with stdin closed,
          echoing its output prefixed with `name| `, and counts its TAP.
          --plain: a program that prints no TAP at all counts as one test
          that passed (exit 0) or failed (otherwise).

  meson   --tally F --part NAME [--status N] BUILDDIR
          Counts the TAP in BUILDDIR/meson-logs/testlog.json (written by the
          `meson test` that ran just before, whose exit status is N: a failing
          `meson test` that recorded no test counts as one failure).

  note    --tally F --part NAME [--failed N] [--skipped N] [--passed N] REASON
          Records a step that is not a TAP program: a build that failed
          (--failed 1), a part skipped because it has no tests yet, ...

  summary --tally F
          Prints the per-part summary, the failures by name, and last
          `N passed, N failed`.  Exit status 0 only when nothing failed.

How a program is counted:
  * `ok N`                      -> passed (`# TODO` too: an unexpected pass)
  * `ok N # SKIP ...`           -> skipped
  * `not ok N`                  -> failed, named in the summary
  * `not ok N # TODO ...`       -> skipped (a known failure, per TAP)
  * `1..0 # SKIP ...` or exit 77 with no tests -> the program is skipped
  * only top-level lines count; indented (subtest) lines are ignored.
  * one more failure, named, when the program ended abnormally: no plan,
    fewer/more tests than planned, `Bail out!`, a timeout, or a non-zero exit
    status (or a signal) without any `not ok` line to explain it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")
TEST_RE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
BAIL_RE = re.compile(r"^Bail out!\s*(.*)$")
# The directive starts at the first unescaped '#'.
DIRECTIVE_RE = re.compile(r"(?<!\\)#\s*(.*)$")


@dataclass
class Count:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: "Count") -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.failures += other.failures


def count_tap(name: str, stdout: str, status: int | None, *,
              timed_out: bool = False, timeout: float = 0,
              plain: bool = False, extra_problem: str | None = None) -> Count:
    """Count one program's TAP output.  status: exit status (negative: signal)."""
    c = Count()
    plan: int | None = None
    plan_skip = False
    seen = 0
    bailed: str | None = None
    for raw in stdout.splitlines():
        line = raw.rstrip("\r")
        m = PLAN_RE.match(line)
        if m:
            plan = int(m.group(1))
            plan_skip = plan == 0 and (m.group(2) or "").lower().startswith("skip")
            continue
        m = BAIL_RE.match(line)
        if m:
            bailed = m.group(1) or "(no reason given)"
            break
        m = TEST_RE.match(line)
        if not m:
            continue
        seen += 1
        ok = m.group(1) == "ok"
        num = m.group(2) or str(seen)
        rest = m.group(3)
        directive = ""
        d = DIRECTIVE_RE.search(rest)
        if d:
            directive = d.group(1).strip().lower()
            rest = rest[: d.start()].strip()
        if directive.startswith("skip"):
            c.skipped += 1
        elif directive.startswith("todo"):
            if ok:
                c.passed += 1
            else:
                c.skipped += 1
        elif ok:
            c.passed += 1
        else:
            c.failed += 1
            c.failures.append(f"{name}: not ok {num}" + (f" - {rest}" if rest else ""))

    problems: list[str] = []
    no_tap = plan is None and seen == 0 and bailed is None
    if plain and no_tap and not timed_out:
        # A plain program (no TAP): its exit status is the one result.
        if status == 0:
            c.passed += 1
        else:
            c.failed += 1
            c.failures.append(f"{name}: {describe_status(status)}")
        return c
    if timed_out:
        problems.append(f"timed out after {timeout:g}s")
    if bailed is not None:
        problems.append(f"bailed out: {bailed}")
    skipped_whole = (plan_skip and seen == 0) or (status == 77 and seen == 0 and not timed_out)
    if skipped_whole and not problems:
        c.skipped += 1
        return c
    if plan is None and bailed is None and not timed_out:
        problems.append("printed no TAP plan (1..N)")
    elif plan is not None and plan != seen and bailed is None and not timed_out:
        problems.append(f"planned {plan} tests but ran {seen}")
    if status not in (0, None) and c.failed == 0 and not timed_out:
        problems.append(f"{describe_status(status)} without a failing test")
    if extra_problem and c.failed == 0 and not problems:
        problems.append(extra_problem)
    if problems:
        c.failed += 1
        c.failures.append(f"{name}: " + "; ".join(problems))
    return c


def describe_status(status: int | None) -> str:
    if status is None:
        return "did not finish"
    if status < 0:
        try:
            sig = signal.Signals(-status).name
        except ValueError:
            sig = str(-status)
        return f"killed by signal {sig}"
    return f"exited with status {status}"


# ------------------------------------------------------------------ tally file
def append_tally(path: str, part: str, c: Count, note: str = "") -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"part": part, "passed": c.passed, "failed": c.failed,
                            "skipped": c.skipped, "failures": c.failures,
                            "note": note}) + "\n")


def print_part(part: str, c: Count, note: str = "") -> None:
    text = f"{c.passed} passed, {c.failed} failed, {c.skipped} skipped"
    print(f"== {part}: {text}" + (f" ({note})" if note else ""), flush=True)
    for f in c.failures:
        print(f"   FAILED {f}", flush=True)


# ------------------------------------------------------------------------- run
def pump(stream, prefix: str, sink, log, collect: list[str] | None) -> None:
    """Copy a child's output line by line to our stdout (prefixed) and a log."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if collect is not None:
            collect.append(line)
        if log is not None:
            log.write(line)
            log.flush()
        sink.write(prefix + line if line.endswith("\n") else prefix + line + "\n")
        sink.flush()
    stream.close()


def run_one(path: str, runner: list[str], extra: list[str], timeout: float,
            log_dir: str | None, plain: bool) -> Count:
    name = path
    cmd = (runner + [path] if runner else [os.path.abspath(path)]) + extra
    print(f"-- running {' '.join(shlex.quote(a) for a in cmd)}", flush=True)
    log = None
    if log_dir:
        os.makedirs(log_dir, exist_ok=True)
        log = open(os.path.join(log_dir, re.sub(r"[^A-Za-z0-9_.-]", "_", path) + ".log"),
                   "w", encoding="utf-8")
    start = time.monotonic()
    try:
        # Own session, so that a timeout (or servers it leaves behind) can be
        # ended as a whole process group, by its id.
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        if log:
            log.close()
        c = Count(failed=1, failures=[f"{name}: could not start: {e}"])
        print_part(name, c)
        return c
    out: list[str] = []
    short = os.path.basename(path)
    t1 = threading.Thread(target=pump, args=(proc.stdout, f"{short}| ", sys.stdout, log, out))
    t2 = threading.Thread(target=pump, args=(proc.stderr, f"{short}! ", sys.stdout, log, None))
    t1.start(); t2.start()
    timed_out = False
    try:
        status = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid, signal.SIGKILL)
            proc.wait()
        status = proc.returncode
    # Whatever the program left running in its group (a server it forgot to
    # stop) would keep our pipes open: end it.
    kill_group(proc.pid, signal.SIGTERM)
    t1.join(timeout=15); t2.join(timeout=15)
    if t1.is_alive() or t2.is_alive():
        kill_group(proc.pid, signal.SIGKILL)
        t1.join(timeout=5); t2.join(timeout=5)
    if log:
        log.close()
    c = count_tap(name, "".join(out), status, timed_out=timed_out, timeout=timeout, plain=plain)
    secs = time.monotonic() - start
    print(f"-- {name}: {c.passed} passed, {c.failed} failed, {c.skipped} skipped "
          f"({describe_status(status) if status else 'exit 0'}, {secs:.1f}s)", flush=True)
    return c


def kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def cmd_run(args) -> int:
    runner = shlex.split(args.runner) if args.runner else []
    extra = shlex.split(args.args) if args.args else []
    total = Count()
    for path in args.files:
        total.add(run_one(path, runner, extra, args.timeout, args.log_dir, args.plain))
    append_tally(args.tally, args.part, total)
    print_part(args.part, total)
    return 0


# ----------------------------------------------------------------------- meson
BAD_MESON_RESULTS = {"FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS", "INTERRUPT"}


def cmd_meson(args) -> int:
    path = os.path.join(args.builddir, "meson-logs", "testlog.json")
    total = Count()
    note = ""
    entries = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            entries = [json.loads(l) for l in f if l.strip()]
    if not entries:
        note = "no tests ran (no meson-logs/testlog.json entries)"
        if args.status not in (None, 0):
            total.failed += 1
            total.failures.append(f"{args.builddir}: meson test exited with status "
                                  f"{args.status} and recorded no test")
    for e in entries:
        name = f"{args.builddir}: {e.get('name', '?')}"
        result = str(e.get("result", "")).upper()
        status = e.get("returncode")
        timed_out = result == "TIMEOUT"
        stdout = e.get("stdout") or ""
        if result == "SKIP" and not re.search(r"^(not )?ok\b", stdout, re.M):
            total.skipped += 1
            continue
        extra = f"meson says {result}" if result in BAD_MESON_RESULTS else None
        total.add(count_tap(name, stdout, status, timed_out=timed_out,
                            timeout=float(e.get("duration") or 0), extra_problem=extra))
    append_tally(args.tally, args.part, total, note)
    print_part(args.part, total, note)
    return 0


# ------------------------------------------------------------------ note/summary
def cmd_note(args) -> int:
    c = Count(passed=args.passed, failed=args.failed, skipped=args.skipped)
    if args.failed:
        c.failures.append(f"{args.part}: {args.reason}")
    append_tally(args.tally, args.part, c, args.reason)
    print_part(args.part, c, args.reason)
    return 0


def cmd_summary(args) -> int:
    parts: dict[str, tuple[Count, list[str]]] = {}
    if os.path.exists(args.tally):
        with open(args.tally, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                c, notes = parts.setdefault(d["part"], (Count(), []))
                c.add(Count(d["passed"], d["failed"], d["skipped"], d["failures"]))
                if d.get("note"):
                    notes.append(d["note"])
    total = Count()
    width = max([len(p) for p in parts] + [10])
    print("", flush=True)
    print("=" * 30 + " summary " + "=" * 30)
    for part, (c, notes) in parts.items():
        total.add(c)
        note = f"  ({'; '.join(notes)})" if notes else ""
        print(f"  {part:<{width}}  {c.passed:5d} passed  {c.failed:4d} failed  "
              f"{c.skipped:4d} skipped{note}")
    if total.failures:
        print("failures:")
        for f in total.failures:
            print(f"  - {f}")
    print("=" * 69)
    print(f"{total.skipped} skipped")
    # The closing line, read by CI: keep it the very last line printed.
    print(f"{total.passed} passed, {total.failed} failed", flush=True)
    return 0 if total.failed == 0 else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run")
    r.add_argument("--tally", required=True)
    r.add_argument("--part", required=True)
    r.add_argument("--runner", default="")
    r.add_argument("--args", default="", help="arguments given after FILE")
    r.add_argument("--timeout", type=float, default=300)
    r.add_argument("--log-dir")
    r.add_argument("--plain", action="store_true")
    r.add_argument("files", nargs="+")
    r.set_defaults(func=cmd_run)

    m = sub.add_parser("meson")
    m.add_argument("--tally", required=True)
    m.add_argument("--part", required=True)
    m.add_argument("--status", type=int, help="exit status of `meson test`")
    m.add_argument("builddir")
    m.set_defaults(func=cmd_meson)

    n = sub.add_parser("note")
    n.add_argument("--tally", required=True)
    n.add_argument("--part", required=True)
    n.add_argument("--passed", type=int, default=0)
    n.add_argument("--failed", type=int, default=0)
    n.add_argument("--skipped", type=int, default=0)
    n.add_argument("reason")
    n.set_defaults(func=cmd_note)

    s = sub.add_parser("summary")
    s.add_argument("--tally", required=True)
    s.set_defaults(func=cmd_summary)

    args = ap.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
