"""Finding tasks, sources and items by words, as each user may see them (SQLite; PostgreSQL too)."""

from __future__ import annotations

import hashlib
import html
import re

import pytest
from django.core.management import call_command
from django.db import connection
from tests.factories import drive, make_task

from luoshi.desk.intake import take_in
from luoshi.search.models import Entry, Kind
from luoshi.search.query import highlight, search
from luoshi.sources.models import Item, Source
from luoshi.tasks import services
from luoshi.tasks.models import State

pytestmark = pytest.mark.django_db


def titles(user, query: str, kind: str = Kind.TASK, limit: int = 50) -> list[str]:
    return [_plain(h.title) for h in search(user, query, kind, limit=limit).hits]


def _plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def _task(org, title: str, *, description: str = "", lead=None, co=(), state: str = State.ASSIGNED):
    task = services.create_task(org.supervisor, organisation=org.province, title=title,
                                description=description, lead_unit=lead or org.unit_a, co_units=list(co))
    return drive(org, task, state) if state != State.DRAFT else task


def _report(org, text: str, items: list[str], title: str = "全省农业农村工作会议纪要") -> tuple[Source, list[Item]]:
    raw = text.encode()
    source = Source.objects.create(organisation=org.province, name="纪要.txt", title=title, raw=raw,
                                   checksum=hashlib.sha256(raw).hexdigest(), size=len(raw), encoding="utf-8",
                                   text=text)
    made = []
    for n, words in enumerate(items, 1):
        start = text.index(words)
        made.append(Item.objects.create(source=source, kind=Item.Kind.DIRECTIVE, ordinal=n, headline=words,
                                        text=words, span_start=start, span_end=start + len(words),
                                        raw_start=start, raw_end=start + len(words)))
    return source, made


# -- words, not substrings ---------------------------------------------------------------------------

def test_a_word_finds_the_longer_words_it_stands_in(org) -> None:
    _task(org, "抓好高标准农田建设")
    _task(org, "完善高标准农田管护机制")
    _task(org, "推进农田水利设施建设")
    _task(org, "做好防汛准备工作")
    assert sorted(titles(org.supervisor, "农田")) == ["完善高标准农田管护机制", "抓好高标准农田建设", "推进农田水利设施建设"]
    assert sorted(titles(org.supervisor, "高标准农田")) == ["完善高标准农田管护机制", "抓好高标准农田建设"]
    assert titles(org.supervisor, "高标准农田建设") == ["抓好高标准农田建设"]


def test_characters_that_are_no_word_of_the_text_find_nothing(org) -> None:
    _task(org, "抓好高标准农田建设")
    # each is a substring of the title, but no word of it
    assert titles(org.supervisor, "田建") == []
    assert titles(org.supervisor, "标准农") == []


def test_every_word_of_the_query_must_be_there(org) -> None:
    _task(org, "抓好高标准农田建设")
    _task(org, "推进农田水利设施建设")
    assert titles(org.supervisor, "农田 水利") == ["推进农田水利设施建设"]
    assert titles(org.supervisor, "农田 防汛") == []


def test_title_hits_come_before_hits_in_the_text(org) -> None:
    _task(org, "农田水利设施管护")  # older, the word in its title
    _task(org, "做好防汛准备", description="汛前排查农田排灌设施")  # newer, the word in its text only
    _task(org, "抓好高标准农田建设")  # newest, in its title
    assert titles(org.supervisor, "农田") == ["抓好高标准农田建设", "农田水利设施管护", "做好防汛准备"]


def test_the_snippet_marks_the_words_and_escapes_the_text(org) -> None:
    _task(org, "做好防汛准备", description="<b>汛前</b>排查农田排灌设施，确保安全度汛")
    hit = search(org.supervisor, "农田", Kind.TASK).hits[0]
    assert hit.snippet == "&lt;b&gt;汛前&lt;/b&gt;排查<mark>农田</mark>排灌设施，确保安全度汛"
    # 20 characters: a third (6) before the word, the word, the 12 after it
    assert highlight("一二三四五六七八九十" * 3 + "农田" + "甲乙丙" * 40, ["农田"], width=20) \
        == "…五六七八九十<mark>农田</mark>" + "甲乙丙" * 4 + "…"


