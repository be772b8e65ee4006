"""Finding what a user may see, by words, a page at a time.

Each kind (tasks, sources, items) is asked for on its own: the entries whose words hold every
word of the query, narrowed by what `luoshi.access` lets the user see, in two tiers (title hits
first: every word in the title; then the rest), the most recently created or changed first
within a tier (the entry's id: an edit re-indexes). A page ends with a cursor (tier, entry id)
for the next one: no OFFSET, no COUNT and no sort of every match over a province's million tasks.

A unit that sees a shared report only through its own tasks finds that report by its title and
finds only its own items: the words of the rest of the report are not searched for it, so
neither a snippet nor the mere fact of a hit says what else the report holds.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from luoshi.access import supervised_organisations, visible_tasks
from luoshi.search.models import FTS_TABLE, Entry, Kind
from luoshi.search.words import query_words
from luoshi.sources.models import Item, Source
from luoshi.tasks.models import Task

MAX_PAGE = 50


@dataclass(frozen=True)
class Cursor:
    tier: int
    entry: int  # the last entry's id

    def __str__(self) -> str:
        return f"{self.tier}.{self.entry}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        m = re.fullmatch(r"([01])\.(\d{1,18})", text or "")
        return cls(int(m[1]), int(m[2])) if m else None


@dataclass
class Hit:
    kind: str
    ref: int
    url: str
    title: SafeString
    snippet: SafeString
    meta: str = ""


@dataclass
class Page:
    kind: str
    hits: list[Hit] = field(default_factory=list)
    more: Cursor | None = None  # where the next page starts, None if this is the last


def _tier_expression(words: list[str], tier: int) -> str:
    """The full-text query of a tier, in the connected database's syntax: tier 0 every word in
    the title; tier 1 every word in the entry, but not every one in its title."""
    # the words are runs of letters and digits (words.py): nothing in them is query syntax
    if connection.vendor == "postgresql":
        every = " & ".join(f"'{w}'" for w in words)
        title = " & ".join(f"'{w}':A" for w in words)
        return title if tier == 0 else f"{every} & !({title})"
    every = " AND ".join(f'"{w}"' for w in words)
    title = f"title : ({every})"
    return title if tier == 0 else f"({every}) NOT {title}"


def _matching(qs, words: list[str], tier: int):
    """``qs`` narrowed to the tier's matches, the most recently indexed first.

    SQLite: joined to the FTS5 table and ordered by its rowid, which FTS5 returns in order by
    itself, so a page of a common word stops after its first rows instead of sorting them all.
    PostgreSQL: the matches read from the GIN index, then the page's newest sorted out. Ordered by
    an expression of the key, not the key itself, so that the planner cannot choose to walk the
    key backwards testing every entry: guessing a word common, it did, and a word no visible
    entry holds took 1.1 s at a million entries (now 50 ms); the price is a word that every entry
    holds (0.3 -> 0.7 s: every match sorted), which nobody searches alone."""
    expression = _tier_expression(words, tier)
    if connection.vendor == "postgresql":
        match = RawSQL("\"search_entry\".\"document\" @@ to_tsquery('simple'::regconfig, %s)", [expression],
                       output_field=BooleanField())
        return qs.filter(match).annotate(newest=F("pk") + 0).order_by("-newest")
    return qs.extra(tables=[FTS_TABLE], where=[f"{FTS_TABLE}.rowid = search_entry.id", f"{FTS_TABLE} MATCH %s"],
                    params=[expression], order_by=[f"-{FTS_TABLE}.rowid"])


def _readers(user, kind: str) -> tuple[Q, Q | None]:
    """Who may read an entry of ``kind`` whole, and (sources) who may find it by its title only."""
    orgs = [o.pk for o in supervised_organisations(user)]
    tasks = visible_tasks(user)
    mine = Q(organisation_id__in=orgs)  # the supervision office reads all of its organisation
    if kind == Kind.TASK:
        return mine | Exists(tasks.filter(pk=OuterRef("ref"))), None
    seen = Exists(tasks.filter(items__source=OuterRef("source_id")))
    opened = Exists(Source.objects.filter(pk=OuterRef("source_id"), open_to_units=True))
    whole = mine | (opened & seen)
    if kind == Kind.SOURCE:
        return whole, seen
    return whole | Exists(tasks.filter(items=OuterRef("ref"))), None


def search(user, query: str, kind: str, limit: int = 10, after: Cursor | None = None) -> Page:
    """One page of ``kind`` entries ``user`` may see that hold every word of ``query``."""
    words = query_words(query)
    found, more = find(user, words, kind, limit, after)
    return Page(kind, _hits(kind, found, words), more)


def find(user, words: list[str], kind: str, limit: int = 10,
         after: Cursor | None = None) -> tuple[list[tuple[int, int, int, bool]], Cursor | None]:
    """The matches of a page, (tier, entry id, ref, read whole) each, and the next page's cursor."""
    if not words or not getattr(user, "is_active", False):
        return [], None
    limit = max(1, min(limit, MAX_PAGE))
    whole, by_title = _readers(user, kind)
    found: list[tuple[int, int, int, bool]] = []  # (tier, entry, ref, read whole)
    for tier in (0, 1):
        if after is not None and tier < after.tier:
            continue
        qs = Entry.objects.filter(kind=kind)
        if after is not None and tier == after.tier:
            qs = qs.filter(pk__lt=after.entry)
        if by_title is None:
            qs = qs.filter(whole)
        elif tier == 0:  # a source found by its title: read whole, or only its title (the unit's own items)
            qs = qs.filter(whole | by_title).annotate(whole=ExpressionWrapper(whole, output_field=BooleanField()))
        else:  # by the words of its text: only by those who may read it whole
            qs = qs.filter(whole)
        columns = ("pk", "ref", "whole") if by_title is not None and tier == 0 else ("pk", "ref")
        rows = _matching(qs, words, tier).values_list(*columns)[: limit + 1 - len(found)]
        found += [(tier, r[0], r[1], bool(r[2]) if len(r) > 2 else True) for r in rows]
        if len(found) > limit:
            break
    if len(found) > limit:
        found = found[:limit]
        return found, Cursor(found[-1][0], found[-1][1])
    return found, None


