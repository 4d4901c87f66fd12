"""Shared helpers for Kavel's end-to-end API tests.

Each test script starts its own `kavel serve` on a free loopback port with a
fresh demo database, talks HTTP to it with the standard library only, and
prints TAP.  Environment: KAVEL_BIN = path to the kavel binary.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

DEMO_PASSWORD = "kavel-demo-2022"


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, detail=""):
        self.n += 1
        if cond:
            print(f"ok {self.n} - {name}")
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            if detail:
                for line in str(detail).splitlines()[:20]:
                    print(f"#   {line}")
        sys.stdout.flush()
        return cond

    def eq(self, got, want, name):
        return self.ok(got == want, name, f"got {got!r}, want {want!r}")

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A kavel server on a demo database in a temporary directory."""

    def __init__(self, demo=True, args=()):
        self.bin = os.environ.get("KAVEL_BIN", "build/kavel")
        self.dir = tempfile.mkdtemp(prefix="kavel-test-")
        self.db = os.path.join(self.dir, "kavel.db")
        if demo:
            out = subprocess.run([self.bin, "demo", "--db", self.db, "--reset"],
                                 capture_output=True, text=True, timeout=120)
            if out.returncode != 0:
                raise RuntimeError("kavel demo failed: " + out.stderr + out.stdout)
            self.demo_output = out.stdout
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.proc = subprocess.Popen(
            [self.bin, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}", *args],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_up()

    def wait_up(self):
        """Until /healthz answers 200 (30 s at most, or the process ends)."""
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited; log: " + self.logtext())
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start; log: " + self.logtext())

    def logtext(self):
        self.log.flush()
        with open(os.path.join(self.dir, "server.log")) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.final_log = self.logtext()
        self.log.close()
        code = self.proc.returncode
        shutil.rmtree(self.dir, ignore_errors=True)
        return code

    def kavel(self, *args):
        return subprocess.run([self.bin, *args], capture_output=True, text=True, timeout=300)


class Client:
    """One browser-like client: a cookie jar and the CSRF token."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, body=None, headers=None, form=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else (
                body.encode() if isinstance(body, str) else body)
            h.setdefault("Content-Type", "application/json")
        if self.csrf and method != "GET" and "X-CSRF-Token" not in h and form is None:
            h["X-CSRF-Token"] = self.csrf
        c = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                val = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = val
        r.body = raw
        r.text = raw.decode("utf-8", "replace")
        try:
            r.json = json.loads(raw) if raw and r.getheader("Content-Type", "").startswith("application/json") else None
        except ValueError:
            r.json = None
        c.close()
        return r

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body=None):
        return self.request("POST", path, body=body if body is not None else {})

    def login(self, email, password=DEMO_PASSWORD):
        r = self.request("POST", "/api/v1/login", body={"email": email, "password": password})
        if r.status == 200 and r.json:
            self.csrf = r.json["csrf"]
        return r

    def html_login(self, email, password=DEMO_PASSWORD):
        """Logs in through the HTML form, as a browser would."""
        page = self.get("/login")
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
        token = m.group(1) if m else ""
        r = self.request("POST", "/login", form={"csrf": token, "email": email, "password": password})
        me = self.get("/api/v1/me")
        return r, me


def form_csrf(html):
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    return m.group(1) if m else ""


def local(dt_struct_time):
    return time.strftime("%Y-%m-%dT%H:%M:%S", dt_struct_time)


def local_in(seconds):
    """Europe/Amsterdam local time `seconds` from now, as the API takes it."""
    os.environ["TZ"] = "Europe/Amsterdam"
    time.tzset()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() + seconds))


def multipart(fields, boundary="----kavelTestBoundary7MA4YWxkTrZu0gW"):
    """A multipart/form-data body by hand: fields is a list of (name,
    value) or (name, filename, bytes), in order."""
    out = b""
    for f in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        if len(f) == 2:
            out += f'Content-Disposition: form-data; name="{f[0]}"\r\n\r\n'.encode()
            out += f[1].encode() + b"\r\n"
        else:
            out += (f'Content-Disposition: form-data; name="{f[0]}"; filename="{f[1]}"\r\n'
                    "Content-Type: application/octet-stream\r\n\r\n").encode()
            out += f[2] + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


def tender_with_vault(t, srv, reference, bidders, deadline_in=600, passes=None):
    """A procedure of two lots whose tender deadline is deadline_in seconds
    ahead, with a vault of the demo's two Dordrecht buyers (their vault
    passphrases set first) and `bidders` candidates, each with a bidder
    account.  Returns (buyer A's client, procedure id, lot ids, [(e-mail,
    password)] of the bidders); each step is a check of t."""
    pa, pb = passes or ("quota vault passphrase A-123", "quota vault passphrase B-456")
    a, b = Client(srv), Client(srv)
    t.eq(a.login("buyer@dordrecht.example").status, 200, "buyer A logs in")
    t.eq(b.login("buyer2@dordrecht.example").status, 200, "buyer B logs in")
    t.eq(a.post("/api/v1/account/vault-key", {"passphrase": pa}).status, 201,
         "buyer A sets a vault passphrase")
    t.eq(b.post("/api/v1/account/vault-key", {"passphrase": pb}).status, 201,
         "buyer B sets a vault passphrase")
    r = a.post("/api/v1/procedures", {
        "reference": reference, "title": "Kluis met grenzen", "type": "open",
        "cpv": "85310000-5", "value": "200.000",
        "lots": [{"title": "Wijkteam Noord", "value": "100.000"},
                 {"title": "Wijkteam Zuid", "value": "100.000"}]})
    t.eq(r.status, 201, "a procedure with two lots is created")
    pid = r.json["id"]
    lots = [x["id"] for x in r.json["lots"]]
    spans = {"registration", "selection", "dialogue-round", "evaluation", "standstill"}
    planned, m = True, r
    for i, s in enumerate(r.json["stages"]):
        if s["kind"] == "tender-deadline":
            m = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move",
                       {"start": local_in(deadline_in)})
            planned = planned and m.status == 200
            break
        body = {"start": local_in(2 + i)}
        if s["kind"] in spans:
            body["end"] = local_in(3 + i)
        m = a.post(f"/api/v1/procedures/{pid}/stages/{s['id']}/move", body)
        planned = planned and m.status == 200
    t.ok(planned, f"the tender deadline is planned {deadline_in} s ahead", m.text[:300])
    r = a.post(f"/api/v1/procedures/{pid}/vault", {})
    t.ok(r.status == 201 and len(r.json["buyers_with_keys"]) == 2, "the vault is made",
         r.text[:300])
    accounts = []
    for k in range(bidders):
        name = f"Bieder {reference} {k} (test)"
        r = a.post(f"/api/v1/procedures/{pid}/candidates", {
            "name": name, "consortium": False,
            "parties": [{"org_name": name, "kvk": f"9{k + 1}345678", "role": "penvoerder"}]})
        ok = r.status == 201
        if ok:
            email, pw = f"bieder{k}@{reference.lower()}.example", f"bieder-{k}-wachtwoord-2024"
            r = a.post(f"/api/v1/procedures/{pid}/candidates/{r.json['id']}/accounts", {
                "email": email, "name": f"Bieder {k}", "password": pw})
            ok = r.status == 201
            accounts.append((email, pw))
        t.ok(ok, f"candidate {k} is registered with a bidder account", r.text[:300])
    return a, pid, lots, accounts