def test_pages_follow_each_other_without_repeats(org) -> None:
    for n in range(12):
        _task(org, f"第{n + 1}号农田整治任务", state=State.DRAFT)
    seen, after = [], None
    sizes = []
    while True:
        page = search(org.supervisor, "农田", Kind.TASK, limit=5, after=after)
        seen += [h.ref for h in page.hits]
        sizes.append(len(page.hits))
        if page.more is None:
            break
        after = page.more
    assert sizes == [5, 5, 2]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 12  # newest first, each once


# -- who finds what ----------------------------------------------------------------------------------

def test_a_unit_finds_only_its_own_tasks_and_another_organisation_nothing(org) -> None:
    _task(org, "抓好高标准农田建设", lead=org.unit_a)
    _task(org, "农田水利设施建设", lead=org.unit_c)
    _task(org, "农田灌溉草案", lead=org.unit_a, state=State.DRAFT)  # a draft: the office's alone
    _task(org, "农田排涝协办", lead=org.unit_c, co=[org.unit_b])
    assert sorted(titles(org.supervisor, "农田")) == ["农田排涝协办", "农田水利设施建设", "农田灌溉草案", "抓好高标准农田建设"]
    assert titles(org.handler_a, "农田") == ["抓好高标准农田建设"]
    assert titles(org.handler_b, "农田") == ["农田排涝协办"]  # as a co-unit
    assert titles(org.outsider, "农田") == []
    assert titles(org.other_supervisor, "农田") == []
    assert titles(org.other_supervisor, "农田", Kind.SOURCE) == []


def test_a_unit_reads_only_its_own_items_of_a_shared_report_until_it_is_opened(org) -> None:
    text = "会议强调，一要抓好高标准农田建设，确保一季度开门红；二要加强水库除险加固，守住安全底线。"
    source, (farm, dams) = _report(org, text, ["抓好高标准农田建设，确保一季度开门红", "加强水库除险加固，守住安全底线"])
    mine = _task(org, "抓好高标准农田建设", lead=org.unit_a)
    mine.items.add(farm)
    theirs = _task(org, "水库除险加固", lead=org.unit_c)
    theirs.items.add(dams)

    # the office reads everything
    assert titles(org.supervisor, "水库", Kind.ITEM) == ["加强水库除险加固，守住安全底线"]
    assert titles(org.supervisor, "水库", Kind.SOURCE) == ["全省农业农村工作会议纪要"]
    # unit A: its item; the report by its title only, and never by another unit's words
    assert titles(org.handler_a, "农田", Kind.ITEM) == ["抓好高标准农田建设，确保一季度开门红"]
    assert titles(org.handler_a, "水库", Kind.ITEM) == []
    assert titles(org.handler_a, "水库", Kind.SOURCE) == []
    found = search(org.handler_a, "农业农村", Kind.SOURCE).hits
    assert [_plain(h.title) for h in found] == ["全省农业农村工作会议纪要"]
    assert found[0].snippet == ""  # no word of the text
    assert titles(org.outsider, "农业农村", Kind.SOURCE) == []
    assert titles(org.other_supervisor, "水库", Kind.ITEM) == []

    source.open_to_units = True
    source.save(update_fields=["open_to_units"])
    assert titles(org.handler_a, "水库", Kind.ITEM) == ["加强水库除险加固，守住安全底线"]
    hit = search(org.handler_a, "水库", Kind.SOURCE).hits[0]
    assert "<mark>水库</mark>" in hit.snippet
    assert titles(org.outsider, "水库", Kind.SOURCE) == []  # opened to the units it concerns, not to all


def _results(client, query: str) -> str:
    """What the search page answers below its own help text."""
    page = client.get("/search/", {"q": query}).content.decode()
    return page.split('class="muted search-help"', 1)[1].split("</p>", 1)[1]


