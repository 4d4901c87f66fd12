#!/usr/bin/env python3
"""The confirmed forms test_confirm.py does not reach (form.h FIELD_CONFIRM).

Each irreversible form of a page, sent as an HTML form without its box
ticked, is refused: the page comes back (422) with the error at that
form's box, what was typed stays in its fields, and the API then shows
that nothing happened.  Ticked, the action is done, the answer is a
redirect with its notice code (?done=) and the page it lands on says
what was done.  Covered here: the genuine registration (the claim
decision on the registrations page), the selection round's publication,
the nota van inlichtingen, a contract's extension option and the
publication of a dialogue round's feedback.
"""
import html
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402

PW = "bevestig-bieder-2026!!"


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


def errors_at(html):
    """The ids of the fields that show an error (err-f-ID)."""
    return set(re.findall(r'<p class="field-error" id="err-f-([a-z0-9_-]+)">', html))


def done_notice(page):
    """The text of the page's notice of what was done, or None."""
    m = re.search(r'<p class="notice saved" role="status" id="done">([^<]*)', page)
    return html.unescape(m.group(1)).strip() if m else None


class Checks:
    """The two halves every confirmed form is tested on."""

    def __init__(self, t, web):
        self.t, self.web = t, web

    def refused(self, r, field_id, what, typed=()):
        """r: the answer to the unticked form; field_id: its box's id
        without "f-"; typed: pieces of what was typed that must be on the
        page again."""
        ok = (r.status == 422 and errors_at(r.text) == {field_id}
              and f'href="#f-{field_id}"' in r.text and "Nothing was changed." in r.text
              and "Tick the box to confirm" in r.text)
        missing = [x for x in typed if x not in r.text]
        return self.t.ok(ok and not missing,
                         f"{what}: without the box it is refused at the box"
                         + (", what was typed stays" if typed else ""),
                         f"{r.status} {sorted(errors_at(r.text))} missing {missing}\n{r.text[:400]}")

    def accepted(self, r, code, says, what):
        loc = r.headers.get("Location", "")
        self.t.ok(r.status == 303 and f"done={code}" in loc,
                  f"{what}: with the box ticked it is done", f"{r.status} {loc} {r.text[:300]}")
        landed = self.web.get(loc).text if loc else ""
        notice = done_notice(landed)
        self.t.ok(notice is not None and notice.startswith(says),
                  f"{what}: the page it lands on says so", f"{notice!r}\n{landed[:300]}")


