#!/usr/bin/env python3
"""A list longer than its form allows is refused, never cut short.

A new procedure holds at most 12 lots and a party form at most 12
parties.  Before, the 13th lot of a new procedure was dropped without a
word (201, twelve lots): now more rows than allowed is refused with 422 at
the list's field, saying how many may be given, through the API and the
HTML form alike, and nothing is created.  Exactly the maximum is still
taken.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf  # noqa: E402


def lots(n):
    return [{"title": f"Perceel {i + 1}", "value": "10.000"} for i in range(n)]


def procedure(ref, n):
    return {"reference": ref, "title": "Rijen", "type": "restricted", "cpv": "85310000-5",
            "value": "500.000", "lots": lots(n)}


def main():
    t = Tap()
    srv = Server()
    try:
        api = Client(srv)
        t.eq(api.login("buyer@dordrecht.example").status, 200, "the buyer logs in")

        def refs():
            return [p["reference"] for p in api.get("/api/v1/procedures?per_page=500").json.get(
                "procedures", [])] if api.get("/api/v1/procedures").json else []

        r = api.post("/api/v1/procedures", procedure("ROWS-13", 13))
        err = (r.json or {}).get("error", {})
        t.ok(r.status == 422 and err.get("field") == "lots" and "12" in err.get("message", "")
             and "13" in err.get("message", ""),
             "13 lots through the API are refused at lots, naming 12 and 13", f"{r.status} {r.text[:300]}")
        t.ok("ROWS-13" not in refs(), "and no procedure was created")

        r = api.post("/api/v1/procedures", procedure("ROWS-12", 12))
        t.ok(r.status == 201 and len(r.json.get("lots", [])) == 12,
             "12 lots are taken, all twelve", f"{r.status} {r.text[:200]}")
        pid = r.json["id"] if r.status == 201 else 0
        t.ok("ROWS-12" in refs(), "the procedure list shows what was created (so the checks above can fail)")

        web = Client(srv)
        web.html_login("buyer@dordrecht.example")
        token = form_csrf(web.get("/procedures/new").text)
        form = {"csrf": token, "reference": "ROWS-FORM-13", "title": "Rijen", "type": "restricted",
                "cpv": "85310000-5", "value": "500.000"}
        for i in range(1, 14):
            form[f"lots_{i}_title"] = f"Perceel {i}"
            form[f"lots_{i}_value"] = "10.000"
        r = web.request("POST", "/procedures", form=form)
        t.ok(r.status == 422 and "ten hoogste 12 rijen" in r.text and "13 verstuurd" in r.text,
             "13 lots through the form are refused, in Dutch, naming 12 and 13",
             f"{r.status} {r.text[:300]}")
        t.ok("ROWS-FORM-13" not in refs(), "and no procedure was created")

        # A row index far past the limit counts as rows sent, not as none.
        r = web.request("POST", "/procedures", form={
            **{k: v for k, v in form.items() if not k.startswith("lots_")},
            "reference": "ROWS-FORM-BIG", "lots_99999999999_title": "Ver weg",
            "lots_1_title": "Een", "lots_1_value": "10.000"})
        t.ok(r.status == 422 and "ten hoogste 12 rijen" in r.text,
             "a form row numbered 99999999999 is refused too", f"{r.status} {r.text[:200]}")

        # Parties: a candidate with 13 parties.
        parties = [{"org_name": f"Partij {i}", "kvk": str(71000000 + i),
                    "role": "penvoerder" if i == 0 else "member"} for i in range(13)]
        r = api.post(f"/api/v1/procedures/{pid}/candidates",
                     {"name": "Te groot", "consortium": True, "parties": parties})
        err = (r.json or {}).get("error", {})
        t.ok(r.status == 422 and err.get("field") == "parties" and "12" in err.get("message", ""),
             "a candidate with 13 parties is refused at parties", f"{r.status} {r.text[:300]}")
        names = [c.get("name") for c in (api.get(f"/api/v1/procedures/{pid}/candidates").json
                                         or {}).get("candidates", [])]
        t.ok("Te groot" not in names, "and no candidate was added", names)
        r = api.post(f"/api/v1/procedures/{pid}/candidates",
                     {"name": "Net goed", "consortium": True, "parties": parties[:12]})
        names = [c.get("name") for c in (api.get(f"/api/v1/procedures/{pid}/candidates").json
                                         or {}).get("candidates", [])]
        t.ok(r.status == 201 and "Net goed" in names, "12 parties are taken", f"{r.status} {names}")
    finally:
        srv.stop()
    t.done()


if __name__ == "__main__":
    main()
