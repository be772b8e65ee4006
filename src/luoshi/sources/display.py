"""How a source is shown: its text with the items, names and deadline words highlighted, the
key to the highlights, and the facts about the file. Presentation only: what the review desk
decided about each item is given by the caller (``states``), never looked up here."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luoshi.sources.models import Item, Source


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str
    title: str = ""


def _names(source: Source) -> list[Mark]:
    """Every occurrence of the people the extraction names: leaders, attendees, speakers."""
    roles = (("leaders", "hl-leader", _("Leader")), ("speakers", "hl-speaker", _("Speaker / proposer")),
             ("attendees", "hl-attendee", _("Attended")))
    found: list[Mark] = []
    text = source.text
    for key, css, title in roles:
        for name in (source.extraction or {}).get(key) or []:
            if not name:
                continue
            pos = text.find(name)
            while pos >= 0:
                found.append(Mark(pos, pos + len(name), css, title))
                pos = text.find(name, pos + len(name))
    return found


def _deadline_words(items: list[Item]) -> list[Mark]:
    out = []
    for item in items:
        if item.deadline_basis:
            pos = item.source.text.find(item.deadline_basis, item.span_start, item.span_end)
            if pos >= 0:
                title = _("Deadline words → %(date)s") % {"date": item.deadline.isoformat()} if item.deadline \
                    else _("Deadline words")
                out.append(Mark(pos, pos + len(item.deadline_basis), "hl-deadline", title))
    return out


def _inner(text: str, start: int, end: int, marks: list[Mark], ends: list[int]) -> str:
    """``text[start:end]`` escaped, with the parts of ``marks`` (sorted, not overlapping; ``ends``
    their ends) that fall in it."""
    out, pos = [], start
    for m in marks[bisect_right(ends, start):]:
        if m.start >= end:
            break
        s, e = max(m.start, start), min(m.end, end)
        out.append(escape(text[pos:s]))
        out.append(format_html('<span class="{}" title="{}">{}</span>', m.css, m.title, text[s:e]))
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlighted(source: Source, items: list[Item], states: dict[int, str] | None = None,
                numbers: dict[int, str] | None = None) -> SafeString:
    """The normalized text as HTML: each item a <mark> (id item-N, data-items), and inside it the
    names and deadline words. Overlapping items share the stretch they overlap on. ``numbers``:
    the label shown where an item starts (the numbers of its cards on the desk)."""
    text = source.text
    for item in items:
        item.source = source
    inner = sorted(_names(source) + _deadline_words(items), key=lambda m: (m.start, -(m.end - m.start)))
    kept, last = [], -1
    for m in inner:  # the first and longest of overlapping names wins
        if m.start >= last:
            kept.append(m)
            last = m.end
    ends = [m.end for m in kept]
    spans = [i for i in items if i.span_start < i.span_end]
    points = sorted({0, len(text), *(max(0, min(len(text), p)) for i in spans for p in (i.span_start, i.span_end))})
    starts = defaultdict(list)
    for i in spans:
        starts[i.span_start].append(i)
    out, active, anchored = [], [], set()
    for a, b in pairwise(points):
        active = [i for i in active if i.span_end > a] + starts.get(a, [])
        body = _inner(text, a, b, kept, ends)
        if not active:
            out.append(body)
            continue
        new = [i for i in active if i.pk not in anchored]  # where each item starts: its anchor
        anchored.update(i.pk for i in new)
        anchor = format_html(' id="item-{}"', new[0].pk) if new else ""
        if new and (numbers or {}).get(new[0].pk):
            anchor += format_html(' data-n="{}"', numbers[new[0].pk])
        out.extend(format_html('<span id="item-{}"></span>', i.pk) for i in new[1:])
        kinds = " ".join(sorted({f"hl-{i.kind}" for i in active}))
        state = (states or {}).get(active[0].pk, "")
        label = "；".join(f"{i.get_kind_display()} {i.ordinal}" for i in active)
        out.append(format_html('<mark class="hl {}{}"{} data-items="{}" title="{}">', kinds,
                               f" hl-{state}" if state else "", anchor, " ".join(str(i.pk) for i in active),
                               label))
        out.append(body)
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece above is escaped or built by format_html


def legend(source: Source, items: list[Item]) -> list[tuple[str, str]]:
    """The kinds of highlight the text shows, for the key above it."""
    ex = source.extraction or {}
    shown = [(f"hl-{k}", label) for k, label in Item.Kind.choices if any(i.kind == k for i in items)]
    for key, css, label in (("leaders", "hl-leader", _("Leader")), ("speakers", "hl-speaker", _("Speaker / proposer")),
                            ("attendees", "hl-attendee", _("Attended"))):
        if ex.get(key):
            shown.append((css, label))
    if any(i.deadline_basis for i in items):
        shown.append(("hl-deadline", _("Deadline words")))
    return shown


def source_meta(source: Source) -> list[tuple[str, str]]:
    ex = source.extraction or {}
    rows = [
        (_("File name"), source.name),
        (_("Encoding"), source.encoding),
        (_("Size"), filesizeformat(source.size)),
        (_("Ingested"), _("%(when)s by %(who)s") % {
            "when": date_format(timezone.localtime(source.created_at), "DATETIME_FORMAT"),
            "who": source.created_by or _("the system")}),
    ]
    if ex.get("date"):
        rows.insert(0, (_("Meeting date"), ex["date"]))
    return rows


