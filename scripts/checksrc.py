#!/usr/bin/env python3
"""checksrc.py - Kavel's source checker, in the spirit of curl's checksrc.

    scripts/checksrc.py [--tap] [FILE...]      (default: every src/**/*.[ch])
    scripts/checksrc.py --selftest            (TAP: the checker on bad fixtures)

Prints one line per finding, `file:line: RULE: what is wrong`, and exits 1
if there is any.  With --tap it prints TAP instead: one test per rule, the
findings as its diagnostics (the test command runs it so).

The rules, one line each (docs in the same words: README, "Source checker"):

  BANNED     no strcpy, strcat, strncat, sprintf, vsprintf, gets, atoi, atol,
             atoll, atof, strtok, tmpnam, tempnam, mktemp, asctime, ctime,
             localtime, gmtime, rand, srand, system, popen, alloca: each has a
             bounded, reentrant or checked replacement (snprintf, sbuf,
             strtoll with an end check, *_r, libsodium's randombytes).
  MEMORY     src/web and src/app never call malloc, calloc, realloc, free,
             strdup, strndup or the like: memory comes from the arena
             (README, "The memory rule"); src/app/libmem.c, where third-party
             allocators are bound, is the one exception.
  JSONDUMP   no json_dumps anywhere: its text would come from whichever
             allocator jansson has; take text with libmem_json_text.
  CORE_IO    src/core does no I/O: no SQLite, libmicrohttpd, jansson, libpq,
             cairo/pango or libxlsxwriter header, no POSIX file header
             (unistd, fcntl, dirent, sys/stat), no header of another layer,
             and no call that opens, reads or writes a file.
  LAYER      headers a layer may not include: store and vault nothing of
             app, web or report; report nothing of web or store; app nothing
             of web nor libmicrohttpd; web nothing of the store (it reads and
             writes through src/app, which alone includes store/store.h).
  WEB_WRITE  src/web never writes the store: no write transaction, commit
             or store operation that changes data (store.h's operations are
             classified below; a new one must be added to a list here).
  WEB_FILES  src/web creates, writes, syncs, renames and removes no file (no
             open, creat, mkstemp, write, fsync, rename, unlink, mkdir,
             opendir and the like): the vault directory's files are
             src/vault/vault_dir.h's, moved there by the upload action
             (src/app/upload.h).
  HTML_F     every html_f call has a format made of string literals only,
             uses only %s %R %d %u %lld %%, and passes exactly as many
             arguments as its format converts.
  HTML_T     an html_t (HTML safe to insert as it is) is made only where
             html.h says: by a compiled template, html_escaped or html_take
             (src/web/html.c, src/web/tmpl_rt.c); nowhere else a (html_t)
             or struct html literal (but the empty {0}), nor an assignment
             to its .raw.

A finding that is right to keep gets `checksrc: allow RULE <why>` in a
comment on its line or the line above; the reason is required.
"""
import os
import re
import sys

ROOT = os.environ.get("KAVEL_CHECKSRC_ROOT") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

RULES = ["BANNED", "MEMORY", "JSONDUMP", "CORE_IO", "LAYER", "WEB_WRITE", "WEB_FILES", "HTML_F",
         "HTML_T"]
# Where an html_t may be made (rule HTML_T).
HTML_T_MAKERS = {os.path.join("src", "web", "html.c"), os.path.join("src", "web", "tmpl_rt.c"),
                 os.path.join("src", "tmpl", "compile.c")}
# (an empty one, {0} or {NULL}, is "no HTML" and allowed)
HTML_T_EMPTY = r"(?!\s*(?:0|NULL)?\s*\})"
HTML_T_MADE = re.compile(r"\(\s*(?:html_t|struct\s+html)\s*\)\s*\{" + HTML_T_EMPTY +
                         r"|\b(?:html_t|struct\s+html)\s+\w+\s*=\s*\{" + HTML_T_EMPTY +
                         r"|(?:\.|->)\s*raw\s*=(?!=)")

BANNED = ("strcpy strcat strncat sprintf vsprintf gets atoi atol atoll atof strtok "
          "tmpnam tempnam mktemp asctime ctime localtime gmtime rand srand system "
          "popen alloca").split()
MEMORY = ("malloc calloc realloc reallocarray free strdup strndup aligned_alloc "
          "posix_memalign valloc memalign asprintf vasprintf").split()
