#!/usr/bin/env python3
"""The council report's attention column comes from the attention list
(issue 12, item 2): the same source as the council member's dashboard.

On the demo, for every procedure of Dordrecht, the report's
`attention_items` (JSON) and the council's `/api/v1/attention` agree: the
same kinds, one "late" item per overdue stage (as many as the list's
count, the first as late as the list says), the same days for a deadline;
and every item's text stands in the procedure's row of the HTML report.
Then on a new procedure: nothing at first; a tender deadline four days
ahead becomes a "deadline" item in both, and the report's "next" names
it; a decision's pending condition becomes a "condition" item in both and
in the HTML row, and resolving it takes it out of both; a bidder's
question reaches the buyer's dashboard but neither the council's list nor
the report (not the council's to answer).  The demo's overdue
overdue stage is completed by the buyer: its "late" item leaves the
report and the list together.  A buyer reads the same report as the
council member.
"""
import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, local_in  # noqa: E402

CONDITION = "Advies van de ondernemingsraad (rapporttest)"
QUESTION = "Is er een maximum aan het aantal onderaannemers? (rapporttest)"


def report_of(client):
    r = client.get("/api/v1/report")
    return {p["reference"]: p for p in r.json["procedures"]} if r.status == 200 else None


def attention_of(client):
    r = client.get("/api/v1/attention")
    if r.status != 200:
        return None
    out = {}
    for i in r.json["items"]:
        if i["procedure_id"] is not None:
            out.setdefault(i["reference"], []).append(i)
    return out


def html_row(page, reference):
    """The text of the report page's table row of reference."""
    m = re.search(r'<tr><td class="ref">(?:<a [^>]*>)?%s(?:</a>)?</td>(.*?)</tr>'
                  % re.escape(html.escape(reference)), page, re.S)
    if not m:
        return None
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))))


def attention_cell(page, reference):
    m = re.search(r'<tr><td class="ref">(?:<a [^>]*>)?%s(?:</a>)?</td>.*?<td class="attention"[^>]*>(.*?)</td></tr>'
                  % re.escape(html.escape(reference)), page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).strip() if m else None


