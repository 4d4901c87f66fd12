#!/usr/bin/env python3
"""The award's confirmed forms (form.h FIELD_CONFIRM), as HTML forms.

A lot with one criterion and its price, two bidders with a bid and a
sealed price, the demo assessor and buyer B assigned.  After the tender
deadline the bids are opened through the API; then each irreversible
step is sent as a page's form, first without its box: handing in one's
scores, making the quality final, opening the prices, sending the
award decision and, with the server's clock past the standstill (a test
build's clock offset, test_award.restart), making the award definitive.  Unticked each is refused with the error at its box,
what was typed stays, and the API shows that nothing happened; ticked it
is done and the page it lands on says so.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402
from test_award import restart  # noqa: E402
from test_confirm_more import Checks  # noqa: E402

PASS_A = "bevestig gunning passphrase A"
PASS_B = "bevestig gunning passphrase B"
DEADLINE_IN = 20
RULES = {
    "method": "weighted", "price_scoring": "relative", "price_weight_bp": 4000,
    "tie_rule": "lowest-price", "price_after_quality": True,
    "criteria": [{"key": "team", "name": "Team", "weight_bp": 10000, "marks": [1, 10]}]}
NAMES = ["Gunning Alfa (test)", "Gunning Bravo (test)"]
PRICES = ["1.000.000,00", "900.000,00"]


def main():
    t = Tap()
    srv = Server()
    try:
        a, b = Client(srv), Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer A logs in")
        t.eq(b.login("buyer2@dordrecht.example").status, 200, "buyer B logs in")
        for c, p in ((a, PASS_A), (b, PASS_B)):
            c.post("/api/v1/lang", {"lang": "en"})
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": p}).status, 201,
                 "a buyer sets a vault passphrase")
        ca = Checks(t, a)

        r = a.post("/api/v1/procedures", {
            "reference": "DOR-CONFIRM-AWARD", "title": "Gunning bevestigen", "type": "open",
            "cpv": "85310000-5", "value": "2.000.000",
            "lots": [{"title": "Wijkteam", "value": "1.200.000"}]})
        t.eq(r.status, 201, "an open procedure with one lot")
        pid = r.json["id"]
        lot = r.json["lots"][0]["id"]
        base = f"/api/v1/procedures/{pid}"
        lbase = f"{base}/lots/{lot}/award"
        page_base = f"/procedures/{pid}/lots/{lot}/award"
        t.eq(a.post(f"{lbase}/rules", RULES).status, 200, "the award rules")

        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        t0 = time.time()
        for i, s in enumerate(a.get(base).json["stages"]):
            if s["kind"] == "tender-deadline":
                m = a.post(f"{base}/stages/{s['id']}/move",
                           {"start": local_in(t0 + DEADLINE_IN - time.time())})
                t.eq(m.status, 200, "the tender deadline is planned")
                break
            body = {"start": local_in(2 + i)}
            if s["kind"] in spans:
                body["end"] = local_in(3 + i)
            a.post(f"{base}/stages/{s['id']}/move", body)
        t.eq(a.post(f"{base}/vault", {}).status, 201, "the vault is made")

        cands = []
        for i, name in enumerate(NAMES):
            r = a.post(f"{base}/candidates", {
                "name": name, "consortium": False,
                "parties": [{"org_name": name, "kvk": f"9{i+1}345679", "role": "penvoerder"}]})
            t.eq(r.status, 201, f"candidate {i+1}")
            cands.append(r.json["id"])
            email = f"bieder{i+1}@bevestig-gunning.example"
            a.post(f"{base}/candidates/{r.json['id']}/accounts",
                   {"email": email, "name": name, "password": "bevestig-gunning-2026"})
            c = Client(srv)
            t.eq(c.login(email, "bevestig-gunning-2026").status, 200, f"bidder {i+1} logs in")
            r = c.request("POST", f"{base}/lots/{lot}/submissions",
                          body=b"%PDF-1.4 plan " + name.encode(),
                          headers={"Content-Type": "application/octet-stream",
                                   "X-File-Name": "plan.pdf"})
            t.eq(r.status, 201, f"bidder {i+1} submits its bid")
            t.eq(c.post(f"{base}/lots/{lot}/price", {"price": PRICES[i]}).status, 201,
                 f"bidder {i+1} seals its price")
        t.eq(a.post(f"{base}/assessors", {"email": "assessor@dordrecht.example"}).status, 201,
             "the demo assessor becomes an assessor")
        for who in ("assessor@dordrecht.example", "buyer2@dordrecht.example"):
            t.eq(a.post(f"{lbase}/assign", {"assessor": who, "criteria": ["*"]}).status, 200,
                 f"{who} is assigned")
        assessor = Client(srv)
        t.eq(assessor.login("assessor@dordrecht.example").status, 200, "the assessor logs in")
        assessor.post("/api/v1/lang", {"lang": "en"})

        wait = t0 + DEADLINE_IN + 1.5 - time.time()
        if wait > 0:
            time.sleep(wait)
        r = a.post(f"{base}/vault/open", {"email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                                          "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.eq(r.status, 200, "two buyers open the bids (API)")
        for c, steps in ((assessor, (7, 5)), (b, (6, 6))):
            for cand, st in zip(cands, steps):
                r = c.post(f"{lbase}/scores", {"candidate": cand, "criterion": "team", "step": st,
                                               "motivation": "Zie de beoordeling."})
                t.eq(r.status, 200, "an assessor scores a bid")

        # ---- handing in one's scores ----
        ac = Checks(t, assessor)
        page = assessor.get(f"{page_base}/scoring").text
        t.ok('id="f-hand-in-confirm"' in page, "the hand-in form has its box", page[:300])
        r = assessor.request("POST", f"{page_base}/hand-in", form={"csrf": form_csrf(page)})
        ac.refused(r, "hand-in-confirm", "handing in")
        r = assessor.post(f"{lbase}/scores", {"candidate": cands[0], "criterion": "team", "step": 8,
                                              "motivation": "Herzien."})
        t.eq(r.status, 200, "and the assessor can still change its score: nothing was handed in")
        r = assessor.request("POST", f"{page_base}/hand-in",
                             form={"csrf": form_csrf(page), "confirm": "1"})
        ac.accepted(r, "scores-handed-in", "Your scores are handed in", "handing in")
        r = assessor.post(f"{lbase}/scores", {"candidate": cands[0], "criterion": "team", "step": 7,
                                              "motivation": "Te laat."})
        t.eq(r.status, 409, "the API then refuses a change: the scores are handed in")
        t.eq(b.post(f"{lbase}/hand-in", {}).status, 200, "buyer B hands in (API)")
        for cand, st in zip(cands, (7, 5)):
            t.eq(a.post(f"{lbase}/consensus", {"candidate": cand, "criterion": "team", "step": st,
                                               "motivation": "Consensus: sterk onderbouwd."}).status,
                 200, "the buyer records a consensus score")

        # ---- the quality made final ----
        page = a.get(f"{page_base}/scoring").text
        t.ok('id="f-final-confirm"' in page, "the final form has its box", page[:300])
        r = a.request("POST", f"{page_base}/final", form={"csrf": form_csrf(page)})
        ca.refused(r, "final-confirm", "making the quality final")
        t.ok(a.post(f"{base}/price-vault/open", {
            "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B}).status == 409,
            "and the prices stay sealed: the quality is not final")
        r = a.request("POST", f"{page_base}/final", form={"csrf": form_csrf(page), "confirm": "1"})
        ca.accepted(r, "quality-final", "The quality scores are final", "making the quality final")
        t.eq(a.post(f"{lbase}/consensus", {"candidate": cands[0], "criterion": "team", "step": 1,
                                           "motivation": "Later."}).status, 409,
             "the API then refuses a consensus change")

        # ---- the prices opened ----
        page = a.get(f"/procedures/{pid}/award").text
        t.ok("a price cannot be sealed again" in page, "the price opening form has its box", page[:300])
        form = {"csrf": form_csrf(page), "email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B}
        r = a.request("POST", f"/procedures/{pid}/price-vault/open", form=form)
        ca.refused(r, "confirm", "opening the prices",
                   typed=['<option value="buyer2@dordrecht.example" selected>'])
        t.ok(PASS_A not in r.text and PASS_B not in r.text, "the passphrases are not shown again")
        t.ok(a.get(f"{base}/vault/record").json["prices"] is None, "and the prices stay sealed")
        r = a.request("POST", f"/procedures/{pid}/price-vault/open", form=dict(form, confirm="1"))
        ca.accepted(r, "prices-opened", "The prices are opened", "opening the prices")
        t.ok(a.get(f"{base}/vault/record").json["prices"], "the opening record shows the prices opened")

        # ---- the award decision ----
        page = a.get(f"{page_base}/ranking").text
        t.ok('id="f-confirm"' in page and "not taken back" in page,
             "the decision form has its box", page[:300])
        summary = "Het plan van <Alfa> verbindt de wijkteams."
        form = {"csrf": form_csrf(page), "winner_summary": summary,
                "objection": "Kort geding binnen de termijn.", "corrected_reason": ""}
        r = a.request("POST", f"{page_base}/decision", form=form)
        ca.refused(r, "confirm", "the award decision",
                   typed=["Het plan van &lt;Alfa&gt; verbindt de wijkteams.</textarea>"])
        letter = a.get(f"{lbase}/letter?candidate={cands[0]}")
        t.ok(letter.status in (404, 409), "and no decision is sent: there is no letter",
             f"{letter.status} {letter.text[:200]}")
        r = a.request("POST", f"{page_base}/decision", form=dict(form, confirm="1"))
        ca.accepted(r, "award-decided", "The award decision is sent", "the award decision")
        t.eq(a.get(f"{lbase}/letter?candidate={cands[0]}").status, 200,
             "the API then has the letter")

        # ---- the definitive award, past the standstill ----
        t.ok(restart(srv, 25 * 86400), "the server restarts with its clock 25 days ahead")
        a = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer A logs in again")
        a.post("/api/v1/lang", {"lang": "en"})
        ca = Checks(t, a)
        page = a.get(f"{page_base}/objections").text
        t.ok('id="f-definitive-confirm"' in page and "no objection can stop it" in page,
             "the definitive form has its box", page[:300])
        r = a.request("POST", f"{page_base}/definitive", form={"csrf": form_csrf(page)})
        ca.refused(r, "definitive-confirm", "the definitive award")
        t.eq(a.get(f"{lbase}/objections").json["decisions"][-1]["status"], "provisional",
             "and the decision stays provisional")
        r = a.request("POST", f"{page_base}/definitive", form={"csrf": form_csrf(page), "confirm": "1"})
        ca.accepted(r, "award-definitive", "The award is definitive", "the definitive award")
        t.eq(a.get(f"{lbase}/objections").json["decisions"][-1]["status"], "definitive",
             "the API shows the decision definitive")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
