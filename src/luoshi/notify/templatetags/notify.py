"""The inbox in the header (load with ``{% load notify %}``)."""

from __future__ import annotations

import urllib.parse

from django import template

from luoshi import access
from luoshi.notify import inbox
from luoshi.notify.messages import kind_label

register = template.Library()


@register.simple_tag
def unread_badge(user) -> str:
    """The user's unread count as the header shows it ("", "7", "99+"): one capped, indexed COUNT."""
    return inbox.badge(inbox.unread_count(user))


@register.simple_tag
def may_set_up_robots(user) -> bool:
    return bool(access.webhook_organisations(user))


@register.filter
def masked_url(url: str) -> str:
    """A robot's address without its key: the key lets anyone post into the group."""
    parts = urllib.parse.urlsplit(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = "&".join(f"{k}={v[:4]}…" if v else k for k, v in pairs)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


@register.filter
def kind_name(kind: str) -> str:
    return kind_label(kind)


@register.filter
def kind_names(kinds: list[str]) -> str:
    return "、".join(kind_label(k) for k in kinds)
