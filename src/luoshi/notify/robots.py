"""Group robots of WeCom (企业微信) and DingTalk (钉钉): the JSON each accepts, DingTalk's
signature, and one POST with its outcome. The standard library's urllib is enough for one JSON
POST with a timeout; no Django here, so it can be read and tested on its own.

Both platforms answer HTTP 200 with ``{"errcode": 0, "errmsg": "ok"}`` when they took the
message, and HTTP 200 with another errcode when they refused it (bad key, bad signature,
too frequent): success is a 2xx status and errcode 0.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

WECOM = "wecom"
DINGTALK = "dingtalk"
# what the platforms take in one message (WeCom: text 2048 bytes, markdown 4096); kept under both
MAX_BYTES = {"text": 2000, "markdown": 4000}
READ_BYTES = 64 * 1024  # a robot answers a few dozen bytes; never read more than this


def clip(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8, never inside a character."""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text
    return raw[: max_bytes - 3].decode("utf-8", errors="ignore") + "…"


def payload(platform: str, msgtype: str, title: str, text: str) -> dict:
    """The JSON body a robot of ``platform`` accepts. ``title`` is used by DingTalk's markdown only
    (it shows in the chat list); a text message carries ``text`` alone."""
    body = clip(text, MAX_BYTES[msgtype])
    if msgtype == "text":
        return {"msgtype": "text", "text": {"content": body}}
    if msgtype != "markdown":
        raise ValueError(f"unknown message type {msgtype!r}")
    if platform == WECOM:
        return {"msgtype": "markdown", "markdown": {"content": body}}
    if platform == DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": clip(title, 200), "text": body}}
    raise ValueError(f"unknown platform {platform!r}")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), not yet URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """``url`` with DingTalk's ``timestamp`` and ``sign`` parameters appended (an hour's validity)."""
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    sign = urllib.parse.quote_plus(dingtalk_sign(secret, ts))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    http_status: int | None = None
    response: str = ""
    error: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # a robot answers where it is asked; a redirect would resend the message somewhere else
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _judge(status: int, body: str) -> Outcome:
    if not 200 <= status < 300:
        return Outcome(False, status, body, f"HTTP {status}")
    try:
        answer = json.loads(body)
    except ValueError:
        return Outcome(False, status, body, "the answer is not JSON")
    if not isinstance(answer, dict):
        answer = {}
    if answer.get("errcode") != 0:
        return Outcome(False, status, body, f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return Outcome(True, status, body)


def post(url: str, body: dict, *, timeout: float) -> Outcome:
    """POST ``body`` as JSON to ``url``; never raises for what the network or the robot does."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return Outcome(False, error="the address must start with http:// or https://")
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return _judge(response.status, response.read(READ_BYTES).decode("utf-8", errors="replace"))
    except urllib.error.HTTPError as err:  # 4xx/5xx (and a refused redirect): it has a status and a body
        text = err.read(READ_BYTES).decode("utf-8", errors="replace") if err.fp else ""
        return Outcome(False, err.code, text, f"HTTP {err.code}")
    except urllib.error.URLError as err:
        return Outcome(False, error=f"{type(err.reason).__name__}: {err.reason}")
    except (TimeoutError, OSError, http.client.HTTPException, ValueError) as err:
        return Outcome(False, error=f"{type(err).__name__}: {err}")
