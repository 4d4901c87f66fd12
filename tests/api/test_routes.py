#!/usr/bin/env python3
"""Every route × every role: allowed or refused, as the access rules say.

The expected rule of each route is written here, independently of
src/web/routes.c; the test also reads routes.c and fails when a route has
no expectation, so a new route cannot slip in unchecked.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402

# Procedure routes are tried on Dordrecht's procedure; contract routes on
# Haarlem's contract, where "outsider" (Haarlem's buyer) is the buyer.
ROLES = ["anon", "buyer", "outsider", "assessor", "bidder", "council", "hcouncil", "reporter"]
ACCOUNTS = {
    "buyer": "buyer@dordrecht.example",
    "outsider": "buyer@haarlem.example",   # a buyer, but of another municipality
    "assessor": "assessor@dordrecht.example",
    "bidder": "bidder@wijkzorg.example",
    "council": "council@dordrecht.example",
    "hcouncil": "council@haarlem.example",
    "reporter": "reporter@gidw.example",   # the consortium of Haarlem's contract
}
ALLOWED = {
    "anon": set(ROLES),
    "login": set(ROLES) - {"anon"},
    "tenant_buyer": {"buyer", "outsider"},
    "tenant_read": {"buyer", "outsider", "council", "hcouncil"},
    "proc_read": {"buyer", "assessor", "bidder", "council"},
    "proc_inside": {"buyer", "assessor", "council"},
    "proc_oversight": {"buyer", "council"},
    "proc_buyer": {"buyer"},
    "proc_bidder": {"bidder"},                       # the bidder's own candidate
    "proc_assess": {"buyer", "assessor"},            # scores: not the council
    "receipt": {"buyer", "bidder"},                  # the bid's own bidder, the buyers
    "any_buyer": {"buyer", "outsider"},              # login, but buyers only
    "contract_read": {"outsider", "hcouncil", "reporter"},
    "contract_report": {"outsider", "reporter"},
    "contract_buyer": {"outsider"},
    "haarlem_frame": {"outsider", "hcouncil"},       # a frame of Haarlem
    "dordrecht_subsidy_buyer": {"buyer"},            # a subsidy of Dordrecht
    # Only the organisation a consortium names as a member confirms it,
    # and only the holder of an invitation's token uses it: tried without
    # either, every role is refused (test_orgs.py tries the real ones).
    "named_member": set(),
    "token_holder": set(),
    # A bid read back: tried on the second procedure's bid, whose vault is
    # sealed, so the buyer reaches the action (409, still sealed); the
    # council is refused by the action (403), the assessor has no role
    # there, a bidder never reads a bid.  test_bid_reading.py tries every
    # role after the opening.
    "bid_reader": {"buyer"},
    # An application's document, tried with a document id nobody has:
    # every role is refused (404 or 403); test_bid_reading.py tries the
    # real ones by role.
    "no_such_document": set(),
}
# (method, pattern) -> rule; '#' is a numeric id.
EXPECT = {
    ("GET", "/login"): "anon",
    ("POST", "/login"): "anon",
    ("POST", "/logout"): "login",
    ("POST", "/lang"): "anon",
    ("GET", "/"): "login",
    ("GET", "/attention"): "login",
    ("GET", "/api/v1/attention"): "login",
    ("GET", "/procedures/new"): "tenant_buyer",
    ("POST", "/procedures"): "tenant_buyer",
    ("GET", "/procedures/#"): "proc_read",
    ("POST", "/procedures/#/stages/#/move"): "proc_buyer",
    ("POST", "/procedures/#/stages/#/complete"): "proc_buyer",
    ("GET", "/procedures/#/lots"): "proc_read",
    ("POST", "/procedures/#/lots"): "proc_buyer",
    ("GET", "/procedures/#/candidates"): "proc_read",
    ("POST", "/procedures/#/candidates"): "proc_buyer",
    ("GET", "/procedures/#/decisions"): "proc_inside",
    ("POST", "/procedures/#/decisions"): "proc_buyer",
    ("POST", "/procedures/#/conditions/#/resolve"): "proc_buyer",
    ("GET", "/procedures/#/audit"): "proc_oversight",
    ("GET", "/procedures/#/audit/csv"): "proc_oversight",
    ("GET", "/calendar"): "login",
    ("POST", "/calendar/equated"): "tenant_buyer",
    ("POST", "/api/v1/login"): "anon",
    ("POST", "/api/v1/logout"): "login",
    ("POST", "/api/v1/lang"): "login",
    ("GET", "/api/v1/me"): "login",
    ("GET", "/api/v1/procedures"): "login",
    ("POST", "/api/v1/procedures"): "tenant_buyer",
    ("GET", "/api/v1/procedures/#"): "proc_read",
    ("POST", "/api/v1/procedures/#/stages/#/move"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/stages/#/complete"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/lots"): "proc_read",
    ("POST", "/api/v1/procedures/#/lots"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/candidates"): "proc_read",
    ("POST", "/api/v1/procedures/#/candidates"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/decisions"): "proc_inside",
    ("POST", "/api/v1/procedures/#/decisions"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/conditions/#/resolve"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/audit"): "proc_oversight",
    ("GET", "/api/v1/calendar"): "login",
    ("POST", "/api/v1/calendar/equated"): "tenant_buyer",
}
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("GET", prefix + "/contracts"): "login",
        ("POST", prefix + "/contracts"): "tenant_buyer",
        ("GET", prefix + "/contracts/#"): "contract_read",
        ("POST", prefix + "/contracts/#/terminate"): "contract_buyer",
        ("POST", prefix + "/contracts/#/extend"): "contract_buyer",
        ("POST", prefix + "/contracts/#/index"): "contract_buyer",
        ("GET", prefix + "/contracts/#/cost-model"): "contract_read",
        ("POST", prefix + "/contracts/#/cost-model"): "contract_buyer",
        ("POST", prefix + "/contracts/#/kpis"): "contract_buyer",
        ("POST", prefix + "/contracts/#/measurements"): "contract_report",
        ("POST", prefix + "/contracts/#/evaluations"): "contract_buyer",
        ("GET", prefix + "/budget"): "tenant_read",
        ("POST", prefix + "/budget/frames"): "tenant_buyer",
        ("GET", prefix + "/budget/frames/#/xlsx"): "haarlem_frame",
        ("POST", prefix + "/subsidies"): "tenant_buyer",
        ("POST", prefix + "/subsidies/#/extend"): "dordrecht_subsidy_buyer",
        ("POST", prefix + "/subsidies/#/terminate"): "dordrecht_subsidy_buyer",
        ("GET", prefix + "/history"): "tenant_read",
        ("POST", prefix + "/history"): "tenant_buyer",
        ("GET", prefix + "/report"): "tenant_read",
        ("GET", prefix + "/report/pdf"): "tenant_read",
        ("POST", prefix + "/risks"): "tenant_buyer",
    })
EXPECT[("GET", "/contracts/new")] = "tenant_buyer"
# The sealed bid vault.
EXPECT.update({
    ("GET", "/account/vault-key"): "any_buyer",
    ("POST", "/account/vault-key"): "any_buyer",
    ("POST", "/api/v1/account/vault-key"): "any_buyer",
    ("GET", "/procedures/#/vault"): "proc_buyer",
    ("POST", "/procedures/#/vault"): "proc_buyer",
    ("POST", "/procedures/#/vault/open"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/vault"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/vault"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/vault/open"): "proc_buyer",
    ("POST", "/procedures/#/vault/limit"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/vault/limit"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/candidates/#/accounts"): "proc_buyer",
    # Allowed for the bidder means reaching the upload itself, which then
    # refuses the empty JSON body (415) or the missing vault (409).
    ("POST", "/api/v1/procedures/#/lots/#/submissions"): "proc_bidder",
    # The form twin: an empty urlencoded form reaches the handler, which
    # asks for multipart/form-data (415).
    ("GET", "/procedures/#/lots/#/submit"): "proc_bidder",
    ("POST", "/procedures/#/lots/#/submit"): "proc_bidder",
})
# Receipts, withdrawal and the opening record.  Receipt routes are tried
# on a bid in a second procedure of Dordrecht, with "bidder" played by the
# bidder of that bid's candidate; the bidder's allowed withdrawal really
# withdraws it (the API twin then answers 409).  Before the opening the
# record answers 409 to those allowed.
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("GET", prefix + "/procedures/#/submissions/#/receipt"): "receipt",
        ("GET", prefix + "/procedures/#/submissions/#/receipt/pdf"): "receipt",
        ("POST", prefix + "/procedures/#/submissions/#/withdraw"): "proc_bidder",
        ("GET", prefix + "/procedures/#/vault/record"): "proc_oversight",
        ("GET", prefix + "/procedures/#/vault/record/pdf"): "proc_oversight",
        # Bids of several documents: an empty form is refused at its
        # field (422); the buyer's removal really removes the document of
        # the second procedure (the twin then answers 409); the bidder's
        # receipt of its whole bid.
        ("POST", prefix + "/procedures/#/lots/#/bid-documents"): "proc_buyer",
        ("POST", prefix + "/procedures/#/bid-documents/#/remove"): "proc_buyer",
        ("GET", prefix + "/procedures/#/lots/#/bid"): "proc_bidder",
        ("GET", prefix + "/procedures/#/submissions/#/document"): "bid_reader",
        ("GET", prefix + "/procedures/#/candidates/#/documents/#"): "no_such_document",
    })
# Questions and answers (nota van inlichtingen).  Allowed for an empty
# form means reaching the action, which refuses it (422) or finds nothing
# to publish (409).  Assessors and council members read the published
# notas; only a bidder asks, only a buyer answers and publishes.
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("GET", prefix + "/procedures/#/questions"): "proc_read",
        ("POST", prefix + "/procedures/#/questions"): "proc_bidder",
        ("POST", prefix + "/procedures/#/questions/deadline"): "proc_buyer",
        ("POST", prefix + "/procedures/#/questions/#/answer"): "proc_buyer",
        ("POST", prefix + "/procedures/#/notas"): "proc_buyer",
        ("GET", prefix + "/procedures/#/notas/#"): "proc_read",
        ("GET", prefix + "/procedures/#/notas/#/pdf"): "proc_read",
    })
# Taking part.  Published procedures and registering interest are public
# (tried on a published procedure of its own; an empty registration is
# refused with 422); the application's routes on Dordrecht's procedure,
# where an empty save or a publication meets the passed deadline (409) or
# asks for input (422).
EXPECT.update({
    ("GET", "/tenders"): "anon",
    ("GET", "/api/v1/tenders"): "anon",
    ("GET", "/tenders/#/register"): "anon",
    ("POST", "/tenders/#/register"): "anon",
    ("POST", "/api/v1/tenders/#/register"): "anon",
    # A published procedure's public page and a procurement document of
    # it (test_tender_page.py tries the unpublished ones: 404 for all).
    ("GET", "/tenders/#"): "anon",
    ("GET", "/api/v1/tenders/#"): "anon",
    ("GET", "/tenders/#/documents/#"): "anon",
    ("GET", "/api/v1/tenders/#/documents/#"): "anon",
    # The buyer's procurement documents (an empty form asks for input).
    ("GET", "/procedures/#/documents"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/documents"): "proc_buyer",
    ("POST", "/procedures/#/documents"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/documents"): "proc_buyer",
    ("GET", "/procedures/#/documents/#"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/documents/#"): "proc_buyer",
    ("GET", "/organisation"): "login",
    ("GET", "/api/v1/organisation"): "login",
    ("POST", "/organisation/invitations"): "login",
    ("POST", "/api/v1/organisation/invitations"): "login",
    ("POST", "/organisation/memberships/#/confirm"): "named_member",
    ("POST", "/api/v1/organisation/memberships/#/confirm"): "named_member",
    ("GET", "/invitation"): "token_holder",
    ("POST", "/invitation"): "token_holder",
    ("POST", "/api/v1/invitation"): "token_holder",
    ("GET", "/procedures/#/registrations"): "proc_buyer",
    ("GET", "/api/v1/procedures/#/registrations"): "proc_buyer",
    ("POST", "/procedures/#/registrations/decide"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/registrations/decide"): "proc_buyer",
    ("POST", "/api/v1/procedures/#/application/documents"): "proc_bidder",
    ("POST", "/procedures/#/application/documents"): "proc_bidder",
})
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("POST", prefix + "/procedures/#/publish"): "proc_buyer",
        ("POST", prefix + "/procedures/#/selection-criteria"): "proc_buyer",
        ("GET", prefix + "/procedures/#/application"): "proc_read",
        ("POST", prefix + "/procedures/#/application"): "proc_bidder",
    })
# Staged selection on Dordrecht's procedure: an empty score or publication
# asks for input (422); before publication the bidder's result answers 200
# with nothing in it.
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("GET", prefix + "/procedures/#/selection"): "proc_inside",
        ("POST", prefix + "/procedures/#/selection/scores"): "proc_assess",
        ("POST", prefix + "/procedures/#/selection/publish"): "proc_buyer",
        ("GET", prefix + "/procedures/#/selection/result"): "proc_bidder",
    })
# Evaluation and award on Dordrecht's first lot, which has no award rules
# and no decision: those allowed reach the handler, which asks for input
# (422), finds no rules or decision (409) or shows the empty state (200).
# Scoring is for the buyer and the assessors, not the council (the
# handler refuses them); a bidder reads the rules and its own letter.
EXPECT[("GET", "/procedures/#/lots/#/price")] = "proc_bidder"
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("GET", prefix + "/procedures/#/award"): "proc_read",
        ("POST", prefix + "/procedures/#/assessors"): "proc_buyer",
        ("GET", prefix + "/procedures/#/lots/#/award/rules"): "proc_read",
        ("POST", prefix + "/procedures/#/lots/#/award/rules"): "proc_buyer",
        ("GET", prefix + "/procedures/#/lots/#/award/scoring"): "proc_assess",
        ("POST", prefix + "/procedures/#/lots/#/award/assign"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/award/scores"): "proc_assess",
        ("POST", prefix + "/procedures/#/lots/#/award/scores/matrix"): "proc_assess",
        ("POST", prefix + "/procedures/#/lots/#/award/hand-in"): "proc_assess",
        ("POST", prefix + "/procedures/#/lots/#/award/consensus"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/award/average"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/award/exclusions"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/award/final"): "proc_buyer",
        ("GET", prefix + "/procedures/#/lots/#/award/ranking"): "proc_inside",
        ("POST", prefix + "/procedures/#/lots/#/award/decision"): "proc_buyer",
        ("GET", prefix + "/procedures/#/lots/#/award/letter"): "proc_read",
        ("GET", prefix + "/procedures/#/lots/#/award/letter/pdf"): "proc_read",
        ("GET", prefix + "/procedures/#/lots/#/award/file/pdf"): "proc_oversight",
        ("GET", prefix + "/procedures/#/lots/#/award/xlsx"): "proc_oversight",
        ("GET", prefix + "/procedures/#/lots/#/award/objections"): "proc_oversight",
        ("POST", prefix + "/procedures/#/lots/#/award/objections"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/award/objections/close"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/award/definitive"): "proc_buyer",
        ("POST", prefix + "/procedures/#/lots/#/price"): "proc_bidder",
        ("POST", prefix + "/procedures/#/price-vault/open"): "proc_buyer",
    })
# Dialogue rounds on Dordrecht's procedure, whose rounds are not planned:
# an empty form asks for input (422) or meets the unplanned round (409);
# council members see the course of the dialogue.  A document is tried in
# a sas-dialogue procedure of its own with one plan of its own bidder
# (who plays "bidder" there): the buyer reads it; council members are
# refused (403); the demo's assessor, who assesses Dordrecht's procedure
# only, has no role there (the assessor's reading is dlg_view_of's,
# tests/unit/test_dialogue.c).
for prefix in ("", "/api/v1"):
    EXPECT.update({
        ("GET", prefix + "/procedures/#/dialogue"): "proc_read",
        ("POST", prefix + "/procedures/#/dialogue/rounds/#/deadline"): "proc_buyer",
        ("POST", prefix + "/procedures/#/dialogue/rounds/#/plan"): "proc_bidder",
        ("POST", prefix + "/procedures/#/dialogue/rounds/#/candidates/#/meeting"): "proc_buyer",
        ("POST", prefix + "/procedures/#/dialogue/rounds/#/candidates/#/minutes"): "proc_buyer",
        ("POST", prefix + "/procedures/#/dialogue/rounds/#/candidates/#/feedback"): "proc_buyer",
        ("POST", prefix + "/procedures/#/dialogue/rounds/#/candidates/#/feedback/publish"): "proc_buyer",
        ("GET", prefix + "/procedures/#/dialogue/documents/#"): "dialogue_doc",
    })
ALLOWED["dialogue_doc"] = {"buyer", "bidder"}
# Routes whose success changes the session: checked last.
SESSION_ENDING = {("POST", "/logout"), ("POST", "/api/v1/logout")}


def routes_in_source():
    """(method, path) of every face of every row of routes.c: a row
    {"POST", "/x", ACCESS_..., BODY_..., FACE_BOTH, handler} serves
    ("POST", "/x") and ("POST", "/api/v1/x")."""
    src = os.path.join(os.path.dirname(__file__), "..", "..", "src", "web", "routes.c")
    with open(src) as f:
        rows = re.findall(r'\{"(GET|POST)", "([^"]+)", ACCESS_\w+, BODY_\w+, FACE_(HTML|API|BOTH)(?: \| GET_WRITES)?, \w+\}',
                          f.read())
    found = set()
    for method, pattern, face in rows:
        if face in ("HTML", "BOTH"):
            found.add((method, pattern))
        if face in ("API", "BOTH"):
            found.add((method, "/api/v1" + pattern))
    return found


def refused(r):
    if r.status in (401, 403, 404):
        return True
    # Only a bare redirect to /login is a refusal; logging out lands on
    # /login?out=1.
    return r.status == 303 and (r.getheader("Location") or "") == "/login"


def main():
    t = Tap()
    srv = Server()
    try:
        source = routes_in_source()
        t.ok(len(source) >= 200, f"routes.c's rows serve {len(source)} method and path pairs")
        missing = sorted(source - set(EXPECT))
        t.ok(not missing, "every route in routes.c has an expected access rule",
             f"unchecked routes: {missing}")
        stale = sorted(set(EXPECT) - source)
        t.ok(not stale, "every expectation names a real route", f"stale: {stale}")

        clients = {}
        for role in ROLES:
            c = Client(srv)
            c.get("/login")  # the anonymous CSRF cookie
            if role != "anon":
                r = c.login(ACCOUNTS[role])
                t.eq(r.status, 200, f"{role} logs in")
            clients[role] = c

        buyer = clients["buyer"]
        procs = buyer.get("/api/v1/procedures").json["procedures"]
        pid = [p["id"] for p in procs if p["reference"] == "DOR-2022-SWT-BW-JW"][0]
        proc = buyer.get(f"/api/v1/procedures/{pid}").json
        lot_id = proc["lots"][0]["id"]
        candidate_id = buyer.get(f"/api/v1/procedures/{pid}/candidates").json["candidates"][0]["id"]
        # A stage whose completion the law refuses (dates unplanned), so an
        # allowed attempt changes nothing.
        sid = [s["id"] for s in proc["stages"] if s["kind"] == "dialogue-round"][0]
        d = buyer.post(f"/api/v1/procedures/{pid}/decisions", {
            "number": "2022/99999", "date": "2022-03-01", "title": "Testbesluit",
            "conditions": [{"description": "Advies OR"}], "governs": ["evaluation"]})
        t.eq(d.status, 201, "buyer adds a decision with a condition for the matrix")
        cid = d.json["conditions"][0]["id"] if d.json else 0
        proc = buyer.get(f"/api/v1/procedures/{pid}").json

        # A published nota 1 and an unanswered question on the procedure.
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/questions/deadline",
                        {"deadline": local_in(3600)}).status, 200,
             "buyer opens questions for the matrix")
        q1 = clients["bidder"].post(f"/api/v1/procedures/{pid}/questions",
                                    {"text": "Vraag voor de matrix?"})
        q2 = clients["bidder"].post(f"/api/v1/procedures/{pid}/questions",
                                    {"text": "Nog een vraag?"})
        t.ok(q1.status == 201 and q2.status == 201, "the bidder asks two questions")
        qid = q2.json["id"] if q2.json else 0
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/questions/{q1.json['id'] if q1.json else 0}/answer",
                        {"answer": "Antwoord."}).status, 200, "buyer answers one")
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/notas", {}).status, 201,
             "buyer publishes nota 1 for the matrix")

        # A second procedure with a vault, a deadline tomorrow and one bid
        # of its own bidder, for the receipt routes.
        for who, passphrase in (("buyer", "routes vault passphrase A"),
                                ("buyer2", "routes vault passphrase B")):
            c = buyer if who == "buyer" else Client(srv)
            if who != "buyer":
                c.login("buyer2@dordrecht.example")
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": passphrase}).status, 201,
                 f"{who} sets a vault passphrase")
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-ROUTES-VAULT", "title": "Routes-kluis", "type": "open",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        pid2 = r.json["id"]
        lot2 = r.json["lots"][0]["id"]
        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        for i, s in enumerate(r.json["stages"]):
            body = {"start": local_in(3600 * (2 + i))}
            if s["kind"] in spans:
                body["end"] = local_in(3600 * (3 + i))
            m = buyer.post(f"/api/v1/procedures/{pid2}/stages/{s['id']}/move", body)
            if m.status != 200 or s["kind"] == "tender-deadline":
                break
        t.eq(buyer.post(f"/api/v1/procedures/{pid2}/vault", {}).status, 201,
             "the second procedure has a vault")
        r = buyer.post(f"/api/v1/procedures/{pid2}/candidates", {
            "name": "Routes Bieder (test)", "consortium": False,
            "parties": [{"org_name": "Routes Bieder (test)", "kvk": "94567891",
                         "role": "penvoerder"}]})
        buyer.post(f"/api/v1/procedures/{pid2}/candidates/{r.json['id']}/accounts", {
            "email": "routes@bieder.example", "name": "Routes Bieder",
            "password": "routes-bieder-2024"})
        bid2 = Client(srv)
        bid2.get("/login")
        t.eq(bid2.login("routes@bieder.example", "routes-bieder-2024").status, 200,
             "the second procedure's bidder logs in")
        r = bid2.request("POST", f"/api/v1/procedures/{pid2}/lots/{lot2}/submissions",
                         body=b"%PDF-1.4 routes", headers={
                             "Content-Type": "application/octet-stream",
                             "X-File-Name": "bod.pdf"})
        t.eq(r.status, 201, "the bidder submits a bid there", )
        sub2 = r.json["submission"] if r.json else 0
        r = buyer.post(f"/api/v1/procedures/{pid2}/lots/{lot2}/bid-documents",
                       {"name": "Bijlage (routes)", "max_mib": "5", "required": ""})
        t.eq(r.status, 201, "the buyer adds a bid document there")
        doc2 = r.json["documents"][0]["id"] if r.json else 0

        # A third procedure, published for registration an hour ahead.
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-ROUTES-TENDER", "title": "Routes-aanmelding", "type": "restricted",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        pid3 = r.json["id"]
        for i, s in enumerate(r.json["stages"][:4]):
            body = {"start": local_in(3600 + i)}
            if s["kind"] == "registration":
                body["end"] = local_in(7200)
            if s["kind"] == "application-deadline":
                body["start"] = local_in(7200)
            buyer.post(f"/api/v1/procedures/{pid3}/stages/{s['id']}/move", body)
        t.eq(buyer.post(f"/api/v1/procedures/{pid3}/publish", {}).status, 201,
             "the third procedure is published")
        # Procurement documents: one on the third (published) procedure,
        # one on Dordrecht's (the buyer's own page).
        r = buyer.post(f"/api/v1/procedures/{pid3}/documents", {
            "kind": "leidraad", "title": "Leidraad (routes)", "name": "leidraad.pdf",
            "content": "JVBERi0xLjQgcm91dGVz"})
        t.eq(r.status, 201, "the buyer publishes a procurement document on the third procedure")
        tdoc3 = r.json["id"] if r.json else 0
        r = buyer.post(f"/api/v1/procedures/{pid}/documents", {
            "kind": "pve", "title": "Programma van eisen (routes)", "name": "pve.pdf",
            "content": "JVBERi0xLjQgcm91dGVz"})
        t.eq(r.status, 201, "and one on Dordrecht's procedure")
        tdoc1 = r.json["id"] if r.json else 0

        # A fourth procedure, with dialogue round 1 planned and one plan
        # handed in by its own bidder, for the document route.
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-ROUTES-DIALOGUE", "title": "Routes-dialoog", "type": "sas-dialogue",
            "cpv": "85310000-5", "value": "100.000", "dialogue_rounds": 2,
            "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        pid4 = r.json["id"]
        r1 = [s for s in r.json["stages"] if s["kind"] == "dialogue-round"][0]
        t.eq(buyer.post(f"/api/v1/procedures/{pid4}/stages/{r1['id']}/move",
                        {"start": local_in(60), "end": local_in(3600)}).status, 200,
             "the fourth procedure's round 1 is planned")
        r = buyer.post(f"/api/v1/procedures/{pid4}/candidates", {
            "name": "Routes Dialoog (test)", "consortium": False,
            "parties": [{"org_name": "Routes Dialoog (test)", "kvk": "93456789",
                         "role": "penvoerder"}]})
        buyer.post(f"/api/v1/procedures/{pid4}/candidates/{r.json['id']}/accounts", {
            "email": "routes@dialoog.example", "name": "Routes Dialoog",
            "password": "routes-dialoog-2024"})
        bid4 = Client(srv)
        bid4.get("/login")
        t.eq(bid4.login("routes@dialoog.example", "routes-dialoog-2024").status, 200,
             "the fourth procedure's bidder logs in")
        r = bid4.post(f"/api/v1/procedures/{pid4}/dialogue/rounds/1/plan",
                      {"name": "plan.pdf", "content": "JVBERi0xLjQgcm91dGVz"})
        t.eq(r.status, 201, "and hands in a plan")
        doc4 = r.json["candidates"][0]["plan"]["id"] if r.json else 0

        hb = clients["outsider"]
        contract_id = hb.get("/api/v1/contracts").json["contracts"][0]["id"]
        frame_id = hb.get("/api/v1/budget").json["frames"][0]["id"]
        subsidy_id = buyer.get("/api/v1/budget").json["subsidies"][0]["id"]
        contract_before = hb.get(f"/api/v1/contracts/{contract_id}").json

        def concrete(pattern):
            if "/dialogue/documents/#" in pattern:
                ids = iter([pid4, doc4])
            elif "/dialogue/rounds/#" in pattern:
                ids = iter([pid, 1, candidate_id])
            elif "/contracts/" in pattern:
                ids = iter([contract_id])
            elif "/frames/" in pattern:
                ids = iter([frame_id])
            elif "/subsidies/" in pattern:
                ids = iter([subsidy_id])
            elif "/tenders/#/documents/#" in pattern:
                ids = iter([pid3, tdoc3])
            elif "/procedures/#/documents/#" in pattern:
                ids = iter([pid, tdoc1])
            elif "/tenders/#" in pattern:
                ids = iter([pid3])
            elif "/questions/#" in pattern:
                ids = iter([pid, qid])
            elif "/submissions/#" in pattern:
                ids = iter([pid2, sub2])
            elif "/bid-documents/#" in pattern:
                ids = iter([pid2, doc2])
            elif "/notas/#" in pattern:
                ids = iter([pid, 1])
            elif "/lots/#" in pattern:
                ids = iter([pid, lot_id])
            elif "/candidates/#/documents/#" in pattern:
                ids = iter([pid, candidate_id, 999999])
            elif "/candidates/#" in pattern:
                ids = iter([pid, candidate_id])
            else:
                ids = iter([pid, sid if "stages" in pattern else cid])
            return re.sub(r"#", lambda m: str(next(ids)), pattern)

        order = sorted(EXPECT, key=lambda k: k in SESSION_ENDING)
        for (method, pattern) in order:
            rule = EXPECT[(method, pattern)]
            path = concrete(pattern)
            for role in ROLES:
                c = clients[role]
                if role == "bidder" and "/submissions/#" in pattern:
                    c = bid2
                if role == "bidder" and "/dialogue/documents/#" in pattern:
                    c = bid4
                if (method, pattern) in SESSION_ENDING and role != "anon":
                    c.login(ACCOUNTS[role])  # the previous logout ended it
                if method == "GET":
                    r = c.get(path)
                elif pattern.startswith("/api/"):
                    r = c.post(path, {})
                else:
                    page = c.get("/login") if role == "anon" else None
                    token = c.cookies.get("kavel_csrf", "") if role == "anon" else c.csrf
                    del page
                    r = c.request("POST", path, form={"csrf": token or ""})
                want_allowed = role in ALLOWED[rule]
                got_refused = refused(r)
                t.ok(got_refused != want_allowed,
                     f"{method} {pattern} as {role}: {'allowed' if want_allowed else 'refused'}",
                     f"status {r.status} {r.getheader('Location') or ''} {r.text[:200]}")

        # Nothing the refused or empty requests did changed the procedure.
        after = clients["buyer"]
        after.login(ACCOUNTS["buyer"])
        again = after.get(f"/api/v1/procedures/{pid}").json
        t.eq(again["stages"], proc["stages"], "the matrix changed no stage")
        hb.login(ACCOUNTS["outsider"])
        t.eq(hb.get(f"/api/v1/contracts/{contract_id}").json, contract_before,
             "the matrix changed nothing in the contract")
        t.eq(len(after.get(f"/api/v1/procedures/{pid}/candidates").json["candidates"]), 1,
             "the matrix added no candidate")
        # A bidder sees its own candidate only, never another's.
        other = after.post(f"/api/v1/procedures/{pid}/candidates", {
            "name": "Andere Aanbieder (test)", "consortium": False,
            "parties": [{"org_name": "Andere Aanbieder (test)", "kvk": "91234567",
                         "role": "penvoerder"}]})
        t.eq(other.status, 201, "buyer registers a second candidate")
        t.eq(len(after.get(f"/api/v1/procedures/{pid}/candidates").json["candidates"]), 2,
             "the buyer sees both candidates")
        bid = Client(srv)
        bid.login(ACCOUNTS["bidder"])
        cands = bid.get(f"/api/v1/procedures/{pid}/candidates").json["candidates"]
        t.ok(len(cands) == 1 and cands[0]["name"].startswith("Samenwerkingsverband"),
             "the bidder sees exactly its own candidate")
        # Who sees what of the dialogue, on Dordrecht's procedure.
        views = {}
        for role in ("buyer", "assessor", "bidder", "council"):
            c = Client(srv)
            c.login(ACCOUNTS[role])
            j = c.get(f"/api/v1/procedures/{pid}/dialogue").json or {}
            views[role] = (j.get("view"), [len(r["candidates"]) for r in j.get("rounds", [])])
        t.eq(views, {"buyer": ("all", [2, 2]), "assessor": ("all", [2, 2]),
                     "bidder": ("own", [1, 1]), "council": ("course", [2, 2])},
             "the dialogue: buyer and assessor all, the bidder its own, council the course")

        # One row, its faces: a row serves its path, /api/v1 + its path,
        # or both, and nothing else; a known path with another method
        # is 405, an unknown one 404.
        for method, path, want in (
                ("GET", "/api/v1/procedures/new", 404),          # HTML only
                ("GET", "/api/v1/account/vault-key", 405),       # its POST serves both
                ("GET", "/me", 404),                             # API only
                ("POST", f"/procedures/{pid2}/lots/{lot2}/submissions", 404),  # API only
                ("GET", f"/api/v1/procedures/{pid2}/lots/{lot2}/submit", 404),  # HTML only
                ("GET", "/api/v1/login", 405),
                ("GET", "/api/v1/", 404),
                ("PUT", "/login", 405)):
            r = buyer.request(method, path)
            t.ok(r.status == want, f"{method} {path}: {want}", f"{r.status} {r.text[:200]}")
            if path.startswith("/api/"):
                t.ok((r.json or {}).get("error", {}).get("status") == want,
                     f"{method} {path}: its JSON error says {want}", r.text[:200])

        # The body as the row's kind says, refused before any route is
        # looked at: an HTML form over 1 MiB (413) or of an unreadable
        # type (400) answers a page, in the cookie's language, and the
        # server lives on.
        anon = Client(srv)
        anon.get("/login")
        token = anon.cookies.get("kavel_csrf", "")
        big = "csrf=" + token + "&email=" + "a" * (1024 * 1024 + 10)
        r = anon.request("POST", "/login", body=big.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.ok(r.status == 413 and "<h1>" in r.text and "1024 kB" in r.text,
             "an HTML form over 1 MiB: 413 and a page saying so", f"{r.status} {r.text[:300]}")
        # A form of more fields than the server reads is refused whole
        # (413), never acted on with its tail dropped.
        many = "csrf=" + token + "&email=a%40b.nl" + "".join(f"&f{i}=x" for i in range(1100))
        r = anon.request("POST", "/login", body=many.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.ok(r.status == 413 and "<h1>" in r.text and "1024" in r.text,
             "a form of more than 1024 fields: 413 and a page saying so", f"{r.status} {r.text[:300]}")
        # (A query cannot get there: libmicrohttpd 0.9.75 keeps a query's
        # fields in its 32 KiB connection pool, which holds about 400.)
        few = "csrf=" + token + "&email=a%40b.nl&password=x" + "".join(f"&f{i}=x" for i in range(900))
        r = anon.request("POST", "/login", body=few.encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.ok(r.status in (401, 422) and 'value="a@b.nl"' in r.text,
             "a form of 900 fields is read whole (the login refused on its merits)",
             f"{r.status} {r.text[:300]}")
        r = anon.request("POST", "/login", body=b"x=1", headers={"Content-Type": "text/plain"})
        t.ok(r.status == 400 and "application/x-www-form-urlencoded" in r.text,
             "an HTML form of another type: 400 and a page saying so", f"{r.status} {r.text[:300]}")
        r = anon.request("POST", "/api/v1/login", body=b"email=x", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        t.ok(r.status == 415 and (r.json or {}).get("error", {}).get("status") == 415,
             "an API body that is not JSON: 415", f"{r.status} {r.text[:300]}")
        r = anon.request("POST", "/api/v1/login", body=b"[1]")
        t.ok(r.status == 400 and (r.json or {}).get("error", {}).get("status") == 400,
             "an API body that is not a JSON object: 400", f"{r.status} {r.text[:300]}")
        t.eq(anon.get("/healthz").status, 200, "the server lives on after the refused bodies")
        # Urlencoded fields are decoded as browsers encode them: '+' is a
        # space, %XX a byte, a malformed escape stays as it came; the
        # refused login form shows the e-mail address it was given.
        r = anon.request("POST", "/login", body=(
            "csrf=" + token + "&email=a+b%40x%zz%4&password=&&=q&noeq").encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.ok(r.status in (401, 422) and 'value="a b@x%zz%4"' in r.text,
             "urlencoded fields: '+' a space, %40 an @, malformed escapes kept",
             f"{r.status} {r.text[:400]}")
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
