#!/usr/bin/env python3
"""Staged selection: scores, the ranking and the published results.

A buyer publishes a restricted procedure with a near application deadline
and three criteria (one pass/fail, two scored); three organisations
register and apply.  Before the deadline scoring is refused; after it the
buyer scores every candidate with a motivation (a score without one is
refused).  Before publication no bidder sees anything.  A tie at the
boundary (two at 20 points for the last of 2 places) is refused until the
buyer names whom to admit; then every candidate's result is stored at one
published_at, each bidder sees only its own with the reasons, the buyer
sees the whole ranking, and scores can no longer change.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402

DEADLINE_IN = 15


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        # The messages checked below are read in English.
        t.eq(buyer.post("/api/v1/lang", {"lang": "en"}).status, 200, "the buyer reads English")
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-SEL-1", "title": "Selectie wijkteams", "type": "restricted",
            "cpv": "85310000-5", "value": "500.000",
            "lots": [{"title": "Wijkteam Zuid", "value": "250.000"}]})
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

        r = buyer.post(f"/api/v1/procedures/{pid}/selection-criteria",
                       {"key": "eigen", "title": "Eigen verklaring"})
        t.ok(r.status == 201 and r.json["kind"] == "pass-fail" and r.json["max_points"] == 0,
             "a criterion is pass-fail by default", r.text[:200])
        for key, title, mx in (("ervaring", "Ervaring", 10), ("visie", "Visie", 20)):
            r = buyer.post(f"/api/v1/procedures/{pid}/selection-criteria",
                           {"key": key, "title": title, "kind": "scored", "max_points": mx})
            t.ok(r.status == 201 and r.json["kind"] == "scored" and r.json["max_points"] == mx,
                 f"scored criterion {key} up to {mx}", r.text[:200])
        r = buyer.post(f"/api/v1/procedures/{pid}/selection-criteria",
                       {"key": "nul", "title": "Nul", "kind": "scored"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "max_points",
             "a scored criterion needs its maximum", r.text[:200])
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/publish", {}).status, 201, "published")

        anon = Client(srv)
        names = {"a": "Alfa Zorg (test)", "b": "Beta Welzijn (test)", "c": "Gamma Jeugd (test)"}
        kvks = {"a": "71234561", "b": "72345672", "c": "73456783"}
        bidders, cands = {}, {}
        for k in "abc":
            r = anon.post(f"/api/v1/tenders/{pid}/register", {
                "org_name": names[k], "kvk": kvks[k], "name": "Contact " + k,
                "email": f"{k}@selectie.example", "password": f"selectie-{k}-2026!!"})
            t.eq(r.status, 201, f"candidate {k} registers")
            cands[k] = r.json["candidate"]["id"]
            c = Client(srv)
            t.eq(c.login(f"{k}@selectie.example", f"selectie-{k}-2026!!").status, 200,
                 f"bidder {k} logs in")
            t.eq(c.post("/api/v1/lang", {"lang": "en"}).status, 200, f"bidder {k} reads English")
            r = c.post(f"/api/v1/procedures/{pid}/application", {"answers": {
                "eigen": "Ja.", "ervaring": f"Ervaring {k}.", "visie": f"Visie {k}."}})
            t.eq(r.status, 200, f"bidder {k} applies")
            bidders[k] = c

        score = lambda cand, crit, **kw: buyer.post(  # noqa: E731
            f"/api/v1/procedures/{pid}/selection/scores",
            dict({"candidate": cand, "criterion": crit, "motivation": "Beoordeeld."}, **kw))
        r = score(cands["a"], "ervaring", points=8)
        t.ok(r.status == 409 and "after the application deadline" in r.json["error"]["message"],
             "scoring before the deadline is refused", r.text[:200])
        r = bidders["a"].get(f"/api/v1/procedures/{pid}/selection/result")
        t.ok(r.status == 200 and r.json == {"published": False, "result": None, "rounds": []},
             "before publication a bidder sees nothing", r.text[:200])

        if deadline + 1.2 > time.time():
            time.sleep(deadline + 1.2 - time.time())
        # A: 8 + 15 = 23; B: 10 + 10 = 20; C: 5 + 15 = 20.  Max 2: A, then
        # B and C tie at 20 for one place.
        pts = {"a": (8, 15), "b": (10, 10), "c": (5, 15)}
        ok = True
        for k in "abc":
            ok = score(cands[k], "eigen", passed=True).status == 200 and ok
            ok = score(cands[k], "ervaring", points=pts[k][0]).status == 200 and ok
            ok = score(cands[k], "visie", points=pts[k][1]).status == 200 and ok
        t.ok(ok, "after the deadline the buyer scores every candidate")
        r = score(cands["a"], "visie", points=15, motivation="")
        t.ok(r.status == 422 and r.json["error"]["field"] == "motivation",
             "a score without a motivation is refused", r.text[:200])
        r = score(cands["a"], "visie", points=21)
        t.ok(r.status == 422 and r.json["error"]["field"] == "points",
             "more points than the maximum are refused", r.text[:200])
        r = score(cands["a"], "bogus", points=1)
        t.eq(r.status, 422, "an unknown criterion is refused")
        r = bidders["a"].post(f"/api/v1/procedures/{pid}/selection/scores",
                              {"candidate": cands["a"], "criterion": "visie", "points": 20,
                               "motivation": "Zelf."})
        t.ok(r.status in (403, 404), "a bidder cannot score", r.text[:200])
        view = buyer.get(f"/api/v1/procedures/{pid}/selection").json
        t.ok(view["round"] is None and view["ranking"] == [] and len(view["scores"]) == 9,
             "before publication the buyer sees the scores, no results", str(view)[:300])
        for k in "abc":
            r = bidders[k].get(f"/api/v1/procedures/{pid}/selection/result")
            t.eq(r.json, {"published": False, "result": None, "rounds": []},
                 f"bidder {k} still sees nothing")
        t.ok(bidders["a"].get(f"/api/v1/procedures/{pid}/selection").status in (403, 404),
             "a bidder cannot see the ranking")

        r = buyer.post(f"/api/v1/procedures/{pid}/selection/publish", {})
        t.eq(r.status, 422, "publishing needs the maximum to admit")
        r = buyer.post(f"/api/v1/procedures/{pid}/selection/publish", {"max_admitted": 2})
        t.ok(r.status == 409 and "Tie at the boundary" in r.json["error"]["message"]
             and names["b"] in r.json["error"]["message"]
             and names["c"] in r.json["error"]["message"],
             "a tie at the boundary is refused, naming the tied", r.text[:300])
        r = buyer.post(f"/api/v1/procedures/{pid}/selection/publish",
                       {"max_admitted": 2, "tie_admit": [cands["a"]]})
        t.eq(r.status, 409, "naming one who is not tied is refused")
        for bad in ([f"{cands['b']}x"], [0], "b"):
            r = buyer.post(f"/api/v1/procedures/{pid}/selection/publish",
                           {"max_admitted": 2, "tie_admit": bad})
            t.ok(r.status == 422 and r.json["error"]["field"] == "tie_admit",
                 f"tie_admit {bad!r} is refused, not skipped", r.text[:200])
        r = buyer.request("POST", f"/procedures/{pid}/selection/publish",
                          form={"csrf": buyer.csrf, "max_admitted": "2",
                                "tie_admit": f"{cands['b']}a"})
        t.eq(r.status, 422, "the form's tie_admit with a stray letter is refused, not skipped")
        r = buyer.post(f"/api/v1/procedures/{pid}/selection/publish",
                       {"max_admitted": 2, "tie_admit": [cands["b"]]})
        t.ok(r.status == 201 and r.json["round"]["max_admitted"] == 2
             and len(r.json["ranking"]) == 3, "the buyer breaks the tie and publishes",
             r.text[:300])
        t.eq(buyer.post(f"/api/v1/procedures/{pid}/selection/publish",
                        {"max_admitted": 2}).status, 409, "publishing twice is refused")
        r = score(cands["c"], "visie", points=20)
        t.eq(r.status, 409, "after publication scores cannot change")

        view = buyer.get(f"/api/v1/procedures/{pid}/selection").json
        rank = {x["candidate"]: x for x in view["ranking"]}
        t.ok([x["candidate"] for x in view["ranking"]][0] == cands["a"]
             and rank[cands["a"]]["outcome"] == "admitted" and rank[cands["a"]]["points"] == 23
             and rank[cands["b"]]["outcome"] == "admitted" and rank[cands["b"]]["tie_broken"]
             and rank[cands["c"]]["outcome"] == "not-admitted" and rank[cands["c"]]["rank"] == 2
             and rank[cands["c"]]["points"] == 20 and rank[cands["c"]]["cutoff"] == 20,
             "the buyer sees the whole ranking", str(view["ranking"])[:400])

        results = {}
        for k in "abc":
            r = bidders[k].get(f"/api/v1/procedures/{pid}/selection/result")
            results[k] = r.json["result"] if r.status == 200 and r.json else {}
            t.ok(r.status == 200 and r.json["published"] and results[k]["candidate"] == cands[k]
                 and set(r.json) == {"published", "result", "rounds"}
                 and r.json["rounds"] == [r.json["result"]] and r.json["result"]["round"] == 1
                 and all(names[o] not in r.text for o in "abc" if o != k),
                 f"bidder {k} sees its own result only", r.text[:300])
        t.ok(len({results[k]["published_at"]["utc"] for k in "abc"}) == 1,
             "every result carries the same published_at")
        t.ok(results["a"]["outcome"] == "admitted" and "rank 1 with 23 points" in results["a"]["reason"],
             "A: admitted, with its reason", results["a"].get("reason"))
        t.ok(results["b"]["outcome"] == "admitted" and "chosen by the contracting authority"
             in results["b"]["reason"], "B: admitted by the explicit choice",
             results["b"].get("reason"))
        t.ok(results["c"]["outcome"] == "not-admitted" and results["c"]["rank"] == 2
             and results["c"]["points"] == 20 and results["c"]["cutoff"] == 20
             and "cut-off of 20 points" in results["c"]["reason"],
             "C: not admitted, with rank, points and cut-off", results["c"].get("reason"))
        page = bidders["c"].get(f"/procedures/{pid}/selection/result")
        t.ok(page.status == 200 and "Not admitted" in page.text and "20 points" in page.text
             and names["a"] not in page.text, "C's result page shows its own result")
        page = buyer.get(f"/procedures/{pid}/selection")
        t.ok(page.status == 200 and names["c"] in page.text, "the buyer's page shows the ranking")
        t.eq(bidders["c"].get(f"/api/v1/procedures/{pid}").status, 200,
             "the not admitted bidder keeps its grant (history)")
        audit = buyer.get(f"/api/v1/procedures/{pid}/audit").json
        actions = [e["action"] for e in audit.get("events", [])]
        t.ok(actions.count("selection.publish") == 1 and "selection.score" in actions,
             "scores and the publication are audited", str(actions)[:300])
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
