#!/usr/bin/env python3
"""Every html_f() format string in the tree uses only the conversions
html.c supports (%s %d %lld %u %R %%).

html_f aborts on any other conversion in a debug build and writes nothing
in a release build (src/web/html.h), so an unsupported one (such as %02d)
is a crash waiting for the page that uses it.  This reads every html_f
call in src/ with its literal format (adjacent string literals joined) and
checks each conversion.  No server is needed.

Since the pages became templates (src/web/tmpl/, docs/templates.md) few
html_f calls are left, so the reader is first checked on a sample that it
finds calls (a reader that finds none would pass anything), and no page
file (src/web/page_*.c) may call html_f at all.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Tap  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
CALL = re.compile(r'\bhtml_f\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)', re.S)
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
CONV = re.compile(r'%(lld|[sduR%]|.)')
OK = {"s", "d", "u", "R", "%", "lld"}


SAMPLE = '''
	html_f(b, "<p>%s</p>", x);
	html_f(&w->body, "<a href=\\"/p/%lld\\">" "%s</a>", id, name);
	html_f(f(b), "%02d", n);
'''


def main():
    t = Tap()
    found = [("".join(LITERAL.findall(m.group(1)))) for m in CALL.finditer(SAMPLE)]
    t.ok(len(found) == 3 and found[1] == '<a href=\\"/p/%lld\\">%s</a>'
         and [c.group(1) for c in CONV.finditer(found[2])] == ["0"],
         "the reader finds html_f calls and joins their literals", str(found))
    calls = bad = 0
    in_pages = []
    problems = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, "src")):
        for name in files:
            if not name.endswith(".c"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                src = f.read()
            for m in CALL.finditer(src):
                calls += 1
                if name.startswith("page_") and os.path.basename(dirpath) == "web":
                    in_pages.append(f"{name}:{src.count(chr(10), 0, m.start()) + 1}")
                fmt = "".join(LITERAL.findall(m.group(1)))
                for c in CONV.finditer(fmt):
                    if c.group(1) not in OK:
                        bad += 1
                        line = src.count("\n", 0, m.start()) + 1
                        problems.append(f"{os.path.relpath(path, ROOT)}:{line}: %{c.group(1)}")
    print(f"# {calls} html_f calls in src/")
    t.ok(not in_pages, "no page file builds HTML with html_f (pages are templates)",
         ", ".join(in_pages[:10]))
    t.ok(bad == 0, "every html_f format uses only %s %d %lld %u %R %%", "; ".join(problems[:10]))
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
