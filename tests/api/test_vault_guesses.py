#!/usr/bin/env python3
"""Vault passphrases cannot be guessed without limit (issue 13): after the
tender deadline, five openings with a wrong passphrase in a row refuse
the sixth, even with the right ones, saying from when the next attempt is
possible; each refusal is audited, naming the two buyers but never which
passphrase was wrong; the price vault has a limit of its own.  (The end
of the block, a quarter of an hour on, is the unit test's:
tests/unit/test_attempts.c.)
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402

PASS_A = "raad-de-kluis-sleutel-A"
PASS_B = "raad-de-kluis-sleutel-B"


def main():
    t = Tap()
    srv = Server()
    try:
        a = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer logs in")
        a.post("/api/v1/lang", {"lang": "en"})
        b = Client(srv)
        b.login("buyer2@dordrecht.example")
        for c, p in ((a, PASS_A), (b, PASS_B)):
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": p}).status, 201,
                 "a buyer sets a vault passphrase")
        r = a.post("/api/v1/procedures", {
            "reference": "DOR-GUESS-1", "title": "Raden", "type": "open", "cpv": "85310000-5",
            "value": "100.000", "lots": [{"title": "Wijkteam", "value": "50.000"}]})
        pid = r.json["id"]
        base = f"/api/v1/procedures/{pid}"
        t0 = time.time()
        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        for i, s in enumerate(r.json["stages"]):
            if s["kind"] == "tender-deadline":
                t.eq(a.post(f"{base}/stages/{s['id']}/move",
                            {"start": local_in(t0 + 4 - time.time())}).status, 200,
                     "the tender deadline is seconds ahead")
                break
            body = {"start": local_in(1 + i * 0)}
            if s["kind"] in spans:
                body["end"] = local_in(2)
            a.post(f"{base}/stages/{s['id']}/move", body)
        t.eq(a.post(f"{base}/vault", {}).status, 201, "the vault is made")
        time.sleep(max(0, t0 + 5.5 - time.time()))

        def open_(pa, pb):
            return a.post(f"{base}/vault/open", {
                "email_a": "buyer@dordrecht.example", "passphrase_a": pa,
                "email_b": "buyer2@dordrecht.example", "passphrase_b": pb})

        answers = [open_(PASS_A, "fout-" + str(i)) for i in range(5)]
        t.ok(all(r.status == 409 and r.json["error"]["field"] == "passphrase" for r in answers),
             "five openings with a wrong passphrase are refused", [r.status for r in answers])
        r = open_(PASS_A, PASS_B)
        msg = (r.json or {}).get("error", {}).get("message", "")
        t.ok(r.status == 409 and "wrong 5 times in a row" in msg and "possible from" in msg,
             "the sixth is refused even with the right passphrases, saying from when", r.text[:300])
        t.eq(a.get(base + "/vault").json["vault"]["opened_at"], None, "the vault stays sealed")
        refused = [e for e in a.get(base + "/audit").json["events"]
                   if e["action"] == "vault.open-refused"]
        t.ok(len(refused) == 5 and "buyer2@dordrecht.example" in str(refused) and
             "fout-" not in str(refused) and PASS_A not in str(refused),
             "each refused opening is audited with the two buyers, no passphrase", str(refused)[:300])
        council = Client(srv)
        council.login("council@dordrecht.example")
        c_ev = [e for e in council.get(base + "/audit").json["events"]
                if e["action"] == "vault.open-refused"]
        t.ok(len(c_ev) == 5 and "buyer2@dordrecht.example" not in str(c_ev),
             "a council member sees that openings were refused, not by whom", str(c_ev)[:300])
    finally:
        srv.stop()
    t.done()


if __name__ == "__main__":
    main()
