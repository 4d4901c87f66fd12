#!/usr/bin/env python3
"""Every page crawled, as every role, under the sanitizers (issue 9, item 4).

The demo is loaded and served (KAVEL_BIN: the ASan+UBSan build in the test
command).  For every account `kavel demo` prints, logged in through the
HTML login form, and for an anonymous visitor, every same-origin link is
followed breadth-first from the dashboard (anonymous: `/`, `/login` and
`/tenders`): <a href>, the actions of <form method=get> filled with their
fields' values, and the <link>/<img>/<script> sources (the static files).
GET only: a link to a path that only a POST route has (an action, such
as /logout) is not followed but reported.  Every answer must be < 500;
every HTML page well-formed (WellFormed below: tag balance, one <html>,
<head> and <body>, no duplicate ids, quoted attributes, content models a
browser would otherwise repair); JSON must parse, a PDF begin with %PDF,
an XLSX be a ZIP.  A read-only connection to the database watches every
GET: one that commits anything but a session is reported as a GET with a
side effect.

Then the API: every `### \\`GET /api/v1/...\\`` heading of docs/api.md is
filled with real ids (from the API's own lists and from the ids the crawl
met) and tried as every role; each must answer < 500 with a valid body,
and each must answer 200 with a valid body to at least one role for at
least one real id, or the test names it.

Nothing here names today's demo objects: the accounts come from `kavel
demo`'s output and every id from the server, so procedures the demo
gains are crawled without a change here.
"""
import collections
import html.entities
import http.client
import json
import os
import re
import sqlite3
import sys
import time
import urllib.parse
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import DEMO_PASSWORD, Client, Server, Tap  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PAGE_CAP = 3000          # pages per role; reaching it fails the test
VARIANT_CAP = 12         # distinct query strings per path (reported when hit)
API_IDS_CAP = 60         # id tuples tried per API route (reported when hit)
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                       r"SUMMARY: (Address|Undefined|Leak)Sanitizer")

# --------------------------------------------------------------------------
# HTML well-formedness

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr", "param", "keygen"}
HEAD_ONLY = {"base", "link", "meta", "title", "style", "script", "noscript", "template"}
FOREIGN = {"svg", "math"}
# Start tags that make a browser close an open <p> (HTML's parsing rules).
CLOSES_P = {"address", "article", "aside", "blockquote", "details", "dialog", "div",
            "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
            "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav",
            "ol", "p", "pre", "section", "summary", "table", "ul", "li", "dd", "dt"}
P_SCOPE_STOP = {"button", "table", "td", "th", "caption", "html", "template",
                "object", "marquee", "applet"} | FOREIGN
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
INTERACTIVE = {"a", "button", "input", "select", "textarea", "label", "details",
               "embed", "iframe"}
PARENTS = {
    "li": {"ul", "ol", "menu"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"}, "th": {"tr"},
    "thead": {"table"}, "tbody": {"table"}, "tfoot": {"table"},
    "caption": {"table"}, "colgroup": {"table"},
    "option": {"select", "optgroup", "datalist"},
    "optgroup": {"select"},
    "summary": {"details"},
    "legend": {"fieldset"},
    "dt": {"dl", "div"}, "dd": {"dl", "div"},
}
CHILDREN = {
    "ul": {"li", "script", "template"}, "ol": {"li", "script", "template"},
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr", "script", "template"},
    "thead": {"tr", "script", "template"}, "tbody": {"tr", "script", "template"},
    "tfoot": {"tr", "script", "template"},
    "tr": {"td", "th", "script", "template"},
    "select": {"option", "optgroup", "hr", "script", "template"},
    "dl": {"dt", "dd", "div", "script", "template"},
}
NO_TEXT = {"html", "head", "table", "thead", "tbody", "tfoot", "tr", "ul", "ol",
           "select", "dl", "colgroup"}
ATTR = re.compile(r"""\s*(?:(?P<end>/?>)|(?P<name>[^\s"'>/=<]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+)))?|(?P<bad>.))""", re.S)
BARE_AMP = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
RAW_TEXT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)


