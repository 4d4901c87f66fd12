#!/usr/bin/env python3
"""Refused forms of the procedure pages come back with what was typed and
every error at its field.

The login, a new procedure, a lot, a candidate and a selection score are
sent through their HTML forms with several mistakes at once: the page is
shown again with the refusal's status, each mistake beside its field
(err-f-NAME, linked from the summary), the values as typed (escaped) and
never the password.  The API keeps answering the first mistake only, with
the field names it always used.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402

DEADLINE_IN = 12


def stage(proc, kind):
    return [s for s in proc["stages"] if s["kind"] == kind][0]


def errors_at(html):
    """The fields that show an error: the NAME of every err-f-NAME."""
    return set(re.findall(r'<p class="field-error" id="err-f-([a-z0-9_]+)">', html))


def main():
    t = Tap()
    srv = Server()
    try:
        # The login: a wrong password is refused beside nothing (the
        # account is not named), the address stays, the password does not.
        anon = Client(srv)
        token = form_csrf(anon.get("/login").text)
        r = anon.request("POST", "/login", form={"csrf": token, "email": "buyer@dordrecht.example",
                                                  "password": "not-the-password-1"})
        t.ok(r.status == 401 and 'value="buyer@dordrecht.example"' in r.text
             and "not-the-password-1" not in r.text and 'class="error-summary"' in r.text,
             "a refused login keeps the address, not the password", r.text[:300])

        buyer = Client(srv)
        r, me = buyer.html_login("buyer@dordrecht.example")
        t.ok(r.status == 303 and me.status == 200, "the buyer logs in through the form")
        buyer.request("POST", "/lang", form={"csrf": form_csrf(buyer.get("/").text), "lang": "en",
                                            "back": "/"})
        page = buyer.get("/procedures/new")
        token = form_csrf(page.text)
        t.ok(page.status == 200 and 'for="f-reference"' in page.text
             and 'name="lots_3_goals"' in page.text,
             "the new-procedure form has its fields and three lot rows", page.text[:300])

        # A new procedure with four mistakes.
        r = buyer.request("POST", "/procedures", form={
            "csrf": token, "reference": "FORMS-1", "title": "Formulieren <b>test</b>",
            "type": "open", "cpv": "85310000-5", "value": "veel", "dialogue_rounds": "99",
            "lots_1_title": "", "lots_1_value": "12x", "lots_2_title": "Zuid"})
        t.eq(r.status, 422, "the refused procedure is answered 422")
        t.eq(errors_at(r.text), {"value", "dialogue_rounds", "lots_1_value", "lots_1_title"},
             "each of the four mistakes is shown at its field")
        t.ok('href="#f-value"' in r.text and 'href="#f-lots_1_title"' in r.text,
             "the summary links each mistake to its field")
        t.ok('value="Formulieren &lt;b&gt;test&lt;/b&gt;"' in r.text and 'value="veel"' in r.text
             and 'value="Zuid"' in r.text and "<b>test</b>" not in r.text,
             "what was typed is shown again, escaped")
        t.ok(re.search(r'<option value="open" selected>', r.text) is not None,
             "the chosen procedure type stays chosen")
        refs = [p["reference"] for p in buyer.get("/api/v1/procedures").json["procedures"]]
        t.ok("FORMS-1" not in refs, "nothing was created")

        api = Client(srv)
        api.login("buyer@dordrecht.example")
        r = api.post("/api/v1/procedures", {
            "reference": "FORMS-2", "title": "x", "type": "open", "cpv": "85310000-5",
            "value": "veel", "dialogue_rounds": 99, "lots": [{"title": ""}]})
        t.ok(r.status == 422 and r.json["error"]["field"] == "value",
             "the API answers the first mistake", r.text[:200])
        r = api.post("/api/v1/procedures", {
            "reference": "FORMS-2", "title": "x", "type": "open", "cpv": "85310000-5",
            "lots": [{"title": "A"}, {"title": "", "value": "1"}]})
        t.ok(r.status == 422 and r.json["error"]["field"] == "lots_2",
             "the API names a lot's row as before", r.text[:200])

        # A lot with two mistakes.
        r = api.post("/api/v1/procedures", {
            "reference": "FORMS-3", "title": "Formulieren", "type": "open",
            "cpv": "85310000-5", "lots": [{"title": "Noord"}]})
        t.ok(r.status == 201, "a procedure to add lots to", r.text[:200])
        pid = r.json["id"]
        token = form_csrf(buyer.get(f"/procedures/{pid}/lots").text)
        r = buyer.request("POST", f"/procedures/{pid}/lots", form={
            "csrf": token, "number": "een", "title": "Oost", "value": "twee", "goals": "Doel"})
        t.ok(r.status == 422 and errors_at(r.text) == {"number", "value"}
             and 'value="Oost"' in r.text and ">Doel</textarea>" in r.text,
             "a refused lot shows both mistakes and keeps the rest", r.text[:300])

        # A candidate whose second party has no known role.
        token = form_csrf(buyer.get(f"/procedures/{pid}/candidates").text)
        r = buyer.request("POST", f"/procedures/{pid}/candidates", form={
            "csrf": token, "name": "Samen (test)", "consortium": "1",
            "parties_1_org_name": "Een (test)", "parties_1_kvk": "71234561",
            "parties_1_role": "penvoerder", "parties_2_org_name": "Twee (test)",
            "parties_2_kvk": "72345672", "parties_2_role": "baas"})
        t.ok(r.status == 422 and errors_at(r.text) == {"parties_2_role"}
             and 'value="Twee (test)"' in r.text and 'name="consortium" value="1" checked' in r.text,
             "a refused candidate shows the mistake at the party's role", r.text[:300])
        r = api.post(f"/api/v1/procedures/{pid}/candidates", {
            "name": "Samen (test)", "consortium": True,
            "parties": [{"org_name": "Een", "kvk": "71234561", "role": "penvoerder"},
                        {"org_name": "Twee", "kvk": "72345672", "role": "baas"}]})
        t.ok(r.status == 422 and r.json["error"]["field"] == "parties_2",
             "the API names the party's row as before", r.text[:200])

        # A selection score: a restricted procedure past its application
        # deadline with one candidate.
        r = api.post("/api/v1/procedures", {
            "reference": "FORMS-SEL", "title": "Selectie", "type": "restricted",
            "cpv": "85310000-5", "lots": [{"title": "Zuid"}]})
        spid = r.json["id"]
        for kind, s, e in (("pre-announcement", 2, None), ("registration", 2, DEADLINE_IN),
                           ("document-issued", 3, None), ("application-deadline", DEADLINE_IN, None)):
            cur = api.get(f"/api/v1/procedures/{spid}").json
            body = {"start": local_in(s)}
            if e:
                body["end"] = local_in(e)
            api.post(f"/api/v1/procedures/{spid}/stages/{stage(cur, kind)['id']}/move", body)
        deadline = stage(api.get(f"/api/v1/procedures/{spid}").json,
                         "application-deadline")["end"]["utc"]
        api.post(f"/api/v1/procedures/{spid}/selection-criteria",
                 {"key": "ervaring", "title": "Ervaring", "kind": "scored", "max_points": 10})
        t.eq(api.post(f"/api/v1/procedures/{spid}/publish", {}).status, 201, "published")
        r = Client(srv).post(f"/api/v1/tenders/{spid}/register", {
            "org_name": "Alfa Zorg (test)", "kvk": "71234561", "name": "Contact",
            "email": "alfa@forms.example", "password": "forms-alfa-2026!!"})
        t.eq(r.status, 201, "a candidate registers")
        cand = r.json["candidate"]["id"]
        if deadline + 1.2 > time.time():
            time.sleep(deadline + 1.2 - time.time())
        page = buyer.get(f"/procedures/{spid}/selection")
        t.ok(f'<option value="{cand}">' in page.text and 'for="f-points"' in page.text,
             "after the deadline the score form offers the candidate", page.text[:300])
        r = buyer.request("POST", f"/procedures/{spid}/selection/scores", form={
            "csrf": form_csrf(page.text), "candidate": str(cand), "criterion": "ervaring",
            "points": "veel", "motivation": "Sterk <i>verhaal</i>."})
        t.ok(r.status == 422 and errors_at(r.text) == {"points"}
             and "Sterk &lt;i&gt;verhaal&lt;/i&gt;.</textarea>" in r.text
             and f'<option value="{cand}" selected>' in r.text,
             "a refused score shows the page again with the mistake and what was typed",
             r.text[:300])
        r = buyer.request("POST", f"/procedures/{spid}/selection/publish", form={
            "csrf": form_csrf(page.text), "round": "1", "max_admitted": "nul",
            "tie_admit": "x", "confirm": "1"})
        t.ok(r.status == 422 and errors_at(r.text) == {"max_admitted", "tie_admit"}
             and 'value="nul"' in r.text,
             "a refused publication shows both mistakes", r.text[:300])
        view = api.get(f"/api/v1/procedures/{spid}/selection").json
        t.ok(view["scores"] == [] and view["rounds"] == [], "nothing was scored or published")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
