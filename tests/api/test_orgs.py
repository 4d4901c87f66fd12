#!/usr/bin/env python3
"""Organisations across tenders; KvK claims that lock nobody out; members
who confirm from their own account; invitations with a one-time link.

Two procedures are published.  Organisation A registers for the first
anonymously and for the second from its account (with a member M and a
member Q); a second registration is refused.  X registers for the first
under A's KvK number: it is not refused, A keeps its access, and the
buyer sees both as a conflict and decides which is genuine (a missing
reason or a candidate without a conflict is refused and changes nothing;
the verdict is audited).  M confirms its membership from its own account
(once); X cannot confirm it nor read the registrations; after the
deadline Q's confirmation is refused.  A's administrator invites a
colleague: the link is in the answer and the server log, the token works
once, and the colleague sees A's tenders.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402

PW = "organisatie-2026!"


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


def published(t, buyer, ref, deadline_in):
    r = buyer.post("/api/v1/procedures", {
        "reference": ref, "title": "Organisaties " + ref, "type": "restricted",
        "cpv": "85310000-5", "value": "100.000", "lots": [{"title": "Perceel", "value": "100.000"}]})
    pid = r.json["id"]
    for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, deadline_in),
                       ("document-issued", 3, None), ("application-deadline", deadline_in, None)):
        cur = buyer.get(f"/api/v1/procedures/{pid}").json
        body = {"start": local_in(s)}
        if e:
            body["end"] = local_in(e)
        buyer.post(f"/api/v1/procedures/{pid}/stages/{stage(cur, kind)['id']}/move", body)
    r = buyer.post(f"/api/v1/procedures/{pid}/publish", {})
    t.eq(r.status, 201, f"the buyer publishes {ref}")
    return pid, time.time() + deadline_in


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        buyer.login("buyer@dordrecht.example")
        p1, _ = published(t, buyer, "DOR-ORG-1", 600)
        p2, p2_deadline = published(t, buyer, "DOR-ORG-2", 40)
        anon = Client(srv)

        def register(org, kvk, email, pid=p1):
            return anon.post(f"/api/v1/tenders/{pid}/register", {
                "org_name": org, "kvk": kvk, "address": "Spuiboulevard 1, Dordrecht",
                "name": "Contact " + org, "email": email, "password": PW})

        t.eq(register("Wijkzorg A (test)", "71111111", "a@a.example").status, 201,
             "A registers for the first tender")
        for org, kvk, mail in (("Buurtwerk M (test)", "72222222", "m@m.example"),
                               ("Taalhuis Q (test)", "73333333", "q@q.example")):
            t.eq(register(org, kvk, mail).status, 201, f"{org} registers (its own account)")
        a = Client(srv)
        a.login("a@a.example", PW)
        org = a.get("/api/v1/organisation")
        t.ok(org.status == 200 and org.json["kvk"] == "71111111" and org.json["admin"]
             and org.json["address"].startswith("Spuiboulevard") and len(org.json["tenders"]) == 1,
             "A's organisation: its KvK, address, administrator and one tender", org.text[:400])

        parties = [{"org_name": "Buurtwerk M (test)", "kvk": "72222222", "role": "member"},
                   {"org_name": "Taalhuis Q (test)", "kvk": "73333333", "role": "member"}]
        r = a.post(f"/api/v1/tenders/{p2}/register", {"consortium_name": "Samen A (test)",
                                                      "parties": parties})
        t.ok(r.status == 201 and r.json["candidate"]["parties"][0]["kvk"] == "71111111",
             "A registers for the second tender from its account, as penvoerder", r.text[:300])
        cand_a2 = r.json["candidate"]["id"] if r.status == 201 else 0
        r = a.post(f"/api/v1/tenders/{p2}/register", {})
        t.eq(r.status, 409, "registering twice for one tender is refused")
        t.eq(len(a.get("/api/v1/organisation").json["tenders"]), 2, "A takes part in two tenders")
        t.eq(a.get(f"/api/v1/procedures/{p2}").status, 200, "A reaches the second procedure")

        # X claims A's KvK number on the first tender.
        r = register("Nep A (test)", "71111111", "x@x.example")
        t.eq(r.status, 201, "a registration under A's KvK number by another account is not refused")
        x = Client(srv)
        x.login("x@x.example", PW)
        t.eq(a.get(f"/api/v1/procedures/{p1}").status, 200, "A keeps its access to the first tender")
        xo = x.get("/api/v1/organisation").json
        t.ok(len(xo["users"]) == 1 and xo["users"][0]["email"] == "x@x.example"
             and len(xo["tenders"]) == 1, "X's organisation is its own: A's users and tenders are not in it",
             str(xo)[:300])
        for who, c in (("X", x), ("A", a)):
            r = c.get(f"/api/v1/procedures/{p1}/registrations")
            t.ok(r.status in (403, 404), f"{who}, a bidder, cannot read the registrations", str(r.status))
        regs = buyer.get(f"/api/v1/procedures/{p1}/registrations").json
        conflicting = [g for g in regs["registrations"] if g["kvk"] == "71111111"]
        t.ok(len(conflicting) == 2 and all(g["conflict"] for g in conflicting) and regs["conflicts"] == 2,
             "the buyer sees both registrations under the KvK number, marked as a conflict", str(regs)[:500])
        genuine = [g for g in conflicting if g["email"] == "a@a.example"][0]["candidate"]
        fake = [g for g in conflicting if g["email"] == "x@x.example"][0]["candidate"]
        other = [g for g in regs["registrations"] if g["kvk"] == "72222222"][0]["candidate"]
        r = buyer.post(f"/api/v1/procedures/{p1}/registrations/decide", {"candidate": genuine})
        t.ok(r.status == 422 and r.json["error"]["field"] == "reason", "a verdict without a reason is refused",
             r.text[:200])
        r = buyer.post(f"/api/v1/procedures/{p1}/registrations/decide", {"candidate": other, "reason": "x"})
        t.ok(r.status == 422 and "71111111" not in r.text, "a candidate without a conflict has nothing to decide",
             r.text[:200])
        r = buyer.post(f"/api/v1/procedures/{p1}/registrations/decide", {"candidate": 999999, "reason": "x"})
        t.eq(r.status, 404, "an unknown candidate is refused")
        t.eq(buyer.get(f"/api/v1/procedures/{p1}/registrations").json["conflicts"], 2,
             "the refusals changed nothing")
        reason = "KvK-uittreksel van 1 juli gecontroleerd; tekenbevoegde bevestigt telefonisch."
        r = buyer.post(f"/api/v1/procedures/{p1}/registrations/decide", {"candidate": genuine, "reason": reason})
        t.eq(r.status, 200, "the buyer confirms A's registration as genuine")
        regs = buyer.get(f"/api/v1/procedures/{p1}/registrations").json
        by = {g["candidate"]: g for g in regs["registrations"]}
        t.ok(by[genuine]["verdict"]["genuine"] and not by[fake]["verdict"]["genuine"]
             and by[fake]["verdict"]["reason"] == reason and regs["conflicts"] == 0,
             "A's is genuine, X's is not, with the reason", str(by)[:400])
        audit = buyer.get(f"/api/v1/procedures/{p1}/audit").text
        t.ok("candidate.claim_decide" in audit and "gecontroleerd" in audit, "the verdict is audited")
        page = buyer.get(f"/procedures/{p1}/registrations")
        t.ok(page.status == 200 and "Nep A (test)" in page.text, "the registrations page shows them")

        # Members confirm from their own account.
        regs2 = buyer.get(f"/api/v1/procedures/{p2}/registrations").json["registrations"]
        t.ok(len(regs2) == 1 and regs2[0]["unconfirmed_members"] == 2
             and not any(m["confirmed"] for m in regs2[0]["members"]),
             "the buyer sees both members of A's consortium unconfirmed", str(regs2)[:300])
        mine = [x_ for x_ in a.get("/api/v1/organisation").json["tenders"] if x_["procedure"] == p2][0]
        t.ok(not any(m["confirmed"] for m in mine["members"]), "and so does the penvoerder", str(mine))
        r = x.post(f"/api/v1/organisation/memberships/{cand_a2}/confirm", {})
        t.eq(r.status, 404, "X cannot confirm a membership that is not its own")
        r = a.post(f"/api/v1/organisation/memberships/{cand_a2}/confirm", {})
        t.eq(r.status, 404, "nor can the penvoerder confirm for its member")
        m = Client(srv)
        m.login("m@m.example", PW)
        mo = m.get("/api/v1/organisation").json
        t.ok(any(x_["candidate"] == cand_a2 and x_["role"] == "member" and not x_["confirmed"]
                 for x_ in mo["tenders"]), "M sees the consortium that names it, unconfirmed", str(mo)[:400])
        t.eq(m.post(f"/api/v1/organisation/memberships/{cand_a2}/confirm", {}).status, 200,
             "M confirms its membership from its own account")
        t.eq(m.post(f"/api/v1/organisation/memberships/{cand_a2}/confirm", {}).status, 409,
             "a second confirmation is refused")
        regs2 = buyer.get(f"/api/v1/procedures/{p2}/registrations").json["registrations"]
        t.ok(regs2[0]["unconfirmed_members"] == 1 and
             [m_["confirmed"] for m_ in regs2[0]["members"] if m_["kvk"] == "72222222"] == [True],
             "the buyer sees M confirmed and Q not", str(regs2)[:300])

        # Invitations.
        r = a.post("/api/v1/organisation/invitations", {"email": "Collega@A.example"})
        t.ok(r.status == 201 and r.json["email"] == "collega@a.example" and "token=" in r.json["link"],
             "A's administrator invites a colleague: the link is in the answer", r.text[:200])
        link = r.json["link"]
        token = link.split("token=")[1]
        time.sleep(0.3)
        t.ok(link in srv.logtext(), "and in the server log (no mail transport)")
        t.ok(r.json["link"] not in a.get("/api/v1/organisation").text, "the organisation page shows no token later")
        t.eq(a.post("/api/v1/organisation/invitations", {"email": "m@m.example"}).status, 409,
             "an address with an account already is refused")
        t.eq(a.post("/api/v1/organisation/invitations", {"email": "bad"}).status, 422, "a bad address is refused")
        t.eq(anon.get("/invitation?token=" + "0" * 64).status, 404, "an unknown token is refused")
        page = anon.get(link)
        t.ok(page.status == 200 and "Wijkzorg A (test)" in page.text, "the link shows whom it joins")
        r = anon.post("/api/v1/invitation", {"token": token, "name": "Collega", "password": "kort"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "password", "a short password is refused")
        r = anon.post("/api/v1/invitation", {"token": token, "name": "Collega", "password": PW})
        t.eq(r.status, 201, "the colleague makes an account with the link")
        t.eq(anon.post("/api/v1/invitation", {"token": token, "name": "Nog een", "password": PW}).status, 409,
             "the link works once")
        col = Client(srv)
        t.eq(col.login("collega@a.example", PW).status, 200, "the colleague logs in")
        t.ok(col.get(f"/api/v1/procedures/{p1}").status == 200 and col.get(f"/api/v1/procedures/{p2}").status == 200,
             "and reaches both of A's tenders")
        co = col.get("/api/v1/organisation").json
        t.ok(len(co["users"]) == 2 and not co["admin"] and co["invitations"] == [],
             "the colleague is a user, not an administrator", str(co)[:300])
        r = col.post("/api/v1/organisation/invitations", {"email": "derde@a.example"})
        t.ok(r.status == 409 and ("administrator" in r.text or "beheerder" in r.text), "only an administrator invites", r.text[:200])
        t.eq(x.get(f"/api/v1/procedures/{p2}").status in (403, 404), True,
             "X never reaches A's second tender")

        # After the deadline.
        q = Client(srv)
        q.login("q@q.example", PW)
        while time.time() < p2_deadline + 1.5:
            time.sleep(0.5)
        r = q.post(f"/api/v1/organisation/memberships/{cand_a2}/confirm", {})
        t.ok(r.status == 409 and ("deadline" in r.text or "aanmeldtermijn" in r.text),
             "Q's confirmation after the application deadline is refused", r.text[:200])
        regs2 = buyer.get(f"/api/v1/procedures/{p2}/registrations").json["registrations"]
        t.eq(regs2[0]["unconfirmed_members"], 1, "and changed nothing: Q is shown unconfirmed")
        t.ok(token not in srv.kavel("audit", "verify", "--db", srv.db).stdout
             and token not in buyer.get(f"/api/v1/procedures/{p1}/audit").text, "no token in the audit trail")
    finally:
        srv.stop()
    t.done()


if __name__ == "__main__":
    main()
