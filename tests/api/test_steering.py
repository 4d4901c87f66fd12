#!/usr/bin/env python3
"""Steering the contract through the JSON API: the seed's budget table,
CSV imports that change nothing on a bad row, indexation worked through by
hand, KPIs entered by the consortium, evaluations and termination, the
subsidies and organisation-form history, and the council report."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap  # noqa: E402


def main():
    t = Tap()
    srv = Server()
    try:
        hb = Client(srv)
        t.eq(hb.login("buyer@haarlem.example").status, 200, "Haarlem's buyer logs in")
        budget = hb.get("/api/v1/budget").json
        wmo = [f for f in budget["frames"] if f["title"].startswith("Beschikbare budgetten Wmo")]
        t.ok(len(wmo) == 1, "the demo holds Haarlem's Wmo budget table")
        t.eq(wmo[0]["first_year"], 2021, "the table starts in 2021")
        t.eq(wmo[0]["totals_cents"], [3644900000, 3122300000, 3111200000, 3066400000, 3066400000],
             "seed 003's totals per year (k€ 36.449, 31.223, 31.112, 30.664, 30.664)")
        t.ok(any(r["taakstelling"] and r["cents"][1] == -516400000 for r in wmo[0]["rows"]),
             "the taakstelling row is kept as such")

        # A bad row refuses the whole import, naming its line.
        bad = "categorie;2026;2027\nJeugd;1.000;1.100\nWmo;2.000;veel\n"
        r = hb.post("/api/v1/budget/frames", {"title": "Kader 2026", "csv": bad, "thousands": True})
        t.ok(r.status == 422 and r.json["error"]["field"] == "line 3", "a bad CSV row names its line", r.text)
        t.eq(len(hb.get("/api/v1/budget").json["frames"]), 1, "and nothing was imported")
        # Issue 16 item 5: a blank cell was stored as nothing, a year could
        # add up below zero; both are refused naming line and column.
        blank = "categorie;2026;2027\nJeugd;1.000;1.100\nWmo;;2.050\n"
        r = hb.post("/api/v1/budget/frames", {"title": "Kader 2026", "csv": blank, "thousands": True})
        t.ok(r.status == 422 and r.json["error"]["field"] == "line 3"
             and re.search(r"(Column|Kolom) 2 \(2026\)", r.json["error"]["message"]),
             "a blank cell is refused naming its line and column", r.text)
        below = "categorie;2026;2027\nJeugd;1.000;1.100\nTaakstelling;-100;-1.150\n"
        r = hb.post("/api/v1/budget/frames", {"title": "Kader 2026", "csv": below, "thousands": True})
        t.ok(r.status == 422 and r.json["error"]["field"] == "line 3"
             and re.search(r"(Column|Kolom) 3 \(2027\)", r.json["error"]["message"]),
             "a year adding up below zero is refused naming the taakstelling's line and the column",
             r.text)
        t.eq(len(hb.get("/api/v1/budget").json["frames"]), 1, "and neither was imported")
        good = "categorie;2026;2027\nJeugd;1.000;1.100\nWmo;2.000;2.050\nTaakstelling;-100;-150\n"
        r = hb.post("/api/v1/budget/frames", {"title": "Kader 2026", "csv": good, "thousands": True})
        t.eq(r.status, 201, "a good CSV imports")
        t.eq(r.json["totals_cents"], [290000000, 300000000], "its totals are the sums")
        x = hb.get(f"/api/v1/budget/frames/{r.json['id']}/xlsx")
        t.ok(x.status == 200 and x.body[:2] == b"PK" and "spreadsheetml" in x.getheader("Content-Type"),
             "the frame downloads as XLSX", x.status)

        # A contract entered directly, with indexation worked by hand.
        c = hb.post("/api/v1/contracts", {
            "reference": "HLM-TEST-1", "title": "Testcontract", "start": "2022-07-01",
            "end": "2030-01-01", "evaluation_years": [3, 6], "extension_options": 1,
            "extension_months": 24, "budget": "20.000.000", "base_year": 2022,
            "wage_weight": "75", "price_weight": "25",
            "parties": [{"org_name": "Consortium Test", "kvk": "93000001", "role": "penvoerder"},
                        {"org_name": "Partner Test", "kvk": "93000002", "role": "member"}]})
        t.eq(c.status, 201, "a contract is entered")
        cid = c.json["id"]
        t.eq([e["due"] for e in c.json["evaluations"]], ["2025-07-01", "2028-07-01"],
             "evaluations fall after year 3 and year 6")
        r = hb.post("/api/v1/contracts", dict(reference="HLM-TEST-2", title="x", start="2022-07-01",
                                                end="2021-01-01", parties=[
                                                    {"org_name": "Consortium Test", "kvk": "93000001",
                                                     "role": "penvoerder"}]))
        t.ok(r.status == 422 and r.json["error"]["field"] in ("end", "start"), "an end before the start is refused", r.text)
        for fig in [{"year": 2023, "wage_prognosis": "5,00", "price_prognosis": "3,00",
                     "wage_actual": "6,00", "price_actual": "3,20"},
                    {"year": 2024, "wage_prognosis": "4", "price_prognosis": "2"}]:
            r = hb.post(f"/api/v1/contracts/{cid}/index", fig)
            t.eq(r.status, 200, f"index figures for {fig['year']} are saved")
        r = hb.post(f"/api/v1/contracts/{cid}/index", {"year": 2025, "wage_prognosis": "veel", "price_prognosis": "1"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "wage_prognosis", "a bad figure is refused", r.text)
        got = hb.get(f"/api/v1/contracts/{cid}").json
        years = {y["year"]: y for y in got["budget_years"]}
        # 2022: 20.000.000,00.  2023: composite 0,75*5,00 + 0,25*3,00 = 4,50 %
        # -> 20.900.000,00.  2024: last year's realisation 0,75*6,00 +
        # 0,25*3,20 = 5,30 %, 0,80 % above its prognosis, corrects the 2023
        # indexation of 20.000.000,00 by 160.000,00: base 21.060.000,00;
        # composite prognosis 2024 0,75*4 + 0,25*2 = 3,50 % -> 21.797.100,00.
        t.eq(years.get(2022, {}).get("budget_cents"), 2000000000, "2022 pays the base budget")
        t.eq(years.get(2023, {}).get("budget_cents"), 2090000000, "2023 indexed by 4,50 %")
        t.eq(years.get(2024, {}).get("correction_cents"), 16000000, "2024 corrects 2023's prognosis")
        t.eq(years.get(2024, {}).get("budget_cents"), 2179710000, "2024 indexed on the corrected base")
        t.ok(all(y["explanation"] for y in got["budget_years"]), "every year explains its sums")

        # KPIs: the consortium's reporter imports; a bad line changes nothing.
        hc = [k for k in hb.get("/api/v1/contracts").json["contracts"] if k["reference"] == "HLM-GIDW-2022"][0]
        rep = Client(srv)
        t.eq(rep.login("reporter@gidw.example").status, 200, "the reporter logs in")
        mine = rep.get("/api/v1/contracts").json["contracts"]
        t.eq([k["reference"] for k in mine], ["HLM-GIDW-2022"], "the consortium sees its own contract only")
        t.eq(rep.get(f"/api/v1/contracts/{cid}").status, 404, "and not another contract")
        before = rep.get(f"/api/v1/contracts/{hc['id']}").json["measurements"]
        csv_bad = ("kpi;periode;gebied;waarde\n"
                   "Doorlooptijd eerste gesprek (demo);2023-Q3;;11\n"
                   "Doorlooptijd eerste gesprek (demo);2023-Q5;;10\n")
        r = rep.post(f"/api/v1/contracts/{hc['id']}/measurements", {"csv": csv_bad})
        t.ok(r.status == 422 and r.json["error"]["field"] == "line 3", "a bad period names line 3", r.text)
        t.eq(rep.get(f"/api/v1/contracts/{hc['id']}").json["measurements"], before, "and nothing was kept")
        csv_good = ("kpi,period,area,value\n"
                    "Doorlooptijd eerste gesprek (demo),2023-Q3,,11\n"
                    "Doorlooptijd eerste gesprek (demo),2023-Q4,,10.5\n")
        r = rep.post(f"/api/v1/contracts/{hc['id']}/measurements", {"csv": csv_good})
        t.ok(r.status == 201 and r.json["imported"] == 2, "a good import is kept", r.text)
        t.eq(len(rep.get(f"/api/v1/contracts/{hc['id']}").json["measurements"]), len(before) + 2,
             "two measurements more")
        kid = [k for k in rep.get(f"/api/v1/contracts/{hc['id']}").json["kpis"]
               if k["name"].startswith("Bereik")][0]["id"]
        r = rep.post(f"/api/v1/contracts/{hc['id']}/measurements",
                     {"kpi_id": kid, "period": "2024-13", "area": "Noord", "value": "400"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "period", "a single bad period is refused", r.text)
        r = rep.post(f"/api/v1/contracts/{hc['id']}/measurements",
                     {"kpi_id": kid, "period": "2024-Q1", "area": "Noord", "value": "400"})
        t.ok(r.status == 201 and r.json["imported"] == 1, "one measurement entered by hand", r.text)
        t.eq(len(rep.get(f"/api/v1/contracts/{hc['id']}").json["measurements"]), len(before) + 3,
             "three measurements more")
        t.eq(rep.post(f"/api/v1/contracts/{hc['id']}/terminate", {"on": "2026-01-01"}).status, 403,
             "the reporter cannot terminate")
        page = rep.get(f"/contracts/{hc['id']}")
        t.ok(page.status == 200 and "<svg" in page.text and "polyline" in page.text,
             "the contract page shows the KPI trend as SVG")

        # Evaluation and early termination.
        r = hb.post(f"/api/v1/contracts/{cid}/evaluations", {"after_year": 3, "outcome": "negative"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "notes", "a negative evaluation needs reasons", r.text)
        r = hb.post(f"/api/v1/contracts/{cid}/evaluations", {"after_year": 3, "outcome": "negative",
                                                            "notes": "Kernindicatoren structureel onder doel."})
        t.eq(r.status, 200, "a negative evaluation is recorded")
        r = hb.post(f"/api/v1/contracts/{cid}/evaluations", {"after_year": 4, "outcome": "positive"})
        t.eq(r.status, 422, "an evaluation moment the contract does not have is refused")
        r = hb.post(f"/api/v1/contracts/{cid}/terminate", {"on": "2026-01-01", "reason": "Negatieve evaluatie na jaar 3"})
        t.ok(r.status in (409, 422), "termination needs its decision", r.text)
        r = hb.post(f"/api/v1/contracts/{cid}/terminate", {"on": "2026-01-01", "reason": "Negatieve evaluatie na jaar 3",
                                                          "decision": "2025/77777"})
        t.ok(r.status == 200 and r.json["status"] == "terminated", "the contract is terminated", r.text)

        # Dordrecht: subsidies, history, and the council report.
        db = Client(srv)
        db.login("buyer@dordrecht.example")
        subs = db.get("/api/v1/budget").json["subsidies"]
        t.ok(any("Sociaal Wijkteam" in s["purpose"] and s["kind"] == "multi-year" for s in subs),
             "Dordrecht's multi-year wijkteam subsidy is recorded")
        r = db.post("/api/v1/subsidies", {"recipient_name": "Afbouw Test", "recipient_kvk": "93000003",
                                           "purpose": "Buurtwerk (test)", "kind": "multi-year",
                                           "from_year": 2020, "to_year": 2022, "amount": "100.000",
                                           "phase_out_pct": [75, 50], "phase_out_scope": "overhead"})
        t.eq(r.status, 201, "a subsidy with a phase-out arrangement is recorded")
        r = db.post("/api/v1/subsidies", {"recipient_name": "X", "recipient_kvk": "93000004", "purpose": "x",
                                           "kind": "multi-year", "from_year": 2020, "to_year": 2022,
                                           "phase_out_pct": [50, 75]})
        t.eq(r.status, 422, "a rising phase-out is refused")
        # The incumbent lost: its subsidy ends early with an afbouwregeling.
        sid = [s for s in db.get("/api/v1/budget").json["subsidies"] if s["purpose"] == "Buurtwerk (test)"][0]["id"]
        r = db.post(f"/api/v1/subsidies/{sid}/terminate", {"last_year": 2021, "decision": "",
                                                           "phase_out_pct": [60]})
        t.ok(r.status == 422 and r.json["error"]["field"] == "end_decision", "ending needs its decision", r.text)
        r = db.post(f"/api/v1/subsidies/{sid}/terminate", {"last_year": 2021, "decision": "2021/0815",
                                                           "phase_out_pct": [60, 30],
                                                           "phase_out_scope": "overhead en ondersteunend personeel",
                                                           "staff_taken_over": "12 fte buurtwerkers"})
        t.eq(r.status, 201, "the subsidy ends early with a phase-out")
        ended = [s for s in db.get("/api/v1/budget").json["subsidies"] if s["id"] == sid][0]
        t.ok(ended["to_year"] == 2021 and ended["end_decision"] == "2021/0815" and
             ended["phase_out_pct"] == [60, 30], "the end, its decision and the afbouwregeling are kept", ended)
        h = Client(srv)
        h.login("buyer@haarlem.example")
        t.eq(h.post(f"/api/v1/subsidies/{sid}/extend", {"to_year": 2030, "decision": "x"}).status, 404,
             "Haarlem cannot touch Dordrecht's subsidy")
        hist = db.get("/api/v1/history").json["periods"]
        swt = [p["form"] for p in hist if p["assignment"] == "Sociaal Wijkteam"]
        t.eq(swt, ["separate-subsidies", "one-penvoerder", "main-contractor", "equal-parties"],
             "the wijkteam's organisation forms in order")
        r = db.post("/api/v1/history", {"assignment": "Sociaal Wijkteam", "from_year": 2019, "to_year": 2019,
                                         "form": "single-provider"})
        t.ok(r.status in (409, 422), "an overlapping period is refused", r.text)
        council = Client(srv)
        council.login("council@dordrecht.example")
        rep_json = council.get("/api/v1/report").json
        t.eq(len(rep_json["risks"]), 3, "the report carries seed 000's three risks")
        t.ok(any(p["reference"] == "DOR-2022-SWT-BW-JW" for p in rep_json["procedures"]),
             "and Dordrecht's procedure")
        pdf = council.get("/report/pdf")
        t.ok(pdf.status == 200 and pdf.body[:5] == b"%PDF-", "the report downloads as PDF", pdf.status)
        t.eq(council.post("/api/v1/risks", {"title": "x", "mitigation": "y", "level": "low"}).status, 403,
             "the council reads but never writes")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
