#!/usr/bin/env python3
"""The sealed bid vault end to end, on the real clock.

Two buyers of Dordrecht set vault passphrases; a procedure gets a tender
deadline a few seconds ahead and a vault; a bidder account is made for a
registered candidate; the bidder uploads two files (one of 5 MiB) and
gets receipts; the vault refuses to open before the deadline, a bid one
second late is refused, one buyer twice or a wrong passphrase cannot
open it, two buyers after the deadline can, and every hash matches its
receipt.  Receipts are shown to their bidder and the buyers (JSON, page,
PDF), never to another bidder; a bid is withdrawn until the deadline and
skipped at opening; a bid arrives through the multipart form with its
CSRF field first; the opening leaves a record.  Finally no 64-byte window of either plaintext is found in any
file of the data directory, the database included.
"""
import hashlib
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in, multipart  # noqa: E402


MIB = 1024 * 1024


def limit_checks(t, srv, a, bid, pid):
    """The size limit per procedure: the buyer sets it (1 .. 2048 MiB)
    until the tender deadline, bidders see it, and it holds to the byte
    while a bid streams in; a refused bid leaves nothing behind."""
    v = a.get(f"/api/v1/procedures/{pid}/vault").json
    t.eq(v["submission_max"], 256 * MIB, "the default limit is 256 MiB")
    r = a.post(f"/api/v1/procedures/{pid}/vault/limit", {"max_mib": 10})
    t.ok(r.status == 409 and "deadline" in r.text,
         "after the tender deadline the limit cannot change", r.text[:300])

    # A second procedure whose tender deadline is tomorrow, with a vault
    # and a bidder.
    r = a.post("/api/v1/procedures", {
        "reference": "DOR-VAULT-2", "title": "Kluis-limiet", "type": "open",
        "cpv": "85310000-5", "value": "100.000",
        "lots": [{"title": "Wijkteam", "value": "50.000"}]})
    t.eq(r.status, 201, "a second procedure is created")
    pid2 = r.json["id"]
    lot2 = r.json["lots"][0]["id"]
    spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
    for i, s in enumerate(r.json["stages"]):
        body = {"start": local_in(86400 if s["kind"] == "tender-deadline" else 2 + i)}
        if s["kind"] in spans:
            body["end"] = local_in(3 + i)
        m = a.post(f"/api/v1/procedures/{pid2}/stages/{s['id']}/move", body)
        if s["kind"] == "tender-deadline":
            t.eq(m.status, 200, "its tender deadline is tomorrow")
            break
    t.eq(a.post(f"/api/v1/procedures/{pid2}/vault", {}).status, 201, "it has a vault")
    r = a.post(f"/api/v1/procedures/{pid2}/candidates", {
        "name": "Limietbieder (test)", "consortium": False,
        "parties": [{"org_name": "Kluisbieder (test)", "kvk": "92345678",
                     "role": "penvoerder"}]})
    t.eq(r.status, 201, "a candidate is registered")
    r = a.post(f"/api/v1/procedures/{pid2}/candidates/{r.json['id']}/accounts", {
        "email": "limiet@kluis.example", "name": "Limiet Bieder",
        "password": "limiet-bieder-2024"})
    t.eq(r.status, 201, "with a bidder account")
    lb = Client(srv)
    t.eq(lb.login("limiet@kluis.example", "limiet-bieder-2024").status, 200, "who logs in")
    t.eq(lb.post("/api/v1/lang", {"lang": "en"}).status, 200, "and reads English")

    lim = f"/api/v1/procedures/{pid2}/vault/limit"
    for bad in (0, 2049, -5):
        r = a.post(lim, {"max_mib": bad})
        msg = (r.json or {}).get("error", {}).get("message", "")
        t.ok(r.status == 422 and "between 1 MiB and 2048 MiB" in msg and
             r.json["error"]["field"] == "max_mib",
             f"a limit of {bad} MiB is refused, naming the range", r.text[:300])
    r = a.post(lim, {"max_mib": "veel"})
    t.eq(r.status, 422, "a limit that is no number is refused")
    t.eq(lb.post(lim, {"max_mib": 1}).status, 403, "a bidder cannot set the limit")
    t.eq(a.get(f"/api/v1/procedures/{pid2}/vault").json["submission_max"], 256 * MIB,
         "the refusals changed nothing")
    r = a.post(lim, {"max_mib": 1})
    t.ok(r.status == 200 and r.json["submission_max"] == MIB, "the buyer sets 1 MiB",
         r.text[:300])
    ev = [e for e in a.get(f"/api/v1/procedures/{pid2}/audit").json["events"]
          if e["action"] == "submission.max"]
    t.ok(len(ev) == 1 and str(256 * MIB) in str(ev[0]) and str(MIB) in str(ev[0]),
         "the change is audited with the old and the new limit", ev)

    page = lb.get(f"/procedures/{pid2}/lots/{lot2}/submit")
    t.ok(page.status == 200 and "at most 1 MiB per file" in page.text,
         "the bidder's submit page shows the limit", page.text[:300])
    page = a.get(f"/procedures/{pid2}/vault")
    t.ok('id="submission-max"' in page.text and "1 MiB per file" in page.text and
         'name="max_mib"' in page.text, "the vault page shows it with its form")

    vdir = os.path.join(srv.dir, "vault")

    def files():
        return sorted(os.listdir(vdir))

    def upload(data, name="bod.bin"):
        return lb.request("POST", f"/api/v1/procedures/{pid2}/lots/{lot2}/submissions",
                          body=data, headers={"Content-Type": "application/octet-stream",
                                              "X-File-Name": name})

    before = files()
    r = upload(b"u" * (MIB - 1))
    t.eq(r.status, 201, "a bid one byte under the limit is received")
    r = upload(b"a" * MIB)
    t.ok(r.status == 201 and r.json["size"] == MIB, "a bid of exactly the limit is received",
         r.text[:200])
    after_ok = files()
    t.eq(len(after_ok), len(before) + 2, "two sealed files")
    r = upload(b"o" * (MIB + 1))
    msg = (r.json or {}).get("error", {}).get("message", "")
    t.ok(r.status == 413 and "1 MiB" in msg, "a bid one byte over is refused with 413, naming the limit",
         r.text[:300])
    t.eq(files(), after_ok, "and leaves nothing on disk")
    # The form streams: the limit is met inside the file part, not from
    # the Content-Length.
    sub_page = lb.get(f"/procedures/{pid2}/lots/{lot2}/submit")
    body, ctype = multipart([("csrf", form_csrf(sub_page.text)),
                             ("file", "groot.bin", b"f" * (MIB + 1))])
    r = lb.request("POST", f"/procedures/{pid2}/lots/{lot2}/submit", body=body,
                   headers={"Content-Type": ctype})
    t.ok(r.status == 413 and "at most 1 MiB" in r.text and 'id="err-f-file"' in r.text,
         "the form's bid one byte over is refused with 413 next to the file field",
         r.text[:300])
    t.eq(files(), after_ok, "and leaves nothing on disk")
    subs = a.get(f"/api/v1/procedures/{pid2}/vault").json["submissions"]
    t.eq(sorted(s["size"] for s in subs), [MIB - 1, MIB], "only the two bids within the limit are listed")
    body, ctype = multipart([("csrf", form_csrf(sub_page.text)),
                             ("file", "precies.bin", b"p" * MIB)])
    r = lb.request("POST", f"/procedures/{pid2}/lots/{lot2}/submit", body=body,
                   headers={"Content-Type": ctype})
    t.eq(r.status, 303, "the form's bid of exactly the limit is received")

    # Raised, then not lowered below a bid received already.
    t.eq(a.post(lim, {"max_mib": 3}).status, 200, "the buyer raises the limit to 3 MiB")
    r = upload(b"g" * (MIB * 5 // 2))
    t.eq(r.status, 201, "a bid of 2.5 MiB is received")
    r = a.post(lim, {"max_mib": 2})
    t.ok(r.status == 409 and "received already" in r.text,
         "the limit cannot go below a bid received already", r.text[:300])
    # The HTML form shares the handler.
    page = a.get(f"/procedures/{pid2}/vault")
    r = a.request("POST", f"/procedures/{pid2}/vault/limit",
                  form={"csrf": form_csrf(page.text), "max_mib": "4096"})
    t.ok(r.status == 422 and 'id="err-f-max_mib"' in r.text and "2048 MiB" in r.text,
         "the vault page's form shows the refusal next to the field", r.text[:300])
    r = a.request("POST", f"/procedures/{pid2}/vault/limit",
                  form={"csrf": form_csrf(page.text), "max_mib": "5"})
    t.ok(r.status == 303, "the vault page's form sets the limit", r.text[:300])
    t.eq(a.get(f"/api/v1/procedures/{pid2}/vault").json["submission_max"], 5 * MIB,
         "to 5 MiB")

    # An upload the client breaks off: its temporary file is there while
    # the bytes come, and goes with the connection (libmicrohttpd reports
    # it complete when it sees the close, at the latest after its 30 s
    # connection timeout); the server serves on.
    tmps = lambda: [f for f in files() if f.startswith("tmp-")]
    before = files()
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    cookie = "; ".join(f"{k}={v}" for k, v in lb.cookies.items())
    sock.sendall((f"POST /api/v1/procedures/{pid2}/lots/{lot2}/submissions HTTP/1.1\r\n"
                  f"Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                  f"X-File-Name: afgebroken.pdf\r\nX-CSRF-Token: {lb.csrf}\r\n"
                  f"Cookie: {cookie}\r\nContent-Length: {4 * MIB}\r\n\r\n").encode()
                 + b"%PDF-1.4 " + os.urandom(512 * 1024))
    until = time.time() + 10
    while not tmps() and time.time() < until:
        time.sleep(0.05)
    began = tmps()
    sock.close()
    until = time.time() + 40
    while tmps() and time.time() < until:
        time.sleep(0.1)
    t.ok(began and not tmps() and files() == before,
         "a broken-off upload's temporary file is there while it streams, gone with the connection",
         f"began {began}, left {tmps()}")
    t.eq(lb.get(f"/procedures/{pid2}/lots/{lot2}/submit").status, 200,
         "the server serves on after the broken-off upload")


PASS_A = "correct horse battery staple A"
PASS_B = "correct horse battery staple B"
DEADLINE_IN = 22


def main():
    t = Tap()
    srv = Server()
    # The demo's own sealed bids (its procedures in evaluation and later).
    demo_sealed = set(os.listdir(os.path.join(srv.dir, "vault")))
    try:
        a = Client(srv)
        b = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer A logs in")
        # The messages checked below are read in English.
        t.eq(a.post("/api/v1/lang", {"lang": "en"}).status, 200, "buyer A reads English")
        t.eq(b.login("buyer2@dordrecht.example").status, 200, "buyer B logs in")

        r = a.post("/api/v1/account/vault-key", {"passphrase": "short"})
        t.eq(r.status, 422, "a short vault passphrase is refused")
        r = a.post("/api/v1/account/vault-key", {"passphrase": "kavel-demo-2022"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "passphrase",
             "the login password cannot be the vault passphrase", r.text[:300])
        t.eq(a.post("/api/v1/account/vault-key", {"passphrase": PASS_A}).status, 201,
             "buyer A sets a vault passphrase")
        t.eq(a.post("/api/v1/account/vault-key", {"passphrase": PASS_A + "x"}).status, 409,
             "a vault passphrase is set once")
        bidder_demo = Client(srv)
        bidder_demo.login("bidder@wijkzorg.example")
        t.eq(bidder_demo.post("/api/v1/account/vault-key", {"passphrase": PASS_A}).status, 403,
             "a bidder holds no vault passphrase")

        # A procedure whose tender deadline is a few seconds ahead.
        r = a.post("/api/v1/procedures", {
            "reference": "DOR-VAULT-1", "title": "Kluis-test", "type": "open",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        t.eq(r.status, 201, "a procedure is created")
        pid = r.json["id"]
        lot = r.json["lots"][0]["id"]
        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        t0 = time.time()
        deadline_at = None
        for i, s in enumerate(r.json["stages"]):
            if s["kind"] == "tender-deadline":
                body = {"start": local_in(t0 + DEADLINE_IN - time.time())}
                m = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
                t.eq(m.status, 200, "the tender deadline is planned")
                st = [x for x in m.json["stages"] if x["kind"] == "tender-deadline"][0]
                deadline_at = st["end"]["utc"]
                break
            body = {"start": local_in(2 + i)}
            if s["kind"] in spans:
                body["end"] = local_in(3 + i)
            m = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
            t.eq(m.status, 200, f"plan {s['kind']}")

        r = a.post(f"/api/v1/procedures/{pid}/vault", {})
        t.ok(r.status == 409 and "1" in r.json["error"]["message"],
             "a vault needs two buyers with a passphrase", r.text[:300])
        t.eq(b.post("/api/v1/account/vault-key", {"passphrase": PASS_B}).status, 201,
             "buyer B sets a vault passphrase")

        # A candidate with a bidder account.
        r = a.post(f"/api/v1/procedures/{pid}/candidates", {
            "name": "Kluisbieder (test)", "consortium": False,
            "parties": [{"org_name": "Kluisbieder (test)", "kvk": "92345678",
                         "role": "penvoerder"}]})
        t.eq(r.status, 201, "a candidate is registered")
        cand = r.json["id"]
        r = a.post(f"/api/v1/procedures/{pid}/candidates/{cand}/accounts", {
            "email": "bieder@kluis.example", "name": "Bieder Kluis",
            "password": "kluis-bieder-2024"})
        t.eq(r.status, 201, "the buyer makes a bidder account for the candidate")
        bid = Client(srv)
        t.eq(bid.login("bieder@kluis.example", "kluis-bieder-2024").status, 200,
             "the bidder logs in")
        t.eq(bid.post("/api/v1/lang", {"lang": "en"}).status, 200, "the bidder reads English")

        def upload(client, name, data, ctype="application/octet-stream"):
            return client.request("POST", f"/api/v1/procedures/{pid}/lots/{lot}/submissions",
                                  body=data, headers={"Content-Type": ctype,
                                                      "X-File-Name": name})

        pdf = (b"%PDF-1.4\n% Inschrijving Kluisbieder, perceel 1\n" +
               b"Prijs per jaar: EUR 48.500, plan van aanpak in 12 punten.\n" * 40)
        big = b"\0" + os.urandom(5 * 1024 * 1024 + 122)   # never begins like a program
        r = upload(bid, "inschrijving.pdf", pdf)
        t.eq(r.status, 409, "no bid is received before the vault exists")

        r = a.post(f"/api/v1/procedures/{pid}/vault", {})
        t.eq(r.status, 201, "the vault is made")
        t.eq(len(r.json["buyers_with_keys"]), 2, "for the two buyers with a passphrase")
        t.eq(a.post(f"/api/v1/procedures/{pid}/vault", {}).status, 409,
             "a second vault is refused")

        r = upload(a, "inschrijving.pdf", pdf)
        t.eq(r.status, 403, "a buyer cannot upload a bid")
        r = upload(bidder_demo, "inschrijving.pdf", pdf)
        t.eq(r.status, 404, "a bidder of another procedure cannot upload a bid")
        r = upload(bid, "inschrijving.pdf", pdf, "application/pdf")
        t.eq(r.status, 415, "the body is sent as application/octet-stream")

        receipts = []
        r = upload(bid, "inschrijving%20perceel%201.pdf", pdf)
        t.eq(r.status, 201, "the first bid is received")
        receipts.append(r.json)
        r = upload(bid, "bijlagen.bin", big)
        t.eq(r.status, 201, "the 5 MiB bid is received")
        receipts.append(r.json)
        rc0 = receipts[0] or {}
        t.eq(rc0.get("file_name"), "inschrijving perceel 1.pdf", "the file name is decoded")
        t.eq(rc0.get("content_type"), "application/pdf", "the type is sniffed from the bytes")
        t.eq((receipts[1] or {}).get("content_type"), "application/octet-stream",
             "random bytes are octet-stream")
        t.eq([x.get("sha256") for x in receipts],
             [hashlib.sha256(pdf).hexdigest(), hashlib.sha256(big).hexdigest()],
             "the receipts carry the files' SHA-256")
        t.eq([x.get("size") for x in receipts], [len(pdf), len(big)], "and their sizes")
        t.ok(all(len(x.get("receipt", "")) == 64 and x.get("received_at", {}).get("local")
                 for x in receipts), "each receipt has a digest and the server time")

        # Receipts: the bidder's own and the buyers', no one else's.
        sid0 = rc0.get("submission")
        rp = f"/api/v1/procedures/{pid}/submissions/{sid0}/receipt"
        r = bid.get(rp)
        t.ok(r.status == 200 and r.json["sha256"] == rc0["sha256"] and
             r.json["receipt"] == rc0["receipt"] and r.json["candidate"] == "Kluisbieder (test)" and
             r.json["received_at_utc"].endswith("UTC") and r.json["received_at"]["local"] and
             r.json["content_type"] == "application/pdf" and r.json["procedure"]["id"] == pid,
             "the bidder reads its receipt as JSON", r.text[:300])
        t.eq(a.get(rp).status, 200, "a buyer reads the receipt")
        page = bid.get(f"/procedures/{pid}/submissions/{sid0}/receipt")
        t.ok(page.status == 200 and rc0["sha256"] in page.text and rc0["receipt"] in page.text
             and "UTC" in page.text, "the receipt page shows hash, digest and server time",
             page.text[:300])
        r = bid.get(f"/procedures/{pid}/submissions/{sid0}/receipt/pdf")
        t.ok(r.status == 200 and r.body[:5] == b"%PDF-" and
             r.getheader("Content-Type") == "application/pdf", "the receipt as PDF",
             r.text[:200])
        r = a.post(f"/api/v1/procedures/{pid}/candidates", {
            "name": "Andere Kluisbieder (test)", "consortium": False,
            "parties": [{"org_name": "Andere Kluisbieder (test)", "kvk": "93456789",
                         "role": "penvoerder"}]})
        t.eq(r.status, 201, "a second candidate is registered")
        r = a.post(f"/api/v1/procedures/{pid}/candidates/{r.json['id']}/accounts", {
            "email": "ander@kluis.example", "name": "Ander Kluis",
            "password": "ander-bieder-2024"})
        t.eq(r.status, 201, "with a bidder account")
        bid2 = Client(srv)
        t.eq(bid2.login("ander@kluis.example", "ander-bieder-2024").status, 200,
             "the other bidder logs in")
        t.eq(bid2.get(rp).status, 404, "another bidder cannot see the receipt")
        t.eq(bid2.get(f"/procedures/{pid}/submissions/{sid0}/receipt/pdf").status, 404,
             "nor its PDF")
        t.eq(bid2.post(f"/api/v1/procedures/{pid}/submissions/{sid0}/withdraw", {}).status, 404,
             "nor withdraw it")
        t.eq(bidder_demo.get(rp).status, 404, "a bidder of another procedure sees nothing")

        # The browser's form: multipart/form-data, the CSRF field first.
        sub_page = bid.get(f"/procedures/{pid}/lots/{lot}/submit")
        token = form_csrf(sub_page.text)
        t.ok(sub_page.status == 200 and 'enctype="multipart/form-data"' in sub_page.text and
             sub_page.text.index('name="csrf"') < sub_page.text.index('name="file"'),
             "the submit page has a multipart form with the CSRF field first", sub_page.text[:300])
        formdoc = b"PK\x03\x04 formulier-bod " + os.urandom(200 * 1024) + b" einde formulier"
        submit = f"/procedures/{pid}/lots/{lot}/submit"
        files_before = len([f for f in os.listdir(os.path.join(srv.dir, "vault"))])
        body, ctype = multipart([("csrf", "0" * 64), ("file", "bod.zip", formdoc)])
        r = bid.request("POST", submit, body=body, headers={"Content-Type": ctype})
        t.eq(r.status, 403, "a form with a wrong CSRF field is refused")
        body, ctype = multipart([("file", "bod.zip", formdoc), ("csrf", token)])
        r = bid.request("POST", submit, body=body, headers={"Content-Type": ctype})
        t.eq(r.status, 403, "a CSRF field after the file is too late")
        t.eq(len(os.listdir(os.path.join(srv.dir, "vault"))), files_before,
             "the refused forms left no file")
        body, ctype = multipart([("csrf", token), ("file", "bod.zip", formdoc)])
        r = bid.request("POST", submit, body=body, headers={"Content-Type": ctype})
        loc = r.getheader("Location") or ""
        t.ok(r.status == 303 and re.match(rf"/procedures/{pid}/submissions/\d+/receipt$", loc),
             "the form upload is received and redirects to its receipt", f"{r.status} {loc} {r.text[:300]}")
        form_sid = int(loc.rsplit("/", 2)[1]) if loc else 0
        r = bid.get(f"/api/v1/procedures/{pid}/submissions/{form_sid}/receipt")
        t.ok(r.status == 200 and r.json["sha256"] == hashlib.sha256(formdoc).hexdigest() and
             r.json["file_name"] == "bod.zip" and r.json["content_type"] == "application/zip" and
             r.json["size"] == len(formdoc), "its receipt has the file's hash, name, size and sniffed type",
             r.text[:300])

        # Withdrawn before the deadline; a new upload is a new submission.
        r = bid.post(f"/api/v1/procedures/{pid}/submissions/{form_sid}/withdraw", {})
        t.ok(r.status == 200 and r.json["withdrawn_at"], "the bidder withdraws a bid before the deadline",
             r.text[:300])
        t.eq(bid.post(f"/api/v1/procedures/{pid}/submissions/{form_sid}/withdraw", {}).status, 409,
             "a bid is withdrawn once")
        t.eq(a.post(f"/api/v1/procedures/{pid}/submissions/{form_sid}/withdraw", {}).status, 403,
             "a buyer cannot withdraw a bid")
        audit = a.get(f"/api/v1/procedures/{pid}/audit").json["events"]
        t.ok(any(e["action"] == "submission.withdraw" for e in audit), "the withdrawal is audited")
        vpage = a.get(f"/procedures/{pid}/vault")
        t.ok("withdrawn on" in vpage.text or "ingetrokken" in vpage.text,
             "the vault page shows the bid as withdrawn", vpage.text[:200])

        v = a.get(f"/api/v1/procedures/{pid}/vault").json
        live = [s for s in v["submissions"] if not s["withdrawn_at"]]
        t.eq([s["sha256"] for s in live], [x["sha256"] for x in receipts],
             "the vault page lists the bids by hash")
        t.eq(a.get(f"/api/v1/procedures/{pid}/vault/record").status, 409,
             "no opening record before the opening")
        t.eq(bid.get(f"/api/v1/procedures/{pid}/vault").status, 403,
             "the bidder cannot see the vault")

        r = a.post(f"/api/v1/procedures/{pid}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.ok(r.status == 409 and "deadline" in r.text, "the vault does not open before the deadline",
             r.text[:300])

        time.sleep(max(0, deadline_at + 1.3 - time.time()))
        r = bid.post(f"/api/v1/procedures/{pid}/submissions/{sid0}/withdraw", {})
        t.ok(r.status == 409 and "deadline" in r.text,
             "withdrawing after the deadline is refused", r.text[:300])
        r = upload(bid, "te-laat.pdf", pdf)
        msg = (r.json or {}).get("error", {}).get("message", "")
        late = re.search(r"the bid arrived .*, (\d+) seconds? late", msg)
        t.ok(r.status == 409 and late and "The deadline was" in msg,
             "a bid one second after the deadline is refused as late", r.text[:300])
        t.ok(late and 1 <= int(late.group(1)) <= 3, "saying how late", msg)

        r = a.post(f"/api/v1/procedures/{pid}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "BUYER@dordrecht.example", "passphrase_b": PASS_A})
        t.eq(r.status, 409, "one buyer twice cannot open the vault")
        r = a.post(f"/api/v1/procedures/{pid}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_A})
        t.ok(r.status == 409 and r.json["error"]["field"] == "passphrase" and
             "at least one of them is wrong" in r.json["error"]["message"] and
             "buyer2" not in r.json["error"]["message"],
             "a wrong passphrase cannot open the vault, and the answer does not say whose it was",
             r.text[:300])
        r2 = a.post(f"/api/v1/procedures/{pid}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_B,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.ok(r2.status == 409 and r2.json["error"] == r.json["error"],
             "the other buyer's passphrase wrong gives the very same answer", r2.text[:300])
        refused = [e for e in a.get(f"/api/v1/procedures/{pid}/audit").json["events"]
                   if e["action"] == "vault.open-refused"]
        t.ok(len(refused) == 2 and PASS_A not in str(refused) and PASS_B not in str(refused),
             "each refused opening is in the audit trail, without a passphrase", str(refused)[:300])
        t.eq(a.get(f"/api/v1/procedures/{pid}/vault").json["vault"]["opened_at"], None,
             "the refused attempts left the vault sealed")

        r = a.post(f"/api/v1/procedures/{pid}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.eq(r.status, 200, "two buyers open the vault after the deadline")
        subs_all = (r.json or {}).get("submissions", [])
        subs = [s for s in subs_all if not s["withdrawn_at"]]
        t.eq([s["sha256"] for s in subs], [x["sha256"] for x in receipts],
             "the opened bids' hashes equal the receipts'")
        t.eq([s["receipt"] for s in subs], [x["receipt"] for x in receipts],
             "and so do the receipt digests")
        t.ok(subs and all(s["verified"] for s in subs), "every bid decrypts and matches", subs)
        t.ok([s["verified"] for s in subs_all if s["id"] == form_sid] == [False],
             "the withdrawn bid is skipped at opening", subs_all)
        rec = a.get(f"/api/v1/procedures/{pid}/vault/record")
        rj = rec.json or {}
        t.ok(rec.status == 200 and len(rj.get("opened_by", [])) == 2 and
             rj["opened_at"]["utc"] and
             [s["verified"] for s in rj["submissions"]] == [True, True, None],
             "the opening record: who, when, every bid and whether it matched", rec.text[:400])
        t.ok(rec.status == 200 and all(s["sha256"] and s["file_name"] and s["candidate"]
                                       for s in rj["submissions"]), "with name, hash and candidate")
        council = Client(srv)
        council.login("council@dordrecht.example")
        t.eq(council.get(f"/api/v1/procedures/{pid}/vault/record").status, 200,
             "a council member reads the record")
        t.eq(bid.get(f"/api/v1/procedures/{pid}/vault/record").status, 403,
             "a bidder does not")
        r = a.get(f"/procedures/{pid}/vault/record/pdf")
        t.ok(r.status == 200 and r.body[:5] == b"%PDF-", "the record as PDF", r.text[:200])
        r = a.get(f"/procedures/{pid}/vault/record")
        t.ok(r.status == 200 and receipts[0]["sha256"] in r.text, "and as a page")
        r = a.post(f"/api/v1/procedures/{pid}/vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.eq(r.status, 409, "a vault opens once")
        audit = a.get(f"/api/v1/procedures/{pid}/audit").json["events"]
        opens = [e for e in audit if e["action"] == "vault.open"]
        text = str(opens)
        t.ok(len(opens) == 1 and "buyer2@dordrecht.example" in text and
             all(x["sha256"] in text for x in receipts),
             "the audit trail names the two buyers and every bid's hash", text[:400])
        t.ok(PASS_A not in str(audit) and PASS_B not in str(audit),
             "no passphrase is in the audit trail")

        # No plaintext anywhere in the data directory.
        blobs = []
        for root, _dirs, files in os.walk(srv.dir):
            for f in files:
                with open(os.path.join(root, f), "rb") as fh:
                    blobs.append((f, fh.read()))
        sealed = [f for f, _ in blobs if f.endswith(".kvlt") and f not in demo_sealed]
        t.eq(len(sealed), 3, "three sealed files in the vault directory (the withdrawn one stays)")
        t.ok(not any(f.startswith("tmp-") for f, _ in blobs), "no temporary file is left")
        windows = [pdf[i:i + 64] for i in range(0, len(pdf) - 64, 500)]
        windows += [big[i:i + 64] for i in range(0, len(big) - 64, len(big) // 50)]
        windows += [formdoc[i:i + 64] for i in range(0, len(formdoc) - 64, 4096)]
        found = [(f, i) for i, w in enumerate(windows) for f, data in blobs if w in data]
        t.ok(not found, f"none of {len(windows)} plaintext windows is in any of {len(blobs)} files",
             found[:5])
        log = srv.logtext()
        t.ok(PASS_A not in log and PASS_B not in log, "no passphrase in the server log")

        limit_checks(t, srv, a, bid, pid)
    finally:
        code = srv.stop()
    t.eq(code, 0, "server stops cleanly")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
