#!/usr/bin/env python3
"""Decimal marks on the award pages of the demo.

Dutch pages write a percentage, a weight or a score with a decimal comma
("81,25 %"), as they write amounts ("€ 1.234,56"), and a whole one
without decimals ("40 %"); English pages write a decimal point.  The
JSON API keeps its numbers and texts as they were: a point, never a
comma in a percentage.

The demo's procedure in the standstill (DOR-2027-BBM-DEMO) has its
ranking, with its Monte Carlo sentence, whose figures are hardly ever
whole; its rules page shows weights and scales.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap  # noqa: E402

STANDSTILL = "DOR-2027-BBM-DEMO"
EVALUATION = "DOR-2027-GGZ-DEMO"
POINT_PCT = re.compile(r"\b\d+\.\d\d(?:&nbsp;|\s|\u00a0)*%")
COMMA_PCT = re.compile(r"\b\d+,\d\d(?:&nbsp;|\s|\u00a0)*%")
POINT_POINTS = re.compile(r"[+-]\d+\.\d\d (?:points|procentpunt)")


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def strings(j):
    if isinstance(j, dict):
        for v in j.values():
            yield from strings(v)
    elif isinstance(j, list):
        for v in j:
            yield from strings(v)
    elif isinstance(j, str):
        yield j


def main():
    t = Tap()
    srv = Server()
    try:
        buyer = Client(srv)
        t.eq(buyer.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        procs = buyer.get("/api/v1/procedures").json["procedures"]
        ids = {p["reference"]: p["id"] for p in procs}
        t.ok(STANDSTILL in ids and EVALUATION in ids, "the demo's award procedures are there", str(ids))
        pages = []
        for ref in (STANDSTILL, EVALUATION):
            p = buyer.get(f"/api/v1/procedures/{ids[ref]}").json
            lot = p["lots"][0]["id"]
            base = f"/procedures/{ids[ref]}"
            pages += [f"{base}/award", f"{base}/lots/{lot}/award/rules",
                      f"{base}/lots/{lot}/award/scoring"]
            if ref == STANDSTILL:
                ranking = f"{base}/lots/{lot}/award/ranking"
                pages += [ranking, f"{base}/lots/{lot}/award/letter"]

        # --- Dutch (the default) -------------------------------------------------
        nl = {}
        for path in pages:
            r = buyer.get(path)
            t.eq(r.status, 200, f"nl: {path} answers")
            nl[path] = text(r.text)
        for path, body in nl.items():
            bad = POINT_PCT.findall(body) + POINT_POINTS.findall(body)
            t.ok(not bad, f"nl: {path} writes no percentage with a decimal point", str(bad[:5]))
        rk = nl[ranking]
        t.ok("Rangorde" in rk or "rangorde" in rk, "nl: the ranking page is Dutch", rk[:300])
        t.ok(COMMA_PCT.search(rk), "nl: the ranking shows a percentage with a decimal comma",
             rk[:2000])
        mc = re.search(r"in (\d+,\d\d) % van \d+ scenario.*?interval: (\d+(?:,\d\d)?) % tot (\d+(?:,\d\d)?) %", rk)
        t.ok(mc, "nl: the Monte Carlo interval is written with a comma (or whole)", rk[-3000:])

        # --- the JSON API keeps its form -------------------------------------------
        j = buyer.get(f"/api/v1{ranking}")
        t.eq(j.status, 200, "the ranking's JSON answers")
        bad = [s for s in strings(j.json) if COMMA_PCT.search(s)]
        t.ok(not bad, "the JSON API writes no percentage with a decimal comma", str(bad[:3]))
        nums = [b.get("total_ppm", b.get("quality_ppm")) for b in j.json["bids"]]
        t.ok(all(isinstance(n, int) for n in nums), "the JSON's scores stay numbers", str(j.json["bids"])[:400])

        # --- English ---------------------------------------------------------------
        t.eq(buyer.post("/api/v1/lang", {"lang": "en"}).status, 200, "the buyer switches to English")
        en = text(buyer.get(ranking).text)
        t.ok("Ranking" in en or "ranking" in en, "en: the ranking page is English", en[:300])
        t.ok(POINT_PCT.search(en), "en: the ranking shows a percentage with a decimal point", en[:2000])
        t.ok(not COMMA_PCT.search(en), "en: the ranking writes no decimal comma in a percentage",
             str(COMMA_PCT.findall(en)[:5]))
        j2 = buyer.get(f"/api/v1{ranking}")
        key = lambda js: [(b["candidate"], b["rank"], b["quality_ppm"], b["price_ppm"], b["total_ppm"])
                          for b in js["bids"]]
        t.eq(key(j2.json), key(j.json), "the JSON's scores are the same in either language")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
