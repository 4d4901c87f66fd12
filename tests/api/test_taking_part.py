#!/usr/bin/env python3
"""Taking part: publication, registering interest and the application.

A buyer publishes a fresh procedure with its registration and application
deadline a few seconds ahead; /tenders lists it to anyone; two
organisations register (one a consortium with a member and a
subcontractor), a second registration of a penvoerder's KvK is refused;
each bidder saves answers and a document, changes them and cannot see the
other's application; the buyer sees who applied but no content until the
deadline; after it (to the second) edits are refused and the buyer reads
both.
"""
import base64
import hashlib
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in, multipart  # noqa: E402

DEADLINE_IN = 20   # seconds from planning to the application deadline


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


KIB = 1024
MAX = 50 * 1024 * KIB     # APP_DOCUMENT_MAX


def document_form(t, a, pid, doc_a2, srv):
    """The application page's document form: multipart with the CSRF
    field first, streamed (no 1 MiB cap: up to 50 MiB, to a temporary file
    and into the database in pieces); the limit holds to the byte; every
    refusal is shown next to the file field, changes nothing and leaves no
    temporary file."""
    docs = lambda: [(d["name"], d["sha256"]) for d in  # noqa: E731
                    a.get(f"/api/v1/procedures/{pid}/application").json["application"]["documents"]]
    page = a.get(f"/procedures/{pid}/application")
    form = re.search(r'<form[^>]*action="/procedures/\d+/application/documents"[^>]*>.*?</form>',
                     page.text, re.S)
    t.ok(page.status == 200 and form and 'enctype="multipart/form-data"' in form.group(0) and
         re.search(r'name="csrf".*<input type="file"[^>]*name="content"', form.group(0), re.S),
         "the application page has a multipart document form, the CSRF field first",
         page.text[:300])
    token = form_csrf(page.text)
    path = f"/procedures/{pid}/application/documents"
    # As a browser: the token only in the form, not in a header.
    header_token, a.csrf = a.csrf, None

    def send(fields, ctype=None):
        body, ct = multipart(fields)
        return a.request("POST", path, body=body, headers={"Content-Type": ctype or ct})

    before = docs()
    doc = b"%PDF-1.4 verklaring van de penvoerder"
    r = send([("csrf", "0" * 64), ("content", "verklaring.pdf", doc)])
    t.eq(r.status, 403, "a document form with a wrong CSRF field is refused")
    r = send([("csrf", token), ("content", "", b"")])
    t.ok(r.status == 422 and 'id="err-f-content"' in r.text,
         "a form without a file is refused next to the file field", r.text[:300])
    r = send([("csrf", token), ("content", "te-groot.pdf", b"%PDF-" + b"o" * (MAX - 4))])
    t.ok(r.status == 413 and 'id="err-f-content"' in r.text and "50 MB" in r.text,
         "a document one byte over 50 MiB is refused with 413 next to the field, as it streams",
         r.text[:300])
    r = send([("csrf", token), ("content", "veel-te-groot.pdf", b"o" * (MAX + 200 * KIB))])
    t.ok(r.status == 413 and 'id="err-f-content"' in r.text,
         "a body far over the cap is refused the same way, from its beginning", r.text[:300])
    r = send([("csrf", token), ("content", "programma.pdf", b"MZ\x90\x00" + b"x" * 5000)])
    t.ok(r.status == 422 and 'id="err-f-content"' in r.text and "programma" in r.text,
         "a program named as a PDF is refused next to the field", r.text[:300])
    vdir = os.path.join(srv.dir, "vault")
    t.eq([f for f in os.listdir(vdir) if f.startswith("tmp-")], [],
         "no temporary file is left of the refused uploads")
    body, ct = multipart([("csrf", token), ("content", "kapot.pdf", doc)])
    r = a.request("POST", path, body=body[:-8], headers={"Content-Type": ct})
    t.eq(r.status, 400, "a form without its closing boundary is refused")
    t.eq(docs(), before, "the refusals changed nothing")

    r = send([("csrf", token), ("content", "C:\\fakepath\\verklaring.pdf", doc)])
    t.ok(r.status == 303 and "/application?uploaded=1" in (r.getheader("Location") or ""),
         "the form adds a document and returns to the application", f"{r.status} {r.text[:200]}")
    limit = b"PK\x03\x04" + os.urandom(MAX - 4)
    r = send([("csrf", token), ("content", "precies.zip", limit)])
    t.ok(r.status == 303, "a document of exactly 50 MiB is taken (streamed, no 1 MiB cap)",
         f"{r.status} " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.text))[-600:])
    t.eq(sorted(docs()), sorted(before + [("precies.zip", hashlib.sha256(limit).hexdigest()),
                                          ("verklaring.pdf", hashlib.sha256(doc).hexdigest())]),
         "both are in the application with their SHA-256, the path dropped from the name")
    page = a.get(f"/procedures/{pid}/application?uploaded=1")
    t.ok("verklaring.pdf" in page.text and "precies.zip" in page.text and 'role="status"' in page.text,
         "the page lists the documents and says the document was added")
    r = send([("csrf", token), ("content", "referenties.pdf", doc_a2)])
    t.eq(r.status, 303, "the form replaces a document by name")
    a.csrf = header_token
    r = a.post(f"/api/v1/procedures/{pid}/application/documents",
               {"name": "bijlage.zip", "content": base64.b64encode(limit[:100]).decode()})
    t.ok(r.status == 201 and r.json["content_type"] == "application/zip",
         "the API's answer names the type sniffed from the bytes", r.text[:200])


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-TP-1", "title": "Deelname wijkteams", "type": "restricted",
            "cpv": "85310000-5", "value": "500.000",
            "lots": [{"title": "Wijkteam Noord", "value": "250.000"}]})
        t.eq(r.status, 201, "the buyer creates a restricted procedure")
        pid = r.json["id"]

        r = buyer.post(f"/api/v1/procedures/{pid}/publish", {})
        t.eq(r.status, 409, "publishing without a planned application deadline is refused")

        def move(kind, start, end=None):
            cur = buyer.get(f"/api/v1/procedures/{pid}").json
            body = {"start": start}
            if end:
                body["end"] = end
            return buyer.post(f"/api/v1/procedures/{pid}/stages/{stage(cur, kind)['id']}/move", body)

        ok = True
        for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, DEADLINE_IN),
                           ("document-issued", 3, None), ("application-deadline", DEADLINE_IN, None)):
            r = move(kind, local_in(s), local_in(e) if e else None)
            ok = t.ok(r.status == 200, f"plan {kind}", r.text[:300]) and ok
        planned = time.time()
        deadline = buyer.get(f"/api/v1/procedures/{pid}").json
        deadline = stage(deadline, "application-deadline")["end"]["utc"]

        anon = Client(srv)
        r = anon.post(f"/api/v1/tenders/{pid}/register", {})
        t.eq(r.status, 404, "an unpublished procedure cannot be registered for")
        t.ok(all(x["id"] != pid for x in anon.get("/api/v1/tenders").json["tenders"]),
             "an unpublished procedure is not listed")

        for key, title in (("experience", "Ervaring met wijkteams"),
                           ("capacity", "Financiële draagkracht")):
            r = buyer.post(f"/api/v1/procedures/{pid}/selection-criteria",
                           {"key": key, "title": title, "description": "Beschrijf."})
            t.eq(r.status, 201, f"the buyer defines criterion {key}")
        r = buyer.post(f"/api/v1/procedures/{pid}/selection-criteria",
                       {"key": "experience", "title": "Nog eens"})
        t.eq(r.status, 409, "a duplicate criterion key is refused")
        r = buyer.post(f"/api/v1/procedures/{pid}/selection-criteria",
                       {"key": "Bad Key!", "title": "X"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "key", "a bad key is refused")

        r = buyer.post(f"/api/v1/procedures/{pid}/publish", {})
        t.eq(r.status, 201, "the buyer publishes the procedure")
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/publish", {}).status, 409,
             "publishing twice is refused")

        tenders = anon.get("/api/v1/tenders")
        t.eq(tenders.status, 200, "/api/v1/tenders answers anonymously")
        mine = [x for x in tenders.json["tenders"] if x["id"] == pid]
        t.ok(len(mine) == 1 and mine[0]["municipality"] and mine[0]["reference"] == "DOR-TP-1"
             and mine[0]["type"] == "restricted" and len(mine[0]["lots"]) == 1
             and mine[0]["application_deadline"]["utc"] == deadline
             and mine[0]["registration_open"], "the tender is listed with its facts", str(mine))
        page = anon.get("/tenders")
        t.ok(page.status == 200 and "DOR-TP-1" in page.text, "the /tenders page lists it")

        reg_a = {"org_name": "Wijkkracht (test)", "kvk": "81234567",
                 "name": "Anna Aanvrager", "email": "anna@wijkkracht.example",
                 "password": "wijkkracht-2026!",
                 "consortium_name": "Samen Wijkkracht (test)",
                 "parties": [{"org_name": "Buurtmaat (test)", "kvk": "82345678", "role": "member"},
                             {"org_name": "Taalhuis (test)", "kvk": "83456789",
                              "role": "subcontractor"}]}
        r = anon.post(f"/api/v1/tenders/{pid}/register", dict(reg_a, password="short"))
        t.ok(r.status == 422 and r.json["error"]["field"] == "password", "a short password is refused")
        r = anon.post(f"/api/v1/tenders/{pid}/register", reg_a)
        t.eq(r.status, 201, "the consortium registers", )
        cand_a = r.json["candidate"] if r.json else {}
        t.ok(cand_a.get("consortium") and [p["role"] for p in cand_a.get("parties", [])]
             == ["penvoerder", "member", "subcontractor"], "with its penvoerder, member and subcontractor",
             str(cand_a))
        r = anon.post(f"/api/v1/tenders/{pid}/register",
                      dict(reg_a, email="other@wijkkracht.example", parties=[]))
        t.eq(r.status, 201, "a penvoerder KvK registered already is no refusal: the buyer "
             "sees both as a conflict (test_orgs.py)")
        r = anon.post(f"/api/v1/tenders/{pid}/register", {
            "org_name": "Nieuw (test)", "kvk": "84567890", "name": "N", "email": "buyer@dordrecht.example",
            "password": "long enough password"})
        t.ok(r.status == 409 and r.json["error"]["message"] == "Dit e-mailadres kan niet worden gebruikt.",
             "a taken e-mail address is refused without saying more", r.text[:200])
        # The HTML form: the double-submit token.
        form_page = anon.get(f"/tenders/{pid}/register")
        t.eq(form_page.status, 200, "the registration form is public")
        r = anon.request("POST", f"/tenders/{pid}/register", form={
            "csrf": form_csrf(form_page.text), "org_name": "Jeugdpunt (test)", "kvk": "85678901",
            "name": "Bert Bieder", "email": "bert@jeugdpunt.example",
            "password": "jeugdpunt-2026!!"})
        t.ok(r.status == 303, "a single organisation registers through the form", r.text[r.text.find("<h1>"):][:400])
        r = anon.request("POST", f"/tenders/{pid}/register", form={
            "csrf": "0" * 64, "org_name": "X (test)", "kvk": "86789012",
            "name": "X", "email": "x@x.example", "password": "xxxxxxxxxxxxxxxx"})
        t.eq(r.status, 403, "a form without the CSRF token is refused")

        a = Client(srv)
        b = Client(srv)
        t.eq(a.login("anna@wijkkracht.example", "wijkkracht-2026!").status, 200, "bidder A logs in")
        t.eq(b.login("bert@jeugdpunt.example", "jeugdpunt-2026!!").status, 200, "bidder B logs in")
        t.eq(a.get(f"/api/v1/procedures/{pid}").status, 200, "bidder A sees the procedure")

        doc_a = b"%PDF-1.4 referenties A"
        doc_b = b"%PDF-1.4 referenties B"
        r = a.post(f"/api/v1/procedures/{pid}/application",
                   {"answers": {"experience": "Tien jaar wijkteams.", "capacity": "Ruim."}})
        t.ok(r.status == 200 and r.json["answers"]["experience"] == "Tien jaar wijkteams.",
             "bidder A saves answers", r.text[:300])
        r = a.post(f"/api/v1/procedures/{pid}/application", {"answers": {"bogus": "x"}})
        t.eq(r.status, 422, "an answer to an unknown criterion is refused")
        r = a.post(f"/api/v1/procedures/{pid}/application/documents",
                   {"name": "referenties.pdf", "content": base64.b64encode(doc_a).decode()})
        t.ok(r.status == 201 and r.json["sha256"] == hashlib.sha256(doc_a).hexdigest(),
             "bidder A uploads a document with its SHA-256", r.text[:300])
        r = b.post(f"/api/v1/procedures/{pid}/application/documents",
                   {"name": "referenties.pdf", "content": base64.b64encode(doc_b).decode()})
        t.eq(r.status, 201, "bidder B uploads a document before any answer")
        r = b.post(f"/api/v1/procedures/{pid}/application", {"answers": {"experience": "Vijf jaar."}})
        t.eq(r.status, 200, "bidder B saves an answer")
        # Changes.
        r = a.post(f"/api/v1/procedures/{pid}/application",
                   {"answers": {"experience": "Twaalf jaar wijkteams.", "capacity": "Ruim."}})
        t.eq(r.status, 200, "bidder A changes its answers")
        doc_a2 = b"%PDF-1.4 referenties A, versie 2"
        r = a.post(f"/api/v1/procedures/{pid}/application/documents",
                   {"name": "referenties.pdf", "content": base64.b64encode(doc_a2).decode()})
        t.eq(r.status, 201, "bidder A replaces its document")
        r = a.post(f"/api/v1/procedures/{pid}/application/documents",
                   {"name": "groot.pdf", "content": base64.b64encode(b"x" * 2000).decode() * 0 + "!!"})
        t.eq(r.status, 422, "bad base64 is refused")

        va = a.get(f"/api/v1/procedures/{pid}/application").json
        t.ok(va["application"]["answers"]["experience"] == "Twaalf jaar wijkteams."
             and [d["sha256"] for d in va["application"]["documents"]]
             == [hashlib.sha256(doc_a2).hexdigest()] and "applications" not in va,
             "bidder A sees its own application only", str(va)[:300])
        document_form(t, a, pid, doc_a2, srv)

        vb = b.get(f"/api/v1/procedures/{pid}/application").json
        t.ok(vb["application"]["answers"] == {"experience": "Vijf jaar."}
             and "Twaalf" not in str(vb), "bidder B does not see A's application")
        page = b.get(f"/procedures/{pid}/application")
        t.ok(page.status == 200 and "Twaalf" not in page.text and "Vijf jaar." in page.text,
             "B's page shows its own answers, not A's")
        r = b.request("POST", f"/procedures/{pid}/application",
                      form={"csrf": form_csrf(page.text), "answer_experience": "Zes jaar.",
                            "answer_capacity": "Voldoende."})
        t.eq(r.status, 303, "bidder B changes its answers through the form")

        vbuy = buyer.get(f"/api/v1/procedures/{pid}/application").json
        apps = vbuy["applications"]
        t.ok(len(apps) == 2 and all("answers" not in x and "documents" not in x for x in apps)
             and sorted(x["candidate_name"] for x in apps)
             == ["Jeugdpunt (test)", "Samen Wijkkracht (test)"],
             "before the deadline the buyer sees who applied, not what", str(apps)[:300])
        page = buyer.get(f"/procedures/{pid}/application")
        t.ok(page.status == 200 and "Twaalf" not in page.text and "Jeugdpunt" in page.text,
             "the buyer's page shows no content before the deadline")

        # The deadline, to the second.
        def sleep_until(when):
            if when > time.time():
                time.sleep(when - time.time())
        sleep_until(deadline - 1.5)
        r = a.post(f"/api/v1/procedures/{pid}/application",
                   {"answers": {"experience": "Twaalf jaar wijkteams.", "capacity": "Ruim."}})
        t.eq(r.status, 200, "an edit a second before the deadline is taken")
        sleep_until(deadline + 1.2)
        r = a.post(f"/api/v1/procedures/{pid}/application",
                   {"answers": {"experience": "Te laat."}})
        t.ok(r.status == 409 and "aanmelding sloot" in r.json["error"]["message"],
             "after the deadline an edit is refused, naming the deadline", r.text[:300])
        r = b.post(f"/api/v1/procedures/{pid}/application/documents",
                   {"name": "laat.pdf", "content": base64.b64encode(b"late").decode()})
        t.eq(r.status, 409, "after the deadline a document is refused")
        r = anon.post(f"/api/v1/tenders/{pid}/register", dict(
            reg_a, kvk="87890123", email="late@example.example", parties=[]))
        t.eq(r.status, 409, "after the deadline registering is refused")
        vbuy = buyer.get(f"/api/v1/procedures/{pid}/application").json
        by = {x["candidate_name"]: x for x in vbuy["applications"]}
        t.ok(by["Samen Wijkkracht (test)"]["answers"]["experience"] == "Twaalf jaar wijkteams."
             and by["Jeugdpunt (test)"]["answers"] == {"experience": "Zes jaar.",
                                                       "capacity": "Voldoende."}
             and by["Jeugdpunt (test)"]["documents"][0]["sha256"]
             == hashlib.sha256(doc_b).hexdigest(),
             "after the deadline the buyer reads both", str(vbuy)[:400])
        audit = buyer.get(f"/api/v1/procedures/{pid}/audit").json
        actions = {e["action"] for e in audit.get("events", [])}
        t.ok({"procedure.publish", "candidate.register", "application.save",
              "application.document"} <= actions, "every step is audited", str(actions)[:300])
        del planned
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
