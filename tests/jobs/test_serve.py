"""`luoshi serve` (waitress) answers while slow connections hold their headers open, and refuses a
body larger than any upload from its declared length."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@pytest.fixture
def served(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LUOSHI_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([BIN / "luoshi", "migrate", "-v0"], env=env, check=True, timeout=300)
    server = subprocess.Popen([BIN / "luoshi", "serve", "--listen", f"127.0.0.1:{port}", "--threads", "2"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(10)


def test_slow_connections_hold_no_thread(served) -> None:
    # more slow connections than threads, each stuck in the middle of its headers
    slow = []
    for _ in range(6):
        s = socket.create_connection(("127.0.0.1", served), timeout=10)
        s.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
        slow.append(s)
    try:
        c = http.client.HTTPConnection("127.0.0.1", served, timeout=20)
        c.request("GET", "/accounts/login/")
        r = c.getresponse()
        assert r.status == 200 and "登录" in r.read().decode()
    finally:
        for s in slow:
            s.close()


def test_a_body_larger_than_any_upload_is_refused_by_the_server(served) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=20) as s:
        s.sendall(b"POST /tasks/1/progress/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 2000000000\r\n\r\n--x\r\n")
        assert s.recv(200).startswith(b"HTTP/1.1 413")
