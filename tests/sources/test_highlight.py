"""The source text as HTML: items marked with their anchors, names and deadline words inside,
everything else escaped, overlapping items sharing the stretch they overlap on."""

from __future__ import annotations

import re

from luoshi.sources.display import highlighted, legend
from luoshi.sources.models import Item, Source


def _source(org, text: str, **extraction) -> Source:
    return Source.objects.create(organisation=org.province, name="t.txt", raw=text.encode(), checksum=str(hash(text)),
                                 size=len(text.encode()), encoding="utf-8", text=text, extraction=extraction)


def _item(source, kind, n, words, **kw) -> Item:
    start = source.text.index(words)
    return Item.objects.create(source=source, kind=kind, ordinal=n, headline=words, text=words, span_start=start,
                               span_end=start + len(words), raw_start=start, raw_end=start + len(words), **kw)


def test_items_names_and_deadline_words(org) -> None:
    text = "县长李文强调，一要抓好农资储备，确保3月底前到位。<b>二要</b>做好耕地整治。"
    source = _source(org, text, leaders=["李文"], speakers=[], attendees=[])
    a = _item(source, "directive", 1, "一要抓好农资储备，确保3月底前到位。", deadline_basis="3月底前")
    b = _item(source, "directive", 2, "<b>二要</b>做好耕地整治。")
    html = highlighted(source, [a, b], {a.pk: "done"}, {a.pk: "1", b.pk: "2"})
    assert '<span class="hl-leader" title="Leader">李文</span>' in html
    assert re.search(rf'<mark class="hl hl-directive hl-done" id="item-{a.pk}" data-n="1" data-items="{a.pk}"', html)
    assert '<span class="hl-deadline" title="Deadline words">3月底前</span>' in html
    assert "&lt;b&gt;二要&lt;/b&gt;" in html and "<b>" not in html
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") == text  # nothing lost
    assert [label for _css, label in legend(source, [a, b])][-2:] == ["Leader", "Deadline words"]


def test_overlapping_items_share_their_overlap(org) -> None:
    text = "会议要求，抓好春耕生产，稳定粮食面积。"
    source = _source(org, text)
    a = _item(source, "directive", 1, "抓好春耕生产，稳定")
    b = _item(source, "suggestion", 1, "春耕生产，稳定粮食面积")
    html = str(highlighted(source, [a, b]))
    marks = re.findall(r'<mark class="([^"]+)"[^>]*data-items="([^"]+)"[^>]*>(.*?)</mark>', html)
    assert [(items, words) for _c, items, words in marks] == [
        (f"{a.pk}", "抓好"), (f"{a.pk} {b.pk}", "春耕生产，稳定"), (f"{b.pk}", "粮食面积")]
    assert f'id="item-{a.pk}"' in html and f'id="item-{b.pk}"' in html