class WellFormed(HTMLParser):
    """A strict reading of one HTML document: every problem with its line
    and column.  Stricter than a browser on purpose: every non-void
    element is closed explicitly, in order."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.problems = []
        self.stack = []          # [tag, line, col, children-so-far]
        self.ids = {}
        self.refs = []           # (attr, id, line, col) that must name an id
        self.count = collections.Counter()
        self.doctype = False
        self.seen_tag = False
        self.closed_html = False
        self.title_text = ""
        self.in_title = False
        self.feed(text)
        self.close()
        self.finish(text)

    def problem(self, msg, pos=None):
        line, col = pos or self.getpos()
        self.problems.append((line, col + 1, msg))

    def foreign(self):
        return any(t[0] in FOREIGN for t in self.stack)

    def parent(self):
        return self.stack[-1][0] if self.stack else None

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype"):
            if self.seen_tag or self.doctype:
                self.problem("<!DOCTYPE> not at the start of the document")
            if decl.lower().split() != ["doctype", "html"]:
                self.problem(f"unexpected doctype <!{decl}>")
            self.doctype = True

    def check_raw_tag(self, tag):
        raw = self.get_starttag_text() or ""
        m = re.match(r"<[^\s/>]+", raw)
        pos = m.end() if m else len(raw)
        seen = set()
        prev_quoted = False
        while pos < len(raw):
            a = ATTR.match(raw, pos)
            if not a or a.group("bad") is not None:
                ch = raw[pos] if pos < len(raw) else ""
                if ch.strip():
                    self.problem(f"<{tag}>: unexpected {ch!r} in the tag {raw[:80]!r}")
                pos += 1
                continue
            if a.group("end"):
                break
            name = a.group("name")
            if prev_quoted and a.start("name") == a.start():
                self.problem(f"<{tag}>: no space before attribute {name!r} in {raw[:80]!r}")
            if a.group("uq") is not None:
                self.problem(f"<{tag}>: attribute {name}={a.group('uq')} is not quoted")
            low = name.lower()
            if low in seen:
                self.problem(f"<{tag}>: attribute {name!r} given twice")
            seen.add(low)
            value = a.group("dq") if a.group("dq") is not None else a.group("sq")
            if value is not None:
                if BARE_AMP.search(value):
                    self.problem(f"<{tag}>: bare '&' in attribute {name}={value[:60]!r}")
                if "<" in value:
                    self.problem(f"<{tag}>: '<' in attribute {name}={value[:60]!r}")
            prev_quoted = value is not None
            pos = a.end()

    def handle_starttag(self, tag, attrs, selfclosing=False):
        self.seen_tag = True
        self.check_raw_tag(tag)
        line, col = self.getpos()
        foreign = self.foreign() or tag in FOREIGN
        if self.closed_html:
            self.problem(f"<{tag}> after </html>")
        if self.stack:
            self.stack[-1][3].append(tag)
        names = [n for n, _ in attrs]
        amap = dict(attrs)
        if "id" in names:
            v = amap.get("id") or ""
            if not v or re.search(r"\s", v):
                self.problem(f"<{tag}>: invalid id {v!r}")
            elif v in self.ids:
                self.problem(f"duplicate id {v!r} (first on line {self.ids[v]})")
            else:
                self.ids[v] = line
        for ref in ("for", "aria-labelledby", "aria-describedby", "aria-controls", "list", "form"):
            if ref in amap and not (tag == "output" and ref == "for"):
                for v in (amap[ref] or "").split() if ref.startswith("aria") else [amap[ref] or ""]:
                    self.refs.append((f"<{tag} {ref}>", v, line, col))
        for n, v in attrs:
            if n.startswith("on"):
                self.problem(f"<{tag}>: inline event handler {n}= (the CSP forbids inline script)")
            if n == "style":
                self.problem(f"<{tag}>: style= attribute (the CSP's style-src 'self' refuses it)")
        if not foreign:
            self.check_context(tag, amap)
        if tag == "script" and "src" not in amap and not foreign:
            self.problem("inline <script> (the CSP forbids inline script)")
        if tag in ("html", "head", "body", "title", "main") and not foreign:
            self.count[tag] += 1
            if self.count[tag] > 1:
                self.problem(f"a second <{tag}>")
        if tag == "title" and not foreign:
            self.in_title = True
            self.title_text = ""
        if selfclosing and not foreign and tag not in VOID:
            self.problem(f"<{tag}/>: a non-void element cannot close itself")
            return
        if tag in VOID or selfclosing:
            return
        self.stack.append([tag, line, col, []])

    def check_context(self, tag, amap):
        parent = self.parent()
        tags = [t[0] for t in self.stack]
        if tag == "html":
            if self.stack:
                self.problem("<html> inside another element")
        elif tag in ("head", "body"):
            if parent != "html":
                self.problem(f"<{tag}> not a child of <html> (inside <{parent}>)")
            if tag == "body" and not self.count["head"]:
                self.problem("<body> before any <head>")
        elif parent == "html":
            self.problem(f"<{tag}> directly in <html>, outside <head> and <body>")
        elif "head" in tags and tag not in HEAD_ONLY:
            self.problem(f"<{tag}> inside <head>")
        elif not self.stack and tag != "html":
            self.problem(f"<{tag}> outside <html>")
        if parent is not None and tag not in CHILDREN.get(parent, {tag}):
            self.problem(f"<{tag}> is not allowed directly inside <{parent}>")
        if tag in PARENTS:
            ok = parent in PARENTS[tag]
            if tag in ("dt", "dd") and parent == "div":
                ok = len(tags) >= 2 and tags[-2] == "dl"
            if not ok:
                self.problem(f"<{tag}> inside <{parent}> (needs one of "
                             f"{', '.join(sorted(PARENTS[tag]))})")
        if tag in CLOSES_P:
            for t in reversed(tags):
                if t in P_SCOPE_STOP:
                    break
                if t == "p":
                    self.problem(f"<{tag}> inside <p> (a browser closes the <p> before it)")
                    break
        if tag == "form" and "form" in tags:
            self.problem("<form> inside another <form> (a browser drops it)")
        if tag in HEADINGS and HEADINGS & set(tags):
            self.problem(f"<{tag}> inside a heading")
        if tag in INTERACTIVE and not (tag == "input" and amap.get("type") == "hidden"):
            for outer in ("a", "button"):
                if outer in tags:
                    self.problem(f"interactive <{tag}> inside <{outer}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, selfclosing=True)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problem(f"end tag </{tag}> for a void element")
            return
        if tag == "title" and not self.foreign():
            self.in_title = False
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        elif any(t[0] == tag for t in self.stack):
            while self.stack[-1][0] != tag:
                t, line, col, _ = self.stack.pop()
                self.problem(f"</{tag}> closes <{tag}> while <{t}> opened on line {line} "
                             f"col {col + 1} is still open")
            self.stack.pop()
        else:
            self.problem(f"stray </{tag}>: no <{tag}> is open")
        if tag == "html":
            self.closed_html = True

    def handle_data(self, data):
        if self.in_title:
            self.title_text += data
        if not data.strip():
            return
        parent = self.parent()
        if parent is None:
            self.problem(f"text outside <html>: {data.strip()[:40]!r}")
        elif parent in NO_TEXT and not self.foreign():
            self.problem(f"text directly inside <{parent}>: {data.strip()[:40]!r}")
        if "<" in data and parent not in ("script", "style"):
            self.problem(f"unescaped '<' in text: {data.strip()[:40]!r}")

    def handle_entityref(self, name):
        if self.in_title:
            self.title_text += "&"
        self.handle_data_marker()

    def handle_charref(self, name):
        if self.in_title:
            self.title_text += "&"
        self.handle_data_marker()

    def handle_data_marker(self):
        parent = self.parent()
        if parent is None or parent in NO_TEXT:
            self.problem("character reference outside of any text")

    def handle_pi(self, data):
        self.problem(f"processing instruction <?{data[:30]}")

    def unknown_decl(self, data):
        self.problem(f"unknown declaration <!{data[:30]}")

    def finish(self, text):
        for tag, line, col, _ in self.stack:
            self.problem(f"<{tag}> opened on line {line} col {col + 1} is never closed",
                         (line, col))
        self.stack = []
        if not self.doctype:
            self.problem("no <!DOCTYPE html>", (1, 0))
        for tag in ("html", "head", "body", "title"):
            if self.count[tag] == 0:
                self.problem(f"no <{tag}>", (1, 0))
        if self.count["title"] and not self.title_text.strip():
            self.problem("empty <title>", (1, 0))
        for what, v, line, col in self.refs:
            if v not in self.ids:
                self.problem(f"{what} names id {v!r}, which no element has", (line, col))
        # Character references, outside <script>/<style> bodies.
        body = RAW_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        for m in BARE_AMP.finditer(body):
            line = body.count("\n", 0, m.start()) + 1
            col = m.start() - (body.rfind("\n", 0, m.start()) + 1)
            self.problems.append((line, col + 1, f"bare '&' (not a character reference): "
                                  f"{body[m.start():m.start() + 20]!r}"))
        for m in ENTITY.finditer(body):
            if m.group(1) + ";" not in html.entities.html5:
                line = body.count("\n", 0, m.start()) + 1
                self.problems.append((line, 0, f"unknown character reference &{m.group(1)};"))
        self.problems.sort()


def html_problems(text):
    try:
        p = WellFormed(text)
    except Exception as exc:  # the parser itself gave up
        return [(0, 0, f"html.parser failed: {exc!r}")]
    return p.problems


class Links(HTMLParser):
    """Every URL a page leads a browser to with a GET: <a href>, the GET
    forms filled with their fields' values, <link href>, <img src>,
    <script src>; and the POST forms' actions (not followed)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.urls = []
        self.post_actions = []
        self.form = None
        self.select = None
        self.textarea = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and "href" in a:
            self.urls.append(a["href"])
        elif tag in ("img", "script", "source") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.urls.append(a["href"])
        elif tag == "form":
            method = a.get("method", "get").lower()
            self.form = {"action": a.get("action", ""), "get": method == "get", "fields": []}
            if method != "get":
                self.post_actions.append(a.get("action", ""))
        elif self.form is not None and tag in ("input", "button") and a.get("name"):
            typ = a.get("type", "text" if tag == "input" else "submit").lower()
            if typ in ("checkbox", "radio") and "checked" not in a:
                return
            if typ in ("submit", "image", "reset", "button", "file"):
                return
            self.form["fields"].append([a["name"], a.get("value", ""), typ])
        elif self.form is not None and tag == "select" and a.get("name"):
            self.select = [a["name"], None, "select", None]
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            v = a.get("value")
            if self.select[3] is None or "selected" in a:
                self.select[3] = v
                self.select[1] = v if v is not None else ""
        elif self.form is not None and tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], "", "textarea"]
            self.form["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.form is not None:
            f, self.form = self.form, None
            if not f["get"]:
                return
            plain = [(n, v or "") for n, v, *_ in f["fields"]]
            self.urls.append(f["action"] + "?" + urllib.parse.urlencode(plain)
                             if plain else f["action"])
            # A second submission with the empty dates and numbers filled in.
            sample = {"date": "2022-07-01", "datetime-local": "2022-07-01T12:00",
                      "number": "1", "month": "2022-07"}
            filled = [(n, v or sample.get(t, "")) for n, v, t, *_ in f["fields"]]
            if filled != plain:
                self.urls.append(f["action"] + "?" + urllib.parse.urlencode(filled))


# --------------------------------------------------------------------------
# Routes (from routes.c) and URLs

def pattern_regex(pattern, placeholder=r"#"):
    parts = re.split(placeholder, pattern)
    return re.compile("^" + r"(\d+)".join(re.escape(p) for p in parts) + "$")


def routes_in_source():
    with open(os.path.join(ROOT, "src", "web", "routes.c")) as f:
        src = f.read()
    # One row per action, serving its path (FACE_HTML), /api/v1 + its
    # path (FACE_API) or both.
    found = []
    for m, p, face in re.findall(
            r'\{"(GET|POST)", "([^"]+)", ACCESS_\w+, BODY_\w+, FACE_(HTML|API|BOTH), \w+\}', src):
        if face in ("HTML", "BOTH"):
            found.append((m, p))
        if face in ("API", "BOTH"):
            found.append((m, "/api/v1" + p))
    return ([pattern_regex(p) for m, p in found if m == "GET"],
            [pattern_regex(p) for m, p in found if m == "POST"],
            [p for m, p in found if m == "GET"])


def normalise(url):
    """Path and query with the parameters sorted, no fragment."""
    u = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
    path = u.path or "/"
    return path + ("?" + urllib.parse.urlencode(sorted(q)) if q else "")


class Fetcher:
    """GETs over one kept-alive connection with a client's cookies."""

    def __init__(self, srv, client):
        self.srv = srv
        self.client = client
        self.conn = None

    def get(self, path, accept=None):
        h = {}
        if self.client.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())
        if accept:
            h["Accept"] = accept
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=60)
            try:
                self.conn.request("GET", path, headers=h)
                r = self.conn.getresponse()
                r.body = r.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1 or self.srv.proc.poll() is not None:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                if "Max-Age=0" in v:
                    self.client.cookies.pop(name, None)
                else:
                    self.client.cookies[name] = rest.split(";", 1)[0]
        if (r.getheader("Connection") or "").lower() == "close":
            self.conn.close()
            self.conn = None
        return r

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


