"""Malformed and out-of-range ids anywhere are refused (400 or 404), never a server error.

Nothing here lists the forms by hand: the test signs in, walks every page it can reach by
following links, reads every form on them, and sends each one again with each field that
carries an id (a select or checkbox whose values are numbers, a hidden version or key) set to
each bad value below. URL patterns come from the URL configuration.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from tests.factories import drive, make_task
from tests.web.desk_helpers import on_desk, rules

from luoshi.desk.models import RoutingRule
from luoshi.tasks.models import State

BAD = ["99999999999999999999", "9223372036854775808", "-1", "0", "1e5", "abc", "١٢", "1.5", "0x10", "1 OR 1=1"]
SKIP = ("/admin/", "/accounts/logout/", "/i18n/", "/static/", "/attachments/")


class Forms(HTMLParser):
    """The forms of a page, each with its fields and its submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._by_id: dict[str, dict] = {}

    def _target(self, attrs: dict) -> dict | None:
        return self._by_id.get(attrs["form"]) if attrs.get("form") else self._form

    def handle_starttag(self, tag, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": [], "buttons": []}
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        form = self._target(a)
        if form is None or "disabled" in a:  # a browser sends no disabled field; the server ignores it
            if tag == "select":
                self._select = {"name": "", "values": [], "chosen": []}  # swallow its options
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "image"):
                form["buttons"].append((a["name"], a.get("value", ""), a.get("formaction", "")))
            elif kind in ("checkbox", "radio"):
                form["fields"].append({"name": a["name"], "values": [a.get("value", "on")],
                                       "on": "checked" in a, "kind": kind})
            elif kind != "file":
                form["fields"].append({"name": a["name"], "values": [a.get("value", "")], "on": True, "kind": kind})
        elif tag == "button" and a.get("type", "submit") == "submit":
            form["buttons"].append((a.get("name", ""), a.get("value", ""), a.get("formaction", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "values": [], "on": True, "kind": "select", "chosen": []}
            form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["values"].append(a.get("value", ""))
            if "selected" in a:
                self._select["chosen"].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            form["fields"].append({"name": a["name"], "values": [""], "on": True, "kind": "textarea"})

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None


def _is_id_field(field: dict) -> bool:
    values = [v for v in field["values"] if v]
    if field["name"].endswith("version") or field["name"] == "selected":
        return True
    return bool(values) and all(re.fullmatch(r"\d+(:\d+)?", v) for v in values)


def _data(form: dict, button: tuple) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for f in form["fields"]:
        if f["kind"] == "select":
            chosen = f["chosen"] or f["values"][:1]
            data.setdefault(f["name"], []).extend(chosen)
        elif f["on"]:
            data.setdefault(f["name"], []).extend(f["values"])
    if button[0]:
        data[button[0]] = [button[1]]
    return data


def _bad(field: dict, bad: str) -> list[str]:
    if field["name"] == "selected":
        return [f"{bad}:1"]
    return [bad]


@pytest.fixture
def world(org, settings, tmp_path):
    """Something in every state a page can show: tasks along the loop, a source on the desk, a rule."""
    settings.MEDIA_ROOT = tmp_path
    rules(org)
    on_desk(org)
    for state in (State.DRAFT, State.ASSIGNED, State.REASSIGNMENT_REQUESTED, State.IN_PROGRESS,
                  State.EXTENSION_REQUESTED, State.SUBMITTED, State.CLOSED):
        drive(org, make_task(org, title=f"任务 {state}"), state)
    RoutingRule.objects.filter(organisation=org.province).first()
    return org


def _crawl(client, start: str = "/tasks/", limit: int = 150) -> dict[str, Forms]:
    seen: dict[str, Forms] = {}
    queue = [start, "/sources/", "/routing/", "/tasks/new/", "/sources/new/"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or any(path.startswith(s) for s in SKIP):
            continue
        r = client.get(path)
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(r.content.decode())
        seen[path] = parser
        for href in parser.links:
            target = urljoin(path, href)
            if urlsplit(target).netloc in ("", "testserver") and urlsplit(target).path.startswith("/"):
                queue.append(urlsplit(target).path)
    return seen


counts: dict[str, int] = {}


@pytest.mark.parametrize("who", ["supervisor", "handler_a", "deputy"])
def test_every_id_field_of_every_form_refuses_bad_ids(world, as_user, who) -> None:
    client = as_user(who)
    pages = _crawl(client)
    assert len(pages) >= (10 if who == "supervisor" else 3)
    tried, done = 0, set()
    for path, parser in pages.items():
        for form in parser.forms:
            for n, button in enumerate(form["buttons"] or [("", "", "")]):
                action = urljoin(path, button[2] or form["action"] or path)
                if any(urlsplit(action).path.startswith(s) for s in SKIP):
                    continue
                base = _data(form, button)
                for field in form["fields"]:
                    # one try per kind of form, field and button: task #3's form is task #5's
                    key = (resolve(urlsplit(action).path).view_name, re.sub(r"\d+", "N", field["name"]), button[0])
                    if not _is_id_field(field) or key in done:
                        continue
                    done.add(key)
                    # the values that overflow or are no number on every field, one more in turn
                    tries = [*BAD[:3], BAD[3 + len(done) % (len(BAD) - 3)]] if n == 0 else BAD[:1]
                    for bad in tries:
                        data = {**base, field["name"]: _bad(field, bad)}
                        r = client.post(action, data) if form["method"] == "post" else client.get(action, data)
                        tried += 1
                        assert r.status_code < 500, (path, action, field["name"], bad)
                        expected = (400, 403, 404, 409)
                        assert r.status_code in expected, (path, action, field["name"], bad, r.status_code)
    counts[who] = tried
    assert tried > (100 if who == "supervisor" else 10)


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    out = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if "admin" not in route:
                out.extend(_patterns(p, route))
        else:
            out.append((route, p))
    return out


def test_every_url_with_an_id_refuses_huge_and_malformed_ones(world, as_user) -> None:
    client = as_user("supervisor")
    routes = [(route, p) for route, p in _patterns(get_resolver()) if "<int:" in route]
    assert len(routes) >= 10
    for route, _p in routes:
        for bad in ("99999999999999999999", "9223372036854775808", "0"):
            url = "/" + re.sub(r"<slug:[a-z_]+>", "accept", re.sub(r"<int:[a-z_]+>", bad, route))
            for method in (client.get, client.post):
                r = method(url)
                assert r.status_code in (404, 405), (url, method.__name__, r.status_code)
