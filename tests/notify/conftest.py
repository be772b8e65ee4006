"""Fixtures of the notification tests: a real group robot on 127.0.0.1, ports that refuse or never
answer, more people in the test organisation, and helpers to write events."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import Client
from tests.factories import Org

from luoshi.org.models import Membership, Role, User
from luoshi.tasks import changes
from luoshi.tasks.models import Event, Task

OK = (200, {"errcode": 0, "errmsg": "ok"})


@dataclass
class Posted:
    path: str
    query: dict[str, str]
    body: dict
    raw: bytes


@dataclass
class Robot:
    """A group robot: records every POST and answers from ``replies`` (then with OK)."""

    url: str = ""
    posts: list[Posted] = field(default_factory=list)
    replies: deque = field(default_factory=deque)

    def answer(self, *replies: tuple[int, dict | str]) -> None:
        self.replies.extend(replies)


def _handler(robot: Robot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            parts = urllib.parse.urlsplit(self.path)
            robot.posts.append(Posted(parts.path, dict(urllib.parse.parse_qsl(parts.query)), json.loads(raw), raw))
            status, body = robot.replies.popleft() if robot.replies else OK
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture
def robot() -> Iterator[Robot]:
    bot = Robot()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(bot))
    bot.url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test-key-123"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield bot
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port() -> str:
    """The address of a robot that is gone: nothing listens there, connections are refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/robot/send?access_token=gone"


@pytest.fixture
def silent_port() -> Iterator[tuple[str, socket.socket]]:
    """The address of a robot that takes the connection and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    yield f"http://127.0.0.1:{s.getsockname()[1]}/robot/send?access_token=silent", s
    s.close()


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path) -> None:
    # WhiteNoise warns about a missing STATIC_ROOT; tests serve static files from the apps
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _fast_retries(settings) -> None:
    settings.LUOSHI = {**settings.LUOSHI, "WEBHOOK_RETRIES": [1, 5, 25], "WEBHOOK_TIMEOUT": 2,
                       "BASE_URL": "https://luoshi.example.gov.cn"}


@dataclass
class More:
    """People the test organisation lacks for telling who is told: a second supervisor in the office,
    a handler of unit C (a unit a task may move to), an inactive head of unit A."""

    colleague: User
    handler_c: User
    inactive_head_a: User


@pytest.fixture
def more(org: Org) -> More:
    def add(username: str, name: str, unit, role: Role, active: bool = True) -> User:
        user = User.objects.create_user(username, display_name=name, is_active=active,
                                        email=f"{username}@example.gov.cn")
        Membership.objects.create(user=user, unit=unit, role=role)
        return user

    return More(colleague=add("colleague", "督查员二", org.office, Role.SUPERVISOR),
                handler_c=add("handler_c", "水利经办人", org.unit_c, Role.HANDLER),
                inactive_head_a=add("retired_head_a", "农业原负责人", org.unit_a, Role.HEAD, active=False))


def write_event(task: Task, action: str, actor=None, **data) -> Event:
    """An event without a move of state (a reminder, an urge…), written the way every change is."""
    with transaction.atomic():
        return changes.write(changes.locked(task.pk), actor, action, data=data)


def last_event(task: Task) -> Event:
    return Event.objects.filter(task_id=task.pk).latest("seq")


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
