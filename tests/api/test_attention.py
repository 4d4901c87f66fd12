#!/usr/bin/env python3
"""The attention list per role, the procedure's tabs and the paged dashboard
(issue 12, items 1 and 2).

On a fresh procedure of Dordrecht with one lot, two candidates each get a
bidder account.  A question arrives: the buyer's list (API and dashboard)
gets a "question" item that links to it, the asking bidder's list its own
item, the other bidder's, the council member's and another municipality's
buyer's lists nothing about it.  The buyer answers (a draft): the
buyer's item becomes a "nota" item, the asking bidder's stays exactly as
it was (a draft answer is the buyer's until the nota).  The nota is
published: both are gone.  A tender deadline set four days ahead becomes
a "deadline" item for the buyer and the bidders.

Then the demo as every role: every item links to a page the role may
open; a bidder's items are about its own procedures only and never of a
kind that is not a bidder's; the reporter's are about its contract only;
the overdue stages of the demo carry how late they are.  The tabs of the
procedure as buyer, bidder and council: each one answers 200, the ones a
role may not use are not there, the questions tab counts.  Breadcrumbs on
procedure pages.  The dashboard with 30 more procedures: 25 rows a page,
a pager that keeps the search, filters by status, municipality and year,
and the JSON list as before.
"""
import html
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402

QUESTION = "Mogen wij onderaannemers inzetten voor de avonduren? (aandachtstest)"
ALFA, BRAVO = "Aandacht Alfa (test)", "Aandacht Bravo (test)"


def items_of(client, pid=None, kind=None):
    r = client.get("/api/v1/attention")
    items = (r.json or {}).get("items", []) if r.status == 200 else None
    if items is None:
        return None
    return [i for i in items if (pid is None or i["procedure_id"] == pid) and
            (kind is None or i["kind"] == kind)]


