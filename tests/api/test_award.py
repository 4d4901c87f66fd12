#!/usr/bin/env python3
"""Evaluation and award end to end, from the opening to the definitive award.

A procedure of Dordrecht with one lot gets its award rules (weighted
factor, relative price scoring, a criteria tree with a rubric and a 1-10
mark scale), a tender deadline seconds ahead and a vault with a price
envelope.  Three bidders submit a bid and seal a price (one replaces its
price); the sealed prices are nowhere in plaintext.  After the deadline
two buyers open the bids; two assessors score blind (neither sees the
other's scores, nor any price, until all have handed in), a bid is
excluded with its reason, the buyer records the consensus and makes the
quality final; only then do two buyers open the prices.  The ranking is
checked against the method's formula computed here independently.  The
decision's standstill end is the one the legal calendar gives; each
bidder reads its own letter only (never another loser's name, price or
scores); the award file and the scoring matrix are made.  An objection
blocks the definitive award, a corrected decision restarts the
standstill, and with the server's clock moved past it (a test build's
clock offset) the award becomes definitive once the objection is settled.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import io
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, form_csrf, free_port, local_in  # noqa: E402

PASS_A = "award test passphrase A"
PASS_B = "award test passphrase B"
DEADLINE_IN = 28
SCALE = [{"value_bp": 0, "meaning": "onvoldoende"},
         {"value_bp": 2500, "meaning": "matig"},
         {"value_bp": 6000, "meaning": "voldoende"},
         {"value_bp": 10000, "meaning": "goed"}]
RULES = {
    "method": "weighted", "price_scoring": "relative", "price_weight_bp": 4000,
    "tie_rule": "lowest-price", "price_after_quality": True,
    "criteria": [
        {"key": "plan", "name": "Plan van aanpak", "weight_bp": 6000},
        {"key": "plan-wijk", "parent": "plan", "name": "Aanpak in de wijk",
         "weight_bp": 5000, "scale": SCALE},
        {"key": "plan-samen", "parent": "plan", "name": "Samenwerking",
         "weight_bp": 5000, "scale": SCALE},
        {"key": "team", "name": "Team", "weight_bp": 4000, "marks": [1, 10]},
    ]}
LEAVES = ["plan-wijk", "plan-samen", "team"]
NAMES = ["Inschrijver Alfa (test)", "Inschrijver Bravo (test)", "Inschrijver Charlie (test)"]
PRICES = ["1.000.000,00", "900.000,00", "1.200.000,00"]
# Consensus steps per bidder (Charlie is excluded).
CONSENSUS = {0: {"plan-wijk": 3, "plan-samen": 2, "team": 7},
             1: {"plan-wijk": 2, "plan-samen": 2, "team": 8}}


def pdf_text(data):
    if not shutil.which("pdftotext"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"],
                             capture_output=True, timeout=60)
        return out.stdout.decode("utf-8", "replace")


def expected_totals(prices_cents):
    """The weighted factor by hand: node scores in ppm rounded half up,
    quality = 0.6 plan + 0.4 team, price points = lowest / price,
    total = 0.4 price points + 0.6 quality, rounded to a ppm."""
    def step_value(key, step):
        return SCALE[step]["value_bp"] if key != "team" else round((1 + step) * 10000 / 10)
    out = {}
    lowest = min(prices_cents[b] for b in CONSENSUS)
    for b, steps in CONSENSUS.items():
        wijk = step_value("plan-wijk", steps["plan-wijk"]) * 100
        samen = step_value("plan-samen", steps["plan-samen"]) * 100
        plan = int((wijk * 5000 + samen * 5000 + 5000) // 10000)
        team = step_value("team", steps["team"]) * 100
        quality = (6000 * plan + 4000 * team) / 10000
        price_pts = lowest * 1_000_000 / prices_cents[b]
        total = (4000 * price_pts + 6000 * quality) / 10000
        out[b] = (int(quality + 0.5), int(total + 0.5))
    return out


def pct(v):
    """A percentage as an English page writes it: "72" when whole, else "72.50"."""
    s = f"{v:.2f}"
    return s[:-3] if s.endswith(".00") else s


def restart(srv, offset):
    """Stops the server and starts it again on the same database with the
    clock `offset` seconds ahead (test builds only)."""
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(timeout=30)
    env = dict(os.environ, KAVEL_TEST_CLOCK_OFFSET=str(offset))
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


def scan_for(root, needles):
    """Every file under root that holds one of the byte strings."""
    hits = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for n in needles:
                if n in data:
                    hits.append((path, n))
    return hits


class FormFields(HTMLParser):
    """The fields of the form with id `form_id` as a browser would send
    them (text, hidden and e-mail inputs, checked radios and checkboxes,
    textareas, selected options), in order; and every element's id with
    its aria-invalid."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields, self.invalid, self.ids = [], set(), set()
        self.select = self.textarea = None
        self.first_option = None
        self.chose = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
            if a.get("aria-invalid") == "true":
                self.invalid.add(a["id"])
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("text", "hidden", "email") or \
                    (kind in ("radio", "checkbox") and "checked" in a):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select, self.first_option, self.chose = a["name"], None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
                self.chose = True

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.chose and self.first_option is not None:
                self.fields.append((self.select, self.first_option))
            self.select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_of(html, form_id="rules-form"):
    p = FormFields(form_id)
    p.feed(html)
    return p


def set_field(fields, name, value):
    """fields with name's value replaced (added when absent)."""
    out, done = [], False
    for k, v in fields:
        if k == name:
            if not done:
                out.append((k, value))
            done = True
        else:
            out.append((k, v))
    if not done:
        out.append((name, value))
    return out


def drop_field(fields, name):
    return [(k, v) for k, v in fields if k != name]


FORM_SCALE = [("0", "onvoldoende"), ("25", "matig"), ("60", "voldoende"), ("100", "goed")]


def rules_form(csrf, points=False, price="40", rows=None, method="weighted-relative",
               extra=()):
    """The rules form as a browser sends it: rows are (key, level, name,
    weight); every leaf on scale 1."""
    rows = rows if rows is not None else [
        ("plan", 0, "Plan van aanpak", "60"), ("plan-wijk", 1, "Aanpak in de wijk", "50"),
        ("plan-samen", 1, "Samenwerking", "50"), ("team", 0, "Team", "40")]
    f = [("csrf", csrf), ("weighing", "points" if points else "percent"), ("price_weight", price)]
    for i, (key, level, name, weight) in enumerate(rows):
        f += [(f"c{i}-key", key), (f"c{i}-level", str(level)), (f"c{i}-name", name),
              (f"c{i}-weight", weight), (f"c{i}-scale", "1"), (f"c{i}-description", "")]
    for j, (v, m) in enumerate(FORM_SCALE):
        f += [(f"s0-{j}-value", v), (f"s0-{j}-meaning", m)]
    f += [("method", method), ("tie_rule", "lowest-price"), ("tie_criterion", ""),
          ("price_after_quality", "1")]
    f += list(extra)
    return f


