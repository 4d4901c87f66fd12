#!/usr/bin/env python3
"""Security promises over HTTP: headers, cookies, CSRF, escaping, rate
limiting, tenant isolation, and no secret in the server's log."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import DEMO_PASSWORD, Client, Server, Tap, form_csrf  # noqa: E402


def main():
    t = Tap()
    srv = Server()
    try:
        anon = Client(srv)
        r = anon.get("/login")
        csp = r.getheader("Content-Security-Policy") or ""
        t.ok("script-src 'self'" in csp and "unsafe-inline" not in csp and
             "frame-ancestors 'none'" in csp, "a CSP without inline scripts", csp)
        t.eq(r.getheader("X-Content-Type-Options"), "nosniff", "nosniff")
        t.eq(r.getheader("X-Frame-Options"), "DENY", "no framing")
        t.eq(r.getheader("Referrer-Policy"), "no-referrer", "no referrer")
        t.eq(r.getheader("Cache-Control"), "no-store", "pages are not cached")
        t.ok("<script>" not in re.sub(r'<script src="/static/kavel.js" defer></script>', "", r.text),
             "no inline script in the page")

        c = Client(srv)
        r = c.request("POST", "/api/v1/login", body={"email": "buyer@dordrecht.example",
                                                      "password": DEMO_PASSWORD})
        cookie = r.getheader("Set-Cookie") or ""
        t.ok("HttpOnly" in cookie and "SameSite=Strict" in cookie, "the session cookie is HttpOnly and SameSite=Strict", cookie)
        c.csrf = r.json["csrf"]

        # HTML form without the CSRF token: refused, nothing created.
        page = c.get("/procedures/new")
        token = form_csrf(page.text)
        t.ok(len(token) == 64, "the form carries a CSRF token")
        r = c.request("POST", "/procedures", form={"reference": "CSRF-1", "title": "x",
                                                   "type": "open", "cpv": "85310000-5"})
        t.eq(r.status, 403, "a form without its CSRF token is refused")
        r = c.request("POST", "/procedures", form={"csrf": "f" * 64, "reference": "CSRF-1",
                                                   "title": "x", "type": "open", "cpv": "85310000-5"})
        t.eq(r.status, 403, "a form with a wrong CSRF token is refused")
        # The right token in the URL's query string does not count: it
        # would land in logs, history and Referer headers.
        r = c.request("POST", f"/procedures?csrf={token}", form={
            "reference": "CSRF-1", "title": "x", "type": "open", "cpv": "85310000-5"})
        t.eq(r.status, 403, "a form whose CSRF token is in the query string is refused")
        saved, c.csrf = c.csrf, None      # no X-CSRF-Token header this once
        r = c.request("POST", f"/api/v1/procedures?csrf={saved}", body={
            "reference": "CSRF-1", "title": "x", "type": "open", "cpv": "85310000-5"})
        c.csrf = saved
        t.eq(r.status, 403, "an API call whose CSRF token is in the query string is refused")
        refs = [p["reference"] for p in c.get("/api/v1/procedures").json["procedures"]]
        t.ok("CSRF-1" not in refs, "nothing was created by the refused forms")

        # A NUL byte in a form field is refused, naming the field, as JSON
        # refuses \u0000: a C string would end there and save less than was sent.
        r = c.request("POST", "/procedures", form={"csrf": token, "reference": "NUL-1",
                                                   "title": "Zorg\x00 en welzijn", "type": "open",
                                                   "cpv": "85310000-5"})
        t.ok(r.status == 422 and "title" in r.text and "NUL" in r.text,
             "a form field with a NUL byte is refused, naming the field", f"{r.status} {r.text[:300]}")
        r = c.post("/api/v1/procedures", {"reference": "NUL-2", "title": "Zorg\x00 en welzijn",
                                          "type": "open", "cpv": "85310000-5"})
        t.eq(r.status, 400, "a JSON string with \\u0000 is refused")
        refs = [p["reference"] for p in c.get("/api/v1/procedures").json["procedures"]]
        r = c.post("/api/v1/procedures", {"reference": "EUR-1", "title": "Euro", "type": "open",
                                          "cpv": "85310000-5", "value": "€ 12x"})
        msg = ((r.json or {}).get("error") or {}).get("message", "")
        t.ok(r.status == 422 and "€ 12x" in msg and "???" not in msg,
             "a refused amount is quoted with its euro sign, not ???", msg)
        t.ok("NUL-1" not in refs and "NUL-2" not in refs and not any(x.startswith("NUL") for x in refs),
             "and nothing was created")

        # Escaping: hostile text is shown as text.
        evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        r = c.request("POST", "/procedures", form={"csrf": token, "reference": "ESC-1", "title": evil,
                                                   "type": "open", "cpv": "85310000-5",
                                                   "lots_1_title": evil, "lots_1_goals": evil})
        t.eq(r.status, 303, "a procedure with markup in its title is created")
        loc = r.getheader("Location")
        for path in [loc, loc + "/lots", "/"]:
            body = c.get(path).text
            t.ok(evil not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body,
                 f"the markup is escaped on {path}")
        r = c.request("POST", "/lang", form={"csrf": token, "lang": "en", "back": "//evil.example/"})
        t.eq(r.getheader("Location"), "/", "the language switch never redirects off-site")
        # Browsers drop tabs and newlines from a URL and read "\\" as "/":
        # each of these would lead to evil.example.
        for back in ("/\t/evil.example/", "/\n/evil.example/", "/\\evil.example/",
                     "/\\/evil.example/", "/\x7f/evil.example/", "/\x01/evil.example/"):
            r = c.request("POST", "/lang", form={"csrf": token, "lang": "en", "back": back})
            t.eq(r.getheader("Location"), "/", f"the language switch does not follow {back!r}")
        r = c.request("POST", "/lang", form={"csrf": token, "lang": "en",
                                           "back": "/procedures?q=zorg%20en%20welzijn"})
        t.eq(r.getheader("Location"), "/procedures?q=zorg%20en%20welzijn",
             "a local path with its query is followed")

        # Tenant isolation: Haarlem's buyer sees nothing of Dordrecht.
        h = Client(srv)
        h.login("buyer@haarlem.example")
        dor = [p for p in c.get("/api/v1/procedures").json["procedures"]
               if p["reference"] == "DOR-2022-SWT-BW-JW"][0]
        t.eq(h.get(f"/api/v1/procedures/{dor['id']}").status, 404,
             "another municipality's procedure does not exist for Haarlem")
        t.ok(all(p["municipality"] == "Gemeente Haarlem" for p in h.get("/api/v1/procedures").json["procedures"]),
             "Haarlem's list holds Haarlem only")
        r = h.post("/api/v1/procedures", {"tenant_id": dor["tenant_id"], "reference": "HIJACK",
                                          "title": "x", "type": "open", "cpv": "85310000-5"})
        t.ok(r.status in (403, 409) and r.json["error"]["field"] == "tenant_id",
             "Haarlem cannot create a procedure for Dordrecht", r.text)

        # Rate limiting of failed logins.
        x = Client(srv)
        statuses = [x.login("council@haarlem.example", "not the password!").status for _ in range(6)]
        t.eq(statuses[:5], [401] * 5, "five wrong passwords are answered 401")
        t.eq(statuses[5], 429, "the sixth attempt is rate limited")
        t.eq(x.login("council@haarlem.example").status, 429,
             "even the right password waits while limited")
        t.eq(Client(srv).login("council@dordrecht.example").status, 200,
             "another account from the same address is not blocked by that")
        t.eq(Client(srv).login("nobody@nowhere.example", "whatever-password").status, 401,
             "an unknown account gets the same answer as a wrong password")

        # Logout ends the session on the server.
        r = c.post("/api/v1/logout", {})
        t.eq(r.status, 200, "logout")
        c2 = Client(srv)
        c2.cookies = dict(c.cookies)
        c2.cookies["kavel_session"] = re.search(r"kavel_session=([0-9a-f]+)", cookie).group(1)
        t.eq(c2.get("/api/v1/me").status, 401, "the old session cookie no longer works")
    finally:
        srv.stop()
    log = srv.final_log
    t.ok("listens on" in log and DEMO_PASSWORD not in log and "not the password!" not in log,
         "the server log holds no password", log[-500:])
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
