#!/usr/bin/env python3
"""Selection criteria need no key typed by a person (issue 12, item 4).

A criterion created without a key (left out, or "") gets one made from its
title (core text_slug: accents off, lower case, other runs one "-"), unique
within the procedure: two criteria with the same title get "kwaliteit"
and "kwaliteit-2", a third "kwaliteit-3"; a title with nothing to keep
gets "criterium".  The keys are in the application's JSON and a bidder
answers with them.  A key given is kept; a key given twice is refused
(409) and a malformed one (422 naming "key"), and neither adds anything.
The buyer's HTML form makes the key too when its field is left empty.
The same titles in another procedure start again at "kwaliteit".
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf  # noqa: E402


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")

        def new_procedure(ref):
            r = buyer.post("/api/v1/procedures", {
                "reference": ref, "title": "Sleuteltest", "type": "sas-dialogue",
                "cpv": "85310000-5", "value": "100.000", "dialogue_rounds": 2,
                "lots": [{"title": "Wijk", "value": "100.000"}]})
            t.eq(r.status, 201, f"procedure {ref} is created")
            return r.json["id"]

        pid = new_procedure("DOR-KEY-1")
        url = f"/api/v1/procedures/{pid}/selection-criteria"

        def keys():
            return [c["key"] for c in buyer.get(f"/api/v1/procedures/{pid}/application").json["criteria"]]

        r1 = buyer.post(url, {"title": "Kwaliteit", "kind": "pass-fail"})
        t.ok(r1.status == 201 and r1.json["key"] == "kwaliteit",
             "without a key: the key is made from the title", r1.text[:300])
        r2 = buyer.post(url, {"key": "", "title": "Kwaliteit", "kind": "scored", "max_points": 10})
        t.ok(r2.status == 201 and r2.json["key"] == "kwaliteit-2",
             "the same title again (key \"\"): another key, kwaliteit-2", r2.text[:300])
        r3 = buyer.post(url, {"title": "  KWALITEIT!  ", "kind": "pass-fail"})
        t.ok(r3.status == 201 and r3.json["key"] == "kwaliteit-3",
             "a title that makes the same key: kwaliteit-3", r3.text[:300])
        ids = {r.json["id"] for r in (r1, r2, r3) if r.status == 201}
        t.eq(len(ids), 3, "three criteria, three ids")
        r = buyer.post(url, {"title": "Financiële draagkracht", "kind": "pass-fail"})
        t.ok(r.status == 201 and r.json["key"] == "financiele-draagkracht",
             "accents come off: financiele-draagkracht", r.text[:300])
        r = buyer.post(url, {"title": "???", "kind": "pass-fail"})
        t.ok(r.status == 201 and r.json["key"] == "criterium",
             "a title with no letter or digit: criterium", r.text[:300])
        r = buyer.post(url, {"title": "Ervaring met de doelgroep in de wijk en daarbuiten, "
                                      "aantoonbaar in drie referenties", "kind": "pass-fail"})
        k = (r.json or {}).get("key", "")
        t.ok(r.status == 201 and 1 <= len(k) <= 40 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k)
             and k.startswith("ervaring-met-de-doelgroep"),
             "a long title: a key of at most 40 characters a-z0-9-, no dash at either end", k)
        got = keys()
        t.eq(len(got), len(set(got)), "every key of the procedure is unique")
        t.ok({"kwaliteit", "kwaliteit-2", "kwaliteit-3", "financiele-draagkracht", "criterium"} <= set(got),
             "the application's JSON lists the made keys", got)

        # A key given is kept; refusals add nothing.
        r = buyer.post(url, {"key": "ervaring", "title": "Kwaliteit", "kind": "pass-fail"})
        t.ok(r.status == 201 and r.json["key"] == "ervaring", "a key given is kept", r.text[:300])
        before = keys()
        r = buyer.post(url, {"key": "kwaliteit", "title": "Iets anders", "kind": "pass-fail"})
        t.eq(r.status, 409, "a key given that another criterion has is refused (409)")
        r = buyer.post(url, {"key": "Kwaliteit Plus", "title": "Iets anders", "kind": "pass-fail"})
        t.ok(r.status == 422 and (r.json or {}).get("error", {}).get("field") == "key",
             "a malformed key is refused, naming key", r.text[:300])
        r = buyer.post(url, {"title": "", "kind": "pass-fail"})
        t.ok(r.status == 422 and (r.json or {}).get("error", {}).get("field") == "title",
             "no key and no title: refused, naming the title", r.text[:300])
        t.eq(keys(), before, "the refusals added nothing")

        # The buyer's form, its key field left empty.
        page = buyer.get(f"/procedures/{pid}/application").text
        t.ok('name="key"' in page and 'name="title"' in page, "the application page has the criterion form")
        r = buyer.request("POST", f"/procedures/{pid}/selection-criteria", form={
            "csrf": form_csrf(page), "round": "1", "title": "Kwaliteit", "key": "",
            "description": "", "kind": "pass-fail", "max_points": ""})
        t.ok(r.status in (302, 303), "the form without a key is saved", f"{r.status} {r.text[:300]}")
        t.ok("kwaliteit-4" in keys(), "the form's criterion got kwaliteit-4", keys())

        # Another procedure starts again.
        pid2 = new_procedure("DOR-KEY-2")
        r = buyer.post(f"/api/v1/procedures/{pid2}/selection-criteria",
                       {"title": "Kwaliteit", "kind": "pass-fail"})
        t.ok(r.status == 201 and r.json["key"] == "kwaliteit",
             "in another procedure the same title is kwaliteit again", r.text[:300])
    finally:
        code = srv.stop()
        t.eq(code, 0, "the server stops cleanly")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