# -- what a hit shows ------------------------------------------------------------------------------

def _hits(kind: str, found: list[tuple[int, int, int, bool]], words: list[str]) -> list[Hit]:
    refs = [f[2] for f in found]
    if kind == Kind.TASK:
        rows = Task.objects.filter(pk__in=refs).select_related("lead_unit").only(
            "pk", "title", "description", "target", "state", "lead_unit__name")
        by = {t.pk: t for t in rows}
        out = []
        for ref in refs:
            t = by.get(ref)
            if t is None:
                continue
            meta = f"#{t.pk} · {t.get_state_display()}" + (f" · {t.lead_unit.name}" if t.lead_unit_id else "")
            out.append(Hit(kind, ref, reverse("tasks:detail", args=[ref]), highlight(t.title, words, 200),
                           highlight("\n".join(x for x in (t.description, t.target) if x), words), meta))
        return out
    if kind == Kind.SOURCE:
        whole = {f[2]: f[3] for f in found}
        by = {s.pk: s for s in Source.objects.filter(pk__in=refs).only("pk", "title", "name", "text", "created_at")}
        out = []
        for ref in refs:
            s = by.get(ref)
            if s is None:
                continue
            # a reader of the unit's own items only: the title, never the text
            snippet = highlight(s.text, words) if whole[ref] else mark_safe("")
            out.append(Hit(kind, ref, reverse("sources:detail", args=[ref]), highlight(str(s), words, 200),
                           snippet, s.name))
        return out
    by = {i.pk: i for i in Item.objects.filter(pk__in=refs).select_related("source").only(
        "pk", "headline", "text", "kind", "ordinal", "source__title", "source__name")}
    out = []
    for ref in refs:
        i = by.get(ref)
        if i is None:
            continue
        url = reverse("sources:detail", args=[i.source_id]) + f"#item-{i.pk}"
        out.append(Hit(kind, ref, url, highlight(i.headline, words, 200), highlight(i.text, words),
                       f"{i.source} · {i.get_kind_display()} {i.ordinal}"))
    return out


def highlight(text: str, words: list[str], width: int = 90) -> SafeString:
    """A short piece of ``text`` around the first of ``words``, each of them marked (<mark>)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return mark_safe("")
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    piece = text[start : start + width]
    out = ["…" if start else ""]
    last = 0
    for m in pattern.finditer(piece):
        out += [html.escape(piece[last : m.start()]), "<mark>", html.escape(m[0]), "</mark>"]
        last = m.end()
    out.append(html.escape(piece[last:]))
    if start + width < len(text):
        out.append("…")
    return mark_safe("".join(out))
