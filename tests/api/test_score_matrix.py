#!/usr/bin/env python3
"""The scoring matrix (page_award.c, tmpl/award_scoring.tmpl): on the demo's
procedure in evaluation (src/app/demo_stages.c: the vault open, the demo
assessor on every criterion, two of three bids scored) the assessor's page
is one form, bids x criteria, with the criteria's weights, the scales'
legend and each bid's files linked.  POST .../award/scores/matrix saves
every filled cell at once; a cell with a score but no motivation refuses
the whole matrix (nothing saved) with the error at that cell and what was
typed kept.  Handing in is refused while cells are empty.  An assessor
taken off the lot gets 404, a bidder 403, on the page and the matrix.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf  # noqa: E402

REF = "DOR-2027-GGZ-DEMO"
LEAVES = ["aanpak", "samenwerking", "team"]


def own(c, el):
    return {(s["candidate"], s["criterion"]): (s["step"], s["motivation"])
            for s in c.get(f"{el}/scoring").json["own_scores"]}


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        buyer.post("/api/v1/lang", {"lang": "en"})
        procs = buyer.get("/api/v1/procedures").json["procedures"]
        pid = [p["id"] for p in procs if p["reference"] == REF][0]
        lot = buyer.get(f"/api/v1/procedures/{pid}").json["lots"][0]["id"]
        el = f"/api/v1/procedures/{pid}/lots/{lot}/award"
        page_url = f"/procedures/{pid}/lots/{lot}/award/scoring"
        matrix_url = f"/procedures/{pid}/lots/{lot}/award/scores/matrix"
        assessor = Client(srv)
        t.eq(assessor.login("assessor@dordrecht.example").status, 200, "the assessor logs in")
        assessor.post("/api/v1/lang", {"lang": "en"})
        v = assessor.get(f"{el}/scoring").json
        cands = [b["candidate"] for b in v["bids"]]
        before = own(assessor, el)
        t.ok(len(cands) == 3 and len(before) == 6 and v["vault_open"],
             "the demo assessor has scored two of three bids", str(len(before)))
        empty = [c for c in cands if (c, "team") not in before][0]

        # ---- not assigned: 404; a bidder: 403 ----
        t.eq(buyer.post(f"{el}/assign", {"assessor": "assessor@dordrecht.example",
                                         "criteria": []}).status, 200,
             "the buyer takes the assessor off the lot")
        r = assessor.get(page_url)
        t.eq(r.status, 404, "an assessor not assigned to the lot does not reach its scoring page")
        r = assessor.post(f"{el}/scores/matrix", {f"step-{empty}-team": "2",
                                                  f"motivation-{empty}-team": "Niet van mij."})
        t.eq(r.status, 404, "nor saves a matrix on it (API)")
        t.eq(buyer.post(f"{el}/assign", {"assessor": "assessor@dordrecht.example",
                                         "criteria": ["*"]}).status, 200,
             "the buyer assigns the assessor again")
        t.eq(own(assessor, el), before, "the assessor's scores are as they were")
        bidder = Client(srv)
        t.eq(bidder.login("bidder@wijkzorg.example").status, 200, "a bidder logs in")
        t.eq(bidder.get(page_url).status, 403, "a bidder never reaches the scoring page")
        t.eq(bidder.post(f"{el}/scores/matrix", {f"step-{empty}-team": "2",
                                                 f"motivation-{empty}-team": "Eigen oordeel."}).status,
             403, "nor saves a score matrix (API)")

        # ---- the page: one form, bids x criteria ----
        page = assessor.get(page_url).text
        forms = re.findall(r'<form method="post" action="([^"]+)"', page)
        t.ok(forms.count(matrix_url) == 1 and not any(f.endswith("/award/scores") for f in forms),
             "the assessor's scores are one form posting to .../award/scores/matrix", str(forms))
        names = set(re.findall(r'name="(step-\d+-[a-z-]+)"', page))
        t.eq(names, {f"step-{c}-{k}" for c in cands for k in LEAVES},
             "the matrix has a score per bid and criterion (3 x 3)")
        t.ok(len(re.findall(r'name="motivation-\d+-[a-z-]+"', page)) == 9,
             "and a motivation per cell")
        head = page[page.index('<table class="list matrix">'):]
        head = head[:head.index("</thead>")]
        t.ok(all(n in head for n in ("Aanpak", "%")), "the header names the criteria with their weights",
             head[:400])
        t.ok('class="scale-legend"' in page and "onvoldoende" in page.lower(),
             "the scale's steps and their meanings are on the page")
        docs = re.findall(r'href="/procedures/%d/submissions/(\d+)/document">([^<]+)</a>' % pid, page)
        t.ok(len(docs) == 3 and all(f == "plan-van-aanpak.pdf" for _, f in docs),
             "each bid's row links its bid's file", str(docs))
        t.ok("Cells still empty: 3 of 9." in page, "the page counts the empty cells",
             re.findall(r'id="empty-cells">[^<]*', page))

        # ---- hand-in refused while cells are empty ----
        r = assessor.post(f"{el}/hand-in", {})
        t.ok(r.status == 409 and "first" in r.json["error"]["message"],
             "handing in is refused while cells are empty", r.text[:200])
        t.eq(assessor.get(f"{el}/scoring").json["i_handed_in"], False, "nothing was handed in")

        # ---- one cell without motivation: nothing saved ----
        changed = [c for c in cands if c != empty][0]
        form = {"csrf": form_csrf(page),
                f"step-{empty}-aanpak": "3", f"motivation-{empty}-aanpak": "Sterk plan (matrix).",
                f"step-{empty}-samenwerking": "2", f"motivation-{empty}-samenwerking": "Redelijk (matrix).",
                f"step-{empty}-team": "1", f"motivation-{empty}-team": "",
                f"step-{changed}-team": "4", f"motivation-{changed}-team": "Herzien (matrix)."}
        r = assessor.request("POST", matrix_url, form=form)
        t.eq(r.status, 422, "a cell with a score and no motivation refuses the matrix")
        t.ok(f'id="score-{empty}-team-error"' in r.text and "motivation" in r.text,
             "the refusal stands at that cell", r.text[:300])
        t.ok("Sterk plan (matrix)." in r.text and "Herzien (matrix)." in r.text and
             re.search(r'<option value="3" selected>', r.text) is not None,
             "the matrix comes back with what was typed")
        t.ok('href="#score-%d-team-motivation"' % empty in r.text, "the summary links the refused cell")
        t.eq(own(assessor, el), before, "nothing was saved")
        r = assessor.post(f"{el}/scores/matrix", {k: v for k, v in form.items() if k != "csrf"})
        t.ok(r.status == 422 and any(c["candidate"] == empty and c["criterion"] == "team"
                                     for c in r.json["error"]["cells"]),
             "the API names the refused cell", r.text[:300])
        t.eq(own(assessor, el), before, "nothing was saved through the API either")

        # ---- several cells at once ----
        form[f"motivation-{empty}-team"] = "Klein team (matrix)."
        r = assessor.request("POST", matrix_url, form=form)
        t.ok(r.status == 303 and "scores-saved" in (r.getheader("Location") or ""),
             "the matrix with every filled cell motivated is saved at once",
             f"{r.status} {r.getheader('Location')}")
        after = own(assessor, el)
        want = dict(before)
        want.update({(empty, "aanpak"): (3, "Sterk plan (matrix)."),
                     (empty, "samenwerking"): (2, "Redelijk (matrix)."),
                     (empty, "team"): (1, "Klein team (matrix)."),
                     (changed, "team"): (4, "Herzien (matrix).")})
        t.eq(after, want, "four cells saved (three new, one changed), the others as they were")
        page = assessor.get(page_url).text
        t.ok("Every cell is scored" in page, "no cell is empty any more")
        r = assessor.post(f"{el}/scores/matrix", {f"step-{empty}-team": "99",
                                                  f"motivation-{empty}-team": "Buiten de schaal."})
        t.ok(r.status == 422 and r.json["error"]["cells"][0]["field"] == "step",
             "a step off the scale is refused at its cell (API)", r.text[:300])

        # ---- hand in ----
        r = assessor.request("POST", f"/procedures/{pid}/lots/{lot}/award/hand-in",
                             form={"csrf": form_csrf(page), "confirm": "1"})
        t.eq(r.status, 303, "the assessor hands in below the matrix")
        page = assessor.get(page_url).text
        t.ok(matrix_url not in page and '<table class="list matrix">' in page and
             "Klein team (matrix)." in page,
             "handed in, the matrix shows the scores with no form", page[:200])
        r = assessor.post(f"{el}/scores/matrix", {f"step-{empty}-team": "2",
                                                  f"motivation-{empty}-team": "Te laat."})
        t.eq(r.status, 409, "a handed-in matrix cannot change")
    finally:
        code = srv.stop()
        t.ok(code == 0, "the server stops cleanly", srv.final_log[-500:] if code else "")
    t.done()


if __name__ == "__main__":
    main()
