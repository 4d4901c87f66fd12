#!/usr/bin/env python3
"""Dialogue rounds: concept plans, meetings, minutes and feedback.

A buyer creates a SAS procedure with two dialogue rounds, plans them, and
sets round 1's plan deadline a few seconds ahead; two candidates (A and
B) each get a bidder.  Both hand in a concept plan (A replaces its own);
a file that is no PDF or office document is refused whatever its name,
as are bad base64, an empty or too large file, and a round that does not
exist, each changing nothing.  Each bidder sees only its own candidate's
material: guessing the other's document id answers 404, a council member
sees the course without content (403 for a document), another
municipality's buyer 404.  A plan one second after the deadline is
refused; feedback is published only after it, reaches only its
candidate, and cannot change afterwards; minutes wait for the meeting.
The browser's multipart form takes a binary file (with NUL bytes), and
every change is in the audit trail without the confidential text.
"""
import base64
import hashlib
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, local_in  # noqa: E402

PDF_A1 = b"%PDF-1.7\n% plan van aanpak A, versie 1\n"
PDF_A2 = b"%PDF-1.7\n% plan van aanpak A, versie 2\n" + bytes(range(256))
DOCX_B = b"PK\x03\x04" + b"\x14\x00\x06\x00word/document.xml plan B" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00 not a pdf at all"
MINUTES_PDF = b"%PDF-1.4\n% verslag dialoog A ronde 1\n"
FEEDBACK_A = "Uw plan is helder; werk de rol van de wijkverpleging verder uit."
MINUTES_A = "Aanwezig: inkoper, gegadigde A.\nBesproken: de aanpak per wijk."


def b64(data):
    return base64.b64encode(data).decode()


def multipart(fields, files):
    """A multipart/form-data body: fields {name: text}, files {name: (filename, bytes)}."""
    boundary = "----kaveltest" + hashlib.sha256(os.urandom(8)).hexdigest()[:16]
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n"
                f"{v}\r\n").encode()
    for k, (fn, data) in files.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; "
                f"filename=\"{fn}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def round_of(view, n):
    return [r for r in view["rounds"] if r["number"] == n][0]


