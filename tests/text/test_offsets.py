"""Offset maps: sparse, composable, and right at the edges of edits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.text.offsets import OffsetMap, apply_edits, compose, deletions_map, replace_all

RAW = "<p>　　县委常委会强调，要压实责任。</p>\n<p>抓好落实。</p>"


def test_identity_maps_every_offset_to_itself() -> None:
    m = OffsetMap.identity(10)
    assert m.is_identity and len(m) == 0
    assert [m.to_raw(i) for i in range(11)] == list(range(11))
    assert m.to_raw_span(2, 5) == (2, 5)
    assert m.to_text_span(2, 5) == (2, 5)


def test_apply_edits_maps_kept_text_back_to_its_source() -> None:
    edits = [(0, 5, ""), (19, 24, "\n"), (24, 27, "")]
    text, m = apply_edits(RAW, edits)
    assert text == "县委常委会强调，要压实责任。\n抓好落实。</p>"
    for i, ch in enumerate(text):
        if ch != "\n":
            assert RAW[m.to_raw(i)] == ch
    # a word's span maps to the same word in the raw text
    start = text.index("压实责任")
    assert m.to_raw_span(start, start + 4) == (RAW.index("压实责任"), RAW.index("压实责任") + 4)


def test_only_resized_edits_are_stored() -> None:
    text, m = apply_edits("会议强调,要抓落实", [(4, 5, "，")])  # same length: nothing to store
    assert text == "会议强调，要抓落实" and m.is_identity
    _, m = apply_edits("会议强调,要抓落实", [(4, 5, "，"), (5, 6, "")])
    assert len(m) == 1


def test_a_span_touching_a_replacement_covers_all_of_it() -> None:
    raw = "审议時(shí)强调"
    text, m = apply_edits(raw, [(2, 8, "時")])  # the annotation goes with its character
    assert text == "审议時强调"
    assert m.to_raw_span(2, 3) == (2, 8)
    assert m.to_raw_span(0, 3) == (0, 8)
    assert m.to_raw_span(3, 5) == (8, 10)
    assert m.to_text_span(2, 8) == (2, 3)
    assert m.to_text(8) == 3


def test_text_deleted_at_a_span_edge_is_left_out() -> None:
    raw = "一要抓落实　　\n二要抓安全"
    text, m = apply_edits(raw, [(5, 7, "")])
    assert text == "一要抓落实\n二要抓安全"
    assert m.to_raw_span(0, 5) == (0, 5)
    assert m.to_raw_span(5, 6) == (7, 8)  # the newline, after the deleted spaces


def test_compose_maps_through_every_step() -> None:
    raw = "[视频]<p>市政府召开常务会议</p>"
    t1, m1 = apply_edits(raw, [(0, 4, ""), (4, 7, "")])
    t2, m2 = apply_edits(t1, [(len(t1) - 4, len(t1), "")])
    assert t2 == "市政府召开常务会议"
    m = m1.then(m2)
    assert compose(m1, m2).to_raw_span(0, 3) == m.to_raw_span(0, 3) == (7, 10)
    for i in range(len(t2) + 1):
        assert m.to_raw(i) == m1.to_raw(m2.to_raw(i))
        assert m.to_text(m.to_raw(i)) == i


def test_compose_refuses_maps_that_do_not_fit() -> None:
    with pytest.raises(ValueError, match="compose"):
        OffsetMap.identity(3).then(OffsetMap.identity(4))


def test_offsets_out_of_range_raise() -> None:
    m = OffsetMap.identity(3)
    with pytest.raises(IndexError):
        m.to_raw(4)
    with pytest.raises(IndexError):
        m.to_text(-1)
    with pytest.raises(ValueError):
        m.to_raw_span(2, 1)


def test_replace_all_and_deletions_agree_with_apply_edits() -> None:
    raw = "一是抓落实</p>\r\n<p>　　二是抓安全</p>\r\n<p>三是抓民生"
    rx = re.compile(r"(</p>\s*<p>[\u3000]*)")
    a, ma = replace_all(raw, rx, "\n")
    b, mb = apply_edits(raw, [(m.start(), m.end(), "\n") for m in rx.finditer(raw)])
    assert a == b
    for i in range(len(a) + 1):
        assert ma.to_raw(i) == mb.to_raw(i)
    spans = [(m.start(), m.end()) for m in rx.finditer(raw)]
    d = deletions_map(spans, len(raw))
    assert d.text_len == len(raw) - sum(e - s for s, e in spans)


def test_bulk_span_mapping_matches_one_at_a_time() -> None:
    raw = "<p>县长(xiàn zhǎng)主持会议</p><p>要求抓好落实</p>"
    text, m = apply_edits(raw, [(0, 3, ""), (5, 19, ""), (23, 30, "\n"), (36, 40, "")])
    spans = [(0, 2), (2, 2), (2, 6), (5, 7), (6, len(text))]
    assert m.to_raw_spans(spans) == [m.to_raw_span(s, e) for s, e in spans]
    raw_spans = [(0, 3), (3, 5), (5, 19), (19, 23), (30, len(raw))]
    assert m.to_text_spans(raw_spans) == [m.to_text_span(s, e) for s, e in raw_spans]


# -- properties -------------------------------------------------------------------------------
@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    raw = draw(st.text(alphabet="会议强调要抓落实，。 \n<p>", min_size=0, max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=12)))
    edits = []
    for s, e in zip(cuts[::2], cuts[1::2], strict=False):
        edits.append((s, e, draw(st.text(alphabet="落实X", max_size=3))))
    return raw, edits


@given(text_and_edits())
def test_maps_are_monotonic_in_range_and_exact_outside_edits(case: tuple[str, list]) -> None:
    raw, edits = case
    text, m = apply_edits(raw, edits)
    assert m.text_len == len(text) and m.raw_len == len(raw)
    points = [m.to_raw(i) for i in range(len(text) + 1)]
    assert points == sorted(points)
    assert all(0 <= p <= len(raw) for p in points)
    assert m.to_raw(0) <= len(raw) and m.to_raw_span(0, len(text))[1] <= len(raw)
    # characters outside every edit come from the same character of the raw text
    out = pos = 0
    for s, e, rep in [*edits, (len(raw), len(raw), "")]:
        for k in range(s - pos):
            assert m.to_raw(out + k) == pos + k
            assert text[out + k] == raw[pos + k]
            assert m.to_text(pos + k) == out + k
        out += s - pos + len(rep)
        pos = e
    for s in range(len(text) + 1):
        for e in range(s, min(len(text), s + 3) + 1):
            rs, re_ = m.to_raw_span(s, e)
            assert 0 <= rs <= re_ <= len(raw)
            ts, te = m.to_text_span(rs, re_)
            assert 0 <= ts <= te <= len(text)


@given(text_and_edits(), st.lists(st.integers(0, 200), max_size=80))
def test_bulk_mapping_agrees_with_the_scalar_one(case: tuple[str, list], picks: list[int]) -> None:
    raw, edits = case
    text, m = apply_edits(raw, edits)
    spans = sorted((p % (len(text) + 1), min(len(text), p % (len(text) + 1) + p % 4)) for p in picks)
    assert m.to_raw_spans(spans) == [m.to_raw_span(s, e) for s, e in spans]
    raw_spans = sorted((p % (len(raw) + 1), min(len(raw), p % (len(raw) + 1) + p % 3)) for p in picks)
    assert m.to_text_spans(raw_spans) == [m.to_text_span(s, e) for s, e in raw_spans]
