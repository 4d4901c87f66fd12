#!/usr/bin/env python3
"""The public tender pages: /tenders searched, filtered and paged, one
tender's page, its procurement documents in versions, and what changed
since a candidate's previous visit.

Dordrecht's buyer publishes twenty-one procedures (one of them cleaning,
CPV 90910000-9, with dialogue) and Haarlem's buyer one, beside the demo's
two published ones: 24, so /tenders has two pages of 20.  Every filter is
tried through the API and the page, with a 422 naming the parameter for
a value that names nothing.  An unpublished procedure's page and
documents answer 404 to everyone.  The buyer publishes a leidraad twice
(two versions, both downloadable, PDF inline, a ZIP as attachment with
a safe file name) and refusals at their fields change nothing; a bidder
cannot publish (403).  A candidate's second visit marks what was
published after its first: a new document "Nieuw", a new version of one
seen before "Gewijzigd", a new nota.
"""
import base64
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in, multipart  # noqa: E402

PDF = b"%PDF-1.4 aanbestedingsleidraad versie 1"
PDF2 = b"%PDF-1.4 aanbestedingsleidraad versie 2"
ZIP = b"PK\x03\x04 conceptovereenkomst.docx"


def b64(b):
    return base64.b64encode(b).decode()


def publish_procedure(c, ref, title, typ="restricted", cpv="85310000-5", publish=True):
    r = c.post("/api/v1/procedures", {
        "reference": ref, "title": title, "type": typ, "cpv": cpv, "value": "100.000",
        "dialogue_rounds": 2 if typ == "sas-dialogue" else 0,
        "lots": [{"title": "Wijkteam", "value": "50.000"}, {"title": "Jeugd", "value": "40.000"}]})
    assert r.status == 201, r.text
    pid = r.json["id"]
    for i, s in enumerate(r.json["stages"][:4]):
        body = {"start": local_in(3600 + i)}
        if s["kind"] == "registration":
            body["end"] = local_in(7200)
        if s["kind"] == "application-deadline":
            body["start"] = local_in(7200)
        c.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
    if publish:
        assert c.post(f"/api/v1/procedures/{pid}/publish", {}).status == 201
    return r.json


def description_checks(t, buyer, anon):
    """A procedure's description: given at creation, checked like any text,
    shown on the public tender page with its lines, escaped."""
    base = {"reference": "DOR-DESC-1", "title": "Omschrijving", "type": "restricted",
            "cpv": "85310000-5", "value": "100.000", "lots": [{"title": "Wijkteam", "value": "1"}]}
    for bad, why in (("x" * 4001, "longer than 4000 characters"),
                     ("Zorg \u202e in de wijk", "a direction control")):
        r = buyer.post("/api/v1/procedures", dict(base, description=bad))
        t.ok(r.status == 422 and r.json["error"]["field"] == "description",
             f"a description {why} is refused at its field", r.text[:200])
    desc = "Wij kopen sociaal wijkteamwerk in voor zes jaar.\nMet <b>nadruk</b> op preventie & samenwerking."
    r = buyer.post("/api/v1/procedures", dict(base, description=desc))
    t.ok(r.status == 201 and r.json["description"] == desc, "a procedure is made with its description",
         r.text[:200])
    pid = r.json["id"]
    for i, s in enumerate(r.json["stages"][:4]):
        body = {"start": local_in(3600 + i)}
        if s["kind"] == "registration":
            body["end"] = local_in(7200)
        if s["kind"] == "application-deadline":
            body["start"] = local_in(7200)
        buyer.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
    t.eq(buyer.post(f"/api/v1/procedures/{pid}/publish", {}).status, 201, "and published")
    t.eq(anon.get(f"/api/v1/tenders/{pid}").json.get("description"), desc,
         "the public tender page's JSON carries the description")
    page = anon.get(f"/tenders/{pid}").text
    t.ok('<p class="description">Wij kopen sociaal wijkteamwerk in voor zes jaar.\nMet '
         '&lt;b&gt;nadruk&lt;/b&gt; op preventie &amp; samenwerking.</p>' in page,
         "and its page shows it, escaped, with its line break", page[:300])


