#!/usr/bin/env python3
"""A procedure's life through the JSON API, end to end, on the real clock.

Creates a SAS-with-dialogue procedure with lots, plans every stage a few
seconds ahead, completes them in order while the server refuses every step
the law or the calendar does not allow, checks the standstill it computes,
the decision condition that blocks a stage, the audit trail and its hash
chain, and an online backup taken while the server runs.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402


def stage(proc, kind, round_=0):
    return [s for s in proc["stages"] if s["kind"] == kind and s["round"] == round_][0]


def main():
    t = Tap()
    srv = Server()
    try:
        c = Client(srv)
        t.eq(c.login("buyer@dordrecht.example", "wrong password!").status, 401,
             "a wrong password is refused")
        t.eq(c.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        before = c.get("/api/v1/procedures").json["procedures"]

        # Bad input: a clear error naming the field, and nothing changes.
        base = {"reference": "DOR-TEST-1", "title": "Testaanbesteding wijkteams",
                "type": "sas-dialogue", "cpv": "85310000-5", "value": "1.500.000",
                "dialogue_rounds": 2,
                "lots": [{"title": "Wijkteam", "value": "1000000", "fixed_budget": True,
                          "goals": "Hulp dichtbij"},
                         {"title": "Jongerenwerk", "value": "400000"}]}
        for field, value in [("cpv", "85310000-4"), ("type", "tombola"),
                             ("value", "veel geld"), ("dialogue_rounds", 1),
                             ("reference", "")]:
            bad = dict(base, **{field: value})
            r = c.post("/api/v1/procedures", bad)
            err = (r.json or {}).get("error", {})
            t.ok(r.status in (400, 409, 422) and err.get("field") == field and err.get("message"),
                 f"a bad {field} is refused naming the field", f"{r.status} {r.text[:300]}")
        r = c.post("/api/v1/procedures", dict(base, lots=[{"title": "A", "value": "2.000.000"}]))
        t.ok(r.status == 422, "a lot worth more than the procedure is refused", r.text[:300])
        t.eq(c.get("/api/v1/procedures").json["procedures"], before,
             "refused requests created nothing")
        r = c.request("POST", "/api/v1/procedures", body="{not json", headers={})
        t.eq(r.status, 400, "malformed JSON is a 400")
        r = c.request("POST", "/api/v1/procedures", body=base,
                      headers={"Content-Type": "text/plain"})
        t.eq(r.status, 415, "a non-JSON content type is refused")
        t.eq((r.json or {}).get("error", {}).get("status"), 415,
             "the error's status in the body is the response's status")
        r = c.request("POST", "/api/v1/procedures", body=base, headers={"X-CSRF-Token": "0" * 64})
        t.eq(r.status, 403, "a wrong CSRF token is refused")

        r = c.post("/api/v1/procedures", base)
        t.eq(r.status, 201, "the procedure is created")
        p = r.json
        pid = p["id"]
        kinds = [s["kind"] for s in p["stages"]]
        t.eq(kinds, ["pre-announcement", "registration", "document-issued",
                     "application-deadline", "selection", "dialogue-round", "dialogue-round",
                     "tender-deadline", "evaluation", "provisional-award", "standstill",
                     "definitive-award", "contract-start"], "the SAS-dialogue template")
        t.eq([l["title"] for l in p["lots"]], ["Wijkteam", "Jongerenwerk"], "lots stored")

        def move(kind, start, end=None, round_=0):
            cur = c.get(f"/api/v1/procedures/{pid}").json
            sid = stage(cur, kind, round_)["id"]
            body = {"start": start}
            if end:
                body["end"] = end
            return c.post(f"/api/v1/procedures/{pid}/stages/{sid}/move", body)

        def complete(kind, round_=0):
            cur = c.get(f"/api/v1/procedures/{pid}").json
            sid = stage(cur, kind, round_)["id"]
            return c.post(f"/api/v1/procedures/{pid}/stages/{sid}/complete", {})

        # Refusals while planning.
        r = move("pre-announcement", local_in(-3600))
        t.ok(r.status in (409, 422), "a date in the past is refused", r.text[:300])
        r = move("registration", local_in(600), local_in(300))
        t.ok(r.status in (409, 422), "an end before the start is refused", r.text[:300])
        r = complete("document-issued")
        t.eq(r.status, 409, "skipping a stage is refused")

        # Plan everything a few seconds ahead, in template order.
        plan = [("pre-announcement", 2, None, 0), ("registration", 2, 3, 0),
                ("document-issued", 3, None, 0), ("application-deadline", 4, None, 0),
                ("selection", 4, 5, 0), ("dialogue-round", 5, 5, 1),
                ("dialogue-round", 5, 6, 2), ("tender-deadline", 6, None, 0),
                ("evaluation", 6, 7, 0), ("provisional-award", 8, None, 0)]
        t0 = time.time()
        ok = True
        for kind, s, e, rnd in plan:
            r = move(kind, local_in(s), local_in(e) if e else None, rnd)
            ok = ok and t.ok(r.status == 200, f"plan {kind} {rnd or ''}".strip(), r.text[:300])
        r = complete("pre-announcement")
        t.eq(r.status, 409, "a stage that has not started cannot complete")

        # A decision with a pending condition governs the tender deadline.
        d = c.post(f"/api/v1/procedures/{pid}/decisions", {
            "number": "2022/53240", "date": "2022-02-15",
            "title": "Uitnodiging tot Inschrijving",
            "conditions": [{"description": "Advies Ondernemingsraad (art. 25 WOR)"}],
            "governs": ["tender-deadline"]})
        t.eq(d.status, 201, "a conditional decision is registered")
        r = c.post(f"/api/v1/procedures/{pid}/decisions", {"number": "", "date": "2022-02-30",
                                                           "title": "x"})
        t.eq(r.status, 422, "a decision with a bad number or date is refused")

        time.sleep(max(0, t0 + 4.2 - time.time()))
        for kind in ["pre-announcement", "registration", "document-issued"]:
            t.eq(complete(kind).status, 200, f"complete {kind}")
        r = move("application-deadline", local_in(60))
        t.eq(r.status, 409, "a deadline that has passed cannot be moved")
        t.eq(complete("application-deadline").status, 200, "close the application deadline")
        time.sleep(max(0, t0 + 6.2 - time.time()))
        t.eq(complete("selection").status, 200, "complete the selection")
        t.eq(complete("dialogue-round", 1).status, 200, "complete dialogue round 1")
        t.eq(complete("dialogue-round", 2).status, 200, "complete dialogue round 2")
        r = complete("tender-deadline")
        t.ok(r.status == 409 and "2022/53240" in r.text,
             "a pending works-council condition blocks the tender deadline", r.text[:300])
        cond = d.json["conditions"][0]["id"]
        r = c.post(f"/api/v1/procedures/{pid}/conditions/{cond}/resolve",
                   {"state": "met", "resolution": "Positief advies OR"})
        t.eq(r.status, 201, "the condition is met")
        t.eq(complete("tender-deadline").status, 200, "then the tender deadline closes")
        time.sleep(max(0, t0 + 8.2 - time.time()))
        t.eq(complete("evaluation").status, 200, "complete the evaluation")
        r = complete("provisional-award")
        t.eq(r.status, 200, "send the provisional award")
        st = stage(r.json, "standstill")
        award = stage(r.json, "provisional-award")
        days = (st["end"]["utc"] - award["end"]["utc"]) / 86400
        t.ok(days >= 20, "the standstill runs at least 20 days", f"{days} days; {st}")
        t.ok(st["rule"] != "", "the standstill shows its rule", st)
        t.ok(st["end"]["local"].endswith(("23:59:59+01:00", "23:59:59+02:00")),
             "the standstill ends at the end of a day, Amsterdam time", st["end"])
        r = complete("definitive-award")
        t.eq(r.status, 409, "definitive award before the standstill has ended is refused")
        r = move("standstill", st["start"]["local"][:19], local_in(86400))
        t.ok(r.status in (409, 422), "shortening the standstill below the law is refused", r.text[:300])

        audit = c.get(f"/api/v1/procedures/{pid}/audit").json["events"]
        actions = [e["action"] for e in audit]
        t.ok("procedure.create" in actions and actions.count("stage.complete") >= 10,
             "the audit trail holds the creation and every completion", actions)
        t.ok(all(e["actor_name"] for e in audit if e["action"].startswith("stage.")),
             "each stage event names who did it")
        t.ok("decision.create" in actions and "condition.resolve" in actions,
             "the procedure's trail holds its decision and the condition met", actions)
        t.ok(all(e["object"] == f"procedure/{pid}" or e["object"].startswith(f"procedure/{pid}/")
                 for e in audit), "the trail holds this procedure's events only")
        t.ok("2.127" in st["rule"], "the standstill rule names its source", st["rule"])

        # Online backup while the server runs.
        dest = os.path.join(srv.dir, "backup.db")
        b = srv.kavel("backup", "--db", srv.db, dest)
        t.ok(b.returncode == 0 and os.path.exists(dest), "online backup while serving", b.stderr)
        v = srv.kavel("audit", "verify", "--db", dest)
        t.ok(v.returncode == 0 and "OK" in v.stdout, "the backup's audit chain verifies", v.stdout + v.stderr)
    finally:
        code = srv.stop()
    t.eq(code, 0, "server stops cleanly")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
