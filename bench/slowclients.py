"""Slow clients against the served app: a normal page's latency idle, then beside 50 connections
that each send a header line every 5 seconds (a slow line, or a slowloris), in one run.

    .venv/bin/python bench/slowclients.py [--slow 50] [--requests 200]

Makes a throwaway demo database, starts `luoshi serve` (waitress) on a free port, signs in as
the demo supervisor and times GET /tasks/ (p50/p95 over N requests) idle and under the slow
connections. Aim: p95 under slow clients no more than 2x its idle value.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign_in(port: int) -> str:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/accounts/login/")
    r = c.getresponse()
    page = r.read().decode()
    cookie = r.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username=supervisor&password=luoshi-demo"
    c.request("POST", "/accounts/login/", body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                                                 "Referer": f"http://127.0.0.1:{port}/accounts/login/"})
    r = c.getresponse()
    r.read()
    session = [h.split(";")[0] for k, h in r.getheaders() if k.lower() == "set-cookie" and "sessionid" in h]
    assert r.status == 302 and session, f"sign-in failed: {r.status}"
    return session[0]


def timed(port: int, cookie: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        c.request("GET", "/tasks/", headers={"Cookie": cookie})
        r = c.getresponse()
        r.read()
        out.append((time.perf_counter() - started) * 1000)
        assert r.status == 200, r.status
        c.close()
    return out


def slow_client(port: int, stop: threading.Event) -> None:
    """Send a request's headers a line every 5 seconds, never finishing."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=120)
        s.sendall(b"GET /tasks/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        n = 0
        while not stop.wait(5):
            s.sendall(f"X-Slow-{n}: {'a' * 10}\r\n".encode())
            n += 1
        s.close()
    except OSError:
        pass


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="luoshi-bench-slow-")
    env = {**os.environ, "LUOSHI_VAR_DIR": var}
    env.pop("DATABASE_URL", None)
    subprocess.run([BIN / "luoshi", "migrate", "-v0"], env=env, check=True)
    subprocess.run([BIN / "luoshi", "demo"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([BIN / "luoshi", "serve", "--listen", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        cookie = sign_in(port)
        timed(port, cookie, 10)  # warm up
        idle = timed(port, cookie, args.requests)
        stop = threading.Event()
        slow = [threading.Thread(target=slow_client, args=(port, stop), daemon=True) for _ in range(args.slow)]
        for t in slow:
            t.start()
        time.sleep(6)  # every slow connection open and a line into its headers
        loaded = timed(port, cookie, args.requests)
        stop.set()
    finally:
        server.terminate()
        server.wait(10)
    print(f"GET /tasks/ as the supervisor, {args.requests} requests each (waitress, `luoshi serve`)")
    print(f"{'':34s} {'p50 ms':>8s} {'p95 ms':>8s}")
    print(f"{'idle':34s} {p(idle, 50):8.1f} {p(idle, 95):8.1f}")
    print(f"{f'beside {args.slow} slow connections':34s} {p(loaded, 50):8.1f} {p(loaded, 95):8.1f}")
    print(f"p95 ratio: {p(loaded, 95) / p(idle, 95):.2f}x (aim: at most 2x)")


if __name__ == "__main__":
    main()
