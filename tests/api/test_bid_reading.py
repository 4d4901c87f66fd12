#!/usr/bin/env python3
"""Reading the bids after the opening (issue 11 item 5), on the real clock.

A procedure with two lots, award rules on both and a tender deadline a
few seconds ahead; two bidders each hand in a bid (a PDF and a ZIP) and a
price for lot 1, one bids on lot 2 too.  Before the opening nobody reads
a bid.  After two buyers open the vault, a buyer reads every bid, byte
for byte (a PDF inline, others as a download); the assessor assigned to
lot 1 reads lot 1's bids and is refused lot 2's; an unassigned assessor,
a council member and a bidder read none; a withdrawn bid is not read;
nobody reads a price before the price opening.  Every read is in the
audit trail, naming who read which file.  Application documents: the
candidate reads its own, another bidder gets 404, buyers read them only
after the application deadline, council members never.
"""
import base64
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402

PASS_A = "lezen-kluis-sleutel-A"
PASS_B = "lezen-kluis-sleutel-B"
DEADLINE_IN = 14
RULES = {"method": "weighted", "price_scoring": "relative", "price_weight_bp": 4000,
         "tie_rule": "lowest-price", "price_after_quality": True,
         "criteria": [{"key": "plan", "name": "Plan van aanpak", "weight_bp": 10000,
                       "marks": [1, 10]}]}


def bidder(t, srv, a, pid, name, kvk, email):
    r = a.post(f"/api/v1/procedures/{pid}/candidates", {
        "name": name, "consortium": False,
        "parties": [{"org_name": name, "kvk": kvk, "role": "penvoerder"}]})
    t.eq(r.status, 201, f"candidate {name} is registered")
    cid = r.json["id"]
    r = a.post(f"/api/v1/procedures/{pid}/candidates/{cid}/accounts", {
        "email": email, "name": name, "password": "lezen-bieder-2024"})
    t.eq(r.status, 201, f"with a bidder account {email}")
    c = Client(srv)
    t.eq(c.login(email, "lezen-bieder-2024").status, 200, f"{email} logs in")
    c.post("/api/v1/lang", {"lang": "en"})
    return c, cid


