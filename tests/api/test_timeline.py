#!/usr/bin/env python3
"""The timeline follows the clock (issue 12, item 3), page and API.

A buyer plans a new procedure's stages and gets, when a date is entered, a
warning for a day that is no working day under the Algemene termijnenwet
(Eerste Kerstdag, a Saturday; saved, not refused), in the move's answer,
in the procedure's JSON and at the field on the page.  Around the nights
the clocks change: a time in the repeated autumn hour is refused until its
occurrence is chosen (the page then offers the choice, only for that time;
the API takes the offset or start_dst), and either occurrence can be
saved; a time in the skipped spring hour is refused, saying so, and
nothing changes.  Then the server is restarted three days after the
pre-announcement: it is overdue, marked "3 dagen te laat" on the page and
"overdue" in the JSON, while the registration runs; completing it takes
the mark away.  Times read as Dutch people write them, without seconds or
zone codes.
"""
import datetime
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, free_port  # noqa: E402

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
          "augustus", "september", "oktober", "november", "december"]


def stage(proc, kind, round_=0):
    return [s for s in proc["stages"] if s["kind"] == kind and s["round"] == round_][0]


def last_sunday(year, month):
    d = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1) if month < 12 \
        else datetime.date(year, 12, 31)
    while d.weekday() != 6:
        d -= datetime.timedelta(days=1)
    return d


def restart(srv, offset):
    """The same database, the clock `offset` seconds ahead (test builds)."""
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(timeout=30)
    env = dict(os.environ, KAVEL_TEST_CLOCK_OFFSET=str(int(offset)))
    srv.port = free_port()
    srv.proc = subprocess.Popen(
        [srv.bin, "serve", "--db", srv.db, "--listen", f"127.0.0.1:{srv.port}"],
        stdout=srv.log, stderr=subprocess.STDOUT, env=env)
    import http.client
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return True
        except OSError:
            time.sleep(0.1)
    return False


