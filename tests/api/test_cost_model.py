#!/usr/bin/env python3
"""A contract's cost model through the API and its form (issue 16 item 1).

The demo's awarded Dordrecht contract holds a cost model "(demo)" whose
verdict says from which year the budget, with its taakstellingen, no
longer covers it.  A buyer replaces it with the example worked by hand in
tests/unit/test_costmodel.c (2022's figures, here in the contract's base
year) and reads the same minimum back; bad documents and bad form fields
are refused naming the field and change nothing; council members read
the verdict, bidders and other municipalities' buyers do not.
"""
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf  # noqa: E402

HAND = {"functions": [
    {"name": "Wijkcoach", "cao": "CAO Sociaal Werk, schaal 8, trede 6", "fte_centi": 300,
     "salary_cents": 4800000, "charges_bp": 3000},
    {"name": "Teamleider", "cao": "CAO Sociaal Werk, schaal 10, trede 4", "fte_centi":50,
     "salary_cents": 6600000, "charges_bp": 3000}],
    "productive_hours": 1300, "overhead_bp": 1500, "management_bp": 800,
    "material_cents": 600000, "housing_cents": 1200000, "efficiency_bp": 500,
    "efficiency_reason": "Een team in plaats van drie aanbieders.", "sources": "CAO",
    "taakstellingen": []}


def main():
    t = Tap()
    srv = Server()
    try:
        b = Client(srv)
        t.eq(b.login("buyer@dordrecht.example").status, 200, "the Dordrecht buyer logs in")
        cs = b.get("/api/v1/contracts").json["contracts"]
        c = next(x for x in cs if x["reference"] == "DOR-2026-MBS-DEMO-C")
        cid = c["id"]
        base = f"/api/v1/contracts/{cid}/cost-model"
        r = b.get(base)
        j = r.json
        t.ok(r.status == 200 and j["model"] and all("(demo)" in f["name"] for f in j["model"]["functions"]),
             "the demo contract holds a cost model, its functions marked (demo)", r.text[:300])
        years = j["verdict"]["years"] if j["verdict"] else []
        t.ok(len(years) == 4 and j["verdict"]["first_short_year"] == years[2]["year"]
             and years[0]["covered"] and not years[2]["covered"],
             "its verdict: covered at first, short from the third year (the taakstelling)",
             [(y["year"], y["margin_cents"], y["covered"]) for y in years])
        t.eq(years[0]["minimum_cents"] if years else None, 193548368,
             "the demo's minimum: 1.935.483,68 (computed by hand in its comment)")
        t.ok(all(re.search(r"\d{4}: (personeel|staff)", y["explanation"]) for y in years),
             "every year carries its sum")

        # The hand-worked example of the unit test.
        r = b.post(base, HAND)
        t.eq(r.status, 200, "the buyer replaces the model")
        y0 = r.json["verdict"]["years"][0] if r.status == 200 else {}
        t.eq(y0.get("minimum_cents"), 28597185, "and reads back the hand-worked minimum 285.971,85")
        t.eq(r.json["verdict"]["per_hour_cents"] if r.status == 200 else None, 6220,
             "62,20 per productive hour")
        db = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True)
        n = db.execute("SELECT count(*) FROM audit WHERE action = 'costmodel.set' "
                       "AND object = ?", (f"contract/{cid}",)).fetchone()[0]
        db.close()
        t.eq(n, 2, "both versions (the demo's, the buyer's) are in the audit trail")

        # Refusals name the field and change nothing.
        before = b.get(base).json["model"]
        bad = [
            ({**HAND, "functions": []}, "functions"),
            ({**HAND, "functions": [{**HAND["functions"][0], "fte_centi": 0}]}, "functions[0].fte"),
            ({**HAND, "functions": [{**HAND["functions"][0], "salary_cents": "veel"}]}, "functions[0].salary"),
            ({**HAND, "efficiency_bp": 6000}, "efficiency"),
            ({**HAND, "efficiency_reason": ""}, "efficiency_reason"),
            ({**HAND, "productive_hours": 0}, "productive_hours"),
            ({**HAND, "taakstellingen": [{"year": 1999, "cents": 100}]}, "taakstellingen[0].year"),
            ({**HAND, "functions": [{**HAND["functions"][0], "name": "Wijk\u202ecoach"}]}, "functions[0].name"),
        ]
        for doc, field in bad:
            r = b.post(base, doc)
            got = (r.json or {}).get("error", {}).get("field")
            t.ok(r.status == 422 and got == field, f"refused at {field}", f"{r.status} {r.text[:200]}")
        t.eq(b.get(base).json["model"], before, "the refusals changed nothing")

        # The form: fields as people type them.
        page = b.get(f"/contracts/{cid}/cost-model")
        t.ok(page.status == 200 and 'name="fn1_fte"' in page.text and 'id="verdict"' in page.text,
             "the page shows the verdict and the form")
        token = form_csrf(page.text)
        form = {"csrf": token, "fn1_name": "Wijkcoach", "fn1_cao": "schaal 8", "fn1_fte": "3",
                "fn1_salary": "48.000", "fn1_charges": "30", "fn2_name": "Teamleider",
                "fn2_fte": "0,5", "fn2_salary": "€ 66.000", "fn2_charges": "30",
                "productive_hours": "1300", "overhead": "15", "management": "8",
                "material": "6.000", "housing": "12.000", "efficiency": "5",
                "efficiency_reason": "Een team.", "sources": ""}
        r = b.request("POST", f"/contracts/{cid}/cost-model", form=form)
        t.ok(r.status == 303, "the form saves and goes back to the verdict", f"{r.status} {r.text[:200]}")
        t.eq(b.get(base).json["verdict"]["years"][0]["minimum_cents"], 28597185,
             "the form's figures give the same minimum")
        r = b.request("POST", f"/contracts/{cid}/cost-model", form={**form, "fn2_fte": "een half"})
        t.ok(r.status == 422 and 'id="err-f-fn2_fte"' in r.text,
             "a bad FTE is refused at its field on the page", r.status)
        r = b.request("POST", f"/contracts/{cid}/cost-model", form={**form, "efficiency_reason": ""})
        t.ok(r.status == 422 and 'id="err-f-efficiency_reason"' in r.text,
             "an efficiency without reasoning too, at its field")
        t.eq(b.get(base).json["verdict"]["years"][0]["minimum_cents"], 28597185, "nothing changed")

        # Who reads it.
        council = Client(srv)
        council.login("council@dordrecht.example")
        t.eq(council.get(base).status, 200, "a council member reads the verdict")
        t.eq(council.post(base, HAND).status, 403, "but may not change the model")
        other = Client(srv)
        other.login("buyer@haarlem.example")
        t.ok(other.get(base).status in (403, 404), "another municipality's buyer reads nothing")
        bidder = Client(srv)
        bidder.login("bidder@wijkzorg.example")
        t.ok(bidder.get(base).status in (403, 404), "a bidder reads nothing")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
