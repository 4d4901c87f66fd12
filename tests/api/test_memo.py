#!/usr/bin/env python3
"""The kept procedure JSON (web/memo.c's body memo) is never stale.

GET /api/v1/procedures/{id} is sent from a memo while nothing has been
committed, the language is the same and the timeline view is the same.
This checks that a second read is the same, that another language gets its
own labels, that a stage moved by one user is seen at once by another,
and that a decision added to the procedure shows as a blocked stage.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402


def main():
    t = Tap()
    srv = Server()
    try:
        a = Client(srv)
        c = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        t.eq(c.login("council@dordrecht.example").status, 200, "a council member logs in")
        r = a.post("/api/v1/procedures", {
            "reference": "DOR-MEMO-1", "title": "Memo-test", "type": "open",
            "cpv": "85310000-5", "value": "100.000",
            "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        t.eq(r.status, 201, "a procedure is created")
        pid = r.json["id"]
        path = f"/api/v1/procedures/{pid}"
        first = a.get(path)
        second = a.get(path)
        t.ok(first.status == 200 and first.body == second.body, "two reads give the same JSON")
        nl_label = first.json["stages"][0]["label"]
        t.eq(a.post("/api/v1/lang", {"lang": "en"}).status, 200, "the buyer switches to English")
        en = a.get(path).json
        t.ok(en["stages"][0]["label"] != nl_label,
             f"the English read has its own labels ({nl_label!r} / {en['stages'][0]['label']!r})")
        t.eq(a.post("/api/v1/lang", {"lang": "nl"}).status, 200, "and back to Dutch")
        t.eq(a.get(path).json["stages"][0]["label"], nl_label, "the Dutch labels again")

        seen = c.get(path)
        t.eq(seen.status, 200, "the council member reads the procedure")
        s0 = seen.json["stages"][0]
        m = a.post(f"/api/v1/procedures/{pid}/stages/{s0['id']}/move", {"start": local_in(7200)})
        t.eq(m.status, 200, "the buyer moves the first stage")
        after = c.get(path).json["stages"][0]
        t.ok(after["start"] and after["start"] != s0["start"],
             "the council member sees the move at once", str(after["start"]))
        d = a.post(f"/api/v1/procedures/{pid}/decisions", {
            "number": "2026/1", "date": "2026-01-05", "title": "Besluit",
            "conditions": [{"description": "Advies OR"}], "governs": ["evaluation"]})
        t.eq(d.status, 201, "a decision with a pending condition is added")
        ev = [s for s in c.get(path).json["stages"] if s["kind"] == "evaluation"][0]
        t.ok(ev["blocked_by"] and ev["blocked_by"]["decision"] == "2026/1",
             "the stage it governs shows as blocked at once", str(ev["blocked_by"]))
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
