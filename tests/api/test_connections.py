#!/usr/bin/env python3
"""Connections (issue 13 item 6): a per-address cap, an absolute deadline
for a request's headers, and a total cap answered with a clear 503, while
a normal client keeps being served.

The server runs with --max-per-address 8 --header-deadline 3
--max-connections 40.  Loopback has many addresses (127.0.0.2, .3, ...),
so the attackers bind to their own while the normal client uses
127.0.0.1.  Slowloris: sockets that trickle a header line every half
second are cut off by the deadline (libmicrohttpd's own idle timeout
restarts at every line and would keep them for ever), and the normal
client's requests meanwhile answer at once.
"""
import http.client
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from kavel_test import Server, Tap  # noqa: E402

DEADLINE = 3


def sock_from(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((addr, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s


def closed_by_server(s, wait):
    """Whether the server closed s within `wait` seconds."""
    s.settimeout(wait)
    try:
        return s.recv(4096) == b""
    except ConnectionResetError:
        return True
    except (socket.timeout, TimeoutError):
        return False
    except OSError:
        return True


def normal_get(port, path="/healthz"):
    t0 = time.time()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        return r.status, time.time() - t0, r, body
    finally:
        c.close()


def main():
    t = Tap()
    srv = Server(demo=False, args=("--max-per-address", "8", "--header-deadline", str(DEADLINE),
                                   "--max-connections", "40"))
    port = srv.port
    try:
        # 1. Per address: eight connections from 127.0.0.2, the ninth is refused.
        held = [sock_from("127.0.0.2", port) for _ in range(8)]
        time.sleep(0.2)
        ninth = sock_from("127.0.0.2", port)
        t.ok(closed_by_server(ninth, 1.5), "a ninth connection from one address is refused")
        st, took, _, _ = normal_get(port)
        t.ok(st == 200 and took < 1.0, "a client at another address is served meanwhile",
             f"{st} {took:.2f}s")
        for s in held + [ninth]:
            s.close()
        time.sleep(0.3)

        # 2. Slowloris: 20 sockets over four addresses trickle header lines.
        slow = []
        for i in range(20):
            s = sock_from(f"127.0.0.{3 + i % 4}", port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        started = time.time()
        worst = 0.0
        ok = True
        while time.time() - started < DEADLINE + 2.5:
            for s in slow:
                try:
                    s.sendall(b"X-Trickle: 1\r\n")
                except OSError:
                    pass
            st, took, _, _ = normal_get(port)
            ok = ok and st == 200
            worst = max(worst, took)
            time.sleep(0.5)
        t.ok(ok and worst < 1.0, "the normal client is served at once while 20 sockets trickle",
             f"worst {worst:.2f}s")
        cut = sum(closed_by_server(s, 0.5) for s in slow)
        t.eq(cut, 20, f"every trickling socket is cut off after the {DEADLINE} s header deadline")
        for s in slow:
            s.close()
        time.sleep(0.3)

        # 3. The total: 40 idle connections (8 from each of five addresses);
        #    the next request gets a 503 that says what is going on.
        idle = [sock_from(f"127.0.0.{10 + i % 5}", port) for i in range(40)]
        time.sleep(0.3)
        st, _, r, body = normal_get(port, "/login")
        text = body.decode("utf-8", "replace")
        t.ok(st == 503 and "te druk" in text and "too busy" in text and
             r.getheader("Retry-After") == "60",
             "past --max-connections a request gets 503, in Dutch and English, with Retry-After",
             f"{st} {text[:120]}")
        t.eq(r.getheader("X-Frame-Options"), "DENY", "with the security headers")
        for s in idle:
            s.close()
        time.sleep(0.5)
        st, _, _, _ = normal_get(port, "/login")
        t.eq(st, 200, "once they are gone the server answers normally")
        # An idle keep-alive connection is closed after the deadline too, so
        # a client cannot hold a slot by never sending its next request.
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/healthz")
        c.getresponse().read()
        t.ok(closed_by_server(c.sock, DEADLINE + 2), "an idle keep-alive connection is closed too")
        c.close()
    finally:
        code = srv.stop()
    t.eq(code, 0, "the server stops cleanly")
    t.done()


if __name__ == "__main__":
    main()