def cand_of(rnd, cid):
    hits = [c for c in rnd["candidates"] if c["candidate"] == cid]
    return hits[0] if hits else None


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        t.eq(buyer.post("/api/v1/lang", {"lang": "en"}).status, 200, "the buyer reads English")
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-DLG-1", "title": "Dialoog wijkteams", "type": "sas-dialogue",
            "cpv": "85310000-5", "value": "900.000", "dialogue_rounds": 2,
            "lots": [{"title": "Wijkteam Noord", "value": "450.000"}]})
        t.eq(r.status, 201, "the buyer creates a SAS procedure with two dialogue rounds")
        pid = r.json["id"]
        base = f"/api/v1/procedures/{pid}"
        rounds = [s for s in r.json["stages"] if s["kind"] == "dialogue-round"]
        t.eq([s["round"] for s in rounds], [1, 2], "the template has dialogue rounds 1 and 2")
        m1 = buyer.post(f"{base}/stages/{rounds[0]['id']}/move",
                        {"start": local_in(3), "end": local_in(3600)})
        m2 = buyer.post(f"{base}/stages/{rounds[1]['id']}/move",
                        {"start": local_in(3700), "end": local_in(7200)})
        t.ok(m1.status == 200 and m2.status == 200, "the buyer plans both rounds",
             m1.text[:200] + m2.text[:200])

        # Two candidates, each with its bidder.
        cands, bidders = {}, {}
        for k, kvk in (("A", "81234567"), ("B", "82345678")):
            r = buyer.post(f"{base}/candidates", {
                "name": f"Dialoog {k} (test)", "consortium": False,
                "parties": [{"org_name": f"Dialoog {k} (test)", "kvk": kvk, "role": "penvoerder"}]})
            t.eq(r.status, 201, f"candidate {k}")
            cands[k] = r.json["id"]
            r = buyer.post(f"{base}/candidates/{cands[k]}/accounts", {
                "email": f"{k.lower()}@dialoog.example", "name": f"Bieder {k}",
                "password": f"dialoog-{k}-2026!!"})
            t.eq(r.status, 201, f"bidder account of {k}")
            c = Client(srv)
            t.eq(c.login(f"{k.lower()}@dialoog.example", f"dialoog-{k}-2026!!").status, 200,
                 f"bidder {k} logs in")
            c.post("/api/v1/lang", {"lang": "en"})
            bidders[k] = c
        A, B = bidders["A"], bidders["B"]

        view = buyer.get(f"{base}/dialogue").json
        t.ok(view["view"] == "all" and [r["number"] for r in view["rounds"]] == [1, 2] and
             len(round_of(view, 1)["candidates"]) == 2 and round_of(view, 1)["open_for_plans"],
             "the buyer sees two rounds with both candidates", str(view)[:300])
        r1 = round_of(view, 1)
        t.eq(r1["plan_due"], r1["end"], "without an own deadline plans are due at the round's end")

        # The buyer's plan deadline for round 1.
        r = buyer.post(f"{base}/dialogue/rounds/1/deadline", {"plan_due": local_in(7200)})
        t.ok(r.status == 422 and r.json["error"]["field"] == "plan_due" and
             "inside dialogue round 1" in r.json["error"]["message"],
             "a plan deadline after the round is refused", r.text[:300])
        r = buyer.post(f"{base}/dialogue/rounds/1/deadline", {"plan_due": "gisteren"})
        t.eq(r.status, 422, "a plan deadline that is no date is refused")
        t.eq(buyer.get(f"{base}/dialogue").json, view, "the refusals changed nothing")
        r = buyer.post(f"{base}/dialogue/rounds/1/deadline", {"plan_due": local_in(14)})
        t.ok(r.status == 200 and r.json["own_plan_due"], "the buyer sets round 1's plan deadline",
             r.text[:300])
        due = r.json["plan_due"]["utc"] if r.json else 0
        t.eq(A.post(f"{base}/dialogue/rounds/1/deadline", {"plan_due": local_in(10)}).status,
             403, "a bidder cannot set it")

        # Concept plans.
        plan_url = f"{base}/dialogue/rounds/1/plan"
        r = A.post(plan_url, {"name": "plan-A.pdf", "content": b64(PDF_A1)})
        t.ok(r.status == 201, "bidder A hands in its plan", r.text[:300])
        pa = cand_of(r.json, cands["A"])["plan"] if r.json else {}
        t.ok(pa.get("sha256") == hashlib.sha256(PDF_A1).hexdigest() and
             pa.get("content_type") == "application/pdf" and pa.get("size") == len(PDF_A1),
             "with its SHA-256, size and sniffed type", str(pa))
        t.ok(r.json and [c["candidate"] for c in r.json["candidates"]] == [cands["A"]],
             "the answer shows bidder A its own candidate only", r.text[:300])
        r = A.post(plan_url, {"name": "plan-A-v2.pdf", "content": b64(PDF_A2)})
        pa2 = cand_of(r.json, cands["A"])["plan"] if r.json else {}
        t.ok(r.status == 201 and pa2.get("id") == pa.get("id") and
             pa2.get("name") == "plan-A-v2.pdf" and
             pa2.get("sha256") == hashlib.sha256(PDF_A2).hexdigest(),
             "a new plan replaces the earlier one", r.text[:300])
        r = B.post(plan_url, {"name": "plan-B.docx", "content": b64(DOCX_B)})
        pb = cand_of(r.json, cands["B"])["plan"] if r.json else {}
        t.ok(r.status == 201 and pb.get("content_type") == "application/zip",
             "bidder B hands in an office document", r.text[:300])

        before = buyer.get(f"{base}/dialogue").json
        bad = [
            ({"name": "plan.pdf", "content": b64(EXE)}, 422, "content", "is a program",
             "an executable named plan.pdf"),
            ({"name": "plan.pdf", "content": "@@@ not base64"}, 422, "content", "base64",
             "bad base64"),
            ({"name": "plan.pdf", "content": ""}, 422, "content", "empty", "an empty file"),
            ({"name": "plan.pdf", "content": b64(b"%PDF-" + b"x" * (600 * 1024))}, 422,
             "content", "at most 512 KiB", "a file over 512 KiB"),
            ({"name": "../plan.pdf", "content": b64(PDF_A1)}, 422, "name", "directory",
             "a name with a directory part"),
            ({"name": "plan.pdf"}, 422, "content", "Choose the file", "no content"),
        ]
        for body, status, field, words, what in bad:
            r = A.post(plan_url, body)
            t.ok(r.status == status and r.json and r.json["error"]["field"] == field and
                 words in r.json["error"]["message"], f"{what} is refused", r.text[:300])
        t.eq(A.post(f"{base}/dialogue/rounds/3/plan", {"name": "p.pdf", "content": b64(PDF_A1)}).status,
             404, "a round the procedure does not have: not found")
        t.eq(A.post(f"{base}/dialogue/rounds/0/plan", {"name": "p.pdf", "content": b64(PDF_A1)}).status,
             404, "round 0: not found")
        t.eq(buyer.get(f"{base}/dialogue").json, before, "the refused plans changed nothing")

        # Confidentiality between the two bidders.
        va = A.get(f"{base}/dialogue").json
        ra = round_of(va, 1)
        t.ok(va["view"] == "own" and all(len(r["candidates"]) == 1 for r in va["rounds"]) and
             ra["candidates"][0]["candidate"] == cands["A"], "bidder A sees only its own candidate",
             str(va)[:300])
        t.ok("plan-B" not in A.get(f"{base}/dialogue").text and
             "plan-B" not in A.get(f"/procedures/{pid}/dialogue").text,
             "bidder A's page and API name nothing of B's plan")
        r = A.get(f"{base}/dialogue/documents/{pa['id']}")
        t.ok(r.status == 200 and r.body == PDF_A2 and
             r.getheader("Content-Type") == "application/pdf" and
             "attachment" in (r.getheader("Content-Disposition") or ""),
             "bidder A downloads its own plan", f"{r.status} {r.getheader('Content-Type')}")
        for path in (f"{base}/dialogue/documents/{pb['id']}",
                     f"/procedures/{pid}/dialogue/documents/{pb['id']}"):
            r = A.get(path)
            t.ok(r.status == 404 and b"PK" not in r.body, f"bidder A guessing B's plan id: 404 ({path[:5]})",
                 f"{r.status} {r.text[:200]}")
        t.eq(B.get(f"{base}/dialogue/documents/{pa['id']}").status, 404,
             "bidder B guessing A's plan id: 404")
        t.eq(A.get(f"{base}/dialogue/documents/999999").status, 404, "an unknown document: 404")
        assessor = Client(srv)
        assessor.login("assessor@dordrecht.example")
        t.eq(assessor.get(f"{base}/dialogue").status, 404,
             "the demo's assessor, who assesses another procedure, sees nothing of this one")
        council = Client(srv)
        council.login("council@dordrecht.example")
        council.post("/api/v1/lang", {"lang": "en"})
        vc = council.get(f"{base}/dialogue").json
        rc = round_of(vc, 1)
        t.ok(vc["view"] == "course" and len(rc["candidates"]) == 2 and
             all(set(c["plan"]) == {"uploaded_at"} for c in rc["candidates"]),
             "council sees that both handed in a plan, not the plans", str(vc)[:400])
        r = council.get(f"{base}/dialogue/documents/{pa['id']}")
        t.ok(r.status == 403 and "confidential" in r.json["error"]["message"],
             "council cannot read a plan", r.text[:300])
        haarlem = Client(srv)
        haarlem.login("buyer@haarlem.example")
        t.eq(haarlem.get(f"{base}/dialogue").status, 404, "another municipality's buyer: 404")
        t.eq(haarlem.get(f"{base}/dialogue/documents/{pa['id']}").status, 404,
             "and 404 for a document")
        r = buyer.get(f"{base}/dialogue/documents/{pb['id']}")
        t.ok(r.status == 200 and r.body == DOCX_B, "the buyer reads B's plan")

        # Meetings.
        meet = f"{base}/dialogue/rounds/1/candidates"
        start_local = round_of(before, 1)["start"]["local"][:19]
        r = buyer.post(f"{meet}/{cands['A']}/meeting", {"at": local_in(9000), "place": "Stadskantoor"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "at",
             "a meeting after the round is refused", r.text[:300])
        r = buyer.post(f"{meet}/{cands['A']}/meeting", {"at": start_local, "place": ""})
        t.ok(r.status == 422 and r.json["error"]["field"] == "place",
             "a meeting without a place is refused", r.text[:300])
        r = buyer.post(f"{meet}/999999/meeting", {"at": start_local, "place": "Stadskantoor"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "candidate",
             "a meeting with a candidate of no such kind is refused", r.text[:300])
        t.ok(cand_of(round_of(buyer.get(f"{base}/dialogue").json, 1), cands["A"])["meeting"] is None,
             "no meeting was stored")
        r = buyer.post(f"{meet}/{cands['A']}/meeting",
                       {"at": start_local, "place": "Stadskantoor Dordrecht, kamer 2.14"})
        t.ok(r.status == 200 and cand_of(r.json, cands["A"])["meeting"]["place"].startswith("Stadskantoor"),
             "the buyer plans A's meeting at the round's start", r.text[:300])
        r = buyer.post(f"{meet}/{cands['B']}/meeting", {"at": local_in(3000), "place": "Teams"})
        t.eq(r.status, 200, "and B's later in the round")
        t.eq(A.post(f"{meet}/{cands['A']}/meeting", {"at": start_local, "place": "x"}).status, 403,
             "a bidder cannot plan a meeting")
        r = buyer.post(f"{meet}/{cands['B']}/minutes", {"minutes": "Te vroeg."})
        t.ok(r.status == 409 and "once the meeting has begun" in r.json["error"]["message"],
             "minutes before the meeting begins are refused", r.text[:300])

        # Feedback: a draft, hidden until published; not before the deadline.
        r = buyer.post(f"{meet}/{cands['A']}/feedback", {"text": "Eerste concept."})
        t.eq(r.status, 200, "the buyer drafts feedback for A")
        r = buyer.post(f"{meet}/{cands['A']}/feedback", {"text": FEEDBACK_A})
        t.eq(r.status, 200, "and rewrites it")
        t.eq(buyer.post(f"{meet}/{cands['A']}/feedback", {"text": "  "}).status, 422,
             "empty feedback is refused")
        fa = cand_of(round_of(A.get(f"{base}/dialogue").json, 1), cands["A"])
        t.ok(fa["feedback"] is None, "bidder A does not see a draft", str(fa))
        r = buyer.post(f"{meet}/{cands['A']}/feedback/publish", {})
        t.ok(r.status == 409 and "after its plans are due" in r.json["error"]["message"],
             "feedback is not published before the plan deadline", r.text[:300])

        # The plan deadline, to the second.
        wait = due + 1.3 - time.time()
        if wait > 0:
            time.sleep(wait)
        r = A.post(plan_url, {"name": "laat.pdf", "content": b64(PDF_A1)})
        t.ok(r.status == 409 and "were due at" in r.json["error"]["message"],
             "a plan after the deadline is refused", r.text[:300])
        after = cand_of(round_of(buyer.get(f"{base}/dialogue").json, 1), cands["A"])["plan"]
        t.eq(after["sha256"], hashlib.sha256(PDF_A2).hexdigest(), "and A's plan stays as it was")
        t.eq(buyer.post(f"{base}/dialogue/rounds/1/deadline", {"plan_due": local_in(60)}).status,
             409, "a passed plan deadline cannot move")

        # Minutes of A's meeting (it has begun), text and a document.
        r = buyer.post(f"{meet}/{cands['A']}/minutes", {"minutes": MINUTES_A})
        t.eq(r.status, 200, "the buyer writes A's minutes")
        r = buyer.post(f"{meet}/{cands['A']}/minutes",
                       {"name": "verslag.exe", "content": b64(EXE)})
        t.eq(r.status, 422, "minutes as an executable are refused")
        r = buyer.post(f"{meet}/{cands['A']}/minutes",
                       {"name": "verslag-A.pdf", "content": b64(MINUTES_PDF)})
        t.eq(r.status, 200, "and adds them as a PDF")
        ma = cand_of(round_of(A.get(f"{base}/dialogue").json, 1), cands["A"])["minutes"]
        t.ok(ma and ma["text"] == MINUTES_A and ma["document"]["name"] == "verslag-A.pdf",
             "bidder A reads its minutes", str(ma))
        t.ok(A.get(f"{base}/dialogue/documents/{ma['document']['id']}").body == MINUTES_PDF,
             "and downloads them")
        t.eq(B.get(f"{base}/dialogue/documents/{ma['document']['id']}").status, 404,
             "bidder B guessing A's minutes id: 404")
        t.ok("wijkverpleging" not in B.get(f"{base}/dialogue").text and
             "Besproken" not in B.get(f"{base}/dialogue").text and
             "Besproken" not in B.get(f"/procedures/{pid}/dialogue").text,
             "bidder B reads nothing of A's minutes or feedback")
        r = buyer.post(f"{meet}/{cands['A']}/meeting", {"at": local_in(60), "place": "Elders"})
        t.ok(r.status == 409 and "minutes" in r.json["error"]["message"],
             "a meeting with minutes cannot move", r.text[:300])

        # Publishing the feedback: A only.
        t.eq(buyer.post(f"{meet}/{cands['B']}/feedback/publish", {}).status, 404,
             "publishing feedback that was never written: 404")
        r = buyer.post(f"{meet}/{cands['A']}/feedback/publish", {})
        t.eq(r.status, 200, "the buyer publishes A's feedback after the deadline")
        fa = cand_of(round_of(A.get(f"{base}/dialogue").json, 1), cands["A"])["feedback"]
        t.ok(fa and fa["text"] == FEEDBACK_A and fa["published_at"], "bidder A reads it", str(fa))
        vb = B.get(f"{base}/dialogue").json
        t.ok(all(c["candidate"] == cands["B"] and c["feedback"] is None
                 for r in vb["rounds"] for c in r["candidates"]),
             "bidder B sees only its own candidate, with no feedback", str(vb)[:300])
        t.eq(buyer.post(f"{meet}/{cands['A']}/feedback", {"text": "Anders."}).status, 409,
             "published feedback cannot be rewritten")
        t.eq(buyer.post(f"{meet}/{cands['A']}/feedback/publish", {}).status, 409,
             "nor published twice")
        fc = cand_of(round_of(council.get(f"{base}/dialogue").json, 1), cands["A"])
        t.ok(set(fc["feedback"]) == {"published_at"} and set(fc["minutes"]) == {"recorded_at"} and
             set(fc["meeting"]) == {"at"}, "council sees that feedback and minutes exist, not them",
             str(fc))

        # The browser: a multipart form with a binary file (NUL bytes).
        html = B.get(f"/procedures/{pid}/dialogue")
        t.ok(html.status == 200 and f"/procedures/{pid}/dialogue/rounds/2/plan" in html.text,
             "bidder B's page offers the plan form of round 2", html.text[:200])
        token = form_csrf(html.text)
        api_token, B.csrf = B.csrf, None   # a browser sends the form's field only
        binary = b"%PDF-1.5\n" + bytes(range(256)) * 8 + b"\x00\x00%%EOF"
        body, ctype = multipart({"csrf": token}, {"file": ("plan B ronde 2.pdf", binary)})
        r = B.request("POST", f"/procedures/{pid}/dialogue/rounds/2/plan", body=body,
                      headers={"Content-Type": ctype})
        t.ok(r.status == 303, "bidder B hands in a plan through the form", f"{r.status} {r.text[:300]}")
        p2 = cand_of(round_of(B.get(f"{base}/dialogue").json, 2), cands["B"])["plan"]
        t.ok(p2 and p2["sha256"] == hashlib.sha256(binary).hexdigest() and
             p2["size"] == len(binary) and p2["name"] == "plan B ronde 2.pdf",
             "every byte arrived, NULs too", str(p2))
        body, ctype = multipart({"csrf": token}, {"file": ("plan.pdf", EXE)})
        r = B.request("POST", f"/procedures/{pid}/dialogue/rounds/2/plan", body=body,
                      headers={"Content-Type": ctype})
        t.ok(r.status == 422 and "is a program" in r.text,
             "the form refuses an executable named .pdf", f"{r.status}")
        body, ctype = multipart({"csrf": "0" * 64}, {"file": ("plan.pdf", PDF_A1)})
        r = B.request("POST", f"/procedures/{pid}/dialogue/rounds/2/plan", body=body,
                      headers={"Content-Type": ctype})
        t.eq(r.status, 403, "a form with a wrong CSRF token is refused")
        B.csrf = api_token
        t.eq(cand_of(round_of(B.get(f"{base}/dialogue").json, 2), cands["B"])["plan"]["sha256"],
             p2["sha256"], "the refused forms changed nothing")
        bpage = buyer.get(f"/procedures/{pid}/dialogue")
        t.ok(bpage.status == 200 and "plan-A-v2.pdf" in bpage.text and "plan-B.docx" in bpage.text and
             "wijkverpleging" in bpage.text and f"/candidates/{cands['B']}/feedback" in bpage.text,
             "the buyer's page shows both candidates' material and the forms", bpage.text[:300])
        cpage = council.get(f"/procedures/{pid}/dialogue")
        t.ok(cpage.status == 200 and "Dialoog A (test)" in cpage.text and
             "plan-A-v2.pdf" not in cpage.text and "Stadskantoor" not in cpage.text and
             "wijkverpleging" not in cpage.text and "Besproken" not in cpage.text,
             "the council's page shows the course without content", cpage.text[:300])
        page = buyer.get(f"/procedures/{pid}")
        t.ok(f'href="/procedures/{pid}/dialogue"' in page.text,
             "the procedure page links the dialogue")

        # The audit trail names every change, without the confidential text.
        audit = buyer.get(f"{base}/audit")
        actions = [e["action"] for e in audit.json.get("events", [])]
        want = {"dialogue.deadline", "dialogue.plan", "dialogue.meeting", "dialogue.minutes",
                "dialogue.feedback", "dialogue.feedback.publish"}
        t.ok(want <= set(actions), "every kind of change is audited", str(actions)[:300])
        t.eq(actions.count("dialogue.plan"), 4, "four plans handed in, four events")
        t.ok("wijkverpleging" not in audit.text and "Besproken" not in audit.text and
             hashlib.sha256(FEEDBACK_A.encode()).hexdigest() in audit.text,
             "the trail holds the feedback's SHA-256, not its text")
        t.ok("Stadskantoor" not in audit.text and "plan-A-v2.pdf" not in audit.text and
             hashlib.sha256("Stadskantoor Dordrecht, kamer 2.14".encode()).hexdigest() in audit.text,
             "the trail (which the council reads) holds the meeting's place and the plans' "
             "file names as SHA-256 only")
        m = re.search(r'"dialogue.plan"', audit.text)
        t.ok(m is not None, "the plan events are in the procedure's trail")
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