def tabs_of(page):
    m = re.search(r'<nav class="tabs"[^>]*>(.*?)</nav>', page, re.S)
    if not m:
        return []
    return [(html.unescape(h), re.sub(r"<[^>]+>", "", label).strip())
            for h, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', m.group(1), re.S)]


def crumbs_of(page):
    m = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', page, re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))).strip() if m else ""


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-ATT-1", "title": "Aandachtstest", "type": "open",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        t.eq(r.status, 201, "a procedure with one lot is created")
        pid = r.json["id"]
        lot = r.json["lots"][0]["id"]
        base = f"/api/v1/procedures/{pid}"
        bidders = []
        for name, kvk, email in [(ALFA, "93456781", "alfa@att.example"),
                                 (BRAVO, "94567812", "bravo@att.example")]:
            c = buyer.post(f"{base}/candidates", {
                "name": name, "consortium": False,
                "parties": [{"org_name": name, "kvk": kvk, "role": "penvoerder"}]})
            a = buyer.post(f"{base}/candidates/{c.json['id']}/accounts", {
                "email": email, "name": name, "password": "aandacht-bieder-2026"})
            t.ok(c.status == 201 and a.status == 201, f"candidate {name} with a bidder account")
            cl = Client(srv)
            t.eq(cl.login(email, "aandacht-bieder-2026").status, 200, f"{name} logs in")
            bidders.append(cl)
        alfa, bravo = bidders
        council = Client(srv)
        t.eq(council.login("council@dordrecht.example").status, 200, "the council member logs in")
        outsider = Client(srv)
        t.eq(outsider.login("buyer@haarlem.example").status, 200, "Haarlem's buyer logs in")
        anon = Client(srv)
        t.eq(anon.get("/api/v1/attention").status, 401, "no list without a session")

        # Before any question: nothing about questions.
        for who, cl in (("buyer", buyer), ("alfa", alfa), ("bravo", bravo), ("council", council)):
            t.eq(items_of(cl, pid, "question"), [], f"{who}: no question item before a question")

        # A question arrives.
        r = alfa.post(f"{base}/questions", {"text": QUESTION})
        t.eq(r.status, 201, "alfa asks a question")
        qid = (r.json or {}).get("id")
        got = items_of(buyer, pid, "question")
        t.ok(got and len(got) == 1 and got[0]["count"] == 1 and
             got[0]["href"] == f"/procedures/{pid}/questions#q{qid}",
             "buyer: one question item, linking to the question", got)
        t.ok(got and "1" in got[0]["text"] and got[0]["reference"] == "DOR-ATT-1",
             "buyer: it says how many and names the procedure", got)
        dash = buyer.get("/").text
        t.ok(f'href="/procedures/{pid}/questions#q{qid}"' in dash,
             "buyer: the dashboard shows the item with its link")
        t.ok(dash.find('class="attention"') < dash.find("<table"),
             "buyer: the attention list comes first on the dashboard")
        mine = items_of(alfa, pid, "question")
        t.ok(mine and len(mine) == 1 and mine[0]["count"] == 1,
             "alfa: its own question waits, one item", mine)
        t.eq(items_of(bravo, pid, "question"), [], "bravo: nothing about alfa's question")
        t.eq(items_of(council, pid, "question"), [], "council: no question items (not its to answer)")
        t.eq(items_of(outsider, pid), [], "Haarlem's buyer: nothing of Dordrecht's procedure")
        everything = " ".join(str(i) for i in items_of(bravo) + items_of(council) + items_of(outsider))
        t.ok(QUESTION not in everything and ALFA not in everything,
             "neither the question's text nor its asker is in another's list")
        kinds = {i["kind"] for i in (buyer.get("/api/v1/attention?kind=question").json or {})["items"]}
        t.eq(kinds, {"question"}, "?kind=question keeps only question items")

        # The buyer answers: a draft until the nota.
        t.eq(buyer.post(f"{base}/questions/{qid}/answer", {"answer": "Ja, met toestemming."}).status,
             200, "the buyer answers (a draft)")
        t.eq(items_of(buyer, pid, "question"), [], "buyer: the question item is gone once answered")
        nota = items_of(buyer, pid, "nota")
        t.ok(nota and nota[0]["count"] == 1, "buyer: one answer waits for a nota", nota)
        t.eq(items_of(alfa, pid, "question"), mine,
             "alfa: its item is exactly as before (the draft does not show)")
        t.eq(items_of(alfa, pid, "nota"), [], "alfa: no nota item (that is the buyer's)")
        t.eq(items_of(bravo, pid, "question"), [], "bravo: still nothing")
        r = buyer.post(f"{base}/notas", {})
        t.ok(r.status in (200, 201), "the buyer publishes the nota", r.text[:200])
        t.eq(items_of(buyer, pid, "nota"), [], "buyer: nothing waits after the nota")
        t.eq(items_of(alfa, pid, "question"), [], "alfa: its question is answered in the nota")

        # A deadline four days ahead.
        proc = buyer.get(base).json
        td = [s for s in proc["stages"] if s["kind"] == "tender-deadline"][0]
        when = local_in(4 * 86400)
        r = buyer.post(f"{base}/stages/{td['id']}/move", {"start": when, "end": when})
        t.eq(r.status, 200, "the tender deadline is set four days ahead")
        for who, cl in (("buyer", buyer), ("alfa", alfa), ("bravo", bravo), ("council", council)):
            d = [i for i in items_of(cl, pid, "deadline") or [] if i["href"].endswith(f"#stage-{td['id']}")]
            t.ok(len(d) == 1 and d[0]["days"] in (3, 4) and d[0]["due"]["utc"],
                 f"{who}: the tender deadline is an item, due in 4 days", d)
        vault = items_of(buyer, pid, "vault")
        t.ok(vault and vault[0]["href"] in ("/account/vault-key", f"/procedures/{pid}/vault"),
             "buyer: the vault waits for buyers with a vault passphrase", vault)
        t.eq(items_of(alfa, pid, "vault"), [], "a bidder has no vault items")

        # The tabs.
        for who, cl, want, never in (
                ("buyer", buyer, ["Vragen", "Kluis", "Besluiten", "Auditspoor"], ["Uw inschrijvingen"]),
                ("alfa", alfa, ["Vragen", "Uw inschrijvingen"], ["Kluis", "Besluiten", "Auditspoor"]),
                ("council", council, ["Besluiten", "Auditspoor"], ["Kluis", "Uw inschrijvingen"])):
            tabs = tabs_of(cl.get(f"/procedures/{pid}").text)
            labels = " ".join(label for _, label in tabs)
            t.ok(all(w in labels for w in want) and not any(n in labels for n in never),
                 f"{who}: tabs {labels}", f"want {want}, never {never}")
            bad = [(h, st) for h, st in ((h, cl.get(h).status) for h, _ in tabs) if st != 200]
            t.eq(bad, [], f"{who}: every tab answers 200")
        alfa.post(f"{base}/questions", {"text": "Een tweede vraag voor de teller."})
        tabs = dict((label.split()[0], label) for _, label in tabs_of(buyer.get(f"/procedures/{pid}").text))
        t.ok(tabs.get("Vragen", "").endswith("1"), "buyer: the questions tab counts the open question",
             tabs)
        tabs = dict((label.split()[0], label) for _, label in tabs_of(bravo.get(f"/procedures/{pid}").text))
        t.eq(tabs.get("Vragen"), "Vragen", "bravo: its questions tab counts nothing of alfa's")
        t.eq(crumbs_of(buyer.get(f"/procedures/{pid}/questions").text),
             "Procedures › DOR-ATT-1 › Vragen", "buyer: breadcrumbs procedure › tab")
        t.eq(crumbs_of(alfa.get(f"/procedures/{pid}/lots/{lot}/submit").text),
             "Procedures › DOR-ATT-1 › Uw inschrijvingen", "alfa: breadcrumbs of its bid page")
        t.eq(crumbs_of(buyer.get(f"/procedures/{pid}/lots/{lot}/award/rules").text),
             "Procedures › DOR-ATT-1 › Gunning › Perceel 1 · Gunningssystematiek",
             "buyer: breadcrumbs procedure › tab › item")
        t.ok('href="/tenders"' in anon.get("/login").text, "the login page links to /tenders")

        # Every role of the demo: its items link to pages it may open.
        accounts = re.findall(r"^\s*(\S+@\S+\.example)\b", srv.demo_output, re.M)
        t.ok(len(accounts) >= 8, f"the demo names {len(accounts)} accounts")
        lates = 0
        for email in sorted(set(accounts)):
            cl = Client(srv)
            if cl.login(email).status != 200:
                t.ok(False, f"{email} logs in")
                continue
            me = cl.get("/api/v1/me").json
            roles = {g["role"] for g in me["grants"]}
            own = {g["procedure_id"] for g in me["grants"] if g["role"] == "bidder"}
            got = items_of(cl)
            t.ok(got is not None, f"{email}: GET /api/v1/attention answers ({len(got or [])} items)")
            bad = [(i["href"], st) for i, st in ((i, cl.get(i["href"].split("#")[0]).status)
                                                for i in got or []) if st != 200]
            t.eq(bad, [], f"{email}: every item's link answers 200")
            if roles == {"bidder"}:
                stray = [i for i in got if i["procedure_id"] not in own or
                         i["kind"] not in ("deadline", "question")]
                t.eq(stray, [], f"{email}: a bidder's items are its own procedures' deadlines and questions")
            if roles == {"reporter"}:
                t.ok(all(i["contract_id"] and i["kind"] == "kpi" for i in got),
                     f"{email}: a reporter's items are its contract's KPIs", got)
            for i in got or []:
                if i["kind"] == "late":
                    lates += 1
                    if not (i["days"] < 0 and re.search(r"\d", i["text"])):
                        t.ok(False, f"{email}: an overdue item says how late", i)
            page = cl.get("/").text
            t.ok(page.count('<li class="att-') == min(8, len(got or [])),
                 f"{email}: the dashboard shows the first {min(8, len(got or []))} items")
        t.ok(lates > 0, f"the demo's overdue stages are items ({lates})")

        # The dashboard, paged and filtered.
        for n in range(30):
            r = buyer.post("/api/v1/procedures", {
                "reference": f"DOR-PAGE-{n:02d}", "title": f"Paginatest {n:02d}", "type": "open",
                "cpv": "85310000-5"})
            if r.status != 201:
                t.ok(False, "a procedure for the pages", r.text[:200])
                break
        rows = lambda page: re.findall(r'<tr><td class="ref">(DOR-PAGE-\d\d)</td>', page)  # noqa: E731
        p1 = buyer.get("/?q=page").text
        t.eq(len(rows(p1)), 25, "?q=page: 25 rows on the first page")
        t.ok(rows(p1)[0] == "DOR-PAGE-29", "the newest first", rows(p1)[:3])
        m = re.search(r'<a href="([^"]+)" rel="next"', p1)
        nxt = html.unescape(m.group(1)) if m else ""
        t.ok("q=page" in nxt and "page=2" in nxt, "the next page's link keeps the search", nxt)
        p2 = buyer.get(nxt).text if nxt else ""
        t.eq(len(rows(p2)), 5, "the second page holds the other 5")
        t.eq(set(rows(p1)) & set(rows(p2)), set(), "no row on both pages")
        t.ok('value="page"' in p2, "the search field keeps what was typed")
        t.eq(len(rows(buyer.get("/?q=page&status=done").text)), 0,
             "status done: none of them (nothing completed)")
        t.eq(len(rows(buyer.get("/?q=page&status=preparation&page=2").text)), 5,
             "status preparation, page 2: the last 5")
        year = re.search(r'<option value="(\d{4})"', p1)
        t.ok(year and len(rows(buyer.get(f"/?q=page&year={year.group(1)}").text)) in (0, 25),
             "the year filter answers")
        t.eq(len(rows(buyer.get("/?q=page&year=1999").text)), 0, "a year without procedures: none")
        t.ok("DOR-PAGE" not in outsider.get("/?q=page").text, "Haarlem's buyer finds none of them")
        hostile = '"><script>alert(1)</script>'
        page = buyer.get("/?q=" + urllib.parse.quote(hostile)).text
        t.ok("<script>alert" not in page and "&lt;script&gt;" in page,
             "a hostile search is shown escaped")
        t.ok(buyer.get("/?page=999999").status == 200 and buyer.get("/?page=x").status == 200,
             "a page past the end or not a number answers 200")
        j = buyer.get("/api/v1/procedures").json
        t.ok(j and len(j["procedures"]) >= 37 and
             set(j["procedures"][0]) == {"id", "tenant_id", "municipality", "reference", "title",
                                         "type", "lots"},
             "the JSON list holds every procedure, its rows as before")
        page = buyer.get("/attention?kind=deadline").text
        t.ok('<li class="att-deadline">' in page and '<li class="att-question">' not in page,
             "/attention?kind=deadline shows deadlines only")
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
        t.ok("ERROR: AddressSanitizer" not in srv.final_log and "runtime error:" not in srv.final_log,
             "no sanitizer report in the server's log")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
