"""Enumeration markers of every style the genre uses, and the runs they form.

Styles: 一要/一是/一是要 (also after an addressee: 各乡镇一要…), 第一/首先/其次/最后, （一）, 1. / 1、,
（1）, 一、, a bare numeral before an imperative (一抓项目。二抓民生。), bullets (◆ ■ ● …) at the head
of paragraphs, and formula lists (三迅速是迅速…；迅速…；迅速…。), where a number and a keyword
announce as many clauses that each open (or each close) with the keyword.

A run needs two consecutive ordinals of one family; several runs of a family may be open at once,
so that a list nested in an item (一要…，一是…二是…。二要…) does not break the outer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.text.extract.meta import cn_number
from luoshi.text.segment import Piece

_CN = "一二三四五六七八九十"
_MARKER = re.compile(
    rf"(?:^|(?<=[。！？；：，—]))(?:"
    rf"(?P<a>[{_CN}]{{1,3}})(?:是要|是|要)(?![求素点])"
    rf"|第(?P<b>[{_CN}]{{1,3}})(?=[，、：])"
    rf"|(?P<b1>首先|其次|再次|最后)(?=[，、：])"
    rf"|[（(](?P<c>[{_CN}]{{1,3}})[）)]"
    rf"|(?P<d>\d{{1,2}})[.．、](?=[\u4e00-\u9fff])"
    rf"|[（(](?P<e>\d{{1,2}})[）)]"
    rf"|(?<![，；。！？—])(?P<f>[{_CN}]{{1,3}})、(?=[\u4e00-\u9fff])"
    rf")"
)
# 一要/一是 after its addressee: 他强调，各乡（镇）一要…；全县上下一是要…
_ADDRESSED = re.compile(
    rf"(?:^|(?<=[。！？；：，]))(?P<subj>各[^，。；：！？]{{1,12}}?|[^，。；：！？]{{1,10}}?"
    rf"(?:部门|单位|乡镇|上下|干部|领导|同志|企业|街道|机关|（镇）))(?P<a>[{_CN}]{{1,2}})(?:是要|是|要)(?![求素点])"
)
# 一抓项目建设。二抓民生保障。: a bare numeral before an imperative, at a sentence head
_BARE = re.compile(
    rf"(?:^|(?<=[。；：，]))(?P<g>[{_CN}])(?!把手|以贯之|定|律|旦|致|切|直|再|起|同|道|般|些|批|方面|年|季|月)"
    r"(?=[抓强严优促保建稳扩提育聚重守防治控改树破补加推做落压健完坚确深突统夯明细增维巩培打实开组认吃精善紧])"
)
_BULLET = re.compile(r"^[◆◇■□●○▲△★☆►▶•※◎❖]\s*")
_WORD_ORDINAL = {"首先": 1, "其次": 2, "再次": 3}
# 三迅速是迅速…；迅速…；迅速…。 / 两克服是克服…；克服…。
_FORMULA = re.compile(r"(?:^|(?<=[。！？；：]))(?P<n>[两二三四五六七八九十])(?P<k>[\u4e00-\u9fff]{2})是")


@dataclass
class Marker:
    family: str  # a 一要/一是, b 第一/首先, c （一）, d 1., e （1）, f 一、, g bare, bullet
    word: str  # 是 or 要 for 一是/一要, else the family
    n: int
    start: int  # where the ordinal word starts (offset in text)
    end: int  # where the item's words start
    para: int
    subject: str | None = None  # an addressee written before the ordinal (各乡镇一要)


@dataclass
class Formula:
    """One numbered formula (三迅速是…): its name and where it stands."""

    name: str
    start: int
    end: int
    para: int


def markers(paras: list[Piece]) -> list[Marker]:
    """Every ordinal marker of the text, in order."""
    out: list[Marker] = []
    bullets: dict[str, tuple[int, int]] = {}  # bullet character -> (last paragraph, count)
    for pi, p in enumerate(paras):
        found: dict[int, Marker] = {}
        b = _BULLET.match(p.text)
        if b:
            ch = p.text[0]
            last, count = bullets.get(ch, (-10, 0))
            count = count + 1 if pi - last <= 3 else 1
            bullets[ch] = (pi, count)
            found[0] = Marker("bullet", "bullet", count, p.start, p.start + b.end(), pi)
        for m in _MARKER.finditer(p.text):
            kind = m.lastgroup
            if kind == "d" and m.start() != 0 and p.text[m.start() - 1] not in "。；：":
                continue
            if kind == "b1":
                family, n = "b", _WORD_ORDINAL.get(m.group("b1"), 0)  # 最后 = "next", filled in later
            else:
                family, n = kind, cn_number(m.group(kind)) or 0
            word = "要" if kind == "a" and m.group().endswith("要") else family
            at = p.start + m.start()
            found.setdefault(m.start(), Marker(family, word, n, at, p.start + _skip(p.text, m.end()), pi))
        for m in _ADDRESSED.finditer(p.text) if "一要" in p.text or "一是" in p.text else ():
            at = m.start("a")
            if at not in found:
                word = "要" if m.group().endswith("要") else "a"
                found[at] = Marker("a", word, cn_number(m.group("a")) or 0, p.start + at, p.start + m.end(), pi,
                                   subject=m.group("subj"))
        for m in _BARE.finditer(p.text):
            if m.start() not in found:
                found[m.start()] = Marker("g", "g", cn_number(m.group("g")) or 0, p.start + m.start(),
                                          p.start + m.end(), pi)
        out.extend(found[k] for k in sorted(found))
    return out


def _skip(text: str, end: int) -> int:
    """The comma or colon after 第一/首先 belongs to the marker."""
    while end < len(text) and text[end] in "，、：":
        end += 1
    return end


def sequences(found: list[Marker]) -> list[list[Marker]]:
    """Runs of consecutive ordinals of one family (一要…二要…; 首先…第二…最后).

    A marker continues the run whose last ordinal it follows, preferring the same wording (是
    after 是); a run goes on within a few paragraphs.
    """
    runs: list[list[Marker]] = []
    open_: dict[str, list[list[Marker]]] = {}
    for mk in found:
        same = open_.setdefault(mk.family, [])
        same[:] = [r for r in same if mk.para - r[-1].para <= 3]
        if mk.n == 0:  # 最后: the next item of the latest open run
            if not same:
                continue
            mk.n = same[-1][-1].n + 1
        fits = [r for r in same if r[-1].n == mk.n - 1 and r[-1].end <= mk.start]
        fits.sort(key=lambda r: (r[-1].word != mk.word, -r[-1].start))
        if fits and mk.n > 1:
            fits[0].append(mk)
        elif mk.n == 1:
            runs.append([mk])
            same.append(runs[-1])
    done = [r for r in runs if len(r) >= 2]
    done.sort(key=lambda r: r[0].start)
    return done


def formulas(paras: list[Piece]) -> list[list[Formula]]:
    """Runs of two or more numbered formulas in a paragraph (三迅速是…。三确保是…。两克服是…。).

    A formula counts only where the clauses after 是 are as many as its number says and each opens
    (or each closes) with its keyword: the text then proves the reading.
    """
    runs: list[list[Formula]] = []
    for pi, p in enumerate(paras):
        if "是" not in p.text:
            continue
        run: list[Formula] = []
        for m in _FORMULA.finditer(p.text):
            n = cn_number(m.group("n"))
            stop = p.text.find("。", m.end())
            stop = len(p.text) if stop < 0 else stop + 1
            parts = [x for x in re.split(r"[；。]", p.text[m.end() : stop]) if x]
            k = m.group("k")
            if n and len(parts) == n and (all(x.startswith(k) for x in parts) or all(x.endswith(k) for x in parts)):
                run.append(Formula(m.group("n") + m.group("k"), p.start + m.start(), p.start + stop, pi))
        if len(run) >= 2:
            runs.append(run)
    return runs


def strip_ordinal(text: str) -> str:
    """An item's words without the ordinal that opens them (二要…, 第二，…, （二）…, ◆ …)."""
    b = _BULLET.match(text)
    if b:
        return text[b.end() :]
    m = _MARKER.match(text) or _BARE.match(text)
    if not m or not m.group():
        return text
    return text[_skip(text, m.end()) :]