def form_tests(t, srv):
    """The award rules built with the page's form (no JSON typed), and
    assessors assigned by ticking: every kind of bad input is refused at
    its field, with everything typed kept, and changes nothing."""
    a = Client(srv)
    a.login("buyer@dordrecht.example")
    a.post("/api/v1/lang", {"lang": "en"})
    r = a.post("/api/v1/procedures", {
        "reference": "DOR-AWARD-FORM", "title": "Gunningsregels met het formulier", "type": "open",
        "cpv": "85310000-5", "value": "2.000.000",
        "lots": [{"title": "Wijkteam", "value": "1.200.000"},
                 {"title": "Jongerenwerk", "value": "800.000"}]})
    t.eq(r.status, 201, "form: a procedure with two lots is created")
    pid, lot, lot2 = r.json["id"], r.json["lots"][0]["id"], r.json["lots"][1]["id"]
    page_url = f"/procedures/{pid}/lots/{lot}/award/rules"
    api_url = f"/api/v1/procedures/{pid}/lots/{lot}/award/rules"

    def rules():
        return a.get(api_url).json["rules"]

    def post(fields):
        return a.request("POST", page_url, form=fields)

    page = a.get(page_url)
    csrf = form_csrf(page.text)
    fields = form_of(page.text)
    t.ok(page.status == 200 and ("c0-name", "") in fields.fields and
         ("method", "weighted-relative") in fields.fields and "Rules (JSON)" not in page.text
         and "basis points" not in page.text and "weight_bp" not in page.text,
         "form: a new lot's rules page has a form with one criterion, no JSON and no basis points",
         page.text[:300])
    # The worked examples come from the scoring code: sample bids at 90 %,
    # 100 % and 120 % of the lot's value (1.080.000, 1.200.000, 1.440.000)
    # with quality 60 %, 80 % and 95 %; a price weight of 40 % until one is given.
    flat = re.sub(r"\s+", " ", page.text)
    t.ok(all(x in flat for x in ("€ 1.080.000,00", "€ 1.200.000,00", "€ 1.440.000,00")),
         "form: the examples bid around the lot's estimated value")
    rel = [0.4 * 100 + 0.6 * 60, 0.4 * 90 + 0.6 * 80, 0.4 * 75 + 0.6 * 95]
    t.ok(all(f"total score {pct(v)} %" in flat for v in rel),
         "form: the relative method's example has the totals of its formula",
         [f"{v:.2f}" for v in rel])
    t.ok("Bids above the budget" in flat and "above the budget" in flat.split("Quality only")[-1],
         "form: the fixed budget's example shows a bid above the budget as invalid")
    t.eq(rules(), None, "form: opening the form saves nothing")

    # The buttons: one row more, a sub-criterion, one fewer; nothing saved.
    f = form_of(page.text).fields
    r = post(set_field(f, "op", "add"))
    g = form_of(r.text)
    t.ok(r.status == 200 and ("c1-level", "0") in g.fields and "f-c1-name" in g.ids,
         "form: 'add a criterion' shows the form with a second main criterion")
    r = post(set_field(set_field(g.fields, "c0-name", "Plan van aanpak"), "op", "sub-0"))
    g = form_of(r.text)
    t.ok(r.status == 200 and ("c1-level", "1") in g.fields and ("c2-level", "0") in g.fields
         and ("c0-name", "Plan van aanpak") in g.fields,
         "form: 'add a sub-criterion' nests a row under the first, keeping what was typed")
    r = post(set_field(g.fields, "op", "del-0"))
    g = form_of(r.text)
    t.ok(r.status == 200 and ("c0-level", "0") in g.fields and "f-c1-name" not in g.ids,
         "form: 'remove' takes a criterion with its sub-criteria away")
    r = post(set_field(rules_form(csrf), "op", "step-add-0"))
    g = form_of(r.text)
    t.ok(r.status == 200 and "f-s0-4-value" in g.ids, "form: 'add a step' adds a step to the scale")
    t.eq(rules(), None, "form: the buttons save nothing")

    # Saved: the same document the API takes.
    r = post(rules_form(csrf))
    t.ok(r.status in (302, 303) and "saved=1" in (r.getheader("Location") or ""),
         "form: the buyer saves rules with two main criteria and a nested pair",
         f"{r.status} {r.text[:300]}")
    got = rules()
    want = {"plan": (None, 6000), "plan-wijk": ("plan", 5000), "plan-samen": ("plan", 5000),
            "team": (None, 4000)}
    t.ok(got and got["method"] == "weighted" and got["price_scoring"] == "relative" and
         got["price_weight_bp"] == 4000 and
         {c["key"]: (c["parent"], c["weight_bp"]) for c in got["criteria"]} == want and
         [s["value_bp"] for s in got["criteria"][1]["scale"]] == [0, 2500, 6000, 10000] and
         got["criteria"][1]["scale"][2]["meaning"] == "voldoende",
         "form: the API reads the rules back as the form built them", json.dumps(got)[:400])
    page = a.get(page_url + "?saved=1")
    t.ok("The award rules are saved" in page.text, "form: saving says so")
    # What the form shows again is what was saved, and sent back unchanged
    # it changes nothing.
    g = form_of(page.text)
    t.ok(("c0-name", "Plan van aanpak") in g.fields and ("c0-weight", "60") in g.fields and
         ("price_weight", "40") in g.fields and ("s0-2-value", "60") in g.fields,
         "form: the saved rules fill the form again, in percent")
    r = post(g.fields)
    t.ok(r.status in (302, 303) and rules() == got, "form: the form sent back unchanged saves the same rules")
    # The API's document in full, through the form: the test's own RULES.
    t.eq(a.post(api_url, RULES).status, 200, "form: the API sets the rules (marks 1 to 10 for the team)")
    api_doc = rules()
    g = form_of(a.get(page_url).text)
    t.ok(("c3-scale", "2") in g.fields and ("s1-9-value", "100") in g.fields,
         "form: rules set through the API show in the form with their two scales")
    r = post(g.fields)
    t.ok(r.status in (302, 303) and rules() == api_doc,
         "form: the API's rules sent back through the form stay exactly the same",
         json.dumps(rules())[:300])

    # Every kind of bad input is refused at its field and changes nothing.
    def refused(fields, ids, name, text_kept=()):
        r = post(fields)
        g = form_of(r.text)
        missing = [i for i in ids if i not in g.invalid and f"err-{i[2:]}" not in g.ids]
        links = [i for i in ids if f'href="#{i}"' not in r.text]
        kept = [x for x in text_kept if x not in g.fields]
        t.ok(r.status == 422 and not missing and not links and not kept and rules() == api_doc,
             f"form: {name}", f"{r.status} missing={missing} links={links} kept={kept}")
        return r

    base = rules_form(csrf)
    refused(set_field(base, "c1-weight", "60"), ["f-c0-sum"],
            "sub-criteria that add up to 110 % are refused at their sum",
            [("c1-weight", "60"), ("c0-name", "Plan van aanpak")])
    refused(set_field(base, "c3-weight", "30"), ["f-sum"], "main criteria that add up to 90 % are refused")
    refused(set_field(base, "c1-name", "  "), ["f-c1-name"], "a criterion without a name is refused")
    refused(set_field(base, "c2-weight", "veel"), ["f-c2-weight"], "a weight that is no number is refused",
            [("c2-weight", "veel")])
    refused(set_field(base, "c2-weight", "33,333"), ["f-c2-weight"], "a weight with three decimals is refused")
    refused(set_field(base, "price_weight", "140"), ["f-price_weight"], "a price weight above 100 % is refused")
    refused(set_field(base, "s0-2-value", "20"), ["f-s0-2-value"], "a scale that does not ascend is refused")
    refused(set_field(base, "s0-3-value", "101"), ["f-s0-3-value"], "a step above 100 % is refused")
    refused(set_field(base, "method", "cheapest"), ["f-method"], "an unknown method is refused")
    refused(set_field(set_field(set_field(base, "method", "weighted-absolute"), "lower", "900.000"),
                      "upper", "800.000"), ["f-upper"], "absolute price bounds the wrong way round are refused")
    refused(set_field(base, "method", "weighted-log") + [("log_k", "1")], ["f-log_k"],
            "a logarithmic factor of 1 is refused")
    refused(set_field(base, "method", "quality-only") + [("budget", "nul")], ["f-budget"],
            "a fixed budget that is no amount is refused")
    refused(set_field(base, "tie_rule", "criterion"), ["f-tie_criterion"],
            "a tie rule on a criterion without the criterion is refused")
    refused(set_field(base, "c0-key", "Plan!"), ["f-c0-name"], "a damaged hidden key is refused")
    refused(set_field(base, "c1-scale", "7"), ["f-c1-scale"], "a scale that is not there is refused")
    bad = set_field(set_field(set_field(set_field(base, "c1-weight", "70"), "c3-name", ""),
                              "s0-1-value", "x"), "price_weight", "-5")
    r = refused(bad, ["f-c0-sum", "f-c3-name", "f-s0-1-value", "f-price_weight"],
                "four mistakes at once: each at its own field", [("c1-weight", "70")])
    t.ok(r.text.count('class="field-error"') >= 4 and r.text.count("<li><a href=\"#f-") >= 4,
         "form: the summary lists every mistake with a link to its field")
    hostile = '<script>alert(1)</script>"\'&'
    r = refused(set_field(set_field(base, "c3-name", hostile), "c3-weight", "x"), ["f-c3-weight"],
                "a hostile name comes back escaped with the refusal", [("c3-name", hostile)])
    t.ok("<script>alert(1)" not in r.text, "form: the hostile name is not HTML on the page")
    many = rules_form(csrf, rows=[(f"k{i}", 0, f"Criterium {i}", "1") for i in range(66)])
    refused(many, ["f-criteria"], "more than 64 criteria are refused")
    r = post(base + [(f"x{i}", "1") for i in range(1100)])
    t.ok(r.status == 413 and "1024" in r.text and "<h1>" in r.text and rules() == api_doc,
         "form: a form with more fields than the server reads is refused whole, nothing saved",
         r.status)

    # Points: a criterion has its sub-criteria's points; the price's share
    # is its part of all the points.
    pts = rules_form(csrf, points=True, price="400", rows=[
        ("plan", 0, "Plan van aanpak", "600"), ("plan-wijk", 1, "Aanpak in de wijk", "300"),
        ("plan-samen", 1, "Samenwerking", "200"), ("team", 0, "Team", "400")])
    refused(pts, ["f-c0-sum"], "points of sub-criteria that do not add up to their criterion's are refused")
    r = post(set_field(pts, "c2-weight", "300"))
    got = rules()
    t.ok(r.status in (302, 303) and got["price_weight_bp"] == 2857 and
         {c["key"]: c["weight_bp"] for c in got["criteria"]} ==
         {"plan": 6000, "plan-wijk": 5000, "plan-samen": 5000, "team": 4000},
         "form: weights in points (price 400 of 1400) become shares: price 28.57 %, plan 60 % of quality",
         json.dumps(got)[:300])
    # The examples follow the form's numbers: a price weight of 30 %.
    r = post(set_field(set_field(rules_form(csrf), "price_weight", "30"), "op", "refresh"))
    flat = re.sub(r"\s+", " ", r.text)
    t.ok(r.status == 200 and f"total score {pct(0.3 * 100 + 0.7 * 60)} %" in flat and
         "30% x price points" in flat,
         "form: the worked example is scored with the form's own price weight")

    # Assessors by ticking, on the award page: one account, two lots.
    t.eq(a.post(f"/api/v1/procedures/{pid}/lots/{lot2}/award/rules", {
        "method": "lowest-price", "tie_rule": "drawing", "price_weight_bp": 10000,
        "criteria": []}).status, 200, "assign: lot 2 is awarded on price alone")
    t.eq(a.post(api_url, RULES).status, 200, "assign: lot 1 has its criteria")
    award = a.get(f"/procedures/{pid}/award")
    acsrf = form_csrf(award.text)
    t.ok(f'name="lot-{lot}" value="*"' in award.text and f'name="lot-{lot}" value="team"' in award.text
         and "Criteria: * for all" not in award.text,
         "assign: the award page has a box per lot and per main criterion")

    def scoring():
        return a.get(f"/api/v1/procedures/{pid}/lots/{lot}/award/scoring").json["assignments"]

    def assign(fields, url=f"/procedures/{pid}/assessors"):
        return a.request("POST", url, form=[("csrf", acsrf)] + fields)

    # The assessor is picked from a list, never typed: the municipality's
    # assessors and its buyers, nobody of Haarlem and no bidder.
    form = re.search(r'<form[^>]*assign-form.*?</form>', award.text, re.S).group(0)
    options = dict((e, i) for i, e in re.findall(r'<option value="(\d+)"[^>]*>[^<]*\(([^)<]+)\)', form))
    t.ok('type="email"' not in form and '<select id="f-assessor" name="assessor"' in form and
         "assessor@dordrecht.example" in options and "buyer2@dordrecht.example" in options and
         not any(e.endswith("haarlem.example") or e.startswith("bidder@") for e in options),
         "assign: the assessor is picked from the municipality's assessors and buyers, no e-mail typed",
         str(options))
    haarlem = Client(srv).login("buyer@haarlem.example").json["account"]["id"]
    bidder = Client(srv).login("bidder@wijkzorg.example").json["account"]["id"]
    pick = options["assessor@dordrecht.example"]
    r = assign([("assessor", "999999"), (f"lot-{lot}", "*")])
    t.ok(r.status == 422 and 'href="#f-assessor"' in r.text and 'id="err-assessor"' in r.text
         and scoring() == [],
         "assign: an unknown account id is refused at its field and assigns nothing")
    r = assign([("assessor", str(haarlem)), (f"lot-{lot}", "*")])
    t.ok(r.status == 422 and 'href="#f-assessor"' in r.text and scoring() == [],
         "assign: another municipality's account is refused at its field")
    r = assign([("assessor", str(bidder)), (f"lot-{lot}", "*")])
    t.ok(r.status == 422 and scoring() == [], "assign: a bidder's account cannot assess")
    r = assign([("assessor", "assessor@dordrecht.example"), (f"lot-{lot}", "*")])
    t.ok(r.status == 422 and 'href="#f-assessor"' in r.text and scoring() == [],
         "assign: a typed e-mail address is no pick")
    r = assign([("assessor", pick), (f"lot-{lot}", "plan-wijk")])
    t.ok(r.status == 422 and f'href="#f-lot-{lot}"' in r.text and scoring() == [] and
         f'<option value="{pick}" selected>' in r.text,
         "assign: a sub-criterion's key is refused at its lot, nothing assigned, the pick kept")
    r = assign([("assessor", pick), (f"lot-{lot}", "plan"),
                (f"lot-{lot}", "team")])
    got = {(x["email"], x["criterion"]) for x in scoring()}
    t.ok(r.status in (302, 303) and got == {("assessor@dordrecht.example", "plan"),
                                            ("assessor@dordrecht.example", "team")},
         "assign: ticking two criteria assigns the assessor to both", f"{r.status} {got}")
    page = a.get(f"/procedures/{pid}/award?assigned=1")
    t.ok("The assignment is saved" in page.text and "Plan van aanpak, Team" in page.text,
         "assign: the award page says it is saved and lists the assessor with the criteria' names")
    r = assign([("assessor", pick), (f"lot-{lot}", "*"),
                (f"lot-{lot2}", "*")])
    l2 = a.get(f"/api/v1/procedures/{pid}/lots/{lot2}/award/scoring").json["assignments"]
    t.ok(r.status in (302, 303) and [x["criterion"] for x in scoring()] == ["*"] and
         [x["criterion"] for x in l2] == ["*"],
         "assign: picked from the list and ticked 'all criteria' on both lots")
    # On the lot's own scoring page: tick nothing to take the assessor off.
    sc = a.get(f"/procedures/{pid}/lots/{lot}/award/scoring")
    t.ok(f'name="lot-{lot}" value="plan"' in sc.text and "assessor@dordrecht.example" in sc.text,
         "assign: the scoring page has the lot's boxes too")
    r = assign([("assessor", pick)],
               url=f"/procedures/{pid}/lots/{lot}/award/assign")
    t.ok(r.status in (302, 303) and scoring() == [], "assign: ticking nothing on the lot takes the assessor off it")