def application_documents(t, srv, a, council, asr):
    """A restricted procedure whose application deadline is seconds ahead:
    each candidate reads its own documents, never another's; buyers and
    assessors read them after the deadline, audited; council members not."""
    r = a.post("/api/v1/procedures", {
        "reference": "DOR-READ-2", "title": "Aanmeldingen lezen", "type": "restricted",
        "cpv": "85310000-5", "value": "100.000", "lots": [{"title": "Wijkteam", "value": "1"}]})
    t.eq(r.status, 201, "a restricted procedure")
    pid = r.json["id"]
    base = f"/api/v1/procedures/{pid}"
    t0 = time.time()
    for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, 8),
                       ("document-issued", 3, None), ("application-deadline", 8, None)):
        cur = a.get(base).json
        st = [x for x in cur["stages"] if x["kind"] == kind][0]
        body = {"start": local_in(t0 + s - time.time())}
        if e:
            body["end"] = local_in(t0 + e - time.time())
        t.eq(a.post(f"{base}/stages/{st['id']}/move", body).status, 200, f"plan {kind}")
    t.eq(a.post(f"{base}/selection-criteria", {"key": "ervaring", "title": "Ervaring"}).status,
         201, "a selection criterion")
    t.eq(a.post(f"{base}/publish", {}).status, 201, "published")
    one, c1 = bidder(t, srv, a, pid, "Aanmelder Een (test)", "93456790", "een@aanmeld.example")
    two, c2 = bidder(t, srv, a, pid, "Aanmelder Twee (test)", "93456791", "twee@aanmeld.example")
    r = one.post(f"{base}/application/documents",
                 {"name": "referenties.pdf", "content": base64.b64encode(b"PK\x03\x04zip").decode()})
    t.ok(r.status == 422 and r.json["error"]["field"] == "content" and
         "named as a PDF" in r.json["error"]["message"] and "ZIP" in r.json["error"]["message"],
         "an application document whose content is not its claimed type is refused naming both",
         r.text[:300])
    t.eq(one.get(f"{base}/application").json["application"], None,
         "and nothing was saved, not even an empty application")
    d1 = b"%PDF-1.4 referenties een " + os.urandom(64)
    r = one.post(f"{base}/application/documents",
                 {"name": "referenties.pdf", "content": base64.b64encode(d1).decode()})
    t.eq(r.status, 201, "candidate one adds a document to its application")
    docs = one.get(f"{base}/application").json["application"]["documents"]
    did = docs[0]["id"] if docs else 0
    path = f"{base}/candidates/{c1}/documents/{did}"
    r = one.get(path)
    t.ok(r.status == 200 and r.body == d1, "the candidate reads its own document back")
    page = one.get(f"/procedures/{pid}/application")
    t.ok(f'href="/procedures/{pid}/candidates/{c1}/documents/{did}"' in page.text,
         "its application page links it")
    r = two.get(path)
    t.ok(r.status == 404 and d1[:20] not in r.body, "another candidate is told there is none")
    t.eq(two.get(f"{base}/candidates/{c2}/documents/{did}").status, 404,
         "nor through its own candidate number")
    r = a.get(path)
    t.ok(r.status == 409 and "after the application deadline" in r.text,
         "a buyer reads no application before the deadline", r.text[:200])
    time.sleep(max(0, t0 + 9.5 - time.time()))
    r = a.get(path)
    t.ok(r.status == 200 and r.body == d1 and r.getheader("Content-Type") == "application/pdf",
         "after it the buyer reads it", f"{r.status}")
    page = a.get(f"/procedures/{pid}/application")
    t.ok(f'href="/procedures/{pid}/candidates/{c1}/documents/{did}"' in page.text,
         "the buyer's applications page links each document")
    t.eq(a.post(f"{base}/assessors", {"email": "assessor@dordrecht.example"}).status, 201,
         "the assessor joins this procedure")
    t.eq(asr.get(path).status, 200, "an assessor of the procedure reads it")
    r = council.get(path)
    t.ok(r.status == 403 and d1[:20] not in r.body, "a council member does not")
    reads = [e for e in a.get(f"{base}/audit").json["events"]
             if e["action"] == "application-document.read"]
    t.ok(len(reads) == 2 and hashlib.sha256(d1).hexdigest() in str(reads),
         "the buyer's and the assessor's reads are audited (the candidate's own is not)",
         str(reads)[:300])


