#!/usr/bin/env python3
"""Bids of several documents (issue 11 item 4), on the real clock.

A procedure with a tender deadline tomorrow and a vault: the buyer lists
per lot the documents a bid must contain (plan van aanpak, price form,
an optional annex), each with its own size limit; bad definitions are
refused at their field and change nothing; a bidder cannot define them.
The bidder sees the checklist, uploads through the API and the
multipart form naming the document; a file without a document, for a
document of another lot or over the document's own limit is refused
naming what is wrong, and leaves nothing in the vault directory.  A new
upload of a document replaces the earlier one; the receipt of the whole
bid lists every document with its SHA-256 and server time and one
digest.  Another bidder never reaches the first one's receipts or bid
receipt, and a document named by a bid cannot be removed.
"""
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in, multipart  # noqa: E402

MIB = 1024 * 1024


def make_bidder(t, srv, a, pid, name, kvk, email):
    r = a.post(f"/api/v1/procedures/{pid}/candidates", {
        "name": name, "consortium": False,
        "parties": [{"org_name": name, "kvk": kvk, "role": "penvoerder"}]})
    t.eq(r.status, 201, f"candidate {name} is registered")
    r = a.post(f"/api/v1/procedures/{pid}/candidates/{r.json['id']}/accounts", {
        "email": email, "name": name, "password": "documenten-bieder-2024"})
    t.eq(r.status, 201, f"with a bidder account {email}")
    c = Client(srv)
    t.eq(c.login(email, "documenten-bieder-2024").status, 200, f"{email} logs in")
    t.eq(c.post("/api/v1/lang", {"lang": "en"}).status, 200, "and reads English")
    return c