def stage_html(page, sid):
    m = re.search(r'<li class="stage [^"]*" id="stage-%d".*?</li>' % sid, page, re.S)
    return m.group(0) if m else ""


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def main():
    t = Tap()
    os.environ["TZ"] = "Europe/Amsterdam"
    time.tzset()
    srv = Server()
    try:
        c = Client(srv)
        t.eq(c.login("buyer@dordrecht.example").status, 200, "the buyer logs in")
        r = c.post("/api/v1/procedures", {
            "reference": "DOR-TIJD-1", "title": "Tijdlijn volgt de klok", "type": "restricted",
            "cpv": "85310000-5", "value": "500.000",
            "lots": [{"title": "Wijk", "value": "500.000"}]})
        t.eq(r.status, 201, "a procedure is created")
        pid = r.json["id"]
        kinds = [s["kind"] for s in r.json["stages"]]
        t.ok("pre-announcement" in kinds and "application-deadline" in kinds and
             "tender-deadline" in kinds, "its stages", kinds)
        j = c.get(f"/api/v1/procedures/{pid}").json
        t.ok(all(s["state"] == "unplanned" and s["day_warnings"] == [] for s in j["stages"]),
             "the new procedure's stages are unplanned, without warnings", j["stages"][:2])
        # The current stage offers "Markeren als afgerond" only when the
        # clock lets it be completed; until then it says why instead.
        pre0 = stage(j, "pre-announcement")
        h = stage_html(c.get(f"/procedures/{pid}").text, pre0["id"])
        t.ok(h and "Markeren als afgerond" not in h and "/complete" not in h and
             "zijn nog niet gepland." in text(h),
             "an unplanned current stage offers no completion, and says its dates are not planned",
             text(h)[-400:])

        def move(kind, start, end=None, **extra):
            cur = c.get(f"/api/v1/procedures/{pid}").json
            body = {"start": start, **extra}
            if end:
                body["end"] = end
            return c.post(f"/api/v1/procedures/{pid}/stages/{stage(cur, kind)['id']}/move", body)

        now = time.time()
        year = datetime.date.today().year + 1
        # The pre-announcement two days from now at 10:00, the registration
        # from the day after until Eerste Kerstdag next year.
        pre = datetime.datetime.fromtimestamp(now + 2 * 86400).replace(hour=10, minute=0, second=0,
                                                                        microsecond=0)
        t_pre = pre.timestamp()
        r = move("pre-announcement", pre.strftime("%Y-%m-%dT%H:%M"))
        t.eq(r.status, 200, "the pre-announcement is planned")
        plain = pre.weekday() < 5 and (pre.month, pre.day) not in ((12, 25), (12, 26), (1, 1))
        if plain:
            t.eq(r.json.get("warnings"), [], "a working day has no warning")
        else:
            t.ok(True, "# the pre-announcement falls on a weekend or holiday today")
        h = stage_html(c.get(f"/procedures/{pid}").text, pre0["id"])
        t.ok("Markeren als afgerond" not in h and "/complete" not in h and
             "de fase kan niet eerder worden afgerond." in text(h),
             "a pre-announcement planned in two days offers no completion yet, and says when",
             text(h)[-400:])
        reg_start = pre + datetime.timedelta(days=1)
        r = move("registration", reg_start.strftime("%Y-%m-%dT%H:%M"), f"{year}-12-25T12:00")
        w = (r.json or {}).get("warnings", [])
        t.ok(r.status == 200 and len([x for x in w if x["field"] == "end"]) == 1,
             "a registration ending on Eerste Kerstdag is saved, with a warning for its end",
             f"{r.status} {r.text[:400]}")
        end_w = [x for x in w if x["field"] == "end"][0] if w else {}
        t.ok(end_w.get("name") == "Eerste Kerstdag" and end_w.get("date") == f"{year}-12-25" and
             "art. 3 lid 1" in end_w.get("source", "") and
             end_w.get("message", "").startswith(f"Let op: 25 december {year} is Eerste Kerstdag"),
             "the warning names the holiday, its date and its article", end_w)
        reg = stage(r.json, "registration")
        t.ok(reg["end"]["local"] == f"{year}-12-25T12:00:00+01:00" and reg["day_warnings"] == w,
             "the stage keeps the warning in the procedure's JSON, its time unchanged in form",
             reg)
        sat = datetime.date(year, 2, 1)
        while sat.weekday() != 5:
            sat += datetime.timedelta(days=1)
        r = move("document-issued", f"{sat.isoformat()}T09:00")
        w = (r.json or {}).get("warnings", [])
        t.ok(r.status == 200 and len(w) == 1 and w[0]["field"] == "start" and
             w[0]["name"] == "zaterdag" and "art. 1" in w[0]["source"],
             "a moment on a Saturday is saved with a warning naming the weekday", r.text[:400])

        page = c.get(f"/procedures/{pid}").text
        reg_html = stage_html(page, reg["id"])
        t.ok(f'id="s{reg["id"]}-end-warn"' in reg_html and
             f'aria-describedby="s{reg["id"]}-dst s{reg["id"]}-end-warn"' in reg_html and
             f"Let op: 25 december {year} is Eerste Kerstdag, geen werkdag" in text(reg_html),
             "on the page the warning stands at the end field, tied to it", reg_html[:1500])
        t.ok(f"25 december {year}, 12:00" in text(reg_html) and not re.search(
             r"\d{4}-\d\d-\d\d \d\d:\d\d|CES?T", text(reg_html)),
             "the period reads as Dutch people write it", text(reg_html)[:300])
        t.ok("Nederlandse tijd. Als de zomertijd eindigt" in text(reg_html),
             "the rule for the nights the clocks change stands next to the fields")

        # English: the holiday in English.
        ce = Client(srv)
        ce.login("buyer@dordrecht.example")
        ce.post("/api/v1/lang", {"lang": "en"})
        j = ce.get(f"/api/v1/procedures/{pid}").json
        ew = [x for x in stage(j, "registration")["day_warnings"] if x["field"] == "end"]
        t.ok(ew and ew[0]["name"] == "Christmas Day" and
             ew[0]["message"].startswith(f"Note: 25 December {year} is Christmas Day"),
             "in English the warning is English", ew)

        # ---- the repeated autumn hour ----
        autumn = last_sunday(year, 10)
        amb = f"{autumn.isoformat()}T02:30"
        before = c.get(f"/api/v1/procedures/{pid}").json
        r = move("application-deadline", amb)
        err = (r.json or {}).get("error", {})
        t.ok(r.status == 422 and err.get("field") == "start" and "twee keer" in err.get("message", "") and
             "UTC+02:00" in err["message"] and "UTC+01:00" in err["message"],
             "an autumn 02:30 without its occurrence is refused, naming both", r.text[:400])
        t.eq(c.get(f"/api/v1/procedures/{pid}").json["stages"], before["stages"],
             "the refusal changed nothing")
        r = move("application-deadline", amb + "+01:00")
        t.ok(r.status == 200 and stage(r.json, "application-deadline")["start"]["local"] ==
             f"{autumn.isoformat()}T02:30:00+01:00",
             "with the offset +01:00 it is the second, winter-time 02:30", r.text[:300])
        r = move("application-deadline", amb, start_dst="summer")
        ad = stage(r.json, "application-deadline") if r.json else {}
        t.ok(r.status == 200 and ad["start"]["local"] == f"{autumn.isoformat()}T02:30:00+02:00",
             "with start_dst=summer the first, summer-time 02:30", r.text[:300])
        t.eq(ad["start"]["utc"] if ad else 0,
             int(datetime.datetime(autumn.year, autumn.month, autumn.day, 0, 30,
                                   tzinfo=datetime.timezone.utc).timestamp()),
             "which is 00:30 UTC")

        # The page: the choice shows for that time only, the summer one checked.
        page = c.get(f"/procedures/{pid}").text
        ad_html = stage_html(page, ad["id"])
        day = f"{autumn.day} oktober {year}"
        t.ok(f"{day}, 02:30 (zomertijd)" in text(ad_html),
             "the timeline says which 02:30 it is", text(ad_html)[:300])
        t.ok('name="start_dst" value="summer" checked' in ad_html and
             'name="start_dst" value="winter">' in ad_html,
             "its controls offer the choice, the summer time chosen", ad_html[:2000])
        t.eq(page.count('name="start_dst"'), 2, "and no other stage offers it")

        # The form: a new ambiguous time without a choice comes back with
        # what was typed, the choice and the reason at the field.
        token = form_csrf(page)
        path = f"/procedures/{pid}/stages/{ad['id']}/move"
        amb2 = f"{autumn.isoformat()}T02:45"
        r = c.request("POST", path, form={"csrf": token, "start": amb2})
        sh = stage_html(r.text, ad["id"])
        t.ok(r.status == 422 and f'value="{amb2}"' in sh and 'name="start_dst"' in sh and
             f'id="s{ad["id"]}-start-err"' in sh and "twee keer" in text(sh) and "<details open>" in sh,
             "the page refuses it at the field, keeps what was typed and offers the choice",
             f"{r.status} {sh[:2500]}")
        r = c.request("POST", path, form={"csrf": token, "start": amb2, "start_dst": "winter"})
        t.eq(r.status, 303, "with the winter time chosen it is saved")
        ad = stage(c.get(f"/api/v1/procedures/{pid}").json, "application-deadline")
        t.eq(ad["start"]["local"], f"{autumn.isoformat()}T02:45:00+01:00", "as the second 02:45")
        t.ok(f"{day}, 02:45 (wintertijd)" in text(stage_html(c.get(f"/procedures/{pid}").text, ad["id"])),
             "and reads so")

        # ---- the skipped spring hour ----
        spring = last_sunday(year + 1, 3)
        before = c.get(f"/api/v1/procedures/{pid}").json
        r = move("tender-deadline", f"{spring.isoformat()}T02:30")
        err = (r.json or {}).get("error", {})
        t.ok(r.status == 422 and err.get("field") == "start" and
             f"{spring.day} maart {year + 1}, 02:30 bestaat niet" in err.get("message", "") and
             "02:00" in err["message"] and "03:00" in err["message"],
             "a spring 02:30 is refused, saying the clock jumps from 02:00 to 03:00", r.text[:400])
        r = move("tender-deadline", f"{spring.isoformat()}T02:30", start_dst="summer")
        t.eq(r.status, 422, "no choice makes it exist")
        r = c.request("POST", f"/procedures/{pid}/stages/{stage(before, 'tender-deadline')['id']}/move",
                      form={"csrf": token, "start": f"{spring.isoformat()}T02:30"})
        t.ok(r.status == 422 and "bestaat niet" in text(r.text), "the page refuses it too", r.status)
        t.eq(c.get(f"/api/v1/procedures/{pid}").json["stages"], before["stages"],
             "the refusals changed nothing")
        r = move("tender-deadline", f"{spring.isoformat()}T03:30")
        t.eq(r.status, 200, "03:30 that morning exists")

        # ---- overdue: three days after the pre-announcement ----
        offset = t_pre + 3 * 86400 + 3600 - time.time()
        t.ok(restart(srv, offset), "the server restarts three days after the pre-announcement")
        c = Client(srv)
        c.login("buyer@dordrecht.example")
        j = c.get(f"/api/v1/procedures/{pid}").json
        states = {s["kind"]: s["state"] for s in j["stages"]}
        t.ok(states["pre-announcement"] == "overdue" and states["registration"] == "running" and
             states["tender-deadline"] == "upcoming" and states["evaluation"] == "unplanned",
             "the JSON says where each stage stands by the clock", states)
        t.ok(j["timeline"]["current"] == 0 and j["timeline"]["open_now"] == 1,
             "the timeline object keeps its meaning", j["timeline"])
        page = c.get(f"/procedures/{pid}").text
        pre_id = stage(j, "pre-announcement")["id"]
        ph = stage_html(page, pre_id)
        t.ok('class="stage overdue current"' in ph and '<span class="badge late">3 dagen te laat</span>' in ph,
             "the pre-announcement is marked 3 dagen te laat", ph[:600])
        t.ok(f'action="/procedures/{pid}/stages/{pre_id}/complete"' in ph and
             "Markeren als afgerond" in ph and "de fase kan niet eerder" not in ph,
             "once its time has come it offers \"Markeren als afgerond\"", text(ph)[-400:])
        now_box = text(re.search(r'<section class="now".*?</section>', page, re.S).group(0))
        t.ok("Te laat: Vooraankondiging (3 dagen te laat)" in now_box and
             "Nu: Aanmelding belangstelling (nog" in now_box,
             "the status box: what is overdue and what runs now", now_box)
        t.ok(f"Volgende: Inkoopdocument gepubliceerd, {sat.day} februari {year}, 09:00 (over" in now_box,
             "and what comes next, with its date", now_box)

        r = c.post(f"/api/v1/procedures/{pid}/stages/{pre_id}/complete")
        t.eq(r.status, 200, "the buyer completes the pre-announcement")
        states = {s["kind"]: s["state"] for s in r.json["stages"]}
        t.ok(states["pre-announcement"] == "completed" and states["registration"] == "running",
             "it is no longer overdue", states)
        page = c.get(f"/procedures/{pid}").text
        now_box = text(re.search(r'<section class="now".*?</section>', page, re.S).group(0))
        t.ok("Te laat" not in now_box and "Nu: Aanmelding belangstelling" in now_box and
             "te laat" not in text(stage_html(page, pre_id)),
             "the page drops the mark", now_box)
        t.ok(re.search(r"Afgerond op \d{1,2} [a-z]+ \d{4}, \d\d:\d\d(:\d\d)?<", page) is not None,
             "the completion reads as a Dutch date")
    finally:
        srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