def main():
    t = Tap()
    srv = Server()
    try:
        a = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer logs in")
        a.post("/api/v1/lang", {"lang": "en"})
        b2 = Client(srv)
        b2.login("buyer2@dordrecht.example")
        for c, p in ((a, PASS_A), (b2, PASS_B)):
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": p}).status, 201,
                 "a buyer sets a vault passphrase")
        r = a.post("/api/v1/procedures", {
            "reference": "DOR-READ-1", "title": "Bids lezen", "type": "open",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"},
                     {"title": "Jongerenwerk", "value": "50.000"}]})
        t.eq(r.status, 201, "a procedure with two lots")
        pid = r.json["id"]
        lot1, lot2 = r.json["lots"][0]["id"], r.json["lots"][1]["id"]
        base = f"/api/v1/procedures/{pid}"
        for lot in (lot1, lot2):
            t.eq(a.post(f"{base}/lots/{lot}/award/rules", RULES).status, 200,
                 "the lot has award rules")
        t.eq(a.post(f"{base}/vault", {}).status, 201, "the vault is made")
        t.eq(a.post(f"{base}/assessors", {"email": "assessor@dordrecht.example"}).status, 201,
             "the demo assessor is an assessor of the procedure")
        t.eq(a.post(f"{base}/lots/{lot1}/award/assign",
                    {"assessor": "assessor@dordrecht.example", "criteria": ["*"]}).status, 200,
             "and is assigned to lot 1 only")
        one, cid1 = bidder(t, srv, a, pid, "Leesbieder Een (test)", "93456780", "een@lezen.example")
        two, cid2 = bidder(t, srv, a, pid, "Leesbieder Twee (test)", "93456781", "twee@lezen.example")

        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        t0 = time.time()
        deadline = None
        for i, s in enumerate(a.get(f"{base}").json["stages"]):
            if s["kind"] == "tender-deadline":
                m = a.post(f"{base}/stages/{s['id']}/move",
                           {"start": local_in(t0 + DEADLINE_IN - time.time())})
                t.eq(m.status, 200, "the tender deadline is planned seconds ahead")
                deadline = t0 + DEADLINE_IN
                break
            body = {"start": local_in(2 + i)}
            if s["kind"] in spans:
                body["end"] = local_in(3 + i)
            a.post(f"{base}/stages/{s['id']}/move", body)

        def upload(c, lot, data, name):
            return c.request("POST", f"{base}/lots/{lot}/submissions", body=data,
                             headers={"Content-Type": "application/octet-stream",
                                      "X-File-Name": name})

        pdf1 = b"%PDF-1.4\n" + os.urandom(200000) + b"\n%%EOF\n"
        zip2 = b"PK\x03\x04" + os.urandom(150000)
        lot2doc = b"%PDF-1.7\n" + b"lot twee " * 5000
        gone = b"%PDF-1.4 withdrawn"
        vdir = os.path.join(srv.dir, "vault")
        files_before = sorted(os.listdir(vdir))
        r = upload(one, lot1, b"MZ\x90\x00" + os.urandom(3000), "plan van aanpak.pdf")
        msg = (r.json or {}).get("error", {}).get("message", "")
        t.ok(r.status == 422 and "plan van aanpak.pdf" in msg and "is a program" in msg,
             "a program named as a PDF is refused as a bid, naming it", r.text[:300])
        r = upload(one, lot1, b"%PDF-1.4 " + os.urandom(100), "begroting.xlsx")
        msg = (r.json or {}).get("error", {}).get("message", "")
        t.ok(r.status == 422 and "named as an office document" in msg and "its content is a PDF" in msg,
             "a PDF named .xlsx is refused naming both types", r.text[:300])
        t.eq(sorted(os.listdir(vdir)), files_before, "the refused bids left no file in the vault")
        t.eq(len(a.get(f"{base}/vault").json["submissions"]), 0, "and no submission")
        r1 = upload(one, lot1, pdf1, "plan van aanpak.pdf")
        r2 = upload(two, lot1, zip2, "bijlagen.zip")
        r3 = upload(one, lot2, lot2doc, "plan lot 2.pdf")
        r4 = upload(two, lot1, gone, "weg.pdf")
        t.ok(all(r.status == 201 for r in (r1, r2, r3, r4)), "four bids are received",
             [r.status for r in (r1, r2, r3, r4)])
        s1, s2, s3, s4 = (r.json["submission"] for r in (r1, r2, r3, r4))
        t.eq(two.post(f"{base}/submissions/{s4}/withdraw", {}).status, 200,
             "one is withdrawn before the deadline")
        rp = one.post(f"{base}/lots/{lot1}/price", {"price": "1.000.000,00"})
        t.eq(rp.status, 201, "bidder one hands in a sealed price")
        rp2 = two.post(f"{base}/lots/{lot1}/price", {"price": "9,99"})
        t.eq(rp2.status, 201, "bidder two hands in a far smaller price")
        subs = a.get(f"{base}/vault").json["submissions"]
        prices = [s for s in subs if s["id"] not in (s1, s2, s3, s4)]
        t.eq(len(prices), 2, "each price is a submission of its own")
        t.ok(len({s["size"] for s in prices}) == 1,
             "both sealed prices are equally long: the size tells nothing of the amount",
             [s["size"] for s in prices])
        sp = [s["id"] for s in prices if s["candidate_id"] == cid1][0] if prices else 0

        doc = lambda sid: f"{base}/submissions/{sid}/document"  # noqa: E731
        r = a.get(doc(s1))
        t.ok(r.status == 409 and "sealed" in r.text, "before the opening a buyer reads no bid",
             r.text[:200])
        t.eq(one.get(doc(s1)).status, 403, "a bidder reads no bid, its own neither")

        time.sleep(max(0, deadline + 1.3 - time.time()))
        r = a.post(f"{base}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.eq(r.status, 200, "two buyers open the vault after the deadline")

        r = a.get(doc(s1))
        t.ok(r.status == 200 and r.body == pdf1, "a buyer reads bid 1 byte for byte",
             f"{r.status} {len(r.body)}")
        t.ok(r.getheader("Content-Type") == "application/pdf" and
             (r.getheader("Content-Disposition") or "").startswith("inline;") and
             "plan%20van%20aanpak.pdf" in (r.getheader("Content-Disposition") or ""),
             "a PDF is shown inline, under its own name",
             f"{r.getheader('Content-Type')} {r.getheader('Content-Disposition')}")
        t.eq(r.getheader("X-Content-Type-Options"), "nosniff", "never sniffed by the browser")
        t.eq(r.getheader("Cache-Control"), "no-store", "nor kept in a cache")
        r = a.get(f"/procedures/{pid}/submissions/{s2}/document")
        t.ok(r.status == 200 and r.body == zip2 and r.getheader("Content-Type") == "application/zip"
             and (r.getheader("Content-Disposition") or "").startswith("attachment;"),
             "a ZIP is a download, byte for byte, on the page route too", f"{r.status}")
        vpage = a.get(f"/procedures/{pid}/vault")
        t.ok(f'href="/procedures/{pid}/submissions/{s1}/document"' in vpage.text and
             f'href="/procedures/{pid}/submissions/{s4}/document"' not in vpage.text,
             "the vault page links each bid to read, not the withdrawn one")
        t.eq(a.get(doc(s4)).status, 409, "a withdrawn bid is not read")
        t.eq(a.get(doc(999999)).status, 404, "an unknown bid is not found")
        r = a.get(doc(sp))
        t.ok(r.status == 409 and "price" in r.text.lower(),
             "the price stays sealed after the vault's opening", r.text[:200])

        asr = Client(srv)
        t.eq(asr.login("assessor@dordrecht.example").status, 200, "the assessor logs in")
        asr.post("/api/v1/lang", {"lang": "en"})
        r = asr.get(doc(s2))
        t.ok(r.status == 200 and r.body == zip2, "the lot 1 assessor reads lot 1's bids")
        r = asr.get(doc(s3))
        t.ok(r.status == 403 and "lots assigned to you" in r.text,
             "and is refused lot 2's", r.text[:200])
        t.eq(asr.get(doc(sp)).status, 409, "and no price before the price opening")
        council = Client(srv)
        council.login("council@dordrecht.example")
        r = council.get(doc(s1))
        t.ok(r.status == 403 and pdf1[:40] not in r.body, "a council member never reads a bid",
             r.text[:200])
        t.eq(one.get(doc(s2)).status, 403, "a bidder does not read a rival's bid")
        t.eq(two.get(f"/procedures/{pid}/submissions/{s1}/document").status, 403,
             "nor through the page route")

        audit = a.get(f"{base}/audit").json["events"]
        reads = [e for e in audit if e["action"] == "submission.read"]
        text = str(reads)
        t.ok(len(reads) == 3 and hashlib.sha256(pdf1).hexdigest() in text and
             "plan van aanpak.pdf" in text and "bijlagen.zip" in text,
             "three reads in the audit trail, with file name and hash", text[:400])
        t.ok(sorted(e["actor_name"] for e in reads) ==
             ["Beoordelaar Dordrecht (demo)", "Inkoper Dordrecht (demo)", "Inkoper Dordrecht (demo)"]
             and all(e["sentence"].endswith("read a bid for lot 1 (Wijkteam).") for e in reads),
             "naming who read, as a sentence", text[:400])
        c_audit = council.get(f"{base}/audit").json["events"]
        c_reads = [e for e in c_audit if e["action"] == "submission.read"]
        t.ok(len(c_reads) == 3 and "plan van aanpak.pdf" not in str(c_reads),
             "the council sees that bids were read, not which files", str(c_reads)[:300])
        application_documents(t, srv, a, council, asr)
    finally:
        srv.stop()
    t.done()


if __name__ == "__main__":
    main()