def main():
    t = Tap()
    srv = Server()
    try:
        anon = Client(srv)
        anon.get("/login")
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "Dordrecht's buyer logs in")
        hbuyer = Client(srv)
        t.eq(hbuyer.login("buyer@haarlem.example").status, 200, "Haarlem's buyer logs in")
        demo = anon.get("/api/v1/tenders").json["total"]
        procs = [publish_procedure(buyer, f"DOR-TP-{i:02d}", f"Schoonmaak {i:02d}" if i == 7
                                   else f"Wijkzorg {i:02d}",
                                   typ="sas-dialogue" if i == 7 else "restricted",
                                   cpv="90910000-9" if i == 7 else "85310000-5")
                 for i in range(21)]
        hproc = publish_procedure(hbuyer, "HLM-TP-01", "Haarlemse zorg")
        hidden = publish_procedure(buyer, "DOR-TP-HIDDEN", "Nog niet gepubliceerd", publish=False)
        total = demo + 22

        # ---- the list: paging ----
        r = anon.get("/api/v1/tenders")
        t.ok(r.status == 200 and r.json["total"] == total and len(r.json["tenders"]) == 20
             and r.json["pages"] == 2, f"the API lists {total} tenders, 20 on page 1 of 2",
             str(r.json)[:300])
        r2 = anon.get("/api/v1/tenders?page=2")
        ids1 = {x["id"] for x in r.json["tenders"]}
        ids2 = {x["id"] for x in r2.json["tenders"]}
        t.ok(len(ids2) == total - 20 and not ids1 & ids2, "page 2 holds the rest, none twice")
        t.ok(hidden["id"] not in ids1 | ids2, "an unpublished procedure is not listed")
        page = anon.get("/tenders")
        rows = re.findall(r'<a href="/tenders/(\d+)">', page.text)
        t.ok(page.status == 200 and len(rows) == 20, "the page shows 20 rows, each linked to its page",
             f"{len(rows)} rows")
        t.ok('rel="next"' in page.text and 'href="/tenders?page=2"' in page.text,
             "with a pager to page 2")
        page2 = anon.get("/tenders?page=2")
        t.eq(len(re.findall(r'<a href="/tenders/(\d+)">', page2.text)), total - 20,
             "page 2 shows the rest")
        # ---- the list: filters ----
        r = anon.get("/api/v1/tenders?q=schoonmaak")
        t.ok(r.status == 200 and [x["reference"] for x in r.json["tenders"]] == ["DOR-TP-07"],
             "a search finds the title, whatever the case", str(r.json)[:200])
        r = anon.get("/api/v1/tenders?q=HLM-TP")
        t.ok([x["reference"] for x in r.json["tenders"]] == ["HLM-TP-01"], "and the reference")
        r = anon.get(f"/api/v1/tenders?municipality={hproc['tenant_id']}")
        t.ok([x["reference"] for x in r.json["tenders"]] == ["HLM-TP-01"],
             "the municipality filter keeps Haarlem's only")
        r = anon.get("/api/v1/tenders?cpv=9091")
        t.ok([x["reference"] for x in r.json["tenders"]] == ["DOR-TP-07"],
             "the CPV filter takes the code's first digits")
        r = anon.get("/api/v1/tenders?cpv=90910000-9")
        t.ok([x["reference"] for x in r.json["tenders"]] == ["DOR-TP-07"], "and a whole code")
        r = anon.get("/api/v1/tenders?type=sas-dialogue&q=DOR-TP")
        t.ok([x["reference"] for x in r.json["tenders"]] == ["DOR-TP-07"],
             "the procedure type filter, combined with a search")
        r = anon.get("/api/v1/tenders?open=1")
        t.ok(r.json["total"] >= 22 and all(x["registration_open"] for x in r.json["tenders"]),
             "open only: every one open to register")
        r = anon.get("/api/v1/tenders?deadline_after=2000-01-01&q=TP")
        t.eq(r.json["total"], 22, "deadline from a date long past: every new one")
        r = anon.get("/api/v1/tenders?deadline_before=2000-01-01")
        t.eq(r.json["total"], 0, "deadline before a date long past: none")
        html = anon.get("/tenders?cpv=9091&type=sas-dialogue")
        t.ok(html.status == 200 and "DOR-TP-07" in html.text and "DOR-TP-08" not in html.text
             and 'method="get"' in html.text.lower(),
             "the page filters by a GET form that needs no script")
        t.ok('value="9091"' in html.text, "the form keeps what was typed")
        for q, field in (("type=vrij", "type"), ("municipality=99999", "municipality"),
                         ("municipality=abc", "municipality"), ("cpv=x", "cpv"),
                         ("cpv=85310000-4", "cpv"), ("deadline_after=2022-02-30", "deadline_after"),
                         ("deadline_before=morgen", "deadline_before"), ("open=ja", "open"),
                         ("page=0", "page")):
            r = anon.get("/api/v1/tenders?" + q)
            t.ok(r.status == 422 and r.json["error"]["field"] == field and r.json["error"]["message"],
                 f"?{q}: 422 naming {field}", str(r.json))
        html = anon.get("/tenders?type=vrij")
        t.ok(html.status == 422 and 'aria-invalid="true"' in html.text and "vrij" in html.text,
             "the page answers 422 with the error at the field")

        # ---- one tender ----
        pid = procs[0]["id"]
        r = anon.get(f"/tenders/{pid}")
        t.ok(r.status == 200 and "DOR-TP-00" in r.text and "Wijkteam" in r.text
             and "Jeugd" in r.text, "the tender page shows the reference and the lots")
        t.ok(f'href="/tenders/{pid}/register"' in r.text, "and the register button while open")
        t.ok(re.search(r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|"
                       r"oktober|november|december) 20\d\d, \d\d:\d\d", r.text) is not None,
             "its dates are in Dutch words")
        j = anon.get(f"/api/v1/tenders/{pid}").json
        t.ok(j and len(j["lots"]) == 2 and j["stages"] and j["documents"] == [] and j["notas"] == [],
             "the JSON face: lots, stages, no documents or notas yet", str(j)[:300])
        for who, c in (("anyone", anon), ("its buyer", buyer)):
            t.eq(c.get(f"/tenders/{hidden['id']}").status, 404,
                 f"an unpublished procedure's page is 404 to {who}")
            t.eq(c.get(f"/api/v1/tenders/{hidden['id']}").status, 404, f"and its JSON to {who}")
        t.eq(anon.get("/tenders/999999").status, 404, "no procedure: 404")

        # ---- procurement documents ----
        docs_page = buyer.get(f"/procedures/{pid}/documents")
        t.ok(docs_page.status == 200 and 'enctype="multipart/form-data"' in docs_page.text,
             "the buyer's documents page has a multipart form")
        t.ok(f'href="/procedures/{pid}/documents"' in buyer.get(f"/procedures/{pid}").text,
             "reachable from the procedure's tabs")
        token = form_csrf(docs_page.text)
        path = f"/procedures/{pid}/documents"
        header_token, buyer.csrf = buyer.csrf, None

        def send(fields):
            body, ct = multipart(fields)
            return buyer.request("POST", path, body=body, headers={"Content-Type": ct})

        r = send([("csrf", token), ("kind", "leidraad"), ("lot", ""),
                  ("title", "Aanbestedingsleidraad"), ("content", "leidraad v1.pdf", PDF)])
        t.eq(r.status, 303, "the buyer publishes the leidraad through the form")
        refusals = (
            ([("kind", "leidraad"), ("title", "X"), ("content", "", b"")], "content", 422),
            ([("kind", "brief"), ("title", "X"), ("content", "a.pdf", PDF)], "kind", 422),
            ([("kind", "pve"), ("lot", "99999"), ("title", "X"), ("content", "a.pdf", PDF)], "lot", 422),
            ([("kind", "pve"), ("title", " "), ("content", "a.pdf", PDF)], "title", 422),
            ([("kind", "pve"), ("title", "X"), ("content", "a.txt", b"platte tekst")], "content", 422),
            ([("kind", "pve"), ("title", "X"),
              ("content", "groot.pdf", b"%PDF-" + b"0" * (25 * 1024 * 1024))], "content", 413),
        )
        buyer.csrf = header_token
        count = len(buyer.get(f"/api/v1/procedures/{pid}/documents").json["documents"])
        buyer.csrf = None
        for fields, field, status in refusals:
            r = send([("csrf", token)] + fields)
            t.ok(r.status == status and f'id="f-{field}"' in r.text and
                 re.search(rf'id="f-{field}"[^>]*aria-invalid="true"', r.text),
                 f"a refusal at {field} ({status})", f"{r.status} {r.text[:200]}")
        buyer.csrf = header_token
        t.eq(len(buyer.get(f"/api/v1/procedures/{pid}/documents").json["documents"]), count,
             "the refusals changed nothing")
        r = buyer.post(f"/api/v1/procedures/{pid}/documents", {"kind": "pve", "title": "X"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "content", "the API: no file, 422 at content")

        audit = buyer.get(f"/api/v1/procedures/{pid}/audit")
        t.ok(audit.status == 200 and audit.text.count('"tender_document.publish"') == 1,
             "the publication is audited once, the refusals not at all", audit.text[:200])
        trail = buyer.get(f"/procedures/{pid}/audit").text
        t.ok("versie 1 van het aanbestedingsdocument Aanbestedingsleidraad" in trail,
             "the trail says it in Dutch")

        # A candidate on it, and its first visit.
        r = buyer.post(f"/api/v1/procedures/{pid}/candidates", {
            "name": "Kandidaat Tender (test)", "consortium": False,
            "parties": [{"org_name": "Kandidaat Tender (test)", "kvk": "93456789",
                         "role": "penvoerder"}]})
        t.eq(r.status, 201, "the buyer adds a candidate")
        r = buyer.post(f"/api/v1/procedures/{pid}/candidates/{r.json['id']}/accounts", {
            "email": "kandidaat@tender.example", "name": "Kandidaat", "password": "kandidaat-tender-2024"})
        t.eq(r.status, 201, "with a bidder account")
        bidder = Client(srv)
        t.eq(bidder.login("kandidaat@tender.example", "kandidaat-tender-2024").status, 200,
             "the bidder logs in")
        first = bidder.get(f"/api/v1/tenders/{pid}").json
        t.ok(first["previous_visit"] is None and not any(d["new"] or d["changed"] for d in first["documents"]),
             "its first visit marks nothing")
        time.sleep(1.1)   # moments are whole seconds: what follows is later
        r = bidder.post(f"/api/v1/procedures/{pid}/documents", {
            "kind": "annex", "title": "Bijlage", "name": "b.pdf", "content": b64(PDF)})
        t.eq(r.status, 403, "a bidder cannot publish documents")

        r = buyer.post(f"/api/v1/procedures/{pid}/documents", {
            "kind": "leidraad", "title": "Aanbestedingsleidraad", "name": "leidraad v2.pdf",
            "content": b64(PDF2)})
        t.ok(r.status == 201 and r.json["version"] == 2, "the same kind and title: version 2", r.text[:200])
        r = buyer.post(f"/api/v1/procedures/{pid}/documents", {
            "kind": "concept", "title": "Conceptovereenkomst", "lot": str(procs[0]["lots"][1]["id"]),
            "name": "concept\"; x=.docx", "content": b64(ZIP)})
        t.ok(r.status == 201 and r.json["version"] == 1 and r.json["lot_id"] == procs[0]["lots"][1]["id"],
             "a conceptovereenkomst of lot 2: a document of its own")
        # A nota after the first visit.
        buyer.post(f"/api/v1/procedures/{pid}/questions/deadline", {"deadline": local_in(3000)})
        qid = bidder.post(f"/api/v1/procedures/{pid}/questions", {"text": "Mag een consortium inschrijven?"})
        if qid.status == 201:
            q = qid.json["id"]
            buyer.post(f"/api/v1/procedures/{pid}/questions/{q}/answer", {"answer": "Ja."})
            nota = buyer.post(f"/api/v1/procedures/{pid}/notas", {})
        else:
            nota = qid

        j = anon.get(f"/api/v1/tenders/{pid}").json
        vs = [(d["title"], d["version"]) for d in j["documents"]]
        t.ok(("Aanbestedingsleidraad", 2) in vs and ("Aanbestedingsleidraad", 1) in vs
             and vs.index(("Aanbestedingsleidraad", 2)) < vs.index(("Aanbestedingsleidraad", 1)),
             "both versions are listed, the newest first", str(vs))
        v1 = [d for d in j["documents"] if d["version"] == 1 and d["kind"] == "leidraad"][0]
        t.ok(v1["uploaded_at"]["utc"] and v1["uploaded_at"]["local"].endswith(("+01:00", "+02:00")),
             "a version's moment in UTC and Europe/Amsterdam")
        d = anon.get(v1["href"])
        t.ok(d.status == 200 and d.body == PDF and d.getheader("Content-Type") == "application/pdf"
             and d.getheader("Content-Disposition") == "inline; filename*=UTF-8''leidraad%20v1.pdf"
             and d.getheader("X-Content-Type-Options") == "nosniff",
             "the older version downloads: PDF inline, its name encoded, nosniff",
             f"{d.status} {d.getheader('Content-Type')} {d.getheader('Content-Disposition')}")
        z = [x for x in j["documents"] if x["kind"] == "concept"][0]
        d = anon.get(z["href"])
        t.ok(d.status == 200 and d.body == ZIP and d.getheader("Content-Disposition", "").startswith("attachment; ")
             and '"' not in d.getheader("Content-Disposition") and ";" not in d.getheader("Content-Disposition")[12:],
             "an office document is an attachment, a hostile name made safe",
             d.getheader("Content-Disposition"))
        other = procs[1]["id"]
        t.eq(anon.get(f"/tenders/{other}/documents/{v1['id']}").status, 404,
             "a document under another procedure's path is 404")
        hid = buyer.post(f"/api/v1/procedures/{hidden['id']}/documents", {
            "kind": "leidraad", "title": "Concept-leidraad", "name": "l.pdf", "content": b64(PDF)})
        t.eq(hid.status, 201, "the buyer may prepare a document before publication")
        t.eq(anon.get(f"/tenders/{hidden['id']}/documents/{hid.json['id']}").status, 404,
             "but it is not public then (404)")
        t.eq(buyer.get(f"/procedures/{hidden['id']}/documents/{hid.json['id']}").body, PDF,
             "the buyer reads it on the procedure's own page")

        # ---- new since the previous visit ----
        second = bidder.get(f"/api/v1/tenders/{pid}").json
        t.ok(second["previous_visit"] is not None, "the second visit knows the first")
        marks = {(d["title"], d["version"]): (d["new"], d["changed"]) for d in second["documents"]}
        t.eq(marks.get(("Aanbestedingsleidraad", 2)), (False, True),
             "the leidraad's new version: changed since the previous visit")
        t.eq(marks.get(("Aanbestedingsleidraad", 1)), (False, False), "its first version: no mark")
        t.eq(marks.get(("Conceptovereenkomst", 1)), (True, False), "the new conceptovereenkomst: new")
        if nota.status == 201:
            t.ok(second["notas"] and second["notas"][-1]["new"], "the new nota: new")
        else:
            t.ok(False, "a nota could be published for the mark", nota.text[:200])
        time.sleep(1.1)
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/documents", {
            "kind": "annex", "title": "Bijlage A", "name": "a.pdf", "content": b64(PDF)}).status,
             201, "an annex is published")
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/documents", {
            "kind": "leidraad", "title": "Aanbestedingsleidraad", "name": "leidraad v3.pdf",
            "content": b64(PDF + b" 3")}).json["version"], 3, "and the leidraad's version 3")
        page = bidder.get(f"/tenders/{pid}")
        t.ok("Nieuw" in page.text and "Gewijzigd sinds uw vorige bezoek" in page.text,
             "the page marks them Nieuw and Gewijzigd sinds uw vorige bezoek", page.text[:300])
        t.ok(f'href="/procedures/{pid}/notas/1"' in page.text, "the candidate may open the nota: linked")
        t.ok(f'href="/procedures/{pid}/notas/1"' not in anon.get(f"/tenders/{pid}").text
             and "Nota 1" in anon.get(f"/tenders/{pid}").text,
             "anyone else sees the nota listed with its date, not linked")
        third = bidder.get(f"/api/v1/tenders/{pid}").json
        t.ok(not any(d["new"] or d["changed"] for d in third["documents"]),
             "after that visit the marks are gone")
        t.ok(not any(d["new"] or d["changed"] for d in anon.get(f"/api/v1/tenders/{pid}").json["documents"]),
             "anyone not a candidate sees no marks")
        description_checks(t, buyer, anon)
    finally:
        code = srv.stop()
        t.eq(code, 0, "the server stops cleanly")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
