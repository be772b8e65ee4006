"""Helpers of the page tests."""

from __future__ import annotations

import hashlib
import re

from django.http import HttpResponse

from luoshi.sources.models import Item, Source

ROLES = ("supervisor", "handler_a", "head_a", "handler_b", "head_b", "leader", "deputy", "admin", "outsider",
         "other_supervisor")


def page_text(response: HttpResponse) -> str:
    """The response body without tags, whitespace folded: what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def action_urls(response: HttpResponse, pk: int) -> set[str]:
    """The transition forms a page offers for task ``pk`` (their actions)."""
    return set(re.findall(rf'action="/tasks/{pk}/do/([a-z_]+)/"', response.content.decode()))


def link_to_source(org, task) -> Item:
    """Link the task to the sentence of a meeting report it was made from."""
    text = ("会议强调，一要坚持问题导向，抓好高标准农田建设，确保一季度开门红；"
            "二要压实责任，推动各项任务落地见效。")
    words = "抓好高标准农田建设，确保一季度开门红"
    start = text.index(words)
    raw = text.encode("utf-8")
    source = Source.objects.create(
        organisation=org.province, name="seed.txt", title="省长参加吕梁代表团审议", raw=raw,
        checksum=hashlib.sha256(raw).hexdigest(), size=len(raw), encoding="utf-8", text=text)
    item = Item.objects.create(source=source, kind=Item.Kind.DIRECTIVE, ordinal=1, headline=words, text=words,
                               span_start=start, span_end=start + len(words), raw_start=start,
                               raw_end=start + len(words), issuer="省长")
    task.items.add(item)
    return item
