#!/usr/bin/env python3
"""Invitations by e-mail (issue 11 item 1): with `serve --smtp-url` an
administrator's invitation is mailed through libcurl's SMTP to a local
SMTP server this test runs (a few lines below), with the one-time link in
full (--base-url), a UTF-8 subject and the inviter's name; the link is no
longer in the server log, and it works.  When the mail server does not
answer, the page and the API say the e-mail was not sent and why, the link
is shown to send by hand, and the log carries it as without mail.  A
misconfigured --smtp-url refuses to start.
"""
import email
import email.header
import os
import re
import socket
import socketserver
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Client, Server, Tap, free_port  # noqa: E402

PW = "mail-test-wachtwoord-2026"


class SMTPSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server (RFC 5321's few commands a client needs):
    every message it is given is kept as (from, [to], bytes)."""
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port):
        self.messages = []
        super().__init__(("127.0.0.1", port), SMTPHandler)


class SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        w = self.wfile.write
        w(b"220 sink ESMTP\r\n")
        mailfrom, rcpt = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("ascii", "replace").strip()
            up = cmd.upper()
            if up.startswith(("EHLO", "HELO")):
                w(b"250 sink\r\n")
            elif up.startswith("MAIL FROM:"):
                mailfrom = cmd[10:].strip().strip("<>").split(">")[0]
                w(b"250 ok\r\n")
            elif up.startswith("RCPT TO:"):
                rcpt.append(cmd[8:].strip().strip("<>"))
                w(b"250 ok\r\n")
            elif up == "DATA":
                w(b"354 go on\r\n")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if not l or l == b".\r\n":
                        break
                    data += l[1:] if l.startswith(b"..") else l
                self.server.messages.append((mailfrom, rcpt, data))
                w(b"250 queued\r\n")
            elif up == "QUIT":
                w(b"221 bye\r\n")
                return
            else:
                w(b"250 ok\r\n")


def register(srv, t, org, kvk, mail):
    """An organisation account through a public registration."""
    a = Client(srv)
    tenders = a.get("/api/v1/tenders").json["tenders"]
    pid = [x for x in tenders if x.get("registration_open")][0]["id"]
    r = a.post(f"/api/v1/tenders/{pid}/register", {
        "org_name": org, "kvk": kvk, "name": "Beheerder " + org, "email": mail,
        "password": PW})
    t.eq(r.status, 201, f"{org} registers for a demo tender")
    t.eq(a.login(mail, PW).status, 200, "and logs in")
    return a


def main():
    t = Tap()
    smtp_port = free_port()
    coll = SMTPSink(smtp_port)
    threading.Thread(target=coll.serve_forever, daemon=True).start()
    base = "https://kavel.gemeente.example/"
    srv = Server(args=("--smtp-url", f"smtp://127.0.0.1:{smtp_port}",
                       "--smtp-from", "kavel@gemeente.example", "--base-url", base))
    try:
        a = register(srv, t, "Mailzorg (test)", "84567890", "beheer@mailzorg.example")
        r = a.post("/api/v1/organisation/invitations", {"email": "collega@mailzorg.example"})
        t.ok(r.status == 201 and r.json["mailed"] is True and r.json["mail_error"] is None,
             "the invitation is made and mailed", r.text[:300])
        link = r.json["link"]
        t.eq(len(coll.messages), 1, "the SMTP server received one message")
        mailfrom, rcpt, data = coll.messages[0] if coll.messages else ("", [], b"")
        msg = email.message_from_bytes(data)
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"] or "")))
        body = msg.get_payload(decode=True).decode("utf-8") if msg else ""
        t.ok(mailfrom == "kavel@gemeente.example" and rcpt == ["collega@mailzorg.example"],
             "from the configured address to the colleague", f"{mailfrom} {rcpt}")
        t.ok(subject == "Uw uitnodiging voor Kavel" or subject == "Your invitation to Kavel",
             "with a subject that reads well", subject)
        full = "https://kavel.gemeente.example" + link
        t.ok(full in body and "Beheerder Mailzorg (test)" in body,
             "the body holds the whole one-time link and who invites", body[:400])
        t.ok(link.split("token=")[1] not in srv.logtext() and
             "invitation for collega@mailzorg.example mailed" in srv.logtext(),
             "the server log says it was mailed, without the token")
        anon = Client(srv)
        r = anon.post("/api/v1/invitation", {"token": link.split("token=")[1],
                                             "name": "Collega", "password": PW})
        t.eq(r.status, 201, "the mailed link makes the colleague's account")
        page = a.get("/organisation")
        t.ok(page.status == 200, "the organisation page still answers")

        # The mail server goes away: the invitation is made, not mailed.
        coll.shutdown()
        coll.server_close()
        r = a.post("/api/v1/organisation/invitations", {"email": "tweede@mailzorg.example"})
        t.ok(r.status == 201 and r.json["mailed"] is False and r.json["mail_error"],
             "without an answering mail server the invitation says it was not mailed, and why",
             r.text[:300])
        token2 = r.json["link"].split("token=")[1] if r.status == 201 else "x"
        t.ok(token2 in srv.logtext() and "not mailed" in srv.logtext(),
             "and the log carries the link to send by hand")
        page = a.request("POST", "/organisation/invitations",
                         form={"csrf": a.csrf, "email": "derde@mailzorg.example"})
        text = re.sub(r"\s+", " ", page.text)
        t.ok(page.status == 200 and "kon niet worden verzonden" in text and "/invitation?token=" in text,
             "the page says the e-mail could not be sent and shows the link", text[:300])
    finally:
        srv.stop()
    # Refused at start: --smtp-url without --smtp-from / --base-url, or not smtp://.
    bin_ = os.environ.get("KAVEL_BIN", "build/kavel")
    for args in (["--smtp-url", "smtp://127.0.0.1:25"],
                 ["--smtp-url", "http://x", "--smtp-from", "a@b.example", "--base-url", "https://x"],
                 ["--smtp-url", "smtp://127.0.0.1:25", "--smtp-from", "a@b.example", "--base-url", "x"]):
        p = subprocess.run([bin_, "serve", "--db", "/nonexistent/x.db", *args],
                           capture_output=True, text=True, timeout=30)
        t.ok(p.returncode == 2 and "--smtp-url" in p.stderr, f"serve {' '.join(args)} is refused",
             p.stderr[:200])
    t.done()


if __name__ == "__main__":
    main()
