#!/usr/bin/env python3
"""Every string the Dutch interface can show has its Dutch translation.

The interface is Dutch by default (gettext, po/nl.po).  A new _() string
in C or a {{_ "..."}} in a template that nobody translated shows English
to a Dutch buyer.  This extracts the strings as scripts/update-po.sh does
(the template compiler's --strings, then xgettext), merges them into a
copy of po/nl.po and counts what is untranslated or fuzzy there: both
must be none.  It is first checked on a catalogue with one untranslated
message, so a counter that counts nothing cannot pass.  No server is
needed; the template compiler is the one next to $KAVEL_BIN.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Tap  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def untranslated(po):
    """The msgids in PO that are untranslated or fuzzy (header excluded)."""
    out = []
    for flag in ("--untranslated", "--only-fuzzy"):
        text = subprocess.run(["msgattrib", flag, "--no-wrap", po], check=True,
                              capture_output=True, text=True).stdout
        out += [line[len('msgid "'):-1] for line in text.splitlines()
                if line.startswith('msgid "') and line != 'msgid ""']
    return out


def git_files(*patterns):
    return subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.split()


def main():
    t = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        sample = os.path.join(tmp, "sample.po")
        with open(sample, "w") as f:
            f.write('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "Done"\nmsgstr "Klaar"\n\nmsgid "Open"\nmsgstr ""\n')
        t.eq(untranslated(sample), ["Open"], "the counter finds an untranslated message")

        kavel = os.environ.get("KAVEL_BIN", os.path.join(ROOT, "build", "kavel"))
        tmplc = os.path.join(os.path.dirname(os.path.abspath(kavel)), "src", "tmpl", "tmplc")
        t.ok(os.access(tmplc, os.X_OK), "the template compiler is built", tmplc)
        strings = os.path.join(tmp, "tmpl-strings.c")
        subprocess.run([tmplc, "--strings", strings, *git_files("src/web/tmpl/*.tmpl")],
                       cwd=ROOT, check=True)
        pot = os.path.join(tmp, "kavel.pot")
        subprocess.run(["xgettext", "--language=C", "--from-code=UTF-8", "--keyword=_",
                        "--keyword=N_", "--keyword=ngettext:1,2", "--package-name=kavel",
                        "-o", pot, *git_files("src/*.c", "src/**/*.c"), strings],
                       cwd=ROOT, check=True, capture_output=True)
        merged = os.path.join(tmp, "nl.po")
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged,
                        os.path.join(ROOT, "po", "nl.po"), pot], check=True)
        missing = untranslated(merged)
        t.ok(not missing, "every interface string has its Dutch translation",
             "untranslated: " + "; ".join(missing[:10]))
        with open(merged) as f:
            n = sum(1 for line in f if line.startswith("msgid ") and line != 'msgid ""\n')
        t.ok(n > 1000, "the extraction found the interface's strings", str(n))
    t.done()


if __name__ == "__main__":
    main()