def agree(t, rep, att, page, where):
    """The report and the council's list agree on every procedure."""
    for ref, p in rep.items():
        items = p["attention_items"]
        mine = att.get(ref, [])
        t.eq(sorted({i["kind"] for i in items}), sorted({i["kind"] for i in mine}),
             f"{where} {ref}: the report's attention kinds are the list's")
        late = [i for i in mine if i["kind"] == "late"]
        rlate = [i for i in items if i["kind"] == "late"]
        if late:
            t.ok(len(rlate) == late[0]["count"] and max(i["days"] for i in rlate) == -late[0]["days"],
                 f"{where} {ref}: one late item per overdue stage ({len(rlate)}), "
                 f"the latest {-late[0]['days']} days", (rlate, late))
        dl = sorted(i["days"] for i in mine if i["kind"] == "deadline")
        t.eq(sorted(i["days"] for i in items if i["kind"] == "deadline"), dl,
             f"{where} {ref}: the deadlines' days as the list's")
        row = html_row(page, ref)
        t.ok(row is not None and all(i["text"] in row for i in items),
             f"{where} {ref}: every attention text stands in its HTML row", (row, items))
        t.eq(p["attention"], "; ".join(i["text"] for i in items),
             f"{where} {ref}: 'attention' is the items' texts joined")


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        council = Client(srv)
        t.eq(council.login("council@dordrecht.example").status, 200, "the council member logs in")

        # ---- the demo: the report and the list agree everywhere ----
        rep, att = report_of(council), attention_of(council)
        page = council.get("/report").text
        t.ok(rep and att is not None, "the report and the attention list answer")
        t.ok(any(p["attention_items"] for p in rep.values()),
             "the demo's report has attention items", list(rep))
        agree(t, rep, att, page, "demo")
        t.eq(report_of(buyer), rep, "a buyer reads the same report as the council member")

        # ---- a new procedure ----
        r = buyer.post("/api/v1/procedures", {
            "reference": "DOR-RAPP-1", "title": "Rapportagetest", "type": "open",
            "cpv": "85310000-5", "value": "200.000",
            "lots": [{"title": "Wijkteam", "value": "200.000"}]})
        t.eq(r.status, 201, "a procedure is created")
        pid = r.json["id"]
        base = f"/api/v1/procedures/{pid}"
        rep = report_of(council)
        t.ok("DOR-RAPP-1" in rep and rep["DOR-RAPP-1"]["attention_items"] == [] and
             rep["DOR-RAPP-1"]["attention"] == "" and rep["DOR-RAPP-1"]["blocked"] == "",
             "the new procedure is in the report, with nothing to attend to", rep.get("DOR-RAPP-1"))
        page = council.get("/report").text
        t.eq(attention_cell(page, "DOR-RAPP-1"), "—", "its attention cell on the page is a dash")
        t.ok(f'<td class="ref"><a href="/procedures/{pid}">DOR-RAPP-1</a></td>' in page,
             "its reference links to the procedure's page")
        t.eq(council.get(f"/procedures/{pid}").status, 200, "which the council member may open")

        # A deadline four days ahead.
        td = [s for s in r.json["stages"] if s["kind"] == "tender-deadline"][0]
        when = local_in(4 * 86400)
        t.eq(buyer.post(f"{base}/stages/{td['id']}/move", {"start": when}).status, 200,
             "the tender deadline is set four days ahead")
        p = report_of(council)["DOR-RAPP-1"]
        dl = [i for i in p["attention_items"] if i["kind"] == "deadline"]
        t.ok(len(dl) == 1 and dl[0]["days"] in (3, 4) and td["label"] in dl[0]["text"],
             "the report has the deadline, naming the stage and the days left", p)
        mine = [i for i in attention_of(council).get("DOR-RAPP-1", []) if i["kind"] == "deadline"]
        t.ok(len(mine) == 1 and dl and mine[0]["days"] == dl[0]["days"],
             "the council's list has the same deadline", mine)
        t.ok(p["next"] == td["label"] and p["next_when"],
             "the report's 'next' is the tender deadline, with its time", p)
        t.ok(dl and dl[0]["text"] in attention_cell(council.get("/report").text, "DOR-RAPP-1"),
             "the HTML report shows it in the attention cell")

        # A pending condition, then resolved.
        r = buyer.post(f"{base}/decisions", {
            "number": "2026/99001", "date": "2026-01-15", "title": "Besluit rapporttest",
            "body": "Onder voorwaarde.", "conditions": [{"description": CONDITION}],
            "governs": ["tender-deadline"]})
        t.eq(r.status, 201, "a decision with a pending condition is registered")
        cid = r.json["conditions"][0]["id"]
        p = report_of(council)["DOR-RAPP-1"]
        cond = [i for i in p["attention_items"] if i["kind"] == "condition"]
        t.ok(len(cond) == 1 and CONDITION in cond[0]["text"] and "2026/99001" in cond[0]["text"],
             "the report has the open condition with its decision", p)
        t.ok(any(i["kind"] == "condition" for i in attention_of(council).get("DOR-RAPP-1", [])),
             "so has the council's list")
        t.ok(CONDITION in (attention_cell(council.get("/report").text, "DOR-RAPP-1") or ""),
             "and the HTML report's attention cell")
        t.ok(CONDITION in p["blocked"], "'blocked' names the condition that holds a stage", p["blocked"])
        t.eq(buyer.post(f"{base}/conditions/{cid}/resolve",
                        {"state": "met", "resolution": "positief advies"}).status, 201,
             "the buyer resolves the condition")
        p = report_of(council)["DOR-RAPP-1"]
        t.eq([i["kind"] for i in p["attention_items"]], ["deadline"],
             "the condition is gone from the report, the deadline stays")
        t.ok(not any(i["kind"] == "condition" for i in attention_of(council).get("DOR-RAPP-1", [])),
             "and from the council's list")
        t.ok(CONDITION not in council.get("/report").text, "and from the HTML report")

        # A question: the buyer's, not the council's.
        c = buyer.post(f"{base}/candidates", {
            "name": "Rapport Alfa (test)", "consortium": False,
            "parties": [{"org_name": "Rapport Alfa (test)", "kvk": "93456781", "role": "penvoerder"}]})
        a = buyer.post(f"{base}/candidates/{c.json['id']}/accounts", {
            "email": "alfa@rapport.example", "name": "Alfa", "password": "rapport-bieder-2026"})
        t.ok(c.status == 201 and a.status == 201, "a candidate with a bidder account")
        bidder = Client(srv)
        t.eq(bidder.login("alfa@rapport.example", "rapport-bieder-2026").status, 200, "the bidder logs in")
        t.eq(bidder.post(f"{base}/questions", {"text": QUESTION}).status, 201, "the bidder asks a question")
        t.ok(any(i["kind"] == "question" for i in attention_of(buyer).get("DOR-RAPP-1", [])),
             "the buyer's list has the question")
        p = report_of(council)["DOR-RAPP-1"]
        t.ok(not any(i["kind"] == "question" for i in attention_of(council).get("DOR-RAPP-1", [])) and
             [i["kind"] for i in p["attention_items"]] == ["deadline"],
             "neither the council's list nor the report has it", p)

        # An overdue stage of the demo, completed (stages complete in
        # order: the first overdue one whose stages before it are done).
        rep = report_of(council)
        procs = {q["reference"]: q["id"] for q in buyer.get("/api/v1/procedures").json["procedures"]}
        done = None
        for ref, q in rep.items():
            if not any(i["kind"] == "late" for i in q["attention_items"]) or ref not in procs:
                continue
            stages = buyer.get(f"/api/v1/procedures/{procs[ref]}").json["stages"]
            first = next((s for s in stages if s["status"] != "completed"), None)
            if first and first["state"] == "overdue":
                done = (ref, procs[ref], first, q)
                break
        t.ok(done, "a demo procedure whose first open stage is overdue", list(rep))
        if done:
            ref, dpid, stage, before = done
            lates = [i for i in before["attention_items"] if i["kind"] == "late"]
            t.ok(any(i["text"].startswith(stage["label"] + ":") for i in lates),
                 f"{ref}: the report names the overdue stage {stage['label']}", lates)
            r = buyer.post(f"/api/v1/procedures/{dpid}/stages/{stage['id']}/complete", {})
            t.eq(r.status, 200, f"{ref}: the buyer completes it")
            after = report_of(council)[ref]
            left = [i for i in after["attention_items"] if i["kind"] == "late"]
            t.ok(len(left) == len(lates) - 1 and
                 not any(i["text"].startswith(stage["label"] + ":") for i in left),
                 f"{ref}: its late item is gone from the report, the others stay", left)
            mine = [i for i in attention_of(council).get(ref, []) if i["kind"] == "late"]
            t.eq(sum(i["count"] for i in mine), len(left), f"{ref}: the council's list counts as many")
            cell = attention_cell(council.get("/report").text, ref) or ""
            t.ok(not cell.startswith(stage["label"] + ":") and
                 all(i["text"] in cell for i in after["attention_items"]),
                 f"{ref}: and the HTML report's attention cell follows", cell)

        # Everything still agrees.
        agree(t, report_of(council), attention_of(council), council.get("/report").text, "after")
    finally:
        code = srv.stop()
        t.eq(code, 0, "the server stops cleanly")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