def test_the_page_shows_a_unit_nothing_of_another_units_work(org, as_user) -> None:
    _task(org, "抓好高标准农田建设", lead=org.unit_a)
    _task(org, "农田水利设施建设", lead=org.unit_c, description="吕梁市水利局配合")
    page = _results(as_user("handler_a"), "农田")
    assert "抓好高标准<mark>农田</mark>建设" in page
    assert "水利设施" not in page and "吕梁市水利局" not in page
    nothing = _results(as_user("other_supervisor"), "农田")
    assert "农田建设" not in nothing and "水利设施" not in nothing
    assert "没有" in nothing  # says nothing was found (in Chinese)


def test_the_page_shows_the_first_hits_and_links_to_the_rest(org, as_user) -> None:
    for n in range(10):
        _task(org, f"第{n + 1}号农田整治任务", state=State.DRAFT)
    client = as_user("supervisor")
    first = _results(client, "农田")
    assert first.count('class="hit"') == 8  # the overview: each kind's first eight
    link = re.search(r'href="(/search/\?q=[^"]+&amp;kind=t&amp;after=[^"]+)"', first)
    assert link, "a link to the rest of the tasks"
    rest = client.get(html.unescape(link[1])).content.decode()
    assert rest.count('class="hit"') == 2
    assert "第2号<mark>农田</mark>" in rest and "第1号<mark>农田</mark>" in rest  # the oldest two, after eight


# -- kept current ------------------------------------------------------------------------------------

def test_an_edit_is_found_at_once_and_the_old_words_no_longer(org) -> None:
    task = _task(org, "做好防汛准备", state=State.DRAFT)
    services.edit_task(task, org.supervisor, version=task.version, title="做好抗旱保苗")
    assert titles(org.supervisor, "抗旱") == ["做好抗旱保苗"]
    assert titles(org.supervisor, "防汛") == []


def test_a_report_taken_in_is_found_with_its_items(org) -> None:
    text = ("全省春季农业生产工作会议纪要\n\n会议要求，一要抓好高标准农田建设，确保一季度开门红。"
            "二要加强水库除险加固，守住安全底线。\n")
    got = take_in(text.encode(), name="纪要.txt", organisation=org.province, actor=org.supervisor)
    assert titles(org.supervisor, "春季", Kind.SOURCE) == [str(got.source)]
    items = list(got.source.items.all())
    assert items, "the report's directives were read"
    assert set(Entry.objects.filter(kind=Kind.ITEM).values_list("ref", flat=True)) == {i.pk for i in items}
    assert any("水库" in t for t in titles(org.supervisor, "水库", Kind.ITEM))


def test_reindex_rebuilds_the_index_from_the_rows(org) -> None:
    _task(org, "抓好高标准农田建设")
    _report(org, "会议强调，抓好高标准农田建设。", ["抓好高标准农田建设"])
    Entry.objects.all().delete()
    assert titles(org.supervisor, "农田") == []
    call_command("search", "reindex", verbosity=0)
    assert titles(org.supervisor, "农田") == ["抓好高标准农田建设"]
    assert titles(org.supervisor, "农田", Kind.ITEM) == ["抓好高标准农田建设"]
    assert titles(org.supervisor, "纪要", Kind.SOURCE) == ["全省农业农村工作会议纪要"]
    # and the index is kept current again after the rebuild
    _task(org, "推进农田水利设施建设")
    assert len(titles(org.supervisor, "农田")) == 2


# -- each database its own full-text index ----------------------------------------------------------

def test_the_full_text_index_is_the_databases_own(org) -> None:
    make_task(org)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '\"农田\"'")
            assert cursor.fetchone()[0] == 1
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_document'")
            assert "gin (document)" in cursor.fetchone()[0].lower()
            cursor.execute("SELECT count(*) FROM search_entry WHERE document @@ to_tsquery('simple', '农田:A')")
            assert cursor.fetchone()[0] == 1


def test_on_postgresql_the_words_are_a_simple_tsvector(org) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (set LUOSHI_TEST_POSTGRES for `make test`)")
    make_task(org, title="抓好高标准农田建设")
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM search_entry WHERE kind = 't'")
        document = cursor.fetchone()[0]
    assert "'高标准':" in document and "'农田':" in document and "A" in document