CORE_HEADERS = re.compile(
    r"^(sqlite3\.h|microhttpd\.h|jansson\.h|libpq-fe\.h|cairo.*|pango.*|xlsxwriter.*"
    r"|unistd\.h|fcntl\.h|dirent\.h|sys/stat\.h|sys/mman\.h"
    r"|(store|web|app|report|vault)/.*)$")
CORE_IO_CALLS = ("fopen fdopen freopen fread fwrite fclose fgets fgetc fputc fflush "
                 "open openat creat read write pread pwrite close unlink unlinkat rename "
                 "mkdir rmdir opendir readdir fsync fdatasync printf fprintf puts fputs "
                 "perror tmpfile").split()
LAYER_FORBIDDEN = {
    "store": re.compile(r"^(app|web|report)/|^microhttpd\.h$"),
    "vault": re.compile(r"^(app|web|report|store)/|^microhttpd\.h$|^sqlite3\.h$"),
    "report": re.compile(r"^(web|store)/|^microhttpd\.h$|^sqlite3\.h$"),
    "app": re.compile(r"^web/|^microhttpd\.h$"),
    "web": re.compile(r"^store/|^sqlite3\.h$|^libpq-fe\.h$"),
}
# store.h's operations (struct store_ops) that only read.  Every operation
# must be in READS or WRITES: a new one fails the check until it is placed.
READS = set("""
schema_version document_get org_get org_by_kvk org_list account_get account_by_email grants_of
tenant_accounts
session_get procedure_get procedure_visible candidate_list decision_list
condition_decision equated_list audit_list audit_verify contract_get contract_list
index_figures_list frame_get frame_list subsidy_list form_period_list kpi_list
measurements_list evaluation_list risk_list vault_key_get vault_keys_of_buyers
vault_get vault_share_get submission_list submission_paths question_get
question_list nota_list nota_get question_deadline_get publication_get
published_list criterion_list application_get application_list document_list
score_list selection_round_last selection_round_list selection_results
price_vault_get price_vault_share_get vault_kept_key award_setup_get
award_setup_list award_assignment_list award_score_list award_scorecard_list
award_consensus_list award_exclusion_list bid_price_list award_decision_list
objection_list dialogue_due_list dialogue_document_list dialogue_document_get
dialogue_meeting_list dialogue_feedback_list bid_limits_get cost_model_get backup
bid_document_list
claim_get claim_of_account claim_user_list claim_candidates candidate_claim_list
party_confirmation_list invitation_by_hash invitation_list
tender_document_list tender_document_get
""".split())
WRITES = set("""
close begin commit submission_receipt_set document_put_stream rollback org_create person_create account_create grant_add
session_create session_delete session_set_lang procedure_create stage_update
lot_create candidate_create decision_create condition_resolve equated_add
audit_append contract_create contract_update index_figures_set frame_create
subsidy_create subsidy_update form_period_create kpi_create measurements_put
evaluation_put risk_create vault_key_create vault_create vault_mark_opened
submission_create submission_withdraw question_create question_answer
nota_publish question_deadline_set publication_set criterion_create
application_put document_put score_put selection_publish price_vault_create
price_vault_mark_opened vault_keep_key award_setup_put award_quality_final
award_assign award_score_put award_scorecard_submit award_consensus_put
award_exclusion_set bid_price_put award_decision_create award_decision_definitive
objection_create objection_close dialogue_due_set dialogue_document_put
dialogue_meeting_put dialogue_feedback_put dialogue_feedback_publish
bid_limits_set cost_model_put
bid_document_create bid_document_remove
claim_create claim_user_add claim_candidate_set claim_verdict_put party_confirm
invitation_create invitation_use
tender_document_put tender_visit
""".split())
WEB_FILE_CALLS = ("open openat creat mkstemp mkostemp mkdtemp mkdir mkdirat rmdir write "
                  "pwrite writev fwrite ftruncate truncate fsync fdatasync sync_file_range "
                  "rename renameat unlink unlinkat remove link symlink fchmod chmod "
                  "opendir").split()
HTML_CONV = re.compile(r"%(lld|[sRdu%])")


def blank(src):
    """src with comments turned to spaces and the insides of string and
    character literals to 'x' (quotes kept), newlines and offsets intact;
    and the list of (start, end) spans of string literals (quotes included).
    A line's comments are kept apart for the allow markers."""
    out = list(src)
    strings = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "/" and i + 1 < n and src[i + 1] == "*":
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif c == "/" and i + 1 < n and src[i + 1] == "/":
            j = src.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            for k in range(i + 1, j - 1):
                out[k] = "x"
            if c == '"':
                strings.append((i, j))
            i = j
        else:
            i += 1
    return "".join(out), strings


