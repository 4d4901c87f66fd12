#!/usr/bin/env python3
"""Irreversible actions ask for their confirmation on the page, without
JavaScript (form.h FIELD_CONFIRM).

A confirmed HTML form sent without its box ticked is refused: the page
comes back with the refusal's status, the error at the box (and linked
from the summary under "Nothing was changed."), and nothing happened, as
the API then shows.  Ticked, the action is done and the page it lands on
says so (?done=).  The JSON API asks no confirmation.  A create form's
refusal says that nothing was created, not that nothing was changed.
The other confirmed forms are in test_confirm_more.py and
test_confirm_award.py.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


def errors_at(html):
    """The ids of the fields that show an error (err-f-ID)."""
    return set(re.findall(r'<p class="field-error" id="err-f-([a-z0-9_-]+)">', html))


def main():
    t = Tap()
    srv = Server()
    try:
        api = Client(srv)
        t.eq(api.login("buyer@dordrecht.example").status, 200, "the buyer logs in (API)")
        web = Client(srv)
        r, me = web.html_login("buyer@dordrecht.example")
        t.ok(r.status == 303 and me.status == 200, "the buyer logs in (form)")
        web.request("POST", "/lang", form={"csrf": form_csrf(web.get("/").text), "lang": "en",
                                          "back": "/"})

        # A create form's refusal names what did not happen.
        r = web.request("POST", "/procedures", form={
            "csrf": form_csrf(web.get("/procedures/new").text), "reference": "",
            "title": "", "type": "restricted"})
        t.ok(r.status >= 400 and "The procedure was not created." in r.text
             and "Nothing was changed." not in r.text,
             "a refused new procedure says it was not created", r.text[:300])

        r = api.post("/api/v1/procedures", {
            "reference": "DOR-CONFIRM-1", "title": "Bevestigen", "type": "restricted",
            "cpv": "85310000-5", "value": "500.000",
            "lots": [{"title": "Wijkteam Noord", "value": "250.000"}]})
        t.eq(r.status, 201, "a restricted procedure")
        pid = r.json["id"]
        for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, 30),
                           ("document-issued", 3, None), ("application-deadline", 30, None)):
            cur = api.get(f"/api/v1/procedures/{pid}").json
            body = {"start": local_in(s)}
            if e:
                body["end"] = local_in(e)
            r = api.post(f"/api/v1/procedures/{pid}/stages/{stage(cur, kind)['id']}/move", body)
            t.ok(r.status == 200, f"plan {kind}", r.text[:200])
        time.sleep(3)

        # ---- publish for registration ----
        page = web.get(f"/procedures/{pid}/application").text
        t.ok('name="confirm"' in page and "visible to every organisation" in page,
             "the publish form carries the box naming its consequence", page[:300])
        r = web.request("POST", f"/procedures/{pid}/publish", form={"csrf": form_csrf(page)})
        t.ok(r.status == 422 and errors_at(r.text) == {"confirm"}
             and "Nothing was changed." in r.text and 'href="#f-confirm"' in r.text,
             "publishing without the box is refused at the box", r.text[:400])
        tenders = Client(srv).get("/api/v1/tenders").json["tenders"]
        t.ok(all(x["id"] != pid for x in tenders), "and the procedure is not published")
        r = web.request("POST", f"/procedures/{pid}/publish",
                        form={"csrf": form_csrf(page), "confirm": "1"})
        loc = r.headers.get("Location", "")
        t.ok(r.status == 303 and "done=procedure-published" in loc,
             "with the box ticked it is published", f"{r.status} {loc}")
        tenders = Client(srv).get("/api/v1/tenders").json["tenders"]
        t.ok(any(x["id"] == pid for x in tenders), "and /tenders lists it")
        landed = web.get(loc).text
        t.ok('<p class="notice saved" role="status" id="done">The procedure is published' in landed,
             "the page it lands on says what was done", landed[:300])
        t.ok("id=\"done\"" not in web.get(f"/procedures/{pid}/application?done=<b>x</b>").text,
             "an unknown done code shows nothing")

        # ---- complete a stage ----
        cur = api.get(f"/api/v1/procedures/{pid}").json
        pre = stage(cur, "pre-announcement")
        page = web.get(f"/procedures/{pid}").text
        t.ok(f'id="f-s{pre["id"]}-confirm"' in page and "cannot be undone" in page,
             "the complete button has its box", page[:200])
        t.ok("window.confirm" not in web.get("/static/kavel.js").text,
             "kavel.js asks nothing with window.confirm")
        r = web.request("POST", f"/procedures/{pid}/stages/{pre['id']}/complete",
                        form={"csrf": form_csrf(page)})
        t.ok(r.status == 422 and errors_at(r.text) == {f"s{pre['id']}-confirm"},
             "completing without the box is refused at the box", r.text[:300])
        cur = api.get(f"/api/v1/procedures/{pid}").json
        t.ok(stage(cur, "pre-announcement")["status"] != "completed",
             "and the stage is not completed", stage(cur, "pre-announcement"))
        r = web.request("POST", f"/procedures/{pid}/stages/{pre['id']}/complete",
                        form={"csrf": form_csrf(page), "confirm": "1"})
        loc = r.headers.get("Location", "")
        t.ok(r.status == 303 and "done=stage-completed" in loc and loc.endswith(f"#stage-{pre['id']}"),
             "ticked, it is completed; the notice code comes before the fragment", loc)
        cur = api.get(f"/api/v1/procedures/{pid}").json
        t.eq(stage(cur, "pre-announcement")["status"], "completed", "the API shows it completed")

        # ---- the API asks no confirmation ----
        reg = stage(cur, "registration")
        r = api.post(f"/api/v1/procedures/{pid}/stages/{reg['id']}/complete")
        t.ok(r.status in (200, 409) and not (r.json or {}).get("error", {}).get("field") == "confirm",
             "the API's complete needs no confirm field", r.text[:200])

        # ---- terminate a contract (Haarlem's, of the demo) ----
        hapi = Client(srv)
        t.eq(hapi.login("buyer@haarlem.example").status, 200, "Haarlem's buyer logs in")
        cs = hapi.get("/api/v1/contracts").json
        cs = cs.get("contracts", cs) if isinstance(cs, dict) else cs
        cid = cs[0]["id"]
        hweb = Client(srv)
        hweb.html_login("buyer@haarlem.example")
        page = hweb.get(f"/contracts/{cid}").text
        t.ok('name="confirm"' in page, "the contract page's terminate form has its box")
        r = hweb.request("POST", f"/contracts/{cid}/terminate", form={
            "csrf": form_csrf(page), "on": "2027-01-01", "reason": "Test <b>reden</b>",
            "decision": "2026/1"})
        t.ok(r.status == 422 and errors_at(r.text) == {"confirm"}
             and "Test &lt;b&gt;reden&lt;/b&gt;" in r.text,
             "terminating without the box is refused at the box, what was typed stays", r.text[:300])
        c = hapi.get(f"/api/v1/contracts/{cid}").json
        t.ok(not c.get("terminated"), "and the contract is not terminated", str(c)[:200])
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