def main():
    t = Tap()
    srv = Server()
    try:
        a = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer logs in")
        t.eq(a.post("/api/v1/lang", {"lang": "en"}).status, 200, "buyer reads English")
        b2 = Client(srv)
        b2.login("buyer2@dordrecht.example")
        for c, p in ((a, "documenten kluis A"), (b2, "documenten kluis B")):
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": p}).status, 201,
                 "a buyer sets a vault passphrase")
        r = a.post("/api/v1/procedures", {
            "reference": "DOR-DOCS-1", "title": "Documenten", "type": "open",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"},
                     {"title": "Jongerenwerk", "value": "50.000"}]})
        t.eq(r.status, 201, "a procedure with two lots")
        pid = r.json["id"]
        lot1, lot2 = r.json["lots"][0]["id"], r.json["lots"][1]["id"]
        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        for i, s in enumerate(r.json["stages"]):
            body = {"start": local_in(86400 if s["kind"] == "tender-deadline" else 2 + i)}
            if s["kind"] in spans:
                body["end"] = local_in(3 + i)
            m = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
            if s["kind"] == "tender-deadline":
                t.eq(m.status, 200, "its tender deadline is tomorrow")
                break
        t.eq(a.post(f"/api/v1/procedures/{pid}/vault", {}).status, 201, "it has a vault")
        bid = make_bidder(t, srv, a, pid, "Documentbieder (test)", "91234560",
                          "docs@bieder.example")
        other = make_bidder(t, srv, a, pid, "Andere bieder (test)", "91234561",
                            "andere@bieder.example")

        add = f"/api/v1/procedures/{pid}/lots/{lot1}/bid-documents"
        # Bad definitions, each refused at its field.
        for body, field, words in (
                ({"name": "", "max_mib": 5, "required": True}, "name", "Name the document"),
                ({"name": "Plan", "max_mib": 0, "required": True}, "max_mib", "between 1 MiB and 2048 MiB"),
                ({"name": "Plan", "max_mib": 4096, "required": True}, "max_mib", "between 1 MiB and 2048 MiB"),
                ({"name": "Plan", "max_mib": "veel", "required": True}, "max_mib", ""),
                ({"name": "Plan\u202eexe", "max_mib": 5, "required": True}, "name", "")):
            r = a.post(add, body)
            err = (r.json or {}).get("error", {})
            t.ok(r.status == 422 and err.get("field") == field and words in err.get("message", ""),
                 f"a document {body} is refused at {field}", r.text[:300])
        t.eq(bid.post(add, {"name": "Plan", "max_mib": 5, "required": True}).status, 403,
             "a bidder cannot define the documents")
        r = a.post(f"/api/v1/procedures/{pid}/lots/999999/bid-documents",
                   {"name": "Plan", "max_mib": 5, "required": True})
        t.eq(r.status, 404, "a lot the procedure does not have is refused")
        t.eq(bid.get(f"/api/v1/procedures/{pid}/lots/{lot1}/bid").json["documents"][0].get("document"),
             0, "the refusals made nothing: the lot still takes one file")

        r = a.post(add, {"name": "Plan van aanpak", "max_mib": 2, "required": True})
        t.eq(r.status, 201, "the buyer asks for a plan van aanpak (2 MiB)")
        r = a.post(add, {"name": "Prijsformulier", "max_mib": 1, "required": True})
        t.eq(r.status, 201, "and a price form (1 MiB)")
        r = a.post(add, {"name": "Bijlagen", "max_mib": 1, "required": False})
        t.eq(r.status, 201, "and optional annexes")
        docs = r.json["documents"]
        t.eq([d["name"] for d in docs], ["Plan van aanpak", "Prijsformulier", "Bijlagen"],
             "the lot's documents in order")
        plan, price, annex = (d["id"] for d in docs)
        r = a.post(add, {"name": "prijsformulier", "max_mib": 1, "required": True})
        t.ok(r.status == 409 and r.json["error"]["field"] == "name",
             "a second document of the same name is refused", r.text[:200])
        r = a.post(f"/api/v1/procedures/{pid}/lots/{lot2}/bid-documents",
                   {"name": "Plan lot 2", "max_mib": 1, "required": True})
        t.eq(r.status, 201, "lot 2 asks for a plan of its own")
        plan2 = r.json["documents"][0]["id"]
        ev = [e for e in a.get(f"/api/v1/procedures/{pid}/audit").json["events"]
              if e["action"] == "bid-document.add"]
        t.eq(len(ev), 4, "every document added is audited")

        vdir = os.path.join(srv.dir, "vault")

        def files():
            return sorted(os.listdir(vdir))

        def upload(c, data, name, doc=None, lot=lot1):
            q = f"?document={doc}" if doc is not None else ""
            return c.request("POST", f"/api/v1/procedures/{pid}/lots/{lot}/submissions{q}",
                             body=data, headers={"Content-Type": "application/octet-stream",
                                                 "X-File-Name": name})

        page = bid.get(f"/procedures/{pid}/lots/{lot1}/submit")
        t.ok(page.status == 200 and "Checklist" in page.text and
             "Still missing: 2 required documents." in page.text and
             page.text.count('class="form upload"') == 3 and "document=%d" % plan in page.text,
             "the bidder's page shows the checklist with one upload form per document",
             page.text[:400])

        before = files()
        r = upload(bid, b"%PDF-1.4 plan", "plan.pdf")
        t.ok(r.status == 422 and "3 documents" in r.json["error"]["message"],
             "a file that names no document is refused, saying the lot has 3", r.text[:300])
        r = upload(bid, b"%PDF-1.4 plan", "plan.pdf", doc=plan2)
        t.ok(r.status == 404 and "no such document" in r.text,
             "a document of another lot is refused", r.text[:300])
        r = upload(bid, b"%PDF-1.4 plan", "plan.pdf", doc="x")
        t.eq(r.status, 422, "a document id that is no number is refused")
        r = upload(bid, b"p" * (MIB + 1), "prijs.xlsx", doc=price)
        t.ok(r.status == 413 and "Prijsformulier" in r.text and "1 MiB" in r.text,
             "a price form over its own limit of 1 MiB is refused naming the document",
             r.text[:300])
        t.eq(files(), before, "the refusals leave nothing in the vault directory")

        plan_bytes = b"%PDF-1.4 plan van aanpak " + os.urandom(MIB + 1000)
        r = upload(bid, plan_bytes, "plan.pdf", doc=plan)
        t.ok(r.status == 201 and r.json["document"] == plan and
             r.json["sha256"] == hashlib.sha256(plan_bytes).hexdigest(),
             "a plan of 1 MiB and more is received under its own 2 MiB limit", r.text[:300])
        first_plan = r.json["submission"]
        r = bid.get(f"/api/v1/procedures/{pid}/lots/{lot1}/bid").json
        t.eq(r["missing"], 1, "the checklist says one required document is missing")

        # The price form through the multipart form of the page.
        page = bid.get(f"/procedures/{pid}/lots/{lot1}/submit")
        price_bytes = b"PK\x03\x04 prijsformulier " + os.urandom(4000)
        body, ctype = multipart([("csrf", form_csrf(page.text)),
                                 ("file", "prijs.xlsx", price_bytes)])
        r = bid.request("POST", f"/procedures/{pid}/lots/{lot1}/submit?document={price}",
                        body=body, headers={"Content-Type": ctype})
        loc = r.getheader("Location") or ""
        t.ok(r.status == 303 and f"/procedures/{pid}/lots/{lot1}/submit?received=" in loc,
             "the form's price form is received and leads back to the checklist", loc)
        page = bid.get(loc.split("#")[0])
        t.ok("Received and sealed:" in page.text and "prijs.xlsx" in page.text and
             hashlib.sha256(price_bytes).hexdigest() in page.text and
             "Every required document has been received." in page.text,
             "the checklist confirms it with its SHA-256 and is complete", page.text[:500])

        # Replacing the plan.
        plan_v2 = b"%PDF-1.4 plan versie 2 " + os.urandom(2000)
        r = upload(bid, plan_v2, "plan-v2.pdf", doc=plan)
        t.eq(r.status, 201, "a second plan is received")
        rec = bid.get(f"/api/v1/procedures/{pid}/lots/{lot1}/bid").json
        got = {d["name"]: d for d in rec["documents"]}
        t.ok(got["Plan van aanpak"]["sha256"] == hashlib.sha256(plan_v2).hexdigest() and
             got["Prijsformulier"]["sha256"] == hashlib.sha256(price_bytes).hexdigest() and
             "sha256" not in got["Bijlagen"] and rec["missing"] == 0 and
             re.fullmatch(r"[0-9a-f]{64}", rec.get("digest", "")),
             "the bid's receipt lists the new plan and the price form with their SHA-256 and one digest",
             rec)
        old = bid.get(f"/api/v1/procedures/{pid}/submissions/{first_plan}/receipt").json
        t.ok(old and old.get("withdrawn_at"), "the first plan was withdrawn by the replacement", old)
        html = bid.get(f"/procedures/{pid}/lots/{lot1}/bid")
        t.ok(html.status == 200 and "Receipt of a bid" in html.text and
             "plan-v2.pdf" in html.text and "Not handed in (optional)." in html.text and
             " UTC" in html.text and rec["digest"] in html.text,
             "the receipt page lists every document with its server time", html.text[:500])

        # Another bidder of the same procedure.
        t.eq(other.get(f"/api/v1/procedures/{pid}/submissions/{first_plan}/receipt").status, 404,
             "another bidder never reaches the first one's document receipt")
        orec = other.get(f"/api/v1/procedures/{pid}/lots/{lot1}/bid").json
        t.ok(orec["missing"] == 2 and all("sha256" not in d for d in orec["documents"]),
             "another bidder's bid receipt shows only its own (nothing yet)", orec)
        t.ok(rec["digest"] not in other.get(f"/procedures/{pid}/lots/{lot1}/bid").text,
             "and its page holds nothing of the first bid")
        t.eq(a.get(f"/api/v1/procedures/{pid}/lots/{lot1}/bid").status, 403,
             "the bid receipt is the bidder's own page")

        # Removal: refused while a bid names the document, allowed otherwise.
        r = a.post(f"/api/v1/procedures/{pid}/bid-documents/{plan}/remove", {})
        t.ok(r.status == 409 and "cannot be removed" in r.text,
             "a document a bid contains cannot be removed", r.text[:300])
        r = a.post(f"/api/v1/procedures/{pid}/bid-documents/{annex}/remove", {})
        t.ok(r.status == 200 and [d["name"] for d in r.json["documents"]] ==
             ["Plan van aanpak", "Prijsformulier", "Plan lot 2"],
             "the optional annexes are removed", r.text[:300])
        r = a.post(f"/api/v1/procedures/{pid}/bid-documents/{annex}/remove", {})
        t.eq(r.status, 409, "removing it twice is refused")
        r = upload(bid, b"%PDF-1.4 bijlage", "bijlage.pdf", doc=annex)
        t.eq(r.status, 404, "an upload for a removed document is refused")

        # The buyer's vault page shows the documents with their forms.
        page = a.get(f"/procedures/{pid}/vault")
        t.ok('id="bid-documents"' in page.text and "Plan van aanpak" in page.text and
             "/bid-documents/%d/remove" % plan in page.text and
             f"/lots/{lot2}/bid-documents" in page.text,
             "the vault page lists the documents per lot with their forms")
        body = {"csrf": form_csrf(page.text), "name": "", "max_mib": "5"}
        r = a.request("POST", f"/procedures/{pid}/lots/{lot2}/bid-documents", form=body)
        t.ok(r.status == 422 and 'id="err-f-lot-2-name"' in r.text,
             "a refused form comes back with the error at lot 2's name field", r.text[:300])
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
