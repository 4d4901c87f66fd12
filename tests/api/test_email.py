#!/usr/bin/env python3
"""E-mail addresses: one address, one account, whatever the letters.

Accounts keep their address normalised (core/validate.c email_normalize:
trimmed, Unicode NFKC, lower case).  On the demo's tender open for
registration: the taken address buyer@dordrecht.example written in upper
case with spaces, or in full-width letters, is the same address (409, as
for the address itself); an address with a zero-width space, a Cyrillic
look-alike letter or a direction control is refused (422) with a message
naming the character; a new organisation that registers with " Nieuw@…"
logs in as nieuw@….
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap  # noqa: E402


def main():
    t = Tap()
    srv = Server()
    try:
        anon = Client(srv)
        tenders = anon.get("/api/v1/tenders").json["tenders"]
        open_ = [x for x in tenders if x.get("registration_open")]
        t.ok(open_, "the demo has a tender open for registration", str(tenders)[:300])
        pid = open_[0]["id"]
        newcomer = {"org_name": "Nieuw (test)", "kvk": "84567890", "name": "N",
                    "password": "long enough password"}
        for variant, why in [("buyer@dordrecht.example", "as it is"),
                             (" Buyer@Dordrecht.EXAMPLE ", "in upper case with spaces"),
                             ("\uff42\uff55\uff59\uff45\uff52\uff20dordrecht.example",
                              "in full-width letters")]:
            r = anon.post(f"/api/v1/tenders/{pid}/register", dict(newcomer, email=variant))
            t.ok(r.status == 409 and r.json["error"]["field"] == "email",
                 f"the taken address {why} is refused as taken", r.text[:200])
        for variant, char in [("buy\u200ber@dordrecht.example", "U+200B"),
                              ("buyer@dordr\u0435cht.example", "U+0435"),
                              ("buyer\u202e@dordrecht.example", "U+202E"),
                              ("buyer\u00ad@dordrecht.example", "U+00AD")]:
            r = anon.post(f"/api/v1/tenders/{pid}/register", dict(newcomer, email=variant))
            t.ok(r.status == 422 and r.json["error"]["field"] == "email"
                 and char in r.json["error"]["message"],
                 f"an address with {char} is refused, naming it", r.text[:300])
        r = anon.post(f"/api/v1/tenders/{pid}/register", dict(newcomer, email=" Nieuw@Nieuw.Example "))
        t.eq(r.status, 201, "a new organisation registers with ' Nieuw@Nieuw.Example '")
        c = Client(srv)
        t.eq(c.login("nieuw@nieuw.example", "long enough password").status, 200,
             "and logs in as nieuw@nieuw.example")
        me = c.get("/api/v1/me")
        t.ok(me.status == 200 and me.json.get("account", me.json).get("email") == "nieuw@nieuw.example",
             "the account keeps the normalised address", me.text[:300])
        d = Client(srv)
        t.eq(d.login("NIEUW@nieuw.example ", "long enough password").status, 200,
             "logging in with other capitals and a space finds it too")
    finally:
        srv.stop()
    t.done()


if __name__ == "__main__":
    main()