def main():
    t = Tap()
    srv = Server()
    try:
        a = Client(srv)
        b = Client(srv)
        t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer A logs in")
        t.eq(a.post("/api/v1/lang", {"lang": "en"}).status, 200, "buyer A reads English")
        t.eq(b.login("buyer2@dordrecht.example").status, 200, "buyer B logs in")
        t.eq(b.post("/api/v1/lang", {"lang": "en"}).status, 200, "buyer B reads English")
        form_tests(t, srv)
        for c, p in ((a, PASS_A), (b, PASS_B)):
            t.eq(c.post("/api/v1/account/vault-key", {"passphrase": p}).status, 201,
                 "a buyer sets a vault passphrase")

        r = a.post("/api/v1/procedures", {
            "reference": "DOR-AWARD-1", "title": "Gunning-test", "type": "open",
            "cpv": "85310000-5", "value": "3.000.000",
            "lots": [{"title": "Wijkteam", "value": "1.200.000"},
                     {"title": "Jongerenwerk", "value": "800.000"}]})
        t.eq(r.status, 201, "a procedure with one lot is created")
        pid = r.json["id"]
        lot = r.json["lots"][0]["id"]
        lot2 = r.json["lots"][1]["id"]
        base = f"/api/v1/procedures/{pid}"
        lbase = f"{base}/lots/{lot}/award"

        # The rules: refused when wrong, naming the field; then set.
        bad = json.loads(json.dumps(RULES))
        bad["criteria"][2]["weight_bp"] = 4000
        r = a.post(f"{lbase}/rules", bad)
        t.ok(r.status == 422 and "100%" in r.json["error"]["message"],
             "sub-criteria weights that do not add up to 100 % are refused", r.text[:300])
        bad = json.loads(json.dumps(RULES))
        bad["method"] = "cheapest"
        r = a.post(f"{lbase}/rules", bad)
        t.ok(r.status == 422 and r.json["error"]["field"] == "method",
             "an unknown method is refused, naming the field", r.text[:300])
        t.eq(a.get(f"{lbase}/rules").json["rules"], None, "a refused rule set changes nothing")
        t.eq(a.post(f"{lbase}/rules", RULES).status, 200, "the buyer sets the award rules")
        # Lot 2 announces averaging: one criterion on a 0/50/100 % scale,
        # quality only at a budget, prices opened with lot 1's.
        l2base = f"{base}/lots/{lot2}/award"
        RULES2 = {"method": "quality-only", "budget_cents": 80000000, "tie_rule": "drawing",
                  "averaging": True, "price_after_quality": False,
                  "criteria": [{"key": "aanpak", "name": "Aanpak jongerenwerk", "weight_bp": 10000,
                                "scale": [{"value_bp": 0, "meaning": "onvoldoende"},
                                          {"value_bp": 5000, "meaning": "voldoende"},
                                          {"value_bp": 10000, "meaning": "goed"}]}]}
        t.eq(a.post(f"{l2base}/rules", RULES2).status, 200, "lot 2's rules announce averaging")
        got = a.get(f"{lbase}/rules").json
        t.ok(got["rules"]["price_weight_bp"] == 4000 and len(got["rules"]["criteria"]) == 4
             and "40" in got["formula"], "the rules and their formula read back", json.dumps(got)[:300])
        # Regression (issue 9): the rules page, as a buyer, once rules are
        # set, printed them with json_dumps and passed its arena-made text
        # to free(): the whole server aborted.
        for _ in range(3):
            page = a.get(f"/procedures/{pid}/lots/{lot}/award/rules")
            g = form_of(page.text)
            t.ok(page.status == 200 and ("c0-name", "Plan van aanpak") in g.fields
                 and ("c0-weight", "60") in g.fields,
                 "the buyer opens the rules page with the rules in its form",
                 f"{page.status} {page.text[:300]}")
        t.ok(srv.proc.poll() is None and a.get("/api/v1/me").status == 200,
             "the server is alive after the rules page")

        # The tender deadline a few seconds ahead, and the vault.
        spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
        t0 = time.time()
        stages = a.get(base).json["stages"]
        for i, s in enumerate(stages):
            if s["kind"] == "tender-deadline":
                m = a.post(f"{base}/stages/{s['id']}/move",
                           {"start": local_in(t0 + DEADLINE_IN - time.time())})
                t.eq(m.status, 200, "the tender deadline is planned")
                break
            body = {"start": local_in(2 + i)}
            if s["kind"] in spans:
                body["end"] = local_in(3 + i)
            a.post(f"{base}/stages/{s['id']}/move", body)
        t.eq(a.post(f"{base}/vault", {}).status, 201, "the vault is made (bids and prices)")

        # Three bidders, each with a bid and a sealed price.
        bidders, cands = [], []
        for i, name in enumerate(NAMES):
            r = a.post(f"{base}/candidates", {
                "name": name, "consortium": False,
                "parties": [{"org_name": name, "kvk": f"9{i+1}345678", "role": "penvoerder"}]})
            t.eq(r.status, 201, f"candidate {i+1} is registered")
            cands.append(r.json["id"])
            email = f"bieder{i+1}@award.example"
            a.post(f"{base}/candidates/{r.json['id']}/accounts",
                   {"email": email, "name": name, "password": "award-bieder-2026"})
            c = Client(srv)
            t.eq(c.login(email, "award-bieder-2026").status, 200, f"bidder {i+1} logs in")
            c.post("/api/v1/lang", {"lang": "en"})
            bidders.append(c)
            r = c.request("POST", f"{base}/lots/{lot}/submissions",
                          body=b"%PDF-1.4 plan van aanpak " + name.encode(),
                          headers={"Content-Type": "application/octet-stream",
                                   "X-File-Name": "plan.pdf"})
            t.eq(r.status, 201, f"bidder {i+1} submits its bid")
            if i < 2:
                r = c.request("POST", f"{base}/lots/{lot2}/submissions",
                              body=b"%PDF-1.4 jongerenwerk " + name.encode(),
                              headers={"Content-Type": "application/octet-stream",
                                       "X-File-Name": "jongeren.pdf"})
                t.eq(r.status, 201, f"bidder {i+1} bids on lot 2 too")
            r = c.post(f"{base}/lots/{lot}/price", {"price": PRICES[i]})
            t.ok(r.status == 201 and r.json["envelope"] == "price" and len(r.json["receipt"]) == 64,
                 f"bidder {i+1} seals its price and gets a receipt", r.text[:300])
        r = bidders[0].post(f"{base}/lots/{lot}/price", {"price": "nonsense"})
        t.ok(r.status == 422 and r.json["error"]["field"] == "price", "a price that is no amount is refused")
        r = bidders[0].post(f"{base}/lots/{lot}/price", {"price": "950.000,00"})
        t.eq(r.status, 201, "bidder 1 replaces its price before the deadline")
        t.eq(a.post(f"{base}/lots/{lot}/price", {"price": "1,00"}).status, 403,
             "a buyer cannot put a price in")
        # No sealed price is anywhere in plaintext.
        needles = [b'"price_cents":95000000', b'"price_cents":90000000', b'"price_cents":120000000',
                   b'"price_cents":100000000']
        hits = scan_for(srv.dir, needles)
        t.ok(not hits, "no price is in plaintext in the data directory or the database", str(hits[:3]))
        # The buyers see every submission's SHA-256 before the opening: a
        # price must not be found by hashing guesses of its document.
        listed = {x["sha256"] for x in a.get(f"{base}/vault").json["submissions"]}
        guesses = {hashlib.sha256(
            f'{{"procedure":{pid},"lot":1,"candidate":{cands[i]},"price_cents":{c}}}'.encode()
        ).hexdigest() for i in range(3) for c in (95000000, 90000000, 100000000, 120000000)}
        t.ok(not (listed & guesses), "a price's SHA-256 cannot be matched by guessing it")
        r = a.post(f"{lbase}/rules", RULES)
        t.eq(r.status, 200, "the rules can still change before the deadline")

        # Assessors: the demo assessor joins the procedure; buyer B scores too.
        r = a.post(f"{base}/assessors", {"email": "assessor@dordrecht.example"})
        t.eq(r.status, 201, "the buyer makes the demo assessor an assessor of the procedure")
        r = a.post(f"{base}/assessors", {"email": "bieder1@award.example"})
        t.eq(r.status, 422, "a bidder cannot become an assessor")
        t.eq(a.post(f"{lbase}/assign", {"assessor": "assessor@dordrecht.example",
                                        "criteria": ["*"]}).status, 200,
             "the assessor is assigned to every criterion")
        t.eq(a.post(f"{lbase}/assign", {"assessor": "buyer2@dordrecht.example",
                                        "criteria": ["plan"]}).status, 200,
             "buyer B is assigned to the plan only")
        for who in ("assessor@dordrecht.example", "buyer2@dordrecht.example"):
            t.eq(a.post(f"{l2base}/assign", {"assessor": who, "criteria": ["*"]}).status, 200,
                 f"{who} is assigned to lot 2")
        r = a.post(f"{lbase}/assign", {"assessor": "buyer2@dordrecht.example",
                                       "criteria": ["plan-wijk"]})
        t.eq(r.status, 422, "an assignment names top-level criteria only")
        assessor = Client(srv)
        t.eq(assessor.login("assessor@dordrecht.example").status, 200, "the assessor logs in")
        assessor.post("/api/v1/lang", {"lang": "en"})

        r = assessor.post(f"{lbase}/scores", {"candidate": cands[0], "criterion": "team",
                                              "step": 5, "motivation": "Vroeg."})
        t.eq(r.status, 409, "no score before the vault's opening")

        # The deadline passes: late prices and changed rules are refused.
        wait = t0 + DEADLINE_IN + 1.5 - time.time()
        if wait > 0:
            time.sleep(wait)
        r = bidders[1].post(f"{base}/lots/{lot}/price", {"price": "800.000,00"})
        t.eq(r.status, 409, "a price after the deadline is refused")
        r = a.post(f"{lbase}/rules", RULES)
        t.ok(r.status == 409 and "deadline" in r.json["error"]["message"],
             "the rules cannot change after the tender deadline", r.text[:200])
        r = a.post(f"{base}/vault/open", {"email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                                          "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.ok(r.status == 200 and all(s["verified"] for s in r.json["submissions"]
                                     if s.get("envelope", "quality") == "quality" and not s.get("withdrawn_at")),
             "two buyers open the bids", r.text[:300])
        r = a.post(f"{base}/price-vault/open", {"email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                                                "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.ok(r.status == 409 and "final" in r.json["error"]["message"],
             "the prices stay sealed until the quality scores are final", r.text[:300])
        rec = a.get(f"{base}/vault/record").json
        sealed = [x for x in rec["submissions"] if x["envelope"] == "price" and not x["withdrawn_at"]]
        t.ok(rec["prices"] is None and len(sealed) == 3 and all(x["verified"] is None for x in sealed),
             "the opening record shows the price envelopes still sealed")

        # Blind individual scoring.
        def score(c, cand, key, step, motivation="Zie de beoordeling."):
            return c.post(f"{lbase}/scores", {"candidate": cand, "criterion": key,
                                              "step": step, "motivation": motivation})
        t.eq(score(assessor, cands[0], "team", 5, "").status, 422, "a score without motivation is refused")
        t.eq(score(assessor, cands[0], "team", 10).status, 422, "a step off the scale is refused")
        t.eq(score(assessor, cands[0], "plan", 1).status, 422, "a criterion with sub-criteria is not scored itself")
        t.eq(score(b, cands[0], "team", 5).status, 409, "buyer B may not score the team criterion")
        t.eq(score(bidders[0], cands[0], "team", 5).status, 403, "a bidder cannot score")
        ind_steps = {"assessor": {0: {"plan-wijk": 3, "plan-samen": 1, "team": 7},
                                  1: {"plan-wijk": 2, "plan-samen": 2, "team": 8},
                                  2: {"plan-wijk": 1, "plan-samen": 1, "team": 3}},
                     "b": {0: {"plan-wijk": 3, "plan-samen": 2},
                           1: {"plan-wijk": 1, "plan-samen": 2},
                           2: {"plan-wijk": 1, "plan-samen": 0}}}
        ok = True
        for who, c in (("assessor", assessor), ("b", b)):
            for bi, steps in ind_steps[who].items():
                for key, st in steps.items():
                    ok &= score(c, cands[bi], key, st, f"{who} over {NAMES[bi]}: {key}").status == 200
        t.ok(ok, "both assessors score every bid on their criteria")
        v = assessor.get(f"{lbase}/scoring").json
        t.ok(v["individual_scores"] is None and all(s["account"] == v["own_scores"][0]["account"]
                                                    for s in v["own_scores"]),
             "an assessor sees only its own scores before everyone handed in")
        t.ok(all("price_cents" not in x for x in v["bids"]), "an assessor sees no price")
        t.eq(bidders[0].get(f"{lbase}/scoring").status, 403, "a bidder cannot see the scoring")
        r = a.post(f"{lbase}/consensus", {"candidate": cands[0], "criterion": "team", "step": 7,
                                          "motivation": "Te vroeg."})
        t.eq(r.status, 409, "no consensus before every assessor handed in")
        t.eq(assessor.post(f"{lbase}/hand-in", {}).status, 200, "the assessor hands in")
        t.eq(score(assessor, cands[0], "team", 2).status, 409, "a handed-in score cannot change")
        v = assessor.get(f"{lbase}/scoring").json
        t.eq(v["individual_scores"], None, "still blind while buyer B has not handed in")
        t.eq(b.post(f"{lbase}/hand-in", {}).status, 200, "buyer B hands in")

        # Lot 2: averaging where it was announced.  The assessor gives
        # Alfa 100 % and Bravo 50 %, buyer B 50 % and 0 %: means 75 % and
        # 25 %, both half way, so they round up to 100 % and 50 %.
        steps2 = {"assessor": (2, 1), "b": (1, 0)}
        ok = True
        for who, c in (("assessor", assessor), ("b", b)):
            for bi in (0, 1):
                ok &= c.post(f"{l2base}/scores", {
                    "candidate": cands[bi], "criterion": "aanpak", "step": steps2[who][bi],
                    "motivation": f"{who}: aanpak van {NAMES[bi]}"}).status == 200
            ok &= c.post(f"{l2base}/hand-in", {}).status == 200
        t.ok(ok, "both assessors score lot 2 and hand in")
        t.eq(assessor.post(f"{l2base}/average", {}).status, 403, "an assessor cannot average")
        t.eq(a.post(f"{l2base}/average", {}).status, 200,
             "the buyer fills lot 2's consensus with the announced average")
        cons2 = {x["candidate"]: x for x in a.get(f"{l2base}/scoring").json["consensus"]}
        t.ok(cons2[cands[0]]["step"] == 2 and cons2[cands[1]]["step"] == 1,
             "half way rounds up: 75 % to 100 %, 25 % to 50 %",
             str({k: v["step"] for k, v in cons2.items()}))
        t.ok("average of 2 assessors" in cons2[cands[0]]["motivation"] and
             "100 %" in cons2[cands[0]]["motivation"],
             "the consensus motivation names the average and the step", cons2[cands[0]]["motivation"])
        t.eq(a.post(f"{l2base}/final", {}).status, 200, "lot 2's quality is final")
        v = assessor.get(f"{lbase}/scoring").json
        t.ok(v["individual_scores"] is not None and
             any(s["by"] != "" and s["account"] != v["own_scores"][0]["account"] for s in v["individual_scores"]),
             "once all handed in, the consensus session sees every individual score")

        # Exclusion, consensus, final quality.
        r = a.post(f"{lbase}/exclusions", {"candidate": cands[2], "reason": ""})
        t.ok(r.status in (404, 409, 422), "taking back an exclusion that is not there is refused", r.text[:200])
        r = a.post(f"{lbase}/exclusions", {"candidate": cands[2],
                                           "reason": "De verklaring van de penvoerder ontbreekt (eis 3.2)."})
        t.eq(r.status, 200, "the buyer excludes Charlie's bid with its reason")
        t.eq(a.post(f"{lbase}/final", {}).status, 409, "quality cannot be final without every consensus")
        ok = True
        for bi, steps in CONSENSUS.items():
            for key, st in steps.items():
                ok &= a.post(f"{lbase}/consensus", {
                    "candidate": cands[bi], "criterion": key, "step": st,
                    "motivation": f"Consensus over {NAMES[bi]} op {key}: sterk onderbouwd."}).status == 200
        t.ok(ok, "the buyer records every consensus score")
        t.eq(assessor.post(f"{lbase}/consensus", {"candidate": cands[0], "criterion": "team", "step": 1,
                                                  "motivation": "x"}).status, 403,
             "an assessor cannot record the consensus")
        t.eq(a.post(f"{lbase}/average", {}).status, 409, "averaging is refused where it was not announced")
        t.eq(a.get(f"{lbase}/ranking").status, 409, "no ranking before the quality is final")
        t.eq(a.post(f"{lbase}/final", {}).status, 200, "the quality scores become final")
        t.eq(a.post(f"{lbase}/consensus", {"candidate": cands[0], "criterion": "team", "step": 1,
                                           "motivation": "Later."}).status, 409,
             "a final consensus cannot change")
        t.eq(a.get(f"{lbase}/ranking").status, 409, "no ranking before the prices are opened")

        # The prices.
        r = a.post(f"{base}/price-vault/open", {"email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                                                "email_b": "buyer@dordrecht.example", "passphrase_b": PASS_A})
        t.eq(r.status, 409, "one buyer alone cannot open the prices")
        r = a.post(f"{base}/price-vault/open", {"email_a": "buyer@dordrecht.example", "passphrase_a": PASS_A,
                                                "email_b": "buyer2@dordrecht.example", "passphrase_b": PASS_B})
        t.ok(r.status == 200 and len(r.json["prices"]) == 3 and all(p["verified"] for p in r.json["prices"]),
             "two buyers open the prices; every price checks against its receipt", r.text[:300])
        rec = a.get(f"{base}/vault/record").json
        opened = [x for x in rec["submissions"] if x["envelope"] == "price" and not x["withdrawn_at"]]
        t.ok(rec["prices"] and len(rec["prices"]["opened_by"]) == 2 and
             all(x["verified"] is True for x in opened),
             "the opening record names the price opening, its two buyers and every price's check")
        pdf = a.get(f"{base}/vault/record/pdf")
        text = pdf_text(pdf.body) if pdf.status == 200 else ""
        t.ok(pdf.status == 200 and (text is None or "price" in text.lower() or "prijs" in text.lower()),
             "the opening record PDF includes the price envelopes")
        v = a.get(f"{lbase}/scoring").json
        prices = {x["candidate"]: x.get("price_cents") for x in v["bids"]}
        t.eq(prices, {cands[0]: 95000000, cands[1]: 90000000, cands[2]: 120000000},
             "the opened prices are the last ones sealed")

        # The ranking against the formula by hand.
        rk = a.get(f"{lbase}/ranking").json
        exp = expected_totals({0: 95000000, 1: 90000000})
        by = {x["candidate"]: x for x in rk["bids"]}
        t.ok(all(abs(by[cands[i]]["total_ppm"] - exp[i][1]) <= 1 and
                 abs(by[cands[i]]["quality_ppm"] - exp[i][0]) <= 1 for i in (0, 1)),
             "quality and total follow the announced formula",
             f"got {[(by[cands[i]]['quality_ppm'], by[cands[i]]['total_ppm']) for i in (0, 1)]} want {exp}")
        winner = 0 if exp[0][1] > exp[1][1] else 1
        t.eq(rk["winner"], cands[winner], "the highest total wins")
        t.ok(not by[cands[2]]["valid"] and "3.2" in by[cands[2]].get("invalid_reason", ""),
             "the excluded bid is invalid with its reason")
        t.ok(len(rk["sensitivity"]) >= 2 and "monte_carlo" in rk and
             0 <= rk["monte_carlo"]["probability"] <= 1 and rk["monte_carlo"]["scenarios"] == 100000,
             "the ranking comes with its robustness", json.dumps(rk)[:300])
        council = Client(srv)
        council.login("council@dordrecht.example")
        t.eq(council.get(f"{lbase}/ranking").status, 403, "a council member of another procedure's grant cannot see it") \
            if council.get(f"{base}").status != 200 else \
            t.eq(council.get(f"{lbase}/ranking").status, 200, "a council member reads the ranking")
        t.eq(bidders[0].get(f"{lbase}/ranking").status, 403, "a bidder cannot read the ranking")

        # The decision.
        r = a.post(f"{lbase}/decision", {"objection": "Kort geding binnen de termijn."})
        t.ok(r.status == 422 and r.json["error"]["field"] == "winner_summary",
             "a decision without the winning bid's characteristics is refused")
        summary = "Het winnende plan verbindt de wijkteams met de huisartsen in elke wijk."
        objection = "Een inschrijver kan tot het einde van de opschortende termijn een kort geding aanhangig maken."
        r = a.post(f"{lbase}/decision", {"winner_summary": summary, "objection": objection})
        t.eq(r.status, 201, "the buyer sends the provisional award decision")
        dec = r.json
        sent_local = dec["sent_at"]["local"][:10]
        cal = a.get(f"/api/v1/calendar?year={sent_local[:4]}&sent={sent_local}").json
        t.eq(dec["standstill_end"]["utc"], cal["standstill"]["end"]["utc"],
             "the standstill ends where the legal calendar says (20 days from the day after sending)")
        r = a.post(f"{lbase}/decision", {"winner_summary": summary, "objection": objection})
        t.ok(r.status == 422 and r.json["error"]["field"] == "corrected_reason",
             "a second decision must say why it corrects the first")

        # Letters: each bidder reads its own only.
        wname, lname = NAMES[winner], NAMES[1 - winner]
        lw = bidders[winner].get(f"{lbase}/letter").json
        ll = bidders[1 - winner].get(f"{lbase}/letter?candidate={cands[winner]}").json
        lc = bidders[2].get(f"{lbase}/letter").json
        t.ok(lw["winner_is_you"] and lw["name"] == wname, "the winner's letter says it is the intended winner")
        t.ok(ll["name"] == lname and ll["winner"] == wname and not ll["winner_is_you"],
             "a losing bidder gets its own letter, whatever it asks for")
        t.ok(all(c["own"]["motivation"] and c["winner"]["motivation"] for c in ll["criteria"]
                 if c["key"] in LEAVES),
             "the letter carries its own and the winner's scores with motivations")
        t.eq(ll["standstill_end"]["utc"], dec["standstill_end"]["utc"], "and the end of the standstill")
        t.ok(NAMES[2] not in json.dumps(ll), "a losing bidder's letter never names another loser")
        t.ok(not lc["valid"] and "3.2" in lc["invalid_reason"], "the excluded bidder's letter gives the reason")
        pdf = bidders[1 - winner].get(f"{lbase}/letter/pdf")
        t.ok(pdf.status == 200 and pdf.body.startswith(b"%PDF"), "the letter as a PDF")
        text = pdf_text(pdf.body)
        if text is not None:
            flat = re.sub(r"\s+", " ", text)
            t.ok(wname in flat and lname in flat and NAMES[2] not in flat and "1.200.000" not in flat,
                 "the PDF letter names the addressee and the winner, never the other loser", flat[:400])
            t.ok("Consensus over " + wname in flat or "Consensus over" in flat,
                 "the PDF letter carries the motivations")
        else:
            t.ok(True, "pdftotext not installed: PDF text not checked # SKIP")
            t.ok(True, "pdftotext not installed: PDF text not checked # SKIP")
        f = a.get(f"{lbase}/file/pdf")
        t.ok(f.status == 200 and f.body.startswith(b"%PDF"), "the buyer gets the award file")
        t.eq(bidders[0].get(f"{lbase}/file/pdf").status, 403, "a bidder cannot get the award file")
        x = a.get(f"{lbase}/xlsx")
        names = zipfile.ZipFile(io.BytesIO(x.body)).namelist() if x.status == 200 else []
        t.ok(x.status == 200 and "xl/workbook.xml" in names, "the scoring matrix as XLSX")
        wb = zipfile.ZipFile(io.BytesIO(x.body)).read("xl/workbook.xml").decode() if names else ""
        t.ok(all(s in wb for s in ("Consensus", "Individual", "Ranking")) or
             all(s in wb for s in ("Consensus", "Individueel", "Rangorde")),
             "with the consensus, individual and ranking sheets", wb[:300])
        t.eq(bidders[0].get(f"{lbase}/xlsx").status, 403, "a bidder cannot get the matrix")

        # Objections and the definitive award.
        today = time.strftime("%Y-%m-%d", time.localtime())
        r = a.post(f"{lbase}/objections", {"candidate": cands[1 - winner], "kind": "summary-proceedings",
                                           "filed_on": today, "summary": "De score op Team is onjuist."})
        t.eq(r.status, 201, "the buyer registers the loser's summary proceedings")
        obj1 = r.json["id"]
        r = a.post(f"{lbase}/objections", {"candidate": cands[0], "kind": "objection",
                                           "filed_on": "2099-01-01", "summary": "Te vroeg."})
        t.eq(r.status, 422, "an objection filed in the future is refused")
        r = a.post(f"{lbase}/definitive", {})
        t.ok(r.status == 409 and "standstill" in r.json["error"]["message"],
             "no definitive award during the standstill", r.text[:200])
        r = a.post(f"{lbase}/decision", {"winner_summary": summary, "objection": objection,
                                         "corrected_reason": "De motivering op Team is aangevuld."})
        t.ok(r.status == 201 and r.json["number"] == 2, "a corrected decision is sent as number 2")
        dec2 = r.json
        t.ok(dec2["standstill_end"]["utc"] >= dec["standstill_end"]["utc"],
             "the corrected decision restarts the standstill")
        ol = a.get(f"{lbase}/objections").json
        t.eq([d["status"] for d in ol["decisions"]], ["superseded", "provisional"],
             "the first decision is superseded")
        lw2 = bidders[winner].get(f"{lbase}/letter").json
        t.ok(lw2["number"] == 2 and "aangevuld" in lw2["corrected_reason"],
             "the new letter says what it corrects")
        r = a.post(f"{lbase}/objections", {"candidate": cands[1 - winner], "kind": "objection",
                                           "filed_on": today, "summary": "Nog steeds onjuist."})
        t.eq(r.status, 201, "an objection against the corrected decision")
        obj2 = r.json["id"]

        # Past the standstill (the test build's clock runs 25 days ahead).
        t.ok(restart(srv, 25 * 86400), "the server restarts with its clock 25 days ahead")
        a = Client(srv)
        a.login("buyer@dordrecht.example")
        a.post("/api/v1/lang", {"lang": "en"})
        r = a.post(f"{lbase}/definitive", {})
        t.ok(r.status == 409 and "objection" in r.json["error"]["message"],
             "an open objection blocks the definitive award", r.text[:200])
        r = a.post(f"{lbase}/objections/close", {"objection": obj2, "closed_on": "2099-01-01",
                                                 "outcome": "Ingetrokken."})
        t.eq(r.status, 422, "an objection is not settled in the future")
        r = a.post(f"{lbase}/objections/close", {"objection": obj2,
                                                 "closed_on": time.strftime("%Y-%m-%d", time.localtime(time.time() + 20 * 86400)),
                                                 "outcome": "Ingetrokken na toelichting."})
        t.eq(r.status, 200, "the objection is settled")
        t.eq(a.post(f"{lbase}/objections/close", {"objection": obj2, "closed_on": today,
                                                  "outcome": "x"}).status, 409,
             "a settled objection is not settled twice")
        r = a.post(f"{lbase}/definitive", {})
        t.eq(r.status, 200, "the award becomes definitive after the standstill")
        ol = a.get(f"{lbase}/objections").json
        t.eq(ol["decisions"][-1]["status"], "definitive", "the decision is definitive")
        t.ok(any(o["id"] == obj1 for o in ol["objections"]), "the first objection stays on record")
        r = a.post(f"{lbase}/decision", {"winner_summary": summary, "objection": objection,
                                         "corrected_reason": "Nog een keer."})
        t.eq(r.status, 409, "no new decision after the definitive award")
        audit = a.get(f"{base}/audit").json
        actions = {e["action"] for e in audit.get("events", [])}
        t.ok({"award.rules", "award.score", "award.hand-in", "award.consensus", "award.quality-final",
              "price.open", "award.decision", "award.objection", "award.definitive"} <= actions,
             "every step is in the audit trail", str(sorted(actions))[:400])
        t.ok(not any(e["action"] == "award.score" and "motivation" in json.dumps(e.get("after"))
                     for e in audit.get("events", [])),
             "the audit trail keeps individual scores sealed (a digest) while scoring goes on")
    finally:
        code = srv.stop()
        t.eq(code, 0, "server stops cleanly on SIGTERM")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
