#!/usr/bin/env python3
"""The audit trail for people, and what it keeps confidential (issue 12
item 6, issue 13 item 1).

On the demo, marker strings go into every confidential field of every
kind of event a person can cause in the demo's procedures: application
answers and documents, a registration's and a bidder account's e-mail
address and name, question texts (and who asked), draft answers, a bid's
file name and its withdrawal, a dialogue plan's name and content, a
meeting's place, minutes and feedback, assessors' motivations, consensus
motivations and an exclusion's reason.  Then every role that reads the
trail (a buyer, a council member) reads it every way it can: the API
(whole and in pages), every HTML page and the CSV export.  A marker meant
for nobody may appear in no view; one meant for the buyers in no
council member's view and (so that the test can fail) in the buyer's.  A
field sealed until the application deadline is hidden from the buyer
before it and shown after (the server restarted with its clock moved on),
and an event written before events carried their readers (one appended
to the chain as the old code wrote it) is read with today's rules.

Also: each event reads as a Dutch sentence (English on request) with the
time as Dutch people write it; the filters by kind, person and date; the
pages back to the first event with their count; the CSV (RFC 4180
quoting, the formula guard); and the chain still verifies and anchors.
"""
import base64
import csv
import hashlib
import io
import json
import os
import re
import secrets
import signal
import sqlite3
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, free_port  # noqa: E402

REFS = {"registration": "DOR-2027-WOR-DEMO", "dialogue": "DOR-2027-SHV-DEMO",
        "evaluation": "DOR-2027-GGZ-DEMO"}
LEAVES = ["aanpak", "samenwerking", "team"]
DUTCH_TIME = re.compile(r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|"
                        r"september|oktober|november|december) \d{4}, \d{2}:\d{2}\b")

# name -> (marker, who may read it: "nobody" or "buyer")
MARKS = {}


def mark(name, who):
    m = f"mk{name}{secrets.token_hex(4)}"
    MARKS[name] = (m, who)
    return m


def seal(prev, seq, at, actor, tenant, action, obj, before, after):
    """core/audit.c's hash: an event appended as the code before the
    readers' marks wrote it."""
    h = hashlib.sha256(b"kavel-audit-v1")
    h.update(prev)
    for v in (seq, at, actor, tenant):
        h.update(struct.pack(">Q", v & 0xFFFFFFFFFFFFFFFF))
    for s in (action, obj, before, after):
        b = s.encode()
        h.update(struct.pack(">Q", len(b)))
        h.update(b)
    return h.digest()


def restart(srv, offset):
    """The server again on the same database, its clock offset seconds on."""
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(timeout=30)
    env = dict(os.environ, KAVEL_TEST_CLOCK_OFFSET=str(offset))
    srv.port = free_port()
    srv.proc = subprocess.Popen(
        [srv.bin, "serve", "--db", srv.db, "--listen", f"127.0.0.1:{srv.port}"],
        stdout=srv.log, stderr=subprocess.STDOUT, env=env)
    import http.client
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return True
        except OSError:
            time.sleep(0.1)
    return False


def api_all(client, pid, query=""):
    r = client.get(f"/api/v1/procedures/{pid}/audit{query}")
    return r.json if r.status == 200 and r.json else {"events": [], "total": -1}


def api_pages(client, pid, per_page):
    """Every event through the API's pages."""
    out, page, texts = [], 1, []
    while page < 1000:
        r = client.get(f"/api/v1/procedures/{pid}/audit?per_page={per_page}&page={page}")
        if r.status != 200:
            break
        texts.append(r.text)
        out += r.json["events"]
        if page >= r.json["pages"]:
            break
        page += 1
    return out, "".join(texts)


def html_pages(client, pid):
    """Every page of the HTML trail, following its "older" links."""
    texts, seqs, url, seen = [], [], f"/procedures/{pid}/audit", set()
    while url and url not in seen and len(seen) < 200:
        seen.add(url)
        r = client.get(url)
        if r.status != 200:
            texts.append(f"STATUS {r.status}")
            break
        texts.append(r.text)
        seqs += [int(s) for s in re.findall(r"<summary>[^<]*?(\d+)</summary>", r.text)]
        m = re.search(r'<a href="([^"]+)" rel="next">', r.text)
        url = m.group(1).replace("&amp;", "&") if m else None
    return texts, seqs


