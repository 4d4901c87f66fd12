#!/usr/bin/env python3
"""The demo's procedures in every stage (src/app/demo_stages.c).

`kavel demo` builds five procedures of Dordrecht, next to the two seed
procedures, through the actions a user takes with the app's clock moved
along each timeline, so that at the real time each stands in its stage.
Logged in as the roles that see them, this checks that each really is
there:

  registration  DOR-2027-WOR-DEMO: on the public /tenders list with its
                two lots, registration open (an organisation registers),
                selection criteria, one registration with its application
  dialogue      DOR-2027-SHV-DEMO: selection round 1 published (two of
                three admitted, the third told why), round 1 with plans,
                meetings, minutes and published feedback, round 2 open
                with a plan and meetings ahead; each bidder sees its own
  evaluation    DOR-2027-GGZ-DEMO: deadline passed, three sealed bids and
                prices, the vault opened by two different buyers and every
                bid checked against its receipt, the prices still sealed,
                scoring in progress (part of the scores, nobody handed
                in); a person can finish it: the remaining scores, the
                consensus and, with the printed vault passphrases, the
                price opening
  standstill    DOR-2027-BBM-DEMO: prices opened, the provisional decision
                with every bidder's own letter, the standstill running
                until a moment after now; the definitive award refused
  awarded       DOR-2026-MBS-DEMO: definitive after the standstill, the
                settled objection, and the contract from the lot

The sealed files are in <db dir>/vault with no plaintext in them, every
title ends in " (demo)", and the audit chain verifies.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap  # noqa: E402

REFS = {"registration": "DOR-2027-WOR-DEMO", "dialogue": "DOR-2027-SHV-DEMO",
        "evaluation": "DOR-2027-GGZ-DEMO", "standstill": "DOR-2027-BBM-DEMO",
        "awarded": "DOR-2026-MBS-DEMO"}
KEYHOLDERS = [("keyholder1@dordrecht.example", "kluis-demo-2022-een"),
              ("keyholder2@dordrecht.example", "kluis-demo-2022-twee")]
BIDDERS = {"A": "bidder@wijkzorg.example", "B": "bidder@buurtkracht.example",
           "C": "bidder@zorgomdehoek.example"}
LEAVES = ["aanpak", "samenwerking", "team"]


def current_stage(proc):
    i = proc["timeline"]["current"]
    return proc["stages"][i] if i is not None and i >= 0 else None


def main():
    t = Tap()
    t0 = time.time()
    srv = Server()
    print(f"# kavel demo and serve took {time.time() - t0:.1f} s")
    try:
        out = srv.demo_output
        t.ok(all(ref in out for ref in REFS.values()) and
             all(k[0] in out and k[1] in out for k in KEYHOLDERS),
             "the demo prints its stage procedures, the keyholders and their vault passphrases",
             out[-1500:])
        now = time.time()
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        buyer.post("/api/v1/lang", {"lang": "en"})
        procs = buyer.get("/api/v1/procedures").json["procedures"]
        ids = {p["reference"]: p["id"] for p in procs}
        t.ok(all(ref in ids for ref in REFS.values()) and "DOR-2022-SWT-BW-JW" in ids,
             "the buyer sees the seed procedure and the five stage procedures", str(ids))
        demo = [p for p in procs if p["reference"] in REFS.values()]
        t.ok(all(p["title"].endswith(" (demo)") for p in demo), "every stage procedure's title ends in (demo)")
        P = {stage: buyer.get(f"/api/v1/procedures/{ids[ref]}").json for stage, ref in REFS.items()}
        lot = {stage: P[stage]["lots"][0]["id"] for stage in P}
        base = {stage: f"/api/v1/procedures/{ids[ref]}" for stage, ref in REFS.items()}
        bidders = {}
        for k, email in BIDDERS.items():
            c = Client(srv)
            t.eq(c.login(email).status, 200, f"bidder {k} ({email}) logs in")
            c.post("/api/v1/lang", {"lang": "en"})
            bidders[k] = c

        # --- the timelines: each procedure in its stage ------------------------
        cur = {stage: current_stage(P[stage]) for stage in P}
        t.eq(cur["registration"]["kind"], "registration", "registration: the current stage is registration")
        t.ok(cur["dialogue"]["kind"] == "dialogue-round" and cur["dialogue"]["round"] == 2,
             "dialogue: the current stage is dialogue round 2", str(cur["dialogue"]))
        t.eq(cur["evaluation"]["kind"], "evaluation", "evaluation: the current stage is the evaluation")
        t.eq(cur["standstill"]["kind"], "standstill", "standstill: the current stage is the standstill")
        done = {s["kind"]: s["status"] for s in P["awarded"]["stages"]}
        t.ok(done.get("definitive-award") == "completed" and cur["awarded"]["kind"] == "contract-start",
             "awarded: the definitive award is completed, the contract's start is next", str(done))
        td = [s for s in P["evaluation"]["stages"] if s["kind"] == "tender-deadline"][0]
        t.ok(td["status"] == "completed" and td["end"]["utc"] < now,
             "evaluation: the tender deadline has passed", str(td))

        # --- 1. registration -----------------------------------------------------
        anon = Client(srv)
        tenders = anon.get("/api/v1/tenders").json["tenders"]
        reg = [x for x in tenders if x["reference"] == REFS["registration"]]
        t.ok(len(reg) == 1 and reg[0]["registration_open"] and len(reg[0]["lots"]) == 2 and
             reg[0]["application_deadline"]["utc"] > now,
             "the public /tenders list has the registration procedure, open, with two lots", str(reg))
        page = anon.get("/tenders")
        t.ok(page.status == 200 and REFS["registration"] in page.text and
             f"/tenders/{ids[REFS['registration']]}/register" in page.text,
             "the /tenders page lists it with its registration link")
        sel = buyer.get(f"{base['registration']}/selection").json
        t.eq(sorted(c["key"] for c in sel["criteria"]), ["ervaring", "netwerk", "uitsluiting"],
             "it has its selection criteria")
        cands = buyer.get(f"{base['registration']}/candidates").json["candidates"]
        t.ok(len(cands) == 1 and cands[0]["name"] == "Welzijn Morgen (demo)",
             "one organisation has registered", str(cands))
        wm = Client(srv)
        t.eq(wm.login("bidder@welzijnmorgen.example").status, 200, "the registered organisation's account logs in")
        ap = wm.get(f"{base['registration']}/application")
        t.ok(ap.status == 200 and "Gorinchem" in ap.text, "and reads its own application so far", ap.text[:300])
        r = anon.post(f"/api/v1/tenders/{ids[REFS['registration']]}/register", {
            "org_name": "Nieuwkomer (test)", "kvk": "89123456", "name": "Nina Nieuw",
            "email": "nina@nieuwkomer.example", "password": "nieuwkomer-2026!"})
        t.eq(r.status, 201, "another organisation can register: registration is open")
        r = anon.post(f"/api/v1/tenders/{ids[REFS['dialogue']]}/register", {
            "org_name": "Te laat (test)", "kvk": "89234567", "name": "Tim Laat",
            "email": "tim@telaat.example", "password": "te-laat-2026!!"})
        t.eq(r.status, 409, "the dialogue procedure's registration has closed")

        # --- 2. dialogue -----------------------------------------------------------
        dv = buyer.get(f"{base['dialogue']}/dialogue").json
        r1, r2 = dv["rounds"][0], dv["rounds"][1]
        t.ok(dv["view"] == "all" and r1["completed"] and not r1["open_for_plans"] and
             len(r1["candidates"]) == 2, "round 1 is done, with the two admitted candidates", str(r1)[:400])
        t.ok(all(c["plan"] and c["plan"]["content_type"] == "application/pdf" and
                 c["meeting"] and c["meeting"]["at"]["utc"] < now and
                 c["minutes"] and c["minutes"]["text"] and
                 c["feedback"] and c["feedback"].get("published_at")
                 for c in r1["candidates"]),
             "each has its concept plan (a PDF), its meeting, the minutes and the published feedback",
             str(r1["candidates"])[:600])
        doc = buyer.get(r1["candidates"][0]["plan"]["href"])
        t.ok(doc.status == 200 and doc.body.startswith(b"%PDF-") and b"%%EOF" in doc.body[-16:],
             "a plan downloads as a PDF")
        t.ok(r2["open_for_plans"] and not r2["completed"] and r2["plan_due"]["utc"] > now and
             sum(1 for c in r2["candidates"] if c["plan"]) == 1 and
             all(c["meeting"] and c["meeting"]["at"]["utc"] > now for c in r2["candidates"]),
             "round 2 runs: plans due ahead, one plan in, both meetings planned ahead", str(r2)[:600])
        va = bidders["A"].get(f"{base['dialogue']}/dialogue").json
        t.ok(va["view"] == "own" and all(len(r["candidates"]) == 1 for r in va["rounds"]) and
             va["rounds"][0]["candidates"][0]["feedback"]["text"],
             "bidder A sees its own dialogue with its feedback only")
        vc = bidders["C"].get(f"{base['dialogue']}/dialogue").json
        t.ok(all(not r["candidates"] for r in vc["rounds"]), "bidder C, not admitted, takes no part")
        res = bidders["C"].get(f"{base['dialogue']}/selection/result").json
        t.ok(res["published"] and res["result"]["outcome"] == "not-admitted" and res["result"]["reason"],
             "and reads its selection result with the reason", str(res)[:300])
        council = Client(srv)
        council.login("council@dordrecht.example")
        vco = council.get(f"{base['dialogue']}/dialogue").json
        t.ok(vco["view"] == "course" and all("text" not in (c["minutes"] or {}) and "name" not in (c["plan"] or {})
                                             for c in vco["rounds"][0]["candidates"]),
             "a council member sees the course, not the content")

        # --- 3. evaluation ---------------------------------------------------------
        eb, el = base["evaluation"], f"{base['evaluation']}/lots/{lot['evaluation']}/award"
        aw = buyer.get(f"{eb}/award").json["lots"][0]
        t.ok(aw["has_rules"] and aw["bids"] == 3 and aw["vault_open"] and not aw["prices_open"] and
             not aw["quality_final_at"], "the lot has its rules, three bids, the vault open, prices sealed", str(aw))
        rec = buyer.get(f"{eb}/vault/record").json
        names = {o["name"] for o in rec["opened_by"]}
        quality = [s for s in rec["submissions"] if s["envelope"] == "quality"]
        prices = [s for s in rec["submissions"] if s["envelope"] == "price"]
        t.ok(len(names) == 2 and rec["opened_at"]["utc"] < now and rec["prices"] is None,
             "two different buyers opened the vault; the prices are not opened", str(rec)[:300])
        t.ok(len(quality) == 3 and all(s["verified"] is True and s["content_type"] == "application/pdf"
                                       for s in quality) and
             len({s["candidate_id"] for s in quality}) == 3,
             "every bid (a PDF of each of three bidders) opened and matched its receipt", str(quality)[:400])
        t.ok(len(prices) == 3 and all(s["verified"] is None for s in prices),
             "three price envelopes, still sealed")
        rcpt = [s for s in quality if s["candidate"] == "Buurtkracht Drechtsteden (demo)"][0]
        r = bidders["B"].get(f"{eb}/submissions/{rcpt['id']}/receipt")
        t.eq(r.status, 200, "bidder B reads its receipt")
        vdir = os.path.join(srv.dir, "vault")
        sealed = [f for f in os.listdir(vdir) if f.endswith(".kvlt")]
        blobs = [open(os.path.join(vdir, f), "rb").read() for f in sealed]
        t.ok(len(sealed) == 18 and all(b.startswith(b"KVLT1") for b in blobs),
             "18 sealed files (three procedures, three bids and three prices each) in <db dir>/vault",
             str(len(sealed)))
        t.ok(not any(n in b for b in blobs for n in (b"%PDF", b"Plan van aanpak", b"price_cents")),
             "none holds plaintext")
        assessor = Client(srv)
        assessor.login("assessor@dordrecht.example")
        assessor.post("/api/v1/lang", {"lang": "en"})
        av = assessor.get(f"{el}/scoring").json
        t.ok(av["vault_open"] and not av["i_handed_in"] and not av["all_handed_in"] and
             0 < len(av["own_scores"]) < 9 and av["individual_scores"] is None,
             "the assessor has scored part of the bids, blind to the others, not handed in",
             str({k: av[k] for k in ("i_handed_in", "all_handed_in")}) + f" own {len(av['own_scores'])}")
        b2 = Client(srv)
        b2.login("buyer2@dordrecht.example")
        b2.post("/api/v1/lang", {"lang": "en"})
        bv = b2.get(f"{el}/scoring").json
        t.ok(0 < len(bv["own_scores"]) < 6, "buyer 2 too, on the plan", str(len(bv["own_scores"])))
        t.eq(buyer.get(f"{el}/ranking").status, 409, "no ranking while scoring goes on")
        r = buyer.post(f"{eb}/price-vault/open", {"email_a": KEYHOLDERS[0][0], "passphrase_a": KEYHOLDERS[0][1],
                                                  "email_b": KEYHOLDERS[1][0], "passphrase_b": KEYHOLDERS[1][1]})
        t.eq(r.status, 409, "the prices stay sealed until quality is final")

        # A person finishes the evaluation from here.
        bids = [b["candidate"] for b in av["bids"]]
        ok = True
        for who, client, keys in ((assessor, assessor, LEAVES), (b2, b2, LEAVES[:2])):
            have = {(s["candidate"], s["criterion"]) for s in client.get(f"{el}/scoring").json["own_scores"]}
            for cand in bids:
                for k in keys:
                    if (cand, k) not in have:
                        r = client.post(f"{el}/scores", {"candidate": cand, "criterion": k, "step": 2,
                                                          "motivation": "Voldoende uitgewerkt (test)."})
                        ok &= r.status == 200
            ok &= client.post(f"{el}/hand-in", {}).status == 200
        t.ok(ok, "the assessors score what is left and hand in")
        ok = True
        for cand in bids:
            for k in LEAVES:
                ok &= buyer.post(f"{el}/consensus", {"candidate": cand, "criterion": k, "step": 2,
                                                      "motivation": "Consensus (test)."}).status == 200
        ok &= buyer.post(f"{el}/final", {}).status == 200
        t.ok(ok, "the buyer records the consensus and makes quality final")
        r = buyer.post(f"{eb}/price-vault/open", {"email_a": KEYHOLDERS[0][0], "passphrase_a": KEYHOLDERS[0][1],
                                                  "email_b": KEYHOLDERS[1][0], "passphrase_b": KEYHOLDERS[1][1]})
        t.ok(r.status == 200 and len(r.json["prices"]) == 3 and all(p["verified"] for p in r.json["prices"]),
             "the printed vault passphrases open the prices; each matches its receipt", r.text[:300])
        t.eq(buyer.get(f"{el}/ranking").status, 200, "and the lot has its ranking")

        # --- 4. standstill ---------------------------------------------------------
        sb, sl = base["standstill"], f"{base['standstill']}/lots/{lot['standstill']}/award"
        aw = buyer.get(f"{sb}/award").json["lots"][0]
        t.ok(aw["quality_final_at"] and aw["prices_open"] and aw["decision"]["status"] == "provisional",
             "quality final, prices opened, a provisional decision", str(aw))
        rec = buyer.get(f"{sb}/vault/record").json
        t.ok(len({o["name"] for o in rec["opened_by"]}) == 2 and rec["prices"] and
             len({o["name"] for o in rec["prices"]["opened_by"]}) == 2,
             "both openings by two different buyers")
        t.eq(buyer.get(f"{sl}/ranking").status, 200, "the ranking is there")
        dec = buyer.get(f"{sl}/objections").json["decisions"][-1]
        ss = [s for s in P["standstill"]["stages"] if s["kind"] == "standstill"][0]
        t.ok(dec["sent_at"]["utc"] < now < dec["standstill_end"]["utc"] and
             ss["end"]["utc"] == dec["standstill_end"]["utc"] and
             dec["standstill_end"]["utc"] - now > 3 * 86400,
             "the standstill runs: sent before now, ending days after it (stage and decision agree)",
             f"{dec} {ss}")
        letters = {k: c.get(f"{sl}/letter").json for k, c in bidders.items()}
        t.ok(letters["A"]["winner_is_you"] and not letters["B"]["winner_is_you"] and
             not letters["C"]["winner_is_you"] and
             len({letters[k]["name"] for k in letters}) == 3 and
             all(letters[k]["standstill_end"]["utc"] == dec["standstill_end"]["utc"] for k in letters),
             "each bidder reads its own letter, with the standstill's end",
             str({k: (v.get("name"), v.get("winner_is_you")) for k, v in letters.items()}))
        pdf = bidders["B"].get(f"{sl}/letter/pdf")
        t.ok(pdf.status == 200 and pdf.body.startswith(b"%PDF"), "a letter as a PDF")
        r = buyer.post(f"{sl}/definitive", {})
        t.ok(r.status == 409 and "standstill" in r.json["error"]["message"],
             "the award cannot be definitive during the standstill", r.text[:200])

        # --- 5. awarded ------------------------------------------------------------
        ab, al = base["awarded"], f"{base['awarded']}/lots/{lot['awarded']}/award"
        ob = buyer.get(f"{al}/objections").json
        d5 = ob["decisions"][-1]
        t.ok(d5["status"] == "definitive" and d5["standstill_end"]["utc"] < d5["definitive_at"]["utc"] < now,
             "the award became definitive after the standstill", str(d5))
        t.ok(len(ob["objections"]) == 1 and ob["objections"][0]["closed_on"] and ob["objections"][0]["outcome"],
             "the objection filed during the standstill is settled", str(ob["objections"]))
        contracts = [c for c in buyer.get("/api/v1/contracts").json["contracts"]
                     if c["procedure_id"] == ids[REFS["awarded"]]]
        t.ok(len(contracts) == 1 and contracts[0]["lot_id"] == lot["awarded"] and
             contracts[0]["parties"][0]["name"] == "Buurtkracht Drechtsteden (demo)" and
             contracts[0]["start"] > time.strftime("%Y-%m-%d"),
             "a contract was made from the awarded lot with the winner as party", str(contracts)[:400])
        t.eq(bidders["B"].get(f"{al}/letter").json["winner_is_you"], True, "the winner reads its letter")

        # --- the whole -------------------------------------------------------------
        kh = Client(srv)
        t.eq(kh.login(KEYHOLDERS[0][0]).status, 200, "a keyholder logs in")
        seen = {p["reference"] for p in kh.get("/api/v1/procedures").json["procedures"]}
        t.eq(seen, {REFS["evaluation"], REFS["standstill"], REFS["awarded"]},
             "a keyholder is a buyer of the three vault procedures only")
        v = srv.kavel("audit", "verify", "--db", srv.db)
        t.ok(v.returncode == 0, "the audit chain verifies", v.stdout + v.stderr)
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