def c_string_value(lit):
    """The characters of a C string literal "...", escapes resolved enough
    to count conversions (an escaped % does not exist in C)."""
    body = lit[1:-1]
    return re.sub(r"\\.", "e", body)


class Checker:
    def __init__(self):
        self.findings = {r: [] for r in RULES}

    def add(self, rule, path, line, msg, lines):
        # checksrc: allow RULE why   on this line or the one above
        for ln in (line, line - 1):
            if 1 <= ln <= len(lines):
                m = re.search(r"checksrc:\s*allow\s+([A-Z_]+)\s+(\S.*)", lines[ln - 1])
                if m and m.group(1) == rule:
                    return
        self.findings[rule].append(f"{path}:{line}: {rule}: {msg}")

    def check_file(self, path):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8", errors="replace") as f:
            src = f.read()
        lines = src.split("\n")
        code, strings = blank(src)
        line_of = lambda off: src.count("\n", 0, off) + 1
        parts = rel.split(os.sep)
        layer = parts[1] if len(parts) > 2 and parts[0] == "src" else None

        def calls(names):
            for m in re.finditer(r"(?<![\w.>])(" + "|".join(names) + r")\s*\(", code):
                # not a declaration or definition of our own function
                before = code[max(0, m.start() - 40):m.start()]
                if re.search(r"\b(void|int|char|static|struct \w+|size_t)\s*\**\s*$", before):
                    continue
                yield m

        for m in calls(BANNED):
            self.add("BANNED", rel, line_of(m.start()),
                     f"{m.group(1)}() is banned (see scripts/checksrc.py for the replacement)", lines)
        if layer in ("web", "app") and rel != os.path.join("src", "app", "libmem.c"):
            for m in calls(MEMORY):
                self.add("MEMORY", rel, line_of(m.start()),
                         f"{m.group(1)}() in src/{layer}: allocate from the arena "
                         "(README, 'The memory rule')", lines)
        for m in calls(["json_dumps"]):
            self.add("JSONDUMP", rel, line_of(m.start()),
                     "json_dumps() hands out jansson's memory: use libmem_json_text()", lines)

        includes = [(line_of(m.start()), m.group(1)) for m in
                    re.finditer(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', src, re.M)]
        if layer == "core":
            for ln, h in includes:
                if CORE_HEADERS.match(h):
                    self.add("CORE_IO", rel, ln, f"src/core includes {h}: the core does no I/O "
                             "and knows no other layer", lines)
            for m in calls(CORE_IO_CALLS):
                self.add("CORE_IO", rel, line_of(m.start()),
                         f"{m.group(1)}() in src/core: the core does no I/O", lines)
        if layer in LAYER_FORBIDDEN:
            for ln, h in includes:
                if LAYER_FORBIDDEN[layer].match(h):
                    self.add("LAYER", rel, ln, f"src/{layer} may not include {h}", lines)

        if layer == "web":
            for m in re.finditer(r"\bSTORE\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*(\w+)", code):
                op = m.group(1)
                if op in WRITES:
                    self.add("WEB_WRITE", rel, line_of(m.start()),
                             f"STORE(..., {op}) writes: a change is an app action", lines)
                elif op not in READS:
                    self.add("WEB_WRITE", rel, line_of(m.start()),
                             f"STORE(..., {op}): an operation checksrc does not know; "
                             "classify it in scripts/checksrc.py", lines)
            for m in re.finditer(r"\bstore_begin\s*\(([^;]*?)\)\s*(;|&&|\|\||==|!=)", code):
                args = m.group(1).split(",")
                if len(args) < 2 or args[1].strip() != "false":
                    self.add("WEB_WRITE", rel, line_of(m.start()),
                             "a write transaction in src/web: a change is an app action", lines)
            for m in calls(["store_commit"]):
                self.add("WEB_WRITE", rel, line_of(m.start()),
                         "store_commit in src/web: a change is an app action", lines)
            for m in calls(WEB_FILE_CALLS):
                self.add("WEB_FILES", rel, line_of(m.start()),
                         f"{m.group(1)}() in src/web: files are src/vault's (vault_dir.h), "
                         "written by app actions", lines)

        if rel not in HTML_T_MAKERS:
            seen = set()
            for m in HTML_T_MADE.finditer(code):
                if line_of(m.start()) in seen:
                    continue
                seen.add(line_of(m.start()))
                self.add("HTML_T", rel, line_of(m.start()),
                         "an html_t made by hand: only a template, html_escaped or html_take "
                         "make HTML that is inserted as it is", lines)

        for m in re.finditer(r"(?<![\w.>])html_f\s*\(", code):
            if re.search(r"\bvoid\s*$", code[max(0, m.start() - 20):m.start()]):
                continue
            self.check_html_f(rel, src, code, m.end(), line_of(m.start()), lines)

    def check_html_f(self, rel, src, code, open_at, line, lines):
        depth, i, args, start = 1, open_at, [], open_at
        while i < len(code) and depth:
            c = code[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
                if depth == 0:
                    args.append((start, i))
            elif c == "," and depth == 1:
                args.append((start, i))
                start = i + 1
            i += 1
        if depth:
            self.add("HTML_F", rel, line, "html_f call without its closing parenthesis", lines)
            return
        if len(args) < 2:
            self.add("HTML_F", rel, line, "html_f needs a buffer and a format", lines)
            return
        fs, fe = args[1]
        fmt_src = src[fs:fe]
        lits = re.findall(r'"(?:[^"\\\n]|\\.)*"', fmt_src)
        rest = re.sub(r'"(?:[^"\\\n]|\\.)*"', "", fmt_src)
        rest = re.sub(r"/\*.*?\*/|//[^\n]*", "", rest, flags=re.S)
        if not lits or rest.strip():
            self.add("HTML_F", rel, line,
                     f"the format must be string literals only, not {fmt_src.strip()[:60]!r}", lines)
            return
        fmt = "".join(c_string_value(l) for l in lits)
        want = 0
        k = 0
        while k < len(fmt):
            if fmt[k] != "%":
                k += 1
                continue
            m = HTML_CONV.match(fmt, k)
            if not m:
                self.add("HTML_F", rel, line,
                         f"unsupported conversion {fmt[k:k + 4]!r} (only %s %R %d %u %lld %%)", lines)
                return
            if m.group(1) != "%":
                want += 1
            k = m.end()
        got = len(args) - 2
        if got != want:
            self.add("HTML_F", rel, line,
                     f"the format converts {want} argument(s), the call passes {got}", lines)


# The checker checked: each fixture file is written under a temporary
# root and must give exactly the findings listed (rule, line).
SELFTEST = {
    "src/web/a.c": ("""#include "web.h"
void f(sbuf *b, char *s) {
	char *p = malloc(3);            /* 3: MEMORY */
	free(p);                        /* 4: MEMORY */
	x->free(p); arena_free(a); sodium_free(p);
	html_f(b, "<p>%s</p>", s);
	html_f(b, "<p>%s %R</p>", s);   /* 7: HTML_F, 2 wanted, 1 given */
	html_f(b, "<a href=\\"%s\\">%d, %lld %% %u</a>",
	       s, 1, 2LL, 3u);
	html_f(b, fmt, s);              /* 10: HTML_F not a literal */
	html_f(b, "%x", 1);             /* 11: HTML_F conversion */
	html_f(b, "(%s, %s)", g(1, 2), "a, b (c)");
	STORE(r->st, procedure_get, 1, a, &p, e);
	STORE(r->st, session_create, &s, e);   /* 14: WEB_WRITE */
	store_begin(r->st, false, e);
	store_begin(r->st, true, e);           /* 16: WEB_WRITE */
	STORE(r->st, made_up_op, e);           /* 17: WEB_WRITE */
	char *t = json_dumps(j, 0);            /* 18: JSONDUMP */
	int n = atoi(s);                       /* 19: BANNED */
	/* free(p); strcpy(a, b); in a comment */
	const char *q = "free(p); sprintf(x)";
	p = malloc(1); /* checksrc: allow MEMORY a test of the marker */
	html_t h = (html_t){s};                /* 23: HTML_T */
	html_t k = {.raw = s};                 /* 24: HTML_T */
	h.raw = s;                             /* 25: HTML_T */
	if (h.raw == s || k.raw) f(h.raw);
	struct html m = {s};                   /* 27: HTML_T */
	v->chart = tmpl_chart_html(a, &cv);
	v->none = (html_t){0}; html_t z = {NULL}; v->nothing = (html_t){ };
	int fd = mkstemp(tmp);                 /* 30: WEB_FILES */
	rename(tmp, path); fsync(fd);          /* 31: WEB_FILES twice */
	FILE *f = fopen(path, "rb"); w->write(w); vault_file_write(f, b, n);
}
""", [("MEMORY", 3), ("MEMORY", 4), ("HTML_F", 7), ("HTML_F", 10), ("HTML_F", 11),
      ("WEB_WRITE", 14), ("WEB_WRITE", 16), ("WEB_WRITE", 17), ("JSONDUMP", 18),
      ("BANNED", 19), ("HTML_T", 23), ("HTML_T", 24), ("HTML_T", 25), ("HTML_T", 27),
      ("WEB_FILES", 30), ("WEB_FILES", 31), ("WEB_FILES", 31)]),
    "src/core/b.c": ("""#include <stdio.h>
#include <sqlite3.h>
#include "store/store.h"
#include <unistd.h>
static void g(void) { FILE *f = fopen("x", "r"); snprintf(b, 2, "x"); }
""", [("CORE_IO", 2), ("CORE_IO", 3), ("CORE_IO", 4), ("CORE_IO", 5)]),
    "src/app/c.c": ("""#include "web/web.h"
#include <microhttpd.h>
#include "store/store.h"
static char *h(void) { return strdup("x"); }
""", [("LAYER", 1), ("LAYER", 2), ("MEMORY", 4)]),
    "src/web/e.c": ("""#include "app/app.h"
#include "store/store.h"
#include <sqlite3.h>
""", [("LAYER", 2), ("LAYER", 3)]),
    "src/store/d.c": ("""#include "app/app.h"
static void *k(void) { sprintf(a, "%d", 1); return calloc(1, 2); }
""", [("LAYER", 1), ("BANNED", 2)]),
}


def selftest():
    import tempfile
    global ROOT
    n = bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        saved, ROOT = ROOT, tmp
        os.makedirs(os.path.join(tmp, "src", "store"))
        with open(os.path.join(saved, "src", "store", "store.h")) as f:
            store_h = f.read()
        with open(os.path.join(tmp, "src", "store", "store.h"), "w") as f:
            f.write(store_h)
        for rel, (text, want) in SELFTEST.items():
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
            ck = Checker()
            ck.check_file(path)
            got = sorted((r, int(line.split(":")[1])) for r in RULES for line in ck.findings[r])
            n += 1
            ok = got == sorted(want)
            bad += not ok
            print(f"{'ok' if ok else 'not ok'} {n} - checksrc finds exactly what {rel} breaks")
            if not ok:
                print(f"#   want {sorted(want)}")
                print(f"#   got  {got}")
                for r in RULES:
                    for line in ck.findings[r]:
                        print(f"#   {line}")
        ROOT = saved
    print(f"1..{n}")
    return 1 if bad else 0


def main(argv):
    if "--selftest" in argv:
        return selftest()
    tap = "--tap" in argv
    files = [a for a in argv if not a.startswith("--")]
    if not files:
        for d, _, names in os.walk(os.path.join(ROOT, "src")):
            files += [os.path.join(d, n) for n in sorted(names) if n.endswith((".c", ".h"))]
    ck = Checker()
    # Every store operation is classified.
    store_h = os.path.join(ROOT, "src", "store", "store.h")
    ops = re.findall(r"\(\*(\w+)\)\s*\(\s*struct store\b", open(store_h).read())
    for op in ops:
        if op not in READS and op not in WRITES:
            ck.findings["WEB_WRITE"].append(
                f"src/store/store.h: WEB_WRITE: operation {op} is neither in READS nor in "
                "WRITES of scripts/checksrc.py")
    for f in sorted(files):
        ck.check_file(os.path.abspath(f))
    bad = 0
    for i, rule in enumerate(RULES, 1):
        found = ck.findings[rule]
        bad += len(found)
        if tap:
            print(f"{'not ok' if found else 'ok'} {i} - checksrc {rule}: "
                  f"{len(found)} finding(s) in {len(files)} files")
            for line in found:
                print(f"#   {line}")
        else:
            for line in found:
                print(line)
    if tap:
        print(f"1..{len(RULES)}")
    elif bad:
        print(f"checksrc: {bad} finding(s)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
