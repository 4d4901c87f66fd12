#!/usr/bin/env python3
"""Where a person typed an identifier, a pick (issue 12, item 4).

On the demo's procedure in its standstill (DOR-2027-BBM-DEMO): the
objections page offers the candidate as a <select> of the lot's bidders by
name (exactly the bids the scoring lists), no typed candidate or objection
number; with nothing open there is no settle form.  Registering through
the form with no candidate chosen is refused at the field with a sentence
that fits a pick, and nothing is registered; with the candidate picked it
is registered for that candidate.  The settle form then offers that open
objection by its candidate's name; settling it through the form closes
it, and the form goes again.  The procedure in evaluation
(DOR-2027-GGZ-DEMO): the price opening form picks both buyers from the
buyers with a vault passphrase (by name and address), the caller first.  Where the prices are
open already (the standstill procedure) there is no price form.  No page
the buyer reaches here has a text input for an identifier.
"""
import html
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf  # noqa: E402


def select_of(page, name):
    """[(value, label, selected)] of the <select name=name>, or None."""
    m = re.search(r'<select[^>]*name="%s"[^>]*>(.*?)</select>' % name, page, re.S)
    if not m:
        return None
    return [(html.unescape(v), html.unescape(re.sub(r"<[^>]+>", "", lab)).strip(), bool(sel))
            for v, sel, lab in re.findall(r'<option value="([^"]*)"( selected)?[^>]*>(.*?)</option>',
                                          m.group(1), re.S)]


def form_of(page, action_end):
    m = re.search(r'<form[^>]*action="[^"]*%s"[^>]*>.*?</form>' % re.escape(action_end), page, re.S)
    return m.group(0) if m else ""


def typed_ids(page):
    """Text/number inputs whose name says they hold an identifier."""
    return [n for kind, n in re.findall(r'<input type="(text|number|email)"[^>]*name="([a-z_]+)"', page)
            if n.endswith("_id") or n in ("candidate", "objection", "decision", "lot")]