def view_of(client, pid):
    """Everything a reader can read of a procedure's trail, as one text."""
    whole = client.get(f"/api/v1/procedures/{pid}/audit").text
    _, paged = api_pages(client, pid, 9)
    pages, _ = html_pages(client, pid)
    csv_text = client.get(f"/procedures/{pid}/audit/csv").text
    return "\n".join([whole, paged, *pages, csv_text])


def check_marks(t, views, when, skip=()):
    """views: {(role, stage): text}.  Every marker where it may be."""
    for name, (m, who) in MARKS.items():
        if name in skip:
            continue
        in_buyer = any(m in v for (role, _), v in views.items() if role == "buyer")
        in_council = any(m in v for (role, _), v in views.items() if role == "council")
        if who == "nobody":
            t.ok(not in_buyer and not in_council, f"{when}: {name} is in nobody's trail")
        else:
            t.ok(not in_council, f"{when}: {name} is not in the council member's trail")
            t.ok(in_buyer, f"{when}: {name} is in the buyer's trail")


def main():
    t = Tap()
    srv = Server()
    try:
        now = int(time.time())
        buyer, council, buyer2, assessor = Client(srv), Client(srv), Client(srv), Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        t.eq(council.login("council@dordrecht.example").status, 200, "the council member logs in")
        buyer2.login("buyer2@dordrecht.example")
        assessor.login("assessor@dordrecht.example")
        procs = buyer.get("/api/v1/procedures").json["procedures"]
        ids = {p["reference"]: p["id"] for p in procs}
        pid = {k: ids[v] for k, v in REFS.items()}
        P = {k: buyer.get(f"/api/v1/procedures/{v}").json for k, v in pid.items()}
        base = {k: f"/api/v1/procedures/{v}" for k, v in pid.items()}

        # --- registration: registering, the application, questions, a bid ---
        wor, wb = pid["registration"], base["registration"]
        anon = Client(srv)
        email = mark("email", "buyer") + "@example.org"
        password = "registratie-2026!"
        r = anon.post(f"/api/v1/tenders/{wor}/register", {
            "org_name": "Formule Zorg (test)", "kvk": "89345678",
            "name": "=SUM(1+1) Formule", "email": email, "password": password})
        t.eq(r.status, 201, "an organisation registers, its contact's e-mail address a marker")
        reg_cand = r.json["candidate"]["id"] if r.status == 201 else 0
        fz = Client(srv)
        t.eq(fz.login(email, password).status, 200, "its account logs in")
        crit = [c["key"] for c in fz.get(f"{wb}/application").json["criteria"] if c["round"] == 1]
        answers = {k: mark(f"answer{i}", "nobody") for i, k in enumerate(crit)}
        r = fz.post(f"{wb}/application", {"answers": answers})
        t.eq(r.status, 200, "it saves its application, every answer a marker")
        doc = b"%PDF-1.4\n" + mark("appdocbody", "nobody").encode() + b"\n%%EOF\n"
        appdoc = mark("appdoc", "buyer-closed") + ".pdf"
        r = fz.post(f"{wb}/application/documents",
                    {"name": appdoc, "content": base64.b64encode(doc).decode()})
        t.eq(r.status, 201, "and a document named by a marker")
        q = fz.post(f"{wb}/questions", {"text": mark("question", "nobody") + "\nTweede regel."})
        t.eq(q.status, 201, "it asks a question, its text a marker")
        qid = q.json["id"] if q.status == 201 else 0
        r = buyer.post(f"{wb}/questions/{qid}/answer", {"answer": mark("draft", "nobody")})
        t.eq(r.status, 200, "the buyer writes a draft answer, a marker")
        acc_email = mark("accemail", "buyer") + "@example.org"
        r = buyer.post(f"{wb}/candidates/{reg_cand}/accounts", {
            "email": acc_email, "name": mark("accname", "buyer"), "password": "tweede-account-2026"})
        t.eq(r.status, 201, "the buyer makes a second account for it, e-mail and name markers")
        for c in (buyer, buyer2):
            c.post("/api/v1/account/vault-key", {"passphrase": "kluis-test-" + secrets.token_hex(6)})
        r = buyer.post(f"{wb}/vault", {})
        t.ok(r.status == 201, "two buyers with a vault passphrase make the procedure's vault", r.text[:300])
        lot_wor = P["registration"]["lots"][0]["id"]
        bidfile = mark("bidfile", "buyer") + ".pdf"
        r = fz.request("POST", f"{wb}/lots/{lot_wor}/submissions",
                       body=b"%PDF-1.4\n" + mark("bidbody", "nobody").encode() + b"\n%%EOF\n",
                       headers={"Content-Type": "application/octet-stream", "X-File-Name": bidfile})
        t.ok(r.status == 201, "the new candidate hands in a sealed bid named by a marker", r.text[:300])
        sub = r.json["submission"] if r.status == 201 else 0
        t.eq(fz.post(f"{wb}/submissions/{sub}/withdraw", {}).status, 200, "and withdraws it")

        # --- dialogue: a plan, a meeting's place, feedback ------------------------
        shv, sb = pid["dialogue"], base["dialogue"]
        wz = Client(srv)
        wz.login("bidder@wijkzorg.example")
        plan = b"%PDF-1.4\n" + mark("planbody", "nobody").encode() + b"\n%%EOF\n"
        r = wz.post(f"{sb}/dialogue/rounds/2/plan",
                    {"name": mark("planname", "nobody") + ".pdf",
                     "content": base64.b64encode(plan).decode()})
        t.ok(r.status == 201, "bidder A hands in its plan for round 2, name and content markers", r.text[:200])
        dv = buyer.get(f"{sb}/dialogue").json
        r2 = dv["rounds"][1]
        own = [c for c in r2["candidates"] if c["plan"]][0]
        meeting_at = own["meeting"]["at"]
        place = mark("place", "nobody")
        r = buyer.post(f"{sb}/dialogue/rounds/2/candidates/{own['candidate']}/meeting",
                       {"at": meeting_at["local"][:16], "place": place})
        t.ok(r.status == 200, "the buyer gives the meeting a place, a marker", r.text[:200])
        feedback = mark("feedback", "nobody")
        r = buyer.post(f"{sb}/dialogue/rounds/2/candidates/{own['candidate']}/feedback",
                       {"text": feedback})
        t.eq(r.status, 200, "and writes feedback, a marker")

        # --- evaluation: an exclusion, scores, consensus ---------------------------
        ggz = pid["evaluation"]
        el = f"{base['evaluation']}/lots/{P['evaluation']['lots'][0]['id']}/award"
        av = assessor.get(f"{el}/scoring").json
        bids = [b["candidate"] for b in av["bids"]]
        exclude = mark("exclude", "buyer")
        t.eq(buyer.post(f"{el}/exclusions", {"candidate": bids[0], "reason": exclude}).status, 200,
             "the buyer excludes a bid, the reason a marker")
        t.eq(buyer.post(f"{el}/exclusions", {"candidate": bids[0], "reason": ""}).status, 200,
             "and takes the exclusion back")
        score_mot = mark("scoremotivation", "buyer")
        ok = True
        for client, keys in ((assessor, LEAVES), (buyer2, LEAVES[:2])):
            have = {(s["candidate"], s["criterion"]) for s in client.get(f"{el}/scoring").json["own_scores"]}
            for c in bids:
                for k in keys:
                    if (c, k) not in have:
                        ok &= client.post(f"{el}/scores", {"candidate": c, "criterion": k, "step": 2,
                                                           "motivation": score_mot}).status == 200
            ok &= client.post(f"{el}/hand-in", {}).status == 200
        t.ok(ok, "the assessors score, their motivations a marker, and hand in")
        cons = mark("consensus", "buyer")
        ok = all(buyer.post(f"{el}/consensus", {"candidate": c, "criterion": k, "step": 2,
                                                "motivation": cons}).status == 200
                 for c in bids for k in LEAVES)
        t.ok(ok and buyer.post(f"{el}/final", {}).status == 200,
             "the consensus, its motivations a marker, and quality final")

        # --- every reader's every view, before the application deadline ----------
        views = {(role, stage): view_of(c, pid[stage])
                 for role, c in (("buyer", buyer), ("council", council)) for stage in pid}
        check_marks(t, views, "before the deadline", skip={"appdoc"})
        appdoc_m = MARKS["appdoc"][0]
        t.ok(not any(appdoc_m in v for v in views.values()),
             "before the application deadline nobody reads the document's name in the trail")
        ev = api_all(buyer, ggz)["events"]
        t.ok(not any(score_mot in json.dumps(e) for e in ev if e["action"] == "award.score"),
             "an individual score's event holds a digest, never the motivation")
        t.ok(any(score_mot in e["after"] for e in ev if e["action"] == "award.quality-final"),
             "the buyer reads the motivations once quality is final")
        digests = {n: hashlib.sha256(v.encode()).hexdigest() for n, v in
                   (("place", place), ("feedback", feedback))}
        t.ok(all(d in views[("buyer", "dialogue")] for d in digests.values()) and
             not any(d in views[("council", "dialogue")] for d in digests.values()),
             "the place's and the feedback's SHA-256: the buyer's, not the council member's")
        ask = [e for e in api_all(council, wor)["events"] if e["action"] == "question.ask"]
        t.ok(ask and all(e["actor_hidden"] and e["actor"] == 0 and e["actor_name"] == "" for e in ask)
             and all(re.search(r"(A candidate|Een gegadigde)", e["sentence"]) for e in ask),
             "the council member does not learn who asked a question", str(ask)[:300])
        bask = [e for e in api_all(buyer, wor)["events"] if e["action"] == "question.ask"]
        t.ok(bask and any(e["actor_name"] == "=SUM(1+1) Formule" for e in bask),
             "the buyer does", str(bask)[:300])
        reg = [e for e in api_all(council, wor)["events"] if e["action"] == "application.save"]
        t.ok(reg and all("answered" in e["hidden"] for e in reg),
             "which criteria are answered is sealed until the deadline, and says so", str(reg)[:300])

        # --- sentences, times, language --------------------------------------
        page = buyer.get(f"/procedures/{wor}/audit")
        t.ok(page.status == 200 and "heeft vraag" in page.text and DUTCH_TIME.search(page.text),
             "the page reads as Dutch sentences with Dutch times", page.text[:400])
        t.ok("<details>" in page.text and "Details van gebeurtenis" in page.text,
             "the details are behind a disclosure")
        t.ok(not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} CES?T", page.text),
             "no machine times on the page")
        cpage = council.get(f"/procedures/{wor}/audit")
        t.ok("Een gegadigde heeft vraag" in cpage.text and "Niet getoond aan uw rol" in cpage.text,
             "the council member's page says a candidate asked, and what is not shown")
        en = Client(srv)
        en.login("buyer@dordrecht.example")
        en.post("/api/v1/lang", {"lang": "en"})
        epage = en.get(f"/procedures/{wor}/audit")
        t.ok("asked question" in epage.text and "Events 1–" in epage.text,
             "English on request", epage.text[:300])

        # --- filters -------------------------------------------------------------
        allev = api_all(buyer, shv)
        kinds = api_all(buyer, shv, "?kind=dialogue.meeting")
        t.ok(kinds["total"] > 0 and all(e["action"] == "dialogue.meeting" for e in kinds["events"]) and
             kinds["total"] == sum(1 for e in allev["events"] if e["action"] == "dialogue.meeting"),
             "by kind: exactly that kind", str(kinds.get("total")))
        me = buyer.get("/api/v1/me").json
        mine = api_all(buyer, shv, f"?person={me['id']}")
        t.ok(mine["total"] > 0 and all(e["actor"] == me["id"] for e in mine["events"]) and
             mine["total"] == sum(1 for e in allev["events"] if e["actor"] == me["id"]),
             "by person: exactly that person's events", str(mine.get("total")))
        fz_id = fz.get("/api/v1/me").json["id"]
        t.ok(not any(e["action"] == "question.ask" for e in api_all(council, wor, f"?person={fz_id}")["events"]),
             "the council member cannot find who asked by filtering on a person")
        day = time.strftime("%Y-%m-%d", time.localtime(now))
        today = api_all(buyer, shv, f"?from={day}&to={day}")
        t.ok(today["total"] >= 3 and all(abs(e["at"]["utc"] - now) < 2 * 86400 for e in today["events"]),
             "by date: today's events", str(today.get("total")))
        old = api_all(buyer, shv, "?to=2000-01-01")
        t.eq(old["total"], 0, "no event before 2000")
        t.eq(buyer.get(f"/api/v1/procedures/{shv}/audit?from=2026-13-01").status, 422,
             "the API refuses a date that is none")
        bad = buyer.get(f"/procedures/{shv}/audit?from=gisteren")
        t.ok(bad.status == 200 and 'aria-invalid="true"' in bad.text and "Gebeurtenissen 1–" in bad.text,
             "the page shows the refused date at its field, and the whole trail", bad.text[:300])
        fpage = buyer.get(f"/procedures/{shv}/audit?kind=dialogue.meeting")
        t.ok(f"Gebeurtenissen 1–{kinds['total']} van {kinds['total']}" in fpage.text and
             "Alle " in fpage.text and "kind=dialogue.meeting" in fpage.text,
             "the page's filter: its count, a way back, the CSV link keeps the filter")

        # --- pages, back to the first event -----------------------------------
        texts, seqs = html_pages(buyer, shv)
        total = allev["total"]
        t.ok(total > 50 and f"Gebeurtenissen 1–50 van {total}" in texts[0],
             f"the first page says events 1-50 of {total}", texts[0][:200] if texts else "")
        t.ok(seqs == [e["seq"] for e in allev["events"]] and len(texts) == (total + 49) // 50,
             "following 'older' the pages hold every event once, newest first", f"{len(seqs)} {total}")
        t.ok(allev["events"][-1]["action"] == "procedure.create" and
             "procedure.create" in texts[-1], "the last page ends with the very first event")
        paged, _ = api_pages(buyer, shv, 7)
        t.eq([e["seq"] for e in paged], [e["seq"] for e in allev["events"]],
             "the API's pages hold the same events")
        t.eq(buyer.get(f"/api/v1/procedures/{shv}/audit?per_page=5000").status, 422,
             "at most 1000 events a page through the API")
        far = buyer.get(f"/procedures/{shv}/audit?page=999")
        t.ok(far.status == 200 and f"Pagina {(total + 49) // 50} van" in far.text,
             "a page past the last shows the last")

        # --- CSV -------------------------------------------------------------
        raw = buyer.get(f"/procedures/{wor}/audit/csv")
        t.ok(raw.status == 200 and raw.getheader("Content-Type").startswith("text/csv") and
             'filename="audit-DOR-2027-WOR-DEMO.csv"' in (raw.getheader("Content-Disposition") or ""),
             "the CSV downloads as a file", str(raw.getheaders()))
        body = raw.body.decode("utf-8")
        t.ok(body.startswith("\ufeff"), "with a byte order mark, for spreadsheets")
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
        wor_all = api_all(buyer, wor)
        t.ok(len(rows) == wor_all["total"] + 1 and rows[0][0] == "Nummer" and
             all(len(x) == len(rows[0]) for x in rows),
             "one row per event under a header, every row as wide", f"{len(rows)} {wor_all['total']}")
        lines = body.lstrip("\ufeff").split("\r\n")
        t.ok(all(line.startswith('"') for line in lines if line) and lines[-1] == "",
             "every cell quoted, rows end in CRLF")
        whos = {x[3] for x in rows[1:]}
        t.ok("'=SUM(1+1) Formule" in whos and "=SUM(1+1) Formule" not in whos,
             "a name that starts with = is written as text, not a formula", str(whos))
        t.ok(all(DUTCH_TIME.fullmatch(x[1]) for x in rows[1:]), "times as Dutch people write them")
        ccsv = council.get(f"/procedures/{wor}/audit/csv").text
        t.ok(MARKS["email"][0] not in ccsv and "(niet getoond)" in ccsv and
             MARKS["email"][0] in body, "what the council member may not read stays out of its CSV")
        t.eq(buyer.get(f"/procedures/{wor}/audit/csv?from=nonsense").status, 422,
             "a refused filter: no CSV")

        # --- an event as the code before the marks wrote it -------------------
        legacy = mark("legacy", "nobody")
        srv.proc.send_signal(signal.SIGTERM)
        srv.proc.wait(timeout=30)
        con = sqlite3.connect(srv.db)
        actor, tenant = con.execute(
            "SELECT actor, tenant_id FROM audit WHERE action = 'question.ask' AND object LIKE ? "
            "ORDER BY seq DESC LIMIT 1", (f"procedure/{wor}/question/%",)).fetchone()
        n0, prev = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        ev = (n0 + 1, now, actor, tenant, "question.ask", f"procedure/{wor}/question/{qid}", "",
              json.dumps({"candidate": reg_cand, "lot": None, "text": legacy}, separators=(",", ":")))
        con.execute("INSERT INTO audit (seq, at, actor, tenant_id, action, object, before_json, "
                    "after_json, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?)", (*ev, prev, seal(prev, *ev)))
        con.commit()
        con.close()
        v = srv.kavel("audit", "verify", "--db", srv.db)
        t.ok(v.returncode == 0, "the older event is a valid link of the chain", v.stdout + v.stderr)

        # --- after the application deadline (and the meeting) ----------------
        deadline = [s for s in P["registration"]["stages"] if s["kind"] == "application-deadline"][0]
        later = max(deadline["end"]["utc"], meeting_at["utc"]) + 600
        t.ok(restart(srv, later - int(time.time())), "the server runs again, its clock past the deadline")
        for c, e in ((buyer, "buyer@dordrecht.example"), (council, "council@dordrecht.example")):
            c.cookies.clear()
            c.login(e)
        r = buyer.post(f"{sb}/dialogue/rounds/2/candidates/{own['candidate']}/minutes",
                       {"minutes": mark("minutes", "nobody")})
        t.ok(r.status == 200, "after the meeting the buyer records its minutes, a marker", r.text[:200])
        MARKS["appdoc"] = (appdoc_m, "buyer")
        views = {(role, stage): view_of(c, pid[stage])
                 for role, c in (("buyer", buyer), ("council", council)) for stage in pid}
        check_marks(t, views, "after the deadline")
        old_ev = [e for e in api_all(council, wor)["events"] if e["seq"] == n0 + 1]
        t.ok(old_ev and old_ev[0]["actor_hidden"] and set(old_ev[0]["hidden"]) >= {"text", "candidate"},
             "the older event: the council member reads neither the text nor who asked", str(old_ev))
        old_b = [e for e in api_all(buyer, wor)["events"] if e["seq"] == n0 + 1]
        t.ok(old_b and old_b[0]["hidden"] == ["text"] and str(reg_cand) in old_b[0]["after"],
             "the buyer reads who asked, not the text", str(old_b))
        reg = [e for e in api_all(buyer, wor)["events"] if e["action"] == "application.save"]
        t.ok(reg and all("answered" not in e["hidden"] for e in reg) and
             any(crit[0] in e["after"] for e in reg),
             "after the deadline the buyer reads which criteria were answered", str(reg)[:300])

        v = srv.kavel("audit", "verify", "--db", srv.db)
        t.ok(v.returncode == 0, "the chain verifies", v.stdout + v.stderr)
        key, anchor = os.path.join(srv.dir, "anchor.key"), os.path.join(srv.dir, "anchor.txt")
        a = srv.kavel("audit", "anchor", "--db", srv.db, "--key", key, "--anchor", anchor)
        v = srv.kavel("audit", "verify", "--db", srv.db, "--anchor", anchor)
        t.ok(a.returncode == 0 and v.returncode == 0, "and is anchored", a.stderr + v.stdout + v.stderr)
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
