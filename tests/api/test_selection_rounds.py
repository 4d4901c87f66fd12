#!/usr/bin/env python3
"""Staged selection over three rounds: the funnel 5 -> 3 -> 2 -> 1.

A buyer publishes a restricted procedure with a near application deadline
and criteria for three rounds: round 1 (the preselection on the
application: eigen pass/fail, ervaring 0..10), round 2 (plan 0..10) and
round 3 (dialoog 0..20).  Five organisations register and apply.

Round 1: E fails eigen (excluded), A 9, B 8, C 7, D 3; at most 3: A, B, C.
Round 2 ranks A, B and C only: plan A 8, B 8, C 5; at most 2: A and B.
Round 3 ranks A and B only: dialoog A 15, B 15; at most 1: a tie at the
boundary, refused until the buyer names B.

Checked on the way: criteria of a round are fixed when its scoring opens
(round 1 at the deadline, round n at round n-1's publication); scores in
a round that is not open, of a candidate not in the round, of a published
round are refused and change nothing; rounds are published in order, each
once; every candidate of a round has its result at one published_at; a
bidder sees its own result of every round it took part in, never
another's, and one not admitted never reappears; the pages show the
rounds; every change is audited.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402

DEADLINE_IN = 15


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        t.eq(buyer.post("/api/v1/lang", {"lang": "en"}).status, 200, "the buyer reads English")
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-SEL-3", "title": "Selectie in drie rondes", "type": "restricted",
            "cpv": "85310000-5", "value": "500.000",
            "lots": [{"title": "Gewoon in de wijk", "value": "500.000"}]})
        t.eq(r.status, 201, "the buyer creates a restricted procedure")
        pid = r.json["id"]
        for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, DEADLINE_IN),
                           ("document-issued", 3, None), ("application-deadline", DEADLINE_IN, None)):
            cur = buyer.get(f"/api/v1/procedures/{pid}").json
            body = {"start": local_in(s)}
            if e:
                body["end"] = local_in(e)
            r = buyer.post(f"/api/v1/procedures/{pid}/stages/{stage(cur, kind)['id']}/move", body)
            t.eq(r.status, 200, f"plan {kind}")
        deadline = stage(buyer.get(f"/api/v1/procedures/{pid}").json, "application-deadline")["end"]["utc"]

        crit = lambda body: buyer.post(f"/api/v1/procedures/{pid}/selection-criteria", body)  # noqa: E731
        r = crit({"key": "eigen", "title": "Eigen verklaring"})
        t.ok(r.status == 201 and r.json["round"] == 1, "a criterion is of round 1 by default", r.text[:200])
        r = crit({"key": "ervaring", "title": "Ervaring", "kind": "scored", "max_points": 10, "round": 1})
        t.ok(r.status == 201 and r.json["round"] == 1, "ervaring: round 1", r.text[:200])
        r = crit({"key": "plan", "title": "Plan van aanpak", "kind": "scored", "max_points": 10,
                  "round": 2})
        t.ok(r.status == 201 and r.json["round"] == 2, "plan: round 2", r.text[:200])
        r = crit({"key": "elf", "title": "Elf", "round": 11})
        t.ok(r.status == 422 and r.json["error"]["field"] == "round"
             and "numbered 1 to 10" in r.json["error"]["message"], "round 11 is refused", r.text[:200])
        r = crit({"key": "nul", "title": "Nul", "round": 0})
        t.ok(r.status == 422 and r.json["error"]["field"] == "round", "round 0 is refused", r.text[:200])
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/publish", {}).status, 201, "published")

        anon = Client(srv)
        keys = "abcde"
        names = {k: f"{k.upper()}-Welzijn (rondes)" for k in keys}
        kvks = {"a": "71234561", "b": "72345672", "c": "73456783", "d": "74567894", "e": "75678905"}
        bidders, cands = {}, {}
        for k in keys:
            r = anon.post(f"/api/v1/tenders/{pid}/register", {
                "org_name": names[k], "kvk": kvks[k], "name": "Contact " + k,
                "email": f"{k}@rondes.example", "password": f"rondes-{k}-2026!!"})
            t.eq(r.status, 201, f"candidate {k} registers")
            cands[k] = r.json["candidate"]["id"]
            c = Client(srv)
            t.eq(c.login(f"{k}@rondes.example", f"rondes-{k}-2026!!").status, 200, f"bidder {k} logs in")
            c.post("/api/v1/lang", {"lang": "en"})
            if k == "a":
                r = c.post(f"/api/v1/procedures/{pid}/application", {"answers": {"plan": "Ons plan."}})
                t.ok(r.status == 422 and "later selection round" in r.json["error"]["message"],
                     "the application answers no criterion of a later round", r.text[:200])
            r = c.post(f"/api/v1/procedures/{pid}/application", {"answers": {
                "eigen": "Ja.", "ervaring": f"Ervaring {k}."}})
            t.eq(r.status, 200, f"bidder {k} applies")
            bidders[k] = c
        r = bidders["a"].get(f"/api/v1/procedures/{pid}/application")
        t.ok(r.status == 200 and {c["key"]: c["round"] for c in r.json["criteria"]}
             == {"eigen": 1, "ervaring": 1, "plan": 2},
             "a bidder reads every round's criteria with their round", r.text[:300])

        def score(cand, key, **kw):
            body = {"candidate": cands[cand], "criterion": key, "motivation": f"Beoordeeld: {key}."}
            body.update(kw)
            return buyer.post(f"/api/v1/procedures/{pid}/selection/scores", body)

        def publish(body):
            return buyer.post(f"/api/v1/procedures/{pid}/selection/publish", body)

        def view():
            return buyer.get(f"/api/v1/procedures/{pid}/selection").json

        def result(k):
            return bidders[k].get(f"/api/v1/procedures/{pid}/selection/result")

        r = score("a", "ervaring", points=9)
        t.ok(r.status == 409 and "after the application deadline" in r.json["error"]["message"],
             "round 1 is not scored before the deadline", r.text[:200])
        if deadline + 1.2 > time.time():
            time.sleep(deadline + 1.2 - time.time())

        # Criteria: round 1 is fixed at the deadline, round 3 may still come.
        r = crit({"key": "laat", "title": "Te laat"})
        t.ok(r.status == 409 and "criteria of round 1 cannot change" in r.json["error"]["message"],
             "after the deadline round 1 takes no criterion", r.text[:200])
        r = crit({"key": "dialoog", "title": "Dialoog", "kind": "scored", "max_points": 20, "round": 3})
        t.ok(r.status == 201 and r.json["round"] == 3, "a round 3 criterion is added after the deadline",
             r.text[:200])

        # Round 1: 5 candidates.
        r = score("a", "plan", points=5)
        t.ok(r.status == 409 and "round 2 opens when round 1 is published" in r.json["error"]["message"],
             "round 2 is not scored before round 1 is published", r.text[:200])
        pts = {"a": 9, "b": 8, "c": 7, "d": 3, "e": 10}
        ok = True
        for k in keys:
            ok = score(k, "eigen", passed=(k != "e")).status == 200 and ok
            ok = score(k, "ervaring", points=pts[k]).status == 200 and ok
        t.ok(ok, "round 1: every candidate scored")
        v = view()
        t.ok(v["current_round"]["number"] == 1 and len(v["current_round"]["candidates"]) == 5
             and v["rounds"] == [] and v["round"] is None and len(v["scores"]) == 10
             and all(s["round"] == 1 for s in v["scores"]),
             "round 1 is open with all five candidates", str(v)[:300])
        r = publish({"round": 2, "max_admitted": 2})
        t.ok(r.status == 409 and "round 1 must be published before round 2" in r.json["error"]["message"],
             "publishing round 2 before round 1 is refused", r.text[:200])
        r = publish({"round": 3, "max_admitted": 1})
        t.ok(r.status == 409 and "round 1 must be published before round 3" in r.json["error"]["message"],
             "publishing round 3 before round 1 is refused", r.text[:200])
        r = publish({"round": "twee", "max_admitted": 2})
        t.ok(r.status == 422 and r.json["error"]["field"] == "round", "a round that is no number is refused",
             r.text[:200])
        t.eq(len(view()["rounds"]), 0, "the refusals published nothing")
        r = publish({"round": 1, "max_admitted": 3})
        t.ok(r.status == 201 and r.json["round"]["number"] == 1 and len(r.json["ranking"]) == 5,
             "round 1 is published: five results", r.text[:300])
        r1 = {x["candidate"]: x for x in r.json["ranking"]} if r.status == 201 else {}
        t.ok([r1[cands[k]]["outcome"] for k in keys]
             == ["admitted", "admitted", "admitted", "not-admitted", "excluded"]
             and r1[cands["d"]]["rank"] == 4 and r1[cands["d"]]["cutoff"] == 7
             and "cut-off is 7 points" in r1[cands["d"]]["reason"]
             and "Eigen verklaring" in r1[cands["e"]]["reason"]
             and len({x["published_at"]["utc"] for x in r1.values()}) == 1,
             "round 1: A, B, C admitted; D below the cut-off; E excluded; one moment",
             str(r1)[:400])
        t.eq(publish({"round": 1, "max_admitted": 3}).status, 409, "round 1 is published once")
        t.eq(publish({"max_admitted": 3}).status, 409, "without a round number round 1 is meant: refused")

        # Round 1's results as the bidders see them.
        for k in keys:
            r = result(k)
            t.ok(r.status == 200 and r.json["published"] and len(r.json["rounds"]) == 1
                 and r.json["result"]["candidate"] == cands[k] and r.json["result"]["round"] == 1
                 and r.json["result"]["outcome"] == r1[cands[k]]["outcome"]
                 and all(names[o] not in r.text for o in keys if o != k),
                 f"bidder {k} sees its own round 1 result only", r.text[:300])

        # Round 2: A, B and C only.
        r = crit({"key": "team", "title": "Team", "round": 2})
        t.ok(r.status == 409 and r.json["error"]["field"] == "round"
             and "round 2 opened when round 1 was published" in r.json["error"]["message"],
             "round 2's criteria are fixed once round 1 is published", r.text[:200])
        page = buyer.get(f"/procedures/{pid}/selection")
        t.ok('name="round"' in page.text and "Add a criterion to a later round" in page.text,
             "the selection page has the form adding a criterion to a round")
        r = buyer.request("POST", f"/procedures/{pid}/selection-criteria", form={
            "csrf": form_csrf(page.text), "round": "3", "key": "prijs", "title": "Prijsindicatie",
            "kind": "pass-fail", "max_points": ""})
        # (the redirect may carry the notice of what was saved: ?done=...)
        t.ok(r.status in (302, 303) and r.getheader("Location", "").split("?")[0].split("#")[0]
             .endswith(f"/procedures/{pid}/selection"),
             "round 3 still takes a criterion, through the page's form", str(r.status))
        v = view()
        t.ok({c["key"]: c["round"] for c in v["criteria"]}.get("prijs") == 3,
             "the form's criterion belongs to round 3", str(v["criteria"])[:300])
        t.ok(v["current_round"]["number"] == 2
             and sorted(c["id"] for c in v["current_round"]["candidates"])
             == sorted(cands[k] for k in "abc"), "round 2 is open for A, B and C", str(v)[:300])
        before = len(v["scores"])
        for k, why in (("d", "not admitted"), ("e", "excluded")):
            r = score(k, "plan", points=10)
            t.ok(r.status == 422 and r.json["error"]["field"] == "candidate"
                 and "was not admitted in selection round 1 and takes no part in round 2"
                 in r.json["error"]["message"] and names[k] in r.json["error"]["message"],
                 f"a candidate {why} in round 1 is not scored in round 2", r.text[:200])
        r = score("d", "ervaring", points=10)
        t.ok(r.status == 409 and "round 1 has been published" in r.json["error"]["message"],
             "round 1's scores cannot change any more", r.text[:200])
        r = score("a", "dialoog", points=10)
        t.ok(r.status == 409 and "round 3 opens when round 2 is published" in r.json["error"]["message"],
             "round 3 is not scored before round 2 is published", r.text[:200])
        r = score("a", "plan", points=11)
        t.ok(r.status == 422 and r.json["error"]["field"] == "points", "11 of 10 points is refused",
             r.text[:200])
        t.eq(len(view()["scores"]), before, "the refusals changed no score")
        r = publish({"round": 2, "max_admitted": 2})
        t.ok(r.status == 409 and "has not been assessed" in r.json["error"]["message"],
             "round 2 is not published while its candidates miss scores", r.text[:200])
        page = buyer.get(f"/procedures/{pid}/selection")
        t.ok(page.status == 200 and 'name="round" value="2"' in page.text
             and "Round 2: score a candidate" in page.text
             and f'<option value="{cands["d"]}">' not in page.text
             and f'<option value="{cands["a"]}">' in page.text,
             "the page's forms are for round 2 and its candidates", page.text[-1500:])
        ok = True
        for k, p in (("a", 8), ("b", 8), ("c", 5)):
            ok = score(k, "plan", points=p).status == 200 and ok
        t.ok(ok, "round 2: A, B and C scored")
        r = publish({"round": 2})
        t.eq(r.status, 422, "publishing needs the maximum to admit")
        r = publish({"round": 2, "max_admitted": 2})
        t.ok(r.status == 201 and r.json["round"]["number"] == 2 and len(r.json["ranking"]) == 3,
             "round 2 is published: three results", r.text[:300])
        r2 = {x["candidate"]: x for x in r.json["ranking"]} if r.status == 201 else {}
        t.ok(set(r2) == {cands[k] for k in "abc"}
             and r2[cands["a"]]["outcome"] == "admitted" and r2[cands["b"]]["outcome"] == "admitted"
             and r2[cands["a"]]["rank"] == 1 and r2[cands["b"]]["rank"] == 1
             and r2[cands["c"]]["outcome"] == "not-admitted" and r2[cands["c"]]["cutoff"] == 8
             and "rank 3 with 5 points" in r2[cands["c"]]["reason"]
             and len({x["published_at"]["utc"] for x in r2.values()}) == 1,
             "round 2: A and B admitted, C not; D and E do not reappear", str(r2)[:400])

        # Round 3: A and B, tied.
        r = crit({"key": "later", "title": "Later", "round": 3})
        t.eq(r.status, 409, "round 3's criteria are fixed once round 2 is published")
        ok = True
        for k in "ab":
            ok = score(k, "dialoog", points=15).status == 200 and ok
            ok = score(k, "prijs", passed=True).status == 200 and ok
        t.ok(ok, "round 3: A and B scored")
        r = score("c", "dialoog", points=20)
        t.ok(r.status == 422 and "not admitted in selection round 2" in r.json["error"]["message"],
             "C, out after round 2, is not scored in round 3", r.text[:200])
        r = publish({"round": 3, "max_admitted": 1})
        t.ok(r.status == 409 and "Tie at the boundary" in r.json["error"]["message"]
             and names["a"] in r.json["error"]["message"] and names["b"] in r.json["error"]["message"],
             "round 3: a tie at the boundary goes to the buyer", r.text[:300])
        r = publish({"round": 3, "max_admitted": 1, "tie_admit": [cands["c"]]})
        t.eq(r.status, 409, "naming one who is not in the tie is refused")
        t.eq(len(view()["rounds"]), 2, "the refusals published nothing")
        r = publish({"round": 3, "max_admitted": 1, "tie_admit": [cands["b"]]})
        t.ok(r.status == 201 and r.json["round"]["number"] == 3 and len(r.json["ranking"]) == 2,
             "round 3 is published with the buyer's choice", r.text[:300])
        r3 = {x["candidate"]: x for x in r.json["ranking"]} if r.status == 201 else {}
        t.ok(r3[cands["b"]]["outcome"] == "admitted" and r3[cands["b"]]["tie_broken"]
             and "chosen by the contracting authority" in r3[cands["b"]]["reason"]
             and r3[cands["a"]]["outcome"] == "not-admitted" and r3[cands["a"]]["tie_broken"]
             and "the contracting authority chose the others" in r3[cands["a"]]["reason"],
             "round 3: B admitted by the explicit choice, A not", str(r3)[:400])
        t.eq(publish({"round": 4, "max_admitted": 1}).status, 409, "round 4 has no criteria: refused")

        # What everyone sees now.
        v = view()
        t.ok([rd["number"] for rd in v["rounds"]] == [1, 2, 3]
             and [len(rd["ranking"]) for rd in v["rounds"]] == [5, 3, 2]
             and v["round"]["number"] == 3 and len(v["ranking"]) == 2
             and v["current_round"]["number"] == 4
             and [c["id"] for c in v["current_round"]["candidates"]] == [cands["b"]],
             "the buyer sees the funnel 5, 3, 2 and the one left", str(v)[:400])
        expect = {"a": ["admitted", "admitted", "not-admitted"],
                  "b": ["admitted", "admitted", "admitted"],
                  "c": ["admitted", "not-admitted"],
                  "d": ["not-admitted"], "e": ["excluded"]}
        for k in keys:
            r = result(k)
            rounds = r.json["rounds"] if r.status == 200 else []
            t.ok([x["outcome"] for x in rounds] == expect[k]
                 and [x["round"] for x in rounds] == list(range(1, len(expect[k]) + 1))
                 and r.json["result"] == rounds[-1]
                 and all(x["candidate"] == cands[k] for x in rounds)
                 and all(names[o] not in r.text for o in keys if o != k),
                 f"bidder {k} sees its own result of each round it took part in", r.text[:400])
        council = Client(srv)
        t.eq(council.login("council@dordrecht.example").status, 200, "the council member logs in")
        r = council.get(f"/api/v1/procedures/{pid}/selection")
        t.ok(r.status == 200 and len(r.json["rounds"]) == 3, "the council sees the rounds", r.text[:200])
        t.ok(bidders["b"].get(f"/api/v1/procedures/{pid}/selection").status in (403, 404),
             "a bidder cannot see the rounds' rankings")
        page = bidders["c"].get(f"/procedures/{pid}/selection/result")
        t.ok(page.status == 200 and "Selection round 2" in page.text and "Selection round 1" in page.text
             and "Selection round 3" not in page.text and "Not admitted" in page.text
             and names["a"] not in page.text, "C's page shows its two rounds")
        page = buyer.get(f"/procedures/{pid}/selection")
        t.ok(page.status == 200 and all(f"Selection round {n}" in page.text for n in (1, 2, 3))
             and "Publish selection round 4" not in page.text,
             "the buyer's page shows the three rounds, no form for a round without criteria")
        audit = buyer.get(f"/api/v1/procedures/{pid}/audit").json
        actions = [e["action"] for e in audit.get("events", [])]
        t.ok(actions.count("selection.publish") == 3 and actions.count("criterion.add") == 5
             and actions.count("selection.score") == 10 + 3 + 4,
             "every criterion, score and publication is audited", str(actions)[:300])
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