def main():
    t = Tap()
    os.environ["TZ"] = "Europe/Amsterdam"
    time.tzset()
    today = time.strftime("%Y-%m-%d")
    srv = Server()
    try:
        buyer = Client(srv)
        buyer.html_login("keyholder1@dordrecht.example")
        procs = {q["reference"]: q["id"] for q in buyer.get("/api/v1/procedures").json["procedures"]}
        t.ok("DOR-2027-BBM-DEMO" in procs and "DOR-2027-GGZ-DEMO" in procs,
             "keyholder1 (a buyer) sees the standstill and evaluation procedures", list(procs))
        pid = procs["DOR-2027-BBM-DEMO"]
        lot = buyer.get(f"/api/v1/procedures/{pid}/award").json["lots"][0]["lot"]
        lbase = f"/procedures/{pid}/lots/{lot}/award"
        bids = buyer.get(f"/api/v1{lbase}/scoring").json["bids"]
        want = sorted((str(b["candidate"]), b["name"]) for b in bids)
        t.ok(len(want) >= 2, "the lot has bids", want)

        page = buyer.get(f"{lbase}/objections").text
        cands = select_of(form_of(page, "/award/objections"), "candidate")
        t.ok(cands is not None, "the register form has a <select name=candidate>")
        t.eq(sorted((v, lab) for v, lab, _ in cands or [] if v), want,
             "its options are the lot's bidders, by name")
        t.ok(cands and cands[0][0] == "" and cands[0][1], "the first option asks to choose", cands)
        t.eq(typed_ids(page), [], "no typed candidate or objection number on the page")
        open_before = [o for o in buyer.get(f"/api/v1{lbase}/objections").json["objections"]
                       if not o["closed_on"]]
        t.eq(open_before, [], "no objection is open")
        t.ok("/award/objections/close" not in page, "so there is no settle form")

        # Nothing picked: refused at the field, nothing registered.
        n0 = len(buyer.get(f"/api/v1{lbase}/objections").json["objections"])
        r = buyer.request("POST", f"{lbase}/objections", form={
            "csrf": form_csrf(page), "candidate": "", "kind": "objection",
            "filed_on": today, "summary": "Bezwaar tegen de score op kwaliteit (keuzetest)"})
        t.eq(r.status, 422, "no candidate picked: refused")
        t.ok("Kies de gegadigde" in r.text and 'id="err-f-candidate"' in r.text or
             "Kies de gegadigde" in r.text and 'aria-invalid="true"' in r.text,
             "the message asks to choose the candidate, at its field", r.text[-3000:])
        t.ok("Bezwaar tegen de score op kwaliteit (keuzetest)" in r.text,
             "the refused form keeps the summary typed")
        t.eq(len(buyer.get(f"/api/v1{lbase}/objections").json["objections"]), n0,
             "nothing was registered")

        # Picked: registered for that candidate.
        cid, cname = want[0]
        r = buyer.request("POST", f"{lbase}/objections", form={
            "csrf": form_csrf(page), "candidate": cid, "kind": "objection",
            "filed_on": today, "summary": "Bezwaar tegen de score op kwaliteit (keuzetest)"})
        t.ok(r.status in (302, 303), "the picked candidate's objection is registered", f"{r.status} {r.text[:300]}")
        obs = [o for o in buyer.get(f"/api/v1{lbase}/objections").json["objections"] if not o["closed_on"]]
        t.ok(len(obs) == 1 and str(obs[0]["candidate"]) == cid and obs[0]["name"] == cname,
             f"one open objection, of {cname}", obs)

        page = buyer.get(f"{lbase}/objections").text
        settle = select_of(form_of(page, "/award/objections/close"), "objection")
        picks = [(v, lab) for v, lab, _ in settle or [] if v]
        t.ok(obs and picks and len(picks) == 1 and picks[0][0] == str(obs[0]["id"]) and cname in picks[0][1],
             "the settle form offers the open objection by its candidate's name", settle)
        t.eq(typed_ids(page), [], "still no typed number")
        if obs:
            r = buyer.request("POST", f"{lbase}/objections/close", form={
                "csrf": form_csrf(page), "objection": "", "closed_on": today, "outcome": "x"})
            t.ok(r.status == 422 and "Kies het bezwaar" in r.text,
                 "settling with nothing picked is refused, asking to choose", r.text[-2000:])
            r = buyer.request("POST", f"{lbase}/objections/close", form={
                "csrf": form_csrf(page), "objection": str(obs[0]["id"]), "closed_on": today,
                "outcome": "Ingetrokken na een gesprek (keuzetest)"})
            t.ok(r.status in (302, 303), "the picked objection is settled", f"{r.status} {r.text[:300]}")
            o = [x for x in buyer.get(f"/api/v1{lbase}/objections").json["objections"] if x["id"] == obs[0]["id"]]
            t.ok(o and o[0]["closed_on"] and o[0]["outcome"].startswith("Ingetrokken"),
                 "it is settled with its outcome", o)
            t.ok("/award/objections/close" not in buyer.get(f"{lbase}/objections").text,
                 "nothing open: the settle form is gone")

        t.ok("/price-vault/open" not in buyer.get(f"/procedures/{pid}/award").text,
             "the prices are open: no price form on the standstill procedure")

        # The price opening picks its buyers.
        gid = procs["DOR-2027-GGZ-DEMO"]
        page = buyer.get(f"/procedures/{gid}/award").text
        f = form_of(page, "/price-vault/open")
        t.ok(f, "the evaluation procedure offers the price form")
        keys = buyer.get(f"/api/v1/procedures/{gid}/vault").json["buyers_with_keys"]
        kwant = sorted(k["email"] for k in keys)
        for name in ("email_a", "email_b"):
            opts = select_of(f, name)
            t.ok(opts is not None and sorted(v for v, _, _ in opts if v) == kwant and
                 all(any(k["name"] in lab and k["email"] in lab for k in keys) for v, lab, _ in opts if v),
                 f"{name}: a pick of the buyers with a vault passphrase, by name and address", opts)
        first = select_of(f, "email_a") or []
        t.ok([v for v, _, sel in first if sel] == ["keyholder1@dordrecht.example"],
             "the first buyer is the caller", first)
        t.eq(typed_ids(page), [], "no typed identifier on the award page")
    finally:
        code = srv.stop()
        t.eq(code, 0, "the server stops cleanly")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