def vault_checks(t, srv, a, c):
    """An open procedure whose tender deadline is seconds ahead, a vault
    of two buyers, a bidder with two bids: the withdraw form (the
    receipt page) and the opening form (the vault page)."""
    pass_a, pass_b = "bevestig-kluis-a-2026", "bevestig-kluis-b-2026"
    b = Client(srv)
    t.eq(b.login("buyer2@dordrecht.example").status, 200, "buyer B logs in")
    t.eq(a.post("/api/v1/account/vault-key", {"passphrase": pass_a}).status, 201,
         "buyer A sets a vault passphrase")
    t.eq(b.post("/api/v1/account/vault-key", {"passphrase": pass_b}).status, 201,
         "buyer B sets a vault passphrase")
    r = a.post("/api/v1/procedures", {
        "reference": "DOR-CONFIRM-VAULT", "title": "Kluis bevestigen", "type": "open",
        "cpv": "85310000-5", "value": "100.000",
        "lots": [{"title": "Wijkteam", "value": "50.000"}]})
    t.eq(r.status, 201, "an open procedure")
    pid = r.json["id"]
    lot = r.json["lots"][0]["id"]
    base = f"/api/v1/procedures/{pid}"
    spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
    t0 = time.time()
    deadline = None
    for i, s in enumerate(r.json["stages"]):
        if s["kind"] == "tender-deadline":
            m = a.post(f"{base}/stages/{s['id']}/move", {"start": local_in(t0 + 20 - time.time())})
            t.eq(m.status, 200, "the tender deadline is planned")
            deadline = [x for x in m.json["stages"] if x["kind"] == "tender-deadline"][0]["end"]["utc"]
            break
        body = {"start": local_in(2 + i)}
        if s["kind"] in spans:
            body["end"] = local_in(3 + i)
        m = a.post(f"{base}/stages/{s['id']}/move", body)
        t.eq(m.status, 200, f"plan {s['kind']}")
    t.eq(a.post(f"{base}/vault", {}).status, 201, "the vault is made")
    r = a.post(f"{base}/candidates", {
        "name": "Kluisbieder (test)", "consortium": False,
        "parties": [{"org_name": "Kluisbieder (test)", "kvk": "92345678", "role": "penvoerder"}]})
    t.eq(r.status, 201, "a candidate")
    r = a.post(f"{base}/candidates/{r.json['id']}/accounts", {
        "email": "bieder@bevestig.example", "name": "Bieder Bevestig",
        "password": "bevestig-kluis-bieder"})
    t.eq(r.status, 201, "with a bidder account")
    bid = Client(srv)
    t.eq(bid.login("bieder@bevestig.example", "bevestig-kluis-bieder").status, 200, "who logs in")
    bid.post("/api/v1/lang", {"lang": "en"})
    sids = []
    for name, data in (("bod.pdf", b"%PDF-1.4\n% bod een\n"), ("ander.pdf", b"%PDF-1.4\n% bod twee\n")):
        r = bid.request("POST", f"{base}/lots/{lot}/submissions", body=data,
                        headers={"Content-Type": "application/octet-stream", "X-File-Name": name})
        t.eq(r.status, 201, f"the bidder hands in {name}")
        sids.append((r.json or {}).get("submission"))

    # Withdrawing a bid, on its receipt page.
    sid = sids[1]
    receipt = f"/procedures/{pid}/submissions/{sid}/receipt"
    page = bid.get(receipt).text
    t.ok('id="f-confirm"' in page and "cannot be restored" in page,
         "the withdraw form has its box", page[:300])
    r = bid.request("POST", f"/procedures/{pid}/submissions/{sid}/withdraw",
                    form={"csrf": form_csrf(page)})
    bc = Checks(t, bid)
    bc.refused(r, "confirm", "withdrawing a bid")
    rec = bid.get(f"{base}/submissions/{sid}/receipt")
    t.ok(rec.status == 200 and "withdrawn_at" in rec.json and rec.json["withdrawn_at"] is None,
         "and the bid is not withdrawn", rec.text[:300])
    r = bid.request("POST", f"/procedures/{pid}/submissions/{sid}/withdraw",
                    form={"csrf": form_csrf(page), "confirm": "1"})
    loc = r.headers.get("Location", "")
    t.ok(r.status == 303 and loc.endswith("?withdrawn=1"), "ticked, the bid is withdrawn",
         f"{r.status} {loc}")
    t.ok("The bid has been withdrawn." in (bid.get(loc).text if loc else ""),
         "the receipt page it lands on says so")
    rec = bid.get(f"{base}/submissions/{sid}/receipt")
    t.ok(rec.status == 200 and rec.json["withdrawn_at"], "the API shows it withdrawn", rec.text[:300])

    # Opening the vault, after the deadline.
    if deadline + 1.2 > time.time():
        time.sleep(deadline + 1.2 - time.time())
    page = a.get(f"/procedures/{pid}/vault").text
    t.ok('id="f-confirm"' in page and "cannot be sealed again" in page,
         "the opening form has its box", page[:300])
    form = {"csrf": form_csrf(page), "email_a": "buyer@dordrecht.example", "passphrase_a": pass_a,
            "email_b": "buyer2@dordrecht.example", "passphrase_b": pass_b}
    r = a.request("POST", f"/procedures/{pid}/vault/open", form=form)
    c.refused(r, "confirm", "opening the vault",
              typed=['<option value="buyer2@dordrecht.example" selected>'])
    t.ok(pass_a not in r.text and pass_b not in r.text, "the passphrases are not shown again")
    v = a.get(f"{base}/vault").json["vault"]
    t.ok("opened_at" in v and v["opened_at"] is None, "and the vault is not opened", str(v))
    r = a.request("POST", f"/procedures/{pid}/vault/open", form=dict(form, confirm="1"))
    t.ok(r.status == 200 and "The vault was opened on" in r.text,
         "ticked, the vault is opened and the page says so", f"{r.status} {r.text[:300]}")
    v = a.get(f"{base}/vault").json["vault"]
    t.ok(v["opened_at"] and len(v["opened_by"]) == 2, "the API shows it opened by two buyers", str(v))


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        t.eq(buyer.post("/api/v1/lang", {"lang": "en"}).status, 200, "the buyer reads English")
        c = Checks(t, buyer)

        # ---- a restricted procedure, two registrations under one KvK ----
        deadline_in = 12
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-CONFIRM-2", "title": "Bevestigen twee", "type": "restricted",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Perceel", "value": "100.000"}]})
        t.eq(r.status, 201, "a restricted procedure")
        pid = r.json["id"]
        base = f"/api/v1/procedures/{pid}"
        for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, deadline_in),
                           ("document-issued", 3, None), ("application-deadline", deadline_in, None)):
            cur = buyer.get(base).json
            body = {"start": local_in(s)}
            if e:
                body["end"] = local_in(e)
            r = buyer.post(f"{base}/stages/{stage(cur, kind)['id']}/move", body)
            t.ok(r.status == 200, f"plan {kind}", r.text[:200])
        deadline = stage(buyer.get(base).json, "application-deadline")["end"]["utc"]
        r = buyer.post(f"{base}/selection-criteria",
                       {"key": "ervaring", "title": "Ervaring", "kind": "scored", "max_points": 10})
        t.ok(r.status in (200, 201), "a scored selection criterion", r.text[:200])
        t.eq(buyer.post(f"{base}/publish", {}).status, 201, "published for registration")
        anon = Client(srv)
        regs_in = {}
        for k, org, kvk in (("a", "Wijkzorg A (test)", "71111111"),
                            ("b", "Buurtwerk B (test)", "72222222"),
                            ("x", "Nep A (test)", "71111111")):
            r = anon.post(f"/api/v1/tenders/{pid}/register", {
                "org_name": org, "kvk": kvk, "address": "Spuiboulevard 1, Dordrecht",
                "name": "Contact " + org, "email": f"{k}@bevestig.example", "password": PW})
            t.eq(r.status, 201, f"{org} registers")
            regs_in[k] = r.json["candidate"]["id"] if r.status == 201 else 0

        # ---- the genuine registration ----
        regs = buyer.get(f"{base}/registrations").json
        t.eq(regs["conflicts"], 2, "two registrations under one KvK number conflict")
        genuine = regs_in["a"]
        page = buyer.get(f"/procedures/{pid}/registrations").text
        t.ok(f'id="f-decide-{genuine}-confirm"' in page and "cannot be undone" in page,
             "each conflicting registration's decision has its box", page[:300])
        reason = "Bekend <b>bij</b> KvK"
        r = buyer.request("POST", f"/procedures/{pid}/registrations/decide", form={
            "csrf": form_csrf(page), "candidate": str(genuine), "reason": reason})
        c.refused(r, f"decide-{genuine}-confirm", "the genuine registration",
                  typed=["Bekend &lt;b&gt;bij&lt;/b&gt; KvK</textarea>"])
        regs = buyer.get(f"{base}/registrations").json
        t.ok(regs["conflicts"] == 2 and all("verdict" not in g for g in regs["registrations"]),
             "and no registration is decided", str(regs)[:400])
        r = buyer.request("POST", f"/procedures/{pid}/registrations/decide", form={
            "csrf": form_csrf(page), "candidate": str(genuine), "reason": reason, "confirm": "1"})
        c.accepted(r, "claim-decided", "The genuine registration is recorded",
                   "the genuine registration")
        by = {g["candidate"]: g for g in buyer.get(f"{base}/registrations").json["registrations"]}
        t.ok(by[genuine].get("verdict", {}).get("genuine") is True
             and by[regs_in["x"]].get("verdict", {}).get("genuine") is False,
             "the API shows A genuine and X not", str(by)[:400])

        # ---- the nota van inlichtingen ----
        bidder = Client(srv)
        t.eq(bidder.login("a@bevestig.example", PW).status, 200, "bidder A logs in")
        r = bidder.post(f"{base}/questions", {"text": "Mag een onderaannemer meedoen?"})
        t.eq(r.status, 201, "bidder A asks a question")
        qid = (r.json or {}).get("id")
        r = buyer.post(f"{base}/questions/{qid}/answer", {"answer": "Ja, onder voorwaarden."})
        t.eq(r.status, 200, "the buyer answers it")
        page = buyer.get(f"/procedures/{pid}/questions").text
        t.ok('id="f-confirm"' in page and "cannot be undone" in page,
             "the nota's publish form has its box", page[:300])
        r = buyer.request("POST", f"/procedures/{pid}/notas", form={"csrf": form_csrf(page)})
        c.refused(r, "confirm", "the nota")
        t.eq(buyer.get(f"{base}/notas/1").status, 404, "and no nota is published")
        r = buyer.request("POST", f"/procedures/{pid}/notas",
                          form={"csrf": form_csrf(page), "confirm": "1"})
        c.accepted(r, "nota-published", "The nota van inlichtingen is published", "the nota")
        t.eq(buyer.get(f"{base}/notas/1").status, 200, "the API shows nota 1")

        # ---- the selection round's results ----
        if deadline + 1.2 > time.time():
            time.sleep(deadline + 1.2 - time.time())
        for k, pts in (("a", 8), ("b", 6)):
            r = buyer.post(f"{base}/selection/scores", {
                "candidate": regs_in[k], "criterion": "ervaring", "points": pts,
                "motivation": "Beoordeeld."})
            t.eq(r.status, 200, f"the buyer scores {k}")
        page = buyer.get(f"/procedures/{pid}/selection").text
        t.ok('id="f-confirm"' in page and "cannot be changed or withdrawn" in page,
             "the selection's publish form has its box", page[:300])
        r = buyer.request("POST", f"/procedures/{pid}/selection/publish", form={
            "csrf": form_csrf(page), "round": "1", "max_admitted": "7", "tie_admit": ""})
        c.refused(r, "confirm", "the selection results", typed=['name="max_admitted"', 'value="7"'])
        view = buyer.get(f"{base}/selection").json
        t.ok(view["rounds"] == [] and view["round"] is None, "and nothing is published", str(view)[:300])
        r = buyer.request("POST", f"/procedures/{pid}/selection/publish", form={
            "csrf": form_csrf(page), "round": "1", "max_admitted": "7", "tie_admit": "",
            "confirm": "1"})
        c.accepted(r, "selection-published", "The round's results are published",
                   "the selection results")
        view = buyer.get(f"{base}/selection").json
        t.ok(len(view["rounds"]) == 1, "the API shows the published round", str(view)[:300])

        # ---- a contract's extension option (Haarlem's, of the demo) ----
        hb = Client(srv)
        t.eq(hb.login("buyer@haarlem.example").status, 200, "Haarlem's buyer logs in")
        hb.post("/api/v1/lang", {"lang": "en"})
        hc = Checks(t, hb)
        r = hb.post("/api/v1/contracts", {
            "reference": "HLM-CONFIRM-1", "title": "Bevestigen verlengen", "start": "2024-01-01",
            "end": "2030-01-01", "extension_options": 2, "extension_months": 24,
            "budget": "1.000.000", "base_year": 2024,
            "parties": [{"org_name": "Consortium Bevestig", "kvk": "93000011", "role": "penvoerder"}]})
        t.eq(r.status, 201, "a contract with two extension options")
        ct = r.json
        cid = ct["id"]
        page = hb.get(f"/contracts/{cid}").text
        t.ok('id="f-extend-confirm"' in page and "cannot be given back" in page,
             "the extend form has its box", page[:300])
        r = hb.request("POST", f"/contracts/{cid}/extend", form={"csrf": form_csrf(page)})
        hc.refused(r, "extend-confirm", "the extension option")
        now = hb.get(f"/api/v1/contracts/{cid}").json
        t.ok(now["extensions_used"] == ct["extensions_used"]
             and now["effective_end"] == ct["effective_end"],
             "and no option is used, the end stays", str(now)[:300])
        r = hb.request("POST", f"/contracts/{cid}/extend",
                       form={"csrf": form_csrf(page), "confirm": "1"})
        hc.accepted(r, "contract-extended", "The extension option is used", "the extension option")
        now = hb.get(f"/api/v1/contracts/{cid}").json
        t.ok(now["extensions_used"] == ct["extensions_used"] + 1
             and now["effective_end"] != ct["effective_end"],
             "the API shows one more option used and a later end", str(now)[:300])

        # ---- a dialogue round's feedback ----
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-CONFIRM-DLG", "title": "Dialoog bevestigen", "type": "sas-dialogue",
            "cpv": "85310000-5", "value": "900.000", "dialogue_rounds": 2,
            "lots": [{"title": "Wijkteam Noord", "value": "450.000"}]})
        t.eq(r.status, 201, "a SAS procedure with two dialogue rounds")
        dpid = r.json["id"]
        dbase = f"/api/v1/procedures/{dpid}"
        rnds = [s for s in r.json["stages"] if s["kind"] == "dialogue-round"]
        m1 = buyer.post(f"{dbase}/stages/{rnds[0]['id']}/move",
                        {"start": local_in(2), "end": local_in(3600)})
        m2 = buyer.post(f"{dbase}/stages/{rnds[1]['id']}/move",
                        {"start": local_in(3700), "end": local_in(7200)})
        t.ok(m1.status == 200 and m2.status == 200, "the rounds are planned",
             m1.text[:200] + m2.text[:200])
        r = buyer.post(f"{dbase}/candidates", {
            "name": "Dialoog A (test)", "consortium": False,
            "parties": [{"org_name": "Dialoog A (test)", "kvk": "81234567", "role": "penvoerder"}]})
        t.eq(r.status, 201, "a candidate")
        dcand = r.json["id"]
        r = buyer.post(f"{dbase}/dialogue/rounds/1/deadline", {"plan_due": local_in(5)})
        t.eq(r.status, 200, "plans are due in a few seconds")
        due = r.json["plan_due"]["utc"] if r.json else time.time() + 5
        feedback = "Werk de rol van de wijkverpleging uit & kom terug."
        r = buyer.post(f"{dbase}/dialogue/rounds/1/candidates/{dcand}/feedback", {"text": feedback})
        t.eq(r.status, 200, "the buyer drafts feedback")
        if due + 1.2 > time.time():
            time.sleep(due + 1.2 - time.time())
        page = buyer.get(f"/procedures/{dpid}/dialogue").text
        box = f"pub-1-{dcand}-confirm"
        t.ok(f'id="f-{box}"' in page and "cannot be changed or taken back" in page,
             "the feedback's publish form has its box", page[:300])
        action = f"/procedures/{dpid}/dialogue/rounds/1/candidates/{dcand}/feedback/publish"
        r = buyer.request("POST", action, form={"csrf": form_csrf(page)})
        c.refused(r, box, "the feedback", typed=["Werk de rol van de wijkverpleging uit &amp; kom terug."])
        fb = buyer.get(f"{dbase}/dialogue").json["rounds"][0]["candidates"][0]["feedback"]
        t.ok(fb and fb.get("text") == feedback and not fb.get("published_at"),
             "and the feedback is not published, the draft as it was", str(fb))
        r = buyer.request("POST", action, form={"csrf": form_csrf(page), "confirm": "1"})
        c.accepted(r, "feedback-published", "The feedback is published", "the feedback")
        fb = buyer.get(f"{dbase}/dialogue").json["rounds"][0]["candidates"][0]["feedback"]
        t.ok(fb and fb.get("published_at") and fb.get("text") == feedback,
             "the API shows it published", str(fb))

        # ---- the vault: a bid withdrawn, the vault opened ----
        vault_checks(t, srv, buyer, c)
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