class Watch:
    """A read-only look at the database: did anything but a session or
    a candidate's visit of a tender page (tender_visits: the one write of
    a GET, what "new since your previous visit" compares with) change
    since the last look?"""

    def __init__(self, db):
        self.db = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        self.version = None
        self.digest = None
        self.reset()

    def tables(self):
        return [n for (n,) in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            if n not in ("sessions", "tender_visits")]

    def snapshot(self):
        snap = {}
        for t in self.tables():
            rows = self.db.execute(f'SELECT * FROM "{t}"').fetchall()
            snap[t] = (len(rows), hash(tuple(map(repr, rows))))
        return snap

    def reset(self):
        self.version = self.db.execute("PRAGMA data_version").fetchone()[0]
        self.digest = self.snapshot()

    def changed(self):
        """None, or the tables that changed."""
        v = self.db.execute("PRAGMA data_version").fetchone()[0]
        if v == self.version:
            return None
        self.version = v
        snap = self.snapshot()
        diff = sorted(t for t in set(snap) | set(self.digest) if snap.get(t) != self.digest.get(t))
        self.digest = snap
        return diff or None


# --------------------------------------------------------------------------
# Checking one answer

def check_body(r, path, expect=None):
    """A list of problems with the answer's body (empty when fine)."""
    ctype = (r.getheader("Content-Type") or "").lower()
    body = r.body
    out = []
    if r.status >= 500:
        out.append(f"status {r.status}: {body[:200]!r}")
    if r.status in (204, 304) or (300 <= r.status < 400):
        return out
    if ctype.startswith("text/html"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return out + [f"HTML that is not UTF-8: {exc}"]
        for line, col, msg in html_problems(text):
            out.append(f"line {line} col {col}: {msg}")
    elif ctype.startswith("application/json"):
        try:
            json.loads(body)
        except ValueError as exc:
            out.append(f"JSON that does not parse: {exc}: {body[:120]!r}")
    elif ctype.startswith("application/pdf"):
        if not body.startswith(b"%PDF-"):
            out.append(f"a PDF that does not begin with %PDF-: {body[:20]!r}")
        elif b"%%EOF" not in body[-1024:] and "/dialogue/documents/" not in path:
            # (a dialogue document is the file as uploaded, judged by its
            # first bytes only; every other PDF is Kavel's own)
            out.append("a PDF without %%EOF at its end")
    elif "spreadsheetml" in ctype or ctype.startswith("application/zip"):
        if not body.startswith(b"PK\x03\x04"):
            out.append(f"an XLSX/ZIP that is not a ZIP: {body[:20]!r}")
    if r.status == 200 and expect:
        if expect == "pdf" and not ctype.startswith("application/pdf"):
            out.append(f"expected a PDF, got {ctype!r}")
        elif expect == "xlsx" and "spreadsheetml" not in ctype:
            out.append(f"expected an XLSX, got {ctype!r}")
        elif expect == "json" and not ctype.startswith("application/json"):
            out.append(f"expected JSON, got {ctype!r}")
        elif expect == "document" and not (ctype.startswith("application/pdf") or
                                           body.startswith(b"PK\x03\x04")):
            out.append(f"expected a PDF or office document, got {ctype!r}")
        elif expect == "bid" and not ctype.startswith(
                ("application/pdf", "application/zip", "application/octet-stream",
                 "application/json")):
            # a bid's file as sniffed at receipt, or a price's JSON document
            out.append(f"expected a bid's file, got {ctype!r}")
    return out


# --------------------------------------------------------------------------
# The crawl

class Role:
    def __init__(self, label, email):
        self.label = label
        self.email = email
        self.client = None
        self.fetch = None
        self.pages = 0
        self.kinds = collections.Counter()
        self.statuses = collections.Counter()
        self.errors = []          # status >= 500, malformed bodies
        self.side_effects = []
        self.actions = set()      # links to POST-only routes (not followed)
        self.broken = []          # links that answered 4xx
        self.capped = False
        self.variants_skipped = collections.Counter()
        self.api_statuses = collections.Counter()
        self.api_routes = set()
        self.api_requests = 0
        self.api_errors = []
        self.seconds = 0.0
        self.slowest = []


def accounts_of(demo_output):
    """(email, role) for every account `kavel demo` printed."""
    out = []
    for m in re.finditer(r"^\s+(\S+@\S+)\s+(\S+)\s", demo_output, re.M):
        if m.group(1) not in [e for e, _ in out]:
            out.append((m.group(1), m.group(2)))
    return out


def crawl(srv, role, starts, watch, get_routes, post_routes, seen_paths):
    base = f"http://127.0.0.1:{srv.port}"
    queue = collections.deque((s, "(start)") for s in starts)
    visited = set(normalise(s) for s in starts)
    variants = collections.defaultdict(set)
    session_cookie = role.client.cookies.get("kavel_session")
    t0 = time.time()
    while queue:
        if role.pages >= PAGE_CAP:
            role.capped = True
            break
        path, referrer = queue.popleft()
        if srv.proc.poll() is not None:
            role.errors.append((path, f"the server has exited (code {srv.proc.returncode}) "
                                      f"before this GET, reached from {referrer}"))
            break
        t1 = time.time()
        try:
            r = role.fetch.get(path)
        except Exception as exc:
            role.errors.append((path, f"no answer ({exc!r}), reached from {referrer}"))
            if srv.proc.poll() is not None:
                role.errors.append((path, f"the server died (code {srv.proc.returncode})"))
                break
            continue
        dt = time.time() - t1
        role.slowest.append((dt, path))
        role.pages += 1
        seen_paths.add(urllib.parse.urlsplit(path).path)
        role.statuses[r.status] += 1
        ctype = (r.getheader("Content-Type") or "").split(";")[0].strip().lower()
        role.kinds[ctype or "(none)"] += 1
        for p in check_body(r, path):
            role.errors.append((path, p + f"  [reached from {referrer}]"))
        diff = side_effect(path, watch.changed() or [])
        if diff:
            role.side_effects.append((path, diff))
        if session_cookie and role.client.cookies.get("kavel_session") != session_cookie:
            role.side_effects.append((path, ["the session cookie (GET logged out or "
                                             "changed the session)"]))
            break
        if 400 <= r.status < 500 and referrer != "(start)":
            role.broken.append((path, r.status, referrer))
        # Where the answer leads.
        targets = []
        if 300 <= r.status < 400 and r.getheader("Location"):
            targets.append(r.getheader("Location"))
        if ctype == "text/html" and r.status < 500:
            links = Links(r.body.decode("utf-8", "replace"))
            targets += links.urls
        for href in targets:
            u = urllib.parse.urlsplit(urllib.parse.urljoin(base + path, href.strip()))
            if u.scheme not in ("http", "https") or u.netloc != f"127.0.0.1:{srv.port}":
                continue
            n = normalise(urllib.parse.urlunsplit(("", "", u.path, u.query, "")))
            if n in visited:
                continue
            p = u.path
            known_get = (p.startswith("/static/") or p == "/healthz"
                         or any(rx.match(p) for rx in get_routes))
            if p in ("/logout", "/api/v1/logout") or (
                    not known_get and any(rx.match(p) for rx in post_routes)):
                role.actions.add((n, path))
                continue
            if u.query:
                if len(variants[p]) >= VARIANT_CAP and n not in variants[p]:
                    role.variants_skipped[p] += 1
                    continue
                variants[p].add(n)
            visited.add(n)
            queue.append((n, path))
    role.seconds = time.time() - t0
    return queue


# --------------------------------------------------------------------------
# The API from docs/api.md

def api_get_routes():
    with open(os.path.join(ROOT, "docs", "api.md")) as f:
        doc = f.read()
    return re.findall(r"^### `GET (/api/v1/[^`\s]+)`", doc, re.M)


KIND_OF_SEGMENT = {"procedures": "procedure", "tenders": "procedure", "contracts": "contract",
                   "frames": "frame", "lots": "lot", "submissions": "submission",
                   "notas": "nota", "documents": "document", "candidates": "candidate",
                   "rounds": "round", "stages": "stage", "conditions": "condition",
                   "questions": "question"}


def placeholders(route):
    """[(name, kind)] of a route's placeholders, kind from the segment
    before each (None when unknown)."""
    segs = urllib.parse.urlsplit(route).path.split("/")
    out = []
    for i, s in enumerate(segs):
        m = re.fullmatch(r"\{(\w+)\}", s)
        if m:
            out.append((m.group(1), KIND_OF_SEGMENT.get(segs[i - 1])))
    return out


def collect(obj, keys, idkey):
    """Every obj[...][key] (a dict or a list of dicts) → its idkey."""
    found = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in keys:
                for d in (v if isinstance(v, list) else [v]):
                    if isinstance(d, dict) and isinstance(d.get(idkey), int):
                        found.add(d[idkey])
            found |= collect(v, keys, idkey)
    elif isinstance(obj, list):
        for v in obj:
            found |= collect(v, keys, idkey)
    return found


def discover(roles, crawled):
    """Ids: top-level objects per kind, children per (kind, parent)."""
    top = collections.defaultdict(set)
    children = collections.defaultdict(set)
    problems = []

    def get_json(role, path):
        r = role.fetch.get(path)
        for p in check_body(r, path):
            problems.append((role.label, path, p))
        if r.status == 200 and (r.getheader("Content-Type") or "").startswith("application/json"):
            try:
                return json.loads(r.body)
            except ValueError:
                return None
        return None

    for role in roles:
        for path, key, kind in (("/api/v1/procedures", "procedures", "procedure"),
                                ("/api/v1/tenders", "tenders", "procedure"),
                                ("/api/v1/contracts", "contracts", "contract"),
                                ("/api/v1/budget", "frames", "frame")):
            j = get_json(role, path)
            if j:
                top[kind] |= collect(j, {key}, "id")
    # Ids in the URLs the crawl met.
    for path in crawled:
        segs = path.split("/")
        parent = None
        for i in range(1, len(segs) - 1):
            kind = KIND_OF_SEGMENT.get(segs[i])
            if kind and segs[i + 1].isdigit():
                v = int(segs[i + 1])
                if parent is None:
                    top[kind].add(v)
                else:
                    children[(kind, parent)].add(v)
                if kind in ("procedure", "contract", "frame"):
                    parent = v
    for pid in sorted(top["procedure"]):
        for role in roles:
            j = get_json(role, f"/api/v1/procedures/{pid}")
            if j:
                children[("lot", pid)] |= collect(j, {"lots"}, "id")
                children[("stage", pid)] |= collect(j, {"stages"}, "id")
            j = get_json(role, f"/api/v1/procedures/{pid}/vault") if role.email else None
            if j:
                children[("submission", pid)] |= collect(j, {"submissions"}, "id")
            j = get_json(role, f"/api/v1/procedures/{pid}/questions") if role.email else None
            if j:
                children[("nota", pid)] |= collect(j, {"notas"}, "number")
            j = get_json(role, f"/api/v1/procedures/{pid}/dialogue") if role.email else None
            if j:
                children[("document", pid)] |= collect(j, {"plan", "document"}, "id")
                children[("round", pid)] |= collect(j, {"rounds"}, "number")
            if ("candidate", pid) not in children and role.email:
                j = get_json(role, f"/api/v1/procedures/{pid}/candidates")
                if j:
                    children[("candidate", pid)] |= collect(j, {"candidates"}, "id")
    return top, children, problems


def fill(route, top, children):
    """Every concrete path for the route: (paths, unknown placeholder or
    None)."""
    path, _, query = route.partition("?")
    ph = placeholders(path)
    if any(kind is None for _, kind in ph):
        return [], [n for n, k in ph if k is None]
    combos = [[]]
    for i, (_, kind) in enumerate(ph):
        nxt = []
        for c in combos:
            ids = top[kind] if i == 0 else children[(kind, c[0])]
            nxt += [c + [v] for v in sorted(ids)]
        combos = nxt
    out = []
    for c in combos:
        it = iter(c)
        p = re.sub(r"\{\w+\}", lambda m: str(next(it)), path)
        out.append(p + ("?" + query if query else ""))
    return out, None


def expect_of(route):
    p = route.split("?")[0]
    if p.endswith("/pdf"):
        return "pdf"
    if p.endswith("/xlsx"):
        return "xlsx"
    if "/dialogue/documents/" in p:
        return "document"
    if AUDITED_READ.search(p):
        return "bid"
    return "json"


# A bid's or an application's document read back: the one kind of GET that
# writes, its audit event (GET_WRITES in routes.c).  Such a GET may change
# the audit table and nothing else.
AUDITED_READ = re.compile(r"/submissions/[^/]+/document$|/candidates/[^/]+/documents/[^/]+$")


def side_effect(path, diff):
    """The tables a GET changed that it should not have; [] when none."""
    if AUDITED_READ.search(urllib.parse.urlsplit(path).path):
        return [t for t in diff if t != "audit"]
    return list(diff)


# --------------------------------------------------------------------------

GOOD_PAGE = ('<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>T</title>'
             '</head><body><main><p id="a">x &amp; y<br></p><table><tbody><tr><td>1</td></tr>'
             '</tbody></table><svg><path d="M0 0"/><title>t</title></svg>'
             '<label for="a">l</label></main></body></html>')
# Each a fault the checker must name (the fragment of its message).
BAD_PAGES = [
    ("<div> opened on line", "<div>x"),
    ("closes <span> while <b>", "<span><b>x</span>"),
    ("stray </i>", "x</i>"),
    ("duplicate id 'a'", '<p id="a"></p><p id="a"></p>'),
    ("is not quoted", "<p class=x>y</p>"),
    ("bare '&'", "<p>a & b</p>"),
    ("inside <p>", "<p><div>x</div></p>"),
    ("<form> inside another <form>", '<form><form></form></form>'),
    ("<td> inside <table>", "<table><td>x</td></table>"),
    ("end tag </br>", "<p>x</br></p>"),
    ("cannot close itself", "<div/>"),
    ("no space before attribute", '<p class="a"id="b">x</p>'),
    ("names id 'nope'", '<label for="nope">x</label>'),
]


def self_test(t, srv):
    """The checks can fail: the well-formedness reading names known
    faults, and the database watch sees a commit (a login's)."""
    good = html_problems(GOOD_PAGE)
    t.ok(not good, "the HTML check passes a well-formed page", repr(good))
    missed = []
    for want, fragment in BAD_PAGES:
        page = GOOD_PAGE.replace('<label for="a">l</label>', fragment)
        got = [m for _, _, m in html_problems(page)]
        if not any(want in m for m in got):
            missed.append(f"{fragment!r}: wanted {want!r}, got {got}")
    t.ok(not missed, f"the HTML check names each of {len(BAD_PAGES)} known faults", "\n".join(missed))
    for whole, want in (("<!DOCTYPE html><html><head><title>T</title></head><body></body>"
                         "<body></body></html>", "a second <body>"),
                        ("<html><head><title>T</title></head><body></body></html>", "no <!DOCTYPE"),
                        ("<!DOCTYPE html><html><head></head><body></body></html>", "no <title>")):
        got = [m for _, _, m in html_problems(whole)]
        t.ok(any(want in m for m in got), f"the HTML check names {want!r}", repr(got))
    watch = Watch(srv.db)
    watch.reset()
    before = watch.changed()
    c = Client(srv)
    c.login(accounts_of(srv.demo_output)[0][0])
    after = watch.changed()
    t.ok(before is None and after, f"the database watch sees a login's commit ({after})",
         f"before {before}, after {after}")


def check_all(t, srv, roles, extra=()):
    """The crawl and the API as every demo account and anonymous, on a
    running server; `roles` is filled as it goes.  `extra`: further
    (email, password) to crawl as, for trying the crawl by hand on a
    server another test has brought into some state."""
    get_routes, post_routes, get_patterns = routes_in_source()
    accounts = accounts_of(srv.demo_output)
    t.ok(len(accounts) >= 2, f"`kavel demo` names {len(accounts)} accounts",
         srv.demo_output)
    self_test(t, srv)
    watch = Watch(srv.db)
    seen_paths = set()
    anon = Role("anonymous", None)
    anon.client = Client(srv)
    roles.append(anon)
    logins = [(e, c, DEMO_PASSWORD) for e, c in accounts]
    logins += [(e, "extra", pw) for e, pw in extra if e not in [a for a, _ in accounts]]
    for email, code, password in logins:
        role = Role(f"{email} ({code})", email)
        role.client = Client(srv)
        r, me = role.client.html_login(email, password)
        ok = r.status in (200, 303) and me.status == 200 and me.json and \
            me.json.get("email", email) == email
        t.ok(ok, f"{role.label} logs in through the HTML login form",
             f"POST /login {r.status}, /api/v1/me {me.status} {me.text[:200]}")
        roles.append(role)
    for role in roles:
        role.fetch = Fetcher(srv, role.client)

    # The crawl, one role after another (so each commit is one GET's).
    for role in roles:
        # /attention: the whole attention list, linked from the dashboard
        # only when it holds an item.
        starts = ["/", "/login", "/tenders"] if role.email is None else ["/", "/attention"]
        watch.reset()
        left = crawl(srv, role, starts, watch, get_routes, post_routes, seen_paths)
        t.ok(not role.capped, f"{role.label}: the crawl of {role.pages} pages ends "
             f"within the cap of {PAGE_CAP}", f"{len(left)} URLs still queued, "
             f"e.g. {[u for u, _ in list(left)[:5]]}")
        t.ok(role.pages > len(starts), f"{role.label}: the crawl reaches beyond its start")
        t.ok(not role.errors, f"{role.label}: every page answers < 500 with a valid body "
             f"(HTML well-formed, JSON parses, PDF and XLSX are what they say)",
             "\n".join(f"{u}: {p}" for u, p in role.errors))
        t.ok(not role.side_effects, f"{role.label}: no GET changed the database or the session",
             "\n".join(f"GET {u} changed: {', '.join(d)}" for u, d in role.side_effects))
        for p, n in role.variants_skipped.items():
            print(f"# {role.label}: {n} further query variants of {p} not followed "
                  f"(cap {VARIANT_CAP} per path)")
        for u, src in sorted(role.actions):
            if not u.endswith("/logout"):
                print(f"# {role.label}: not followed, a link to a POST-only route: {u} (on {src})")
        refused = [(u, st, src) for u, st, src in role.broken if st in (401, 403, 404, 405)]
        t.ok(not refused, f"{role.label}: every link shown answers without 401/403/404/405",
             "\n".join(f"{u} answers {st} (linked from {src})" for u, st, src in refused))
        for u, st, src in role.broken:
            if (u, st, src) not in refused:
                print(f"# {role.label}: link answers {st}: {u} (on {src})")
        if srv.proc.poll() is not None:
            break

    # Routes of routes.c the crawl never reached (HTML GETs only).
    unreached = [p for p in get_patterns if not p.startswith("/api/")
                 and not any(pattern_regex(p).match(s) for s in seen_paths)]
    if unreached:
        print(f"# HTML GET routes no crawl reached: {', '.join(unreached)}")

    # The API of docs/api.md, with real ids, as every role.
    top, children, disc_problems = discover(roles, seen_paths)
    t.ok(not disc_problems, "the API's lists answer with valid bodies",
         "\n".join(f"{w}: {p}: {x}" for w, p, x in disc_problems))
    documented = api_get_routes()
    t.ok(len(documented) >= 30, f"docs/api.md documents {len(documented)} GET routes")
    undocumented = [p for p in get_patterns if p.startswith("/api/") and not any(
        pattern_regex(re.sub(r"\{\w+\}", "#", d.split("?")[0])).pattern ==
        pattern_regex(p).pattern for d in documented)]
    if undocumented:
        print(f"# API GET routes in routes.c without a heading in docs/api.md: "
              f"{', '.join(undocumented)}")
    watch.reset()
    api_side_effects = []
    for route in documented:
        paths, unknown = fill(route, top, children)
        if unknown:
            t.ok(False, f"GET {route}: placeholder {{{unknown[0]}}} of no known kind")
            continue
        if not paths:
            t.ok(False, f"GET {route} could not be filled: no real id for "
                 f"{', '.join('{' + n + '}' for n, _ in placeholders(route.split('?')[0]))} "
                 f"in the demo")
            continue
        if len(paths) > API_IDS_CAP:
            print(f"# GET {route}: {len(paths)} id combinations, the first "
                  f"{API_IDS_CAP} tried")
            paths = paths[:API_IDS_CAP]
        good = []
        seen = collections.Counter()
        for role in roles:
            for path in paths:
                if srv.proc.poll() is not None:
                    break
                try:
                    r = role.fetch.get(path)
                except Exception as exc:
                    role.api_errors.append((path, f"no answer: {exc!r}"))
                    continue
                role.api_requests += 1
                role.api_routes.add(route)
                role.api_statuses[r.status] += 1
                seen[r.status] += 1
                probs = check_body(r, path, expect_of(route))
                if r.status == 200 and not (r.getheader("Content-Type") or "").startswith(
                        ("application/json", "application/pdf", "application/vnd.",
                         "application/zip", "application/octet-stream")):
                    probs.append(f"content type {r.getheader('Content-Type')!r} from the API")
                elif r.status >= 400 and (r.getheader("Content-Type") or "").startswith(
                        "application/json"):
                    try:
                        if "error" not in json.loads(r.body):
                            probs.append(f"a {r.status} without an error object")
                    except ValueError:
                        pass
                for p in probs:
                    role.api_errors.append((path, p))
                if r.status == 200 and not probs:
                    good.append((role.label, path))
                diff = side_effect(path, watch.changed() or [])
                if diff:
                    api_side_effects.append((role.label, path, diff))
        t.ok(bool(good), f"GET {route}: 200 for some role with real ids "
             f"({len(paths)} id sets, {len(good)} answers 200)",
             f"statuses: {dict(seen)}; paths tried: {paths[:6]}")
    for role in roles:
        t.ok(not role.api_errors, f"{role.label}: API: {role.api_requests} requests, every "
             f"answer < 500 with a valid body",
             "\n".join(f"{u}: {p}" for u, p in role.api_errors))
    t.ok(not api_side_effects, "no API GET changed the database",
         "\n".join(f"{w}: GET {u} changed {', '.join(d)}" for w, u, d in api_side_effects))

    # Alive at the end.
    alive = srv.proc.poll() is None
    r = Client(srv).get("/login") if alive else None
    t.ok(alive and r.status == 200, "the server is alive at the end (GET /login answers 200)",
         f"exit code {srv.proc.returncode}" if not alive else f"status {r.status}")


def report(roles, started):
    """The figures for the issue."""
    print("#")
    print(f"# {'role':<44} {'pages':>6} {'crawl s':>8}  statuses / API routes, requests, statuses")
    for role in roles:
        st = " ".join(f"{k}:{v}" for k, v in sorted(role.statuses.items()))
        ast = " ".join(f"{k}:{v}" for k, v in sorted(role.api_statuses.items()))
        print(f"# {role.label:<44} {role.pages:>6} {role.seconds:>8.1f}  [{st}]")
        print(f"# {'':<44} {'':>6} {'':>8}  API {len(role.api_routes)} routes, "
              f"{role.api_requests} requests [{ast}]")
    slow = sorted((s for role in roles for s in role.slowest), reverse=True)[:5]
    print("# slowest pages: " + ", ".join(f"{p} {d * 1000:.0f} ms" for d, p in slow))
    print(f"# total pages {sum(r.pages for r in roles)}, API requests "
          f"{sum(r.api_requests for r in roles)}, run time {time.time() - started:.1f} s")


def main():
    t = Tap()
    started = time.time()
    srv = Server()
    roles = []
    try:
        check_all(t, srv, roles)
    finally:
        for role in roles:
            if role.fetch:
                role.fetch.close()
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
        reports = [ln for ln in srv.final_log.splitlines() if SANITIZER.search(ln)]
        t.ok(not reports, "the server's log holds no sanitizer report",
             "\n".join(reports[:20]))
    report(roles, started)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
