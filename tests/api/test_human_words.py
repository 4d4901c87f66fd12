#!/usr/bin/env python3
"""Human words on the bid and price pages (issue 12, item 8).

A bidder hands in a PDF and an office document and seals a price through
the page's form; the Dutch pages then say "PDF-document" and
"Word-document", never a MIME type; the price's receipt says "uw
prijsinschrijving" and, in the answer to sealing it, shows its bidder the
amount just sealed (Kavel cannot read it again until the prices are
opened: later the receipt says so, and once two buyers have opened the
prices it shows the amount again); no page names the sealed document
"price.json"; sizes read "256 MB", not "MiB"; times read as Dutch people
write them, the receipt to the second.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402

PASS_A = "woorden test wachtwoord A"
PASS_B = "woorden test wachtwoord B"
DEADLINE_IN = 25


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def dd(html, ident):
    m = re.search(r'<dd id="%s">(.*?)</dd>' % ident, html, re.S)
    return m.group(1).strip() if m else None


def main():
    t = Tap()
    srv = Server()
    try:
        a, b = Client(srv), Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer A logs in")
        t.eq(b.login("buyer2@dordrecht.example").status, 200, "buyer B logs in")
        for c, p in ((a, PASS_A), (b, PASS_B)):
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": p}).status, 201,
                 "a buyer sets a vault passphrase")
        r = a.post("/api/v1/procedures", {
            "reference": "DOR-WOORDEN-1", "title": "Menselijke woorden", "type": "open",
            "cpv": "85310000-5", "value": "500.000",
            "lots": [{"title": "Wijkteam", "value": "500.000"}]})
        t.eq(r.status, 201, "a procedure is created")
        pid, lot = r.json["id"], r.json["lots"][0]["id"]
        base = f"/api/v1/procedures/{pid}"
        t0 = time.time()
        for i, s in enumerate(r.json["stages"]):
            if s["kind"] == "tender-deadline":
                m = a.post(f"{base}/stages/{s['id']}/move",
                           {"start": local_in(t0 + DEADLINE_IN - time.time())})
                t.eq(m.status, 200, "the tender deadline is planned")
                break
            a.post(f"{base}/stages/{s['id']}/move", {"start": local_in(2 + i)})
        t.eq(a.post(f"{base}/vault", {}).status, 201, "the vault is made (bids and prices)")
        r = a.post(f"{base}/candidates", {
            "name": "Woordenbieder (test)", "consortium": False,
            "parties": [{"org_name": "Woordenbieder (test)", "kvk": "93345678", "role": "penvoerder"}]})
        t.eq(r.status, 201, "a candidate is registered")
        a.post(f"{base}/candidates/{r.json['id']}/accounts",
               {"email": "woorden@bieder.example", "name": "Woorden Bieder",
                "password": "woorden-bieder-2026"})
        bid = Client(srv)
        t.eq(bid.login("woorden@bieder.example", "woorden-bieder-2026").status, 200,
             "its bidder logs in (Dutch)")

        def upload(name, data):
            return bid.request("POST", f"{base}/lots/{lot}/submissions", body=data,
                               headers={"Content-Type": "application/octet-stream",
                                        "X-File-Name": name})

        r1 = upload("plan.pdf", b"%PDF-1.4 plan van aanpak")
        r2 = upload("begroting.docx", b"PK\x03\x04 word document")
        t.ok(r1.status == 201 and r2.status == 201, "a PDF and an office document are received",
             f"{r1.status} {r2.status}")
        t.ok(r1.json["content_type"] == "application/pdf" and
             r2.json["content_type"] == "application/zip",
             "the API keeps the sniffed types")
        p1 = bid.get(f"/procedures/{pid}/submissions/{r1.json['submission']}/receipt").text
        p2 = bid.get(f"/procedures/{pid}/submissions/{r2.json['submission']}/receipt").text
        t.eq(dd(p1, "receipt-type"), "PDF-document", "the receipt names a PDF in words")
        t.eq(dd(p2, "receipt-type"), "Word-document", "and a ZIP named .docx a Word document")
        t.ok("application/" not in p1 + p2, "no MIME type on the receipts")
        local = dd(p1, "receipt-local")
        t.ok(local is not None and re.fullmatch(r"\d{1,2} [a-z]+ \d{4}, \d\d:\d\d:\d\d", local),
             "the receipt's local time is Dutch and keeps the second", local)

        page = bid.get(f"/procedures/{pid}/lots/{lot}/submit").text
        t.ok("256 MB per bestand" in page and "MiB" not in page,
             "the submit page says the limit in MB", re.findall(r".{40}MB.{20}|.{40}MiB.{20}", page))
        page = a.get(f"/procedures/{pid}/vault").text
        t.ok("256 MB per bestand" in page and "MiB" not in page, "and so does the vault page")

        # The price through the form.
        form = bid.get(f"/procedures/{pid}/lots/{lot}/price")
        t.eq(form.status, 200, "the bidder opens the price form")
        r = bid.request("POST", f"/procedures/{pid}/lots/{lot}/price",
                        form={"csrf": form_csrf(form.text), "price": "123.456,78"})
        t.ok(r.status == 201 and "Ontvangstbewijs van uw prijsinschrijving" in r.text,
             "sealing the price answers with its receipt", f"{r.status} {text(r.text)[:400]}")
        t.eq(dd(r.text, "receipt-amount"), "€ 123.456,78",
             "which shows the bidder the amount just sealed")
        t.eq(dd(r.text, "receipt-file"), "uw prijsinschrijving", "and calls it uw prijsinschrijving")
        t.ok("price.json" not in r.text and "application/json" not in r.text and
             'id="receipt-type"' not in r.text,
             "no sealed document's name or type")
        sub = re.search(r"/submissions/(\d+)/receipt/pdf", r.text)
        t.ok(sub is not None, "the receipt links its PDF")
        sid = sub.group(1) if sub else "0"
        later = bid.get(f"/procedures/{pid}/submissions/{sid}/receipt").text
        t.ok(dd(later, "receipt-amount") is None and 'id="receipt-amount-sealed"' in later and
             "verzegeld" in text(later),
             "read again, the receipt says the amount is sealed", text(later)[:400])
        vault = a.get(f"/procedures/{pid}/vault").text
        t.ok("prijsinschrijving" in vault and "price.json" not in vault and "123.456" not in vault,
             "the buyers' vault page lists a prijsinschrijving, without amount")
        t.ok("price.json" not in bid.get(f"/procedures/{pid}/lots/{lot}/submit").text,
             "nor does the bidder's own list name price.json")

        # After the deadline two buyers open the bids and the prices.
        time.sleep(max(0, t0 + DEADLINE_IN + 1.5 - time.time()))
        opened = {"email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                  "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B}
        t.eq(a.post(f"{base}/vault/open", dict(opened)).status, 200, "the vault is opened")
        t.eq(a.post(f"{base}/price-vault/open", dict(opened)).status, 200, "the prices are opened")
        after = bid.get(f"/procedures/{pid}/submissions/{sid}/receipt").text
        t.eq(dd(after, "receipt-amount"), "€ 123.456,78",
             "once opened, the receipt shows its bidder the amount again")
        rec = a.get(f"/procedures/{pid}/vault/record").text
        t.ok("price.json" not in rec and "prijsinschrijving" in rec,
             "the opening record names the price envelope in words")
        t.ok(not re.search(r"CES?T\b|\d{4}-\d\d-\d\d \d\d:\d\d(?!:\d\d UTC)", text(rec)),
             "and its times read as Dutch people write them",
             re.findall(r".{30}(?:CES?T\b|\d{4}-\d\d-\d\d \d\d:\d\d).{20}", text(rec))[:3])
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
