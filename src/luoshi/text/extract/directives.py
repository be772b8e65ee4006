"""Directives: the enumerated or clearly separate requirements a report gives.

Three shapes are recognised, all from the grammar of the genre:

1. enumerations — 一要/二要, 一是/二是 (mixed 是/要 counts as one list), 第一/第二 with
   首先/其次/最后, （一）/（二）, 1./2. and （1）/（2）. A list needs two consecutive
   ordinals; an item runs to the next ordinal of its list, or to the end of its paragraph,
   or to a sentence where the report turns to someone else's words (会议要求…, 他强调…);
2. parallel paragraphs that each open "某某强调/指出，要…" (at least two of them);
3. a requirement paragraph of a second leader next to another leader's list
   (…李克强指出，…各地区各部门要…).
Anything else — a 要 inside a commentary paragraph — is not a directive, and a text
without these shapes has none.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from luoshi.text.extract.deadlines import limits
from luoshi.text.extract.meta import cn_number
from luoshi.text.segment import Piece, clauses, sentences, strip_punct

_CN = "一二三四五六七八九十"
_MARKER = re.compile(
    rf"(?:^|(?<=[。！？；：，]))(?:"
    rf"(?P<a>[{_CN}]{{1,3}})(?:是要|是|要)(?![求素点])"
    rf"|第(?P<b>[{_CN}]{{1,3}})(?=[，、：])"
    rf"|(?P<b1>首先|其次|再次|最后)(?=[，、：])"
    rf"|[（(](?P<c>[{_CN}]{{1,3}})[）)]"
    rf"|(?P<d>\d{{1,2}})[.．、](?=[\u4e00-\u9fff])"
    rf"|[（(](?P<e>\d{{1,2}})[）)]"
    rf"|(?<![，；。！？])(?P<f>[{_CN}]{{1,3}})、(?=[\u4e00-\u9fff])"
    rf")"
)
_DIAGNOSIS = re.compile(
    r"(?:存在|面临|突出|暴露|反映出)[^。]{0,16}(?:问题|不足|困难|短板|差距|弱项|矛盾)[^。]{0,6}[：。，]?$"
)
_ATTENDANCE_LINE = re.compile(r"(?:出席|参加|陪同|列席|主持)[\u4e00-\u9fff]{0,4}。$")
_TURN_PARAGRAPH = re.compile(r"^.{1,8}?(?:强调|指出|要求|表示|说|认为)[，：]")
_WORD_ORDINAL = {"首先": 1, "其次": 2, "再次": 3}
_ATTRIBUTION = (
    r"(?:还|并|同时|也|进一步|最后|在讲话中|在批示中)?(?:强调|指出|要求|表示|说|认为|提出|决定|确定|部署|希望)"
)
_MODAL_START = re.compile(r"^(?:一定要|必须|务必|要|应当|应该|需要|是要)(?=[\u4e00-\u9fff“])")
_DISCOURSE = re.compile(r"^(?:我们说|应该说|可以说|总的来说|总的看)，?")
_FRAME = re.compile(
    r"^(?:(?:针对|按照|根据|依照|遵照|遵循|对照|在|随着|为了?|通过|用|以|对于?|基于|面对|鉴于|结合)"
    r".{0,40}(?:情况|时|中|上|下|后|前|方面|基础上|要求|原则|办法|方式|渠道|部署|精神|规定|标准|背景|形势)"
    r"|(?:从|自).{0,20}(?:起|以来|开始|至.{2,14})"
    r"|(?:对于?|凡是?).{0,30}的)$"
)
# A basis written into the clause without a comma: 按照…的原则合理确定… → 合理确定…
_BASIS = re.compile(r"^(?:按照|根据|依照|遵照|遵循)[^，]{2,30}?(?:原则|要求|规定|部署|精神|标准)(?=[\u4e00-\u9fff]{4})")
_ORG = r"[^，、（）]{1,10}?(?:部|委|局|厅|办|院|署|府|部门|单位|会|组|司|中心|机构|企业)"
_AGENT = re.compile(rf"^由{_ORG}(?:[、和及与]{_ORG})*")
_SUBJECT_MODAL = re.compile(r"^[\u4e00-\u9fff、]{2,10}?(?<![需重主只必纲首摘概])(?:要|必须|务必)(?![求素点件])")
# 对督查中发现的问题，… : an object put first, with no verb of its own
_FRONTED = re.compile(
    r"^(?:对于?|针对)(?!.*(?:开展|实施|进行|实行|加强|给予|作出|采取|推进|建立))"
    r".{2,24}(?:问题|情况|事项|单位|项目|企业|人员|地方|部门|的)$"
)
_PAREN = re.compile(r"（[^（）]*）")
# A 要 that is a modal verb, not part of 要求/重要/主要/需要…
_MODAL_YAO = re.compile(r"(?<![需重主只必纲首摘概扼])要(?![求素点件闻害领])")


@dataclass
class Directive:
    ordinal: int
    issuer: str | None
    headline: str
    text: str
    span: tuple[int, int]
    deadline: str | None = None
    deadline_basis: str | None = None
    actions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "ordinal": self.ordinal,
            "issuer": self.issuer,
            "headline": self.headline,
            "text": self.text,
            "span": list(self.span),
            "deadline": self.deadline,
            "deadline_basis": self.deadline_basis,
            "actions": self.actions,
        }


@dataclass
class _Marker:
    family: str
    word: str  # 是 or 要 for 一是/一要, else the family
    n: int
    start: int  # where the ordinal word starts (offset in text)
    end: int  # where the item's words start
    para: int


def _markers(paras: list[Piece]) -> list[_Marker]:
    out = []
    for pi, p in enumerate(paras):
        for m in _MARKER.finditer(p.text):
            kind = m.lastgroup
            if kind == "d" and m.start() != 0 and p.text[m.start() - 1] not in "。；：":
                continue
            if kind == "b1":
                word = m.group("b1")
                family, n = "b", _WORD_ORDINAL.get(word, 0)  # 最后 = "next", filled in below
            else:
                family = kind
                n = cn_number(m.group(kind)) or 0
            end = m.end()
            # the comma or colon after 第一/首先 belongs to the marker
            while end < len(p.text) and p.text[end] in "，、：":
                end += 1
            word = "要" if kind == "a" and m.group().endswith("要") else family
            out.append(_Marker(family, word, n, p.start + m.start(), p.start + end, pi))
    return out


def _sequences(markers: list[_Marker]) -> list[list[_Marker]]:
    """Runs of consecutive ordinals of one family (一要…二要…; 首先…第二…最后).

    Several runs of a family may be open at once, so that a list nested in an item
    (一要…，一是…二是…。二要…) does not break the outer one; a marker continues the
    run whose last ordinal it follows, preferring the same wording (是 after 是).
    """
    runs: list[list[_Marker]] = []
    open_: dict[str, list[list[_Marker]]] = {}
    for mk in markers:
        # a list goes on within a few paragraphs; older runs cannot be continued
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


def _item_ends(seq: list[_Marker], paras: list[Piece], text: str, names: list[str]) -> list[int]:
    """Where each item of a list ends.

    An item runs to the next ordinal of its list when that is in the same paragraph, else
    to the end of its paragraph; a heading list (一、…二、…) takes the paragraphs under each
    heading. Any item stops before a sentence that turns to someone else's words.
    """
    ends = []
    for i, mk in enumerate(seq):
        nxt = seq[i + 1] if i + 1 < len(seq) else None
        if nxt and nxt.para == mk.para:
            end = nxt.start
        elif mk.family == "f" or _is_heading(paras[mk.para], mk):
            last = nxt.para - 1 if nxt else _heading_tail(paras, mk.para)
            end = paras[last].end
        else:
            end = paras[mk.para].end
        ends.append(_cut_at_attribution(text, mk.end, end, names))
    return ends


def _is_heading(para: Piece, mk: _Marker) -> bool:
    """An ordinal that opens a short paragraph of its own is a heading over what follows."""
    return mk.start == para.start and len(para.text) <= 40 and para.text.count("。") <= 1


def _heading_tail(paras: list[Piece], start: int) -> int:
    """The last paragraph under the final heading: until an attribution or a short line."""
    last = start
    for pi in range(start + 1, min(len(paras), start + 6)):
        t = paras[pi].text
        if _TURN_PARAGRAPH.match(t) or _ATTENDANCE_LINE.search(t) or not _MODAL_YAO.search(t):
            break
        last = pi
    return last


def _is_diagnosis(text: str, seq: list[_Marker], paras: list[Piece]) -> bool:
    """A list of problems found (存在以下问题：一是…) reports, it does not direct."""
    first = seq[0]
    para = paras[first.para]
    lead = text[max(para.start, first.start - 40) : first.start]
    if first.start == para.start and first.para > 0:
        lead = paras[first.para - 1].text[-40:]
    return bool(_DIAGNOSIS.search(lead))


@functools.cache
def _turn_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    who = "|".join(["会议", "他", "她", "通知", "批示", "文件", "意见", *map(re.escape, names)])
    return re.compile(rf"(?<=[。！？])(?:{who}){_ATTRIBUTION}")


def _cut_at_attribution(text: str, start: int, end: int, names: list[str]) -> int:
    """End an item before a sentence that turns to someone's words (会议要求…, 他强调…)."""
    m = _turn_pattern(tuple(names)).search(text, start, end)
    return m.start() if m else end


@functools.cache
def _head_pattern(leaders: tuple[str, ...]) -> re.Pattern[str]:
    who = "|".join(["他", "她", *map(re.escape, leaders)])
    return re.compile(rf"({who}){_ATTRIBUTION}[，：]")


def _attribution_paragraph(p: Piece, leaders: list[str]) -> tuple[str, int] | None:
    """'某某强调，要…' at the head of a paragraph: (who, where the words start)."""
    if not leaders:
        return None
    m = _head_pattern(tuple(leaders)).match(p.text)
    return (m.group(1), m.end()) if m else None


def headline(body: str) -> str:
    """The head phrase of an item (ordinal already removed)."""
    body = _DISCOURSE.sub("", _MODAL_START.sub("", body.strip()))
    heading, _, rest = body.partition("\n")
    if rest and len(heading) <= 30 and not re.search(r"[。！？；]", heading):
        return strip_punct(_PAREN.sub("", heading))  # a heading line (一、压实主体责任)
    sents = sentences(Piece(body, 0))
    if not sents:
        return strip_punct(body)
    first = sents[0].text
    parts = [strip_punct(c.text) for c in clauses(Piece(first, 0))]
    parts = [_BASIS.sub("", p) for p in parts if p]
    # leading frames: a condition, a basis, a manner, a date, or a topic before a modal
    lead = 0
    while lead < len(parts) - 1 and _FRAME.match(parts[lead]):
        lead += 1
    # a topic (分配和管理环节，必须…) or an object fronted with 对 (对发现的问题，责任单位要…)
    # before the clause that carries the modal
    for k in range(lead + 1, min(len(parts), 3)):
        topic = all(len(x) <= 12 for x in parts[lead:k]) and _MODAL_START.match(parts[k])
        fronted = all(_FRONTED.match(x) for x in parts[lead:k]) and _SUBJECT_MODAL.match(parts[k])
        if topic or fronted:
            lead = k
            break
    parts = parts[lead:]
    # a short first sentence is the heading itself; a long one, or a run of three or more
    # clauses, is headed by its first clause
    if len(strip_punct(first)) <= 30 and len(parts) <= 2:
        head = "，".join(parts)
    else:
        head = parts[0] if parts else strip_punct(first)
    head = _MODAL_START.sub("", head)
    head = _AGENT.sub("", head)
    head = _PAREN.sub("", head)
    return strip_punct(head)


def strip_ordinal(text: str) -> str:
    """An item's words without the ordinal that opens them (二要…, 第二，…, （二）…)."""
    m = _MARKER.match(text)
    if not m or not m.group():
        return text
    end = m.end()
    while end < len(text) and text[end] in "，、：":
        end += 1
    return text[end:]


def _actions(body: str) -> list[str]:
    """The separate actions of an item: its clauses that are not frames or commentary."""
    out = []
    for s in sentences(Piece(body, 0)):
        for c in clauses(s):
            t = _MODAL_START.sub("", strip_punct(c.text))
            if len(t) >= 4 and not _FRAME.match(t) and t not in out:
                out.append(t)
    return out


def _requirement_start(text: str) -> int:
    """Where the first requirement (the first modal 要 clause) of a paragraph begins."""
    m = _MODAL_YAO.search(text)
    return m.end() if m else 0


def find_directives(text: str, paras: list[Piece], leaders: list[str], year: int,
                    meeting: dt.date | None = None, warnings: list[str] | None = None) -> list[Directive]:
    """All directives of the text, in order, numbered from 1.

    ``meeting``: the meeting date, where known; a limit before it is not used but added to ``warnings``.
    """
    found: list[tuple[int, int, str | None, str]] = []  # start, end, issuer, headline body
    seqs: list[list[_Marker]] = []
    spans: list[tuple[int, int]] = []  # the items of the lists kept so far, in order
    list_issuers: set[str] = set()
    list_paras: set[int] = set()
    para_starts = [p.start for p in paras]
    mentions = _Mentions(text, leaders)
    for seq in _sequences(_markers(paras)):
        if _is_diagnosis(text, seq, paras):
            continue
        # a list inside one item of another list belongs to that item
        k = bisect.bisect_right(spans, (seq[0].start, len(text) + 1)) - 1
        if k >= 0 and spans[k][0] <= seq[0].start and seq[-1].start < spans[k][1]:
            continue
        seqs.append(seq)
        issuer = mentions.last_before(seq[0].start)
        if issuer:
            list_issuers.add(issuer)
        for mk, end in zip(seq, _item_ends(seq, paras, text, leaders), strict=True):
            found.append((mk.start, end, issuer, text[mk.end : end]))
            bisect.insort(spans, (mk.start, end))
            list_paras.update(range(mk.para, bisect.bisect_left(para_starts, end)))

    # parallel "某某强调，要…" paragraphs
    heads = []
    for pi, p in enumerate(paras):
        if pi in list_paras:
            continue
        att = _attribution_paragraph(p, leaders)
        if att and p.text[att[1] : att[1] + 1] == "要":
            heads.append((pi, att))
    if len(heads) >= 2:
        for pi, (who, at) in heads:
            p = paras[pi]
            issuer = who if who in leaders else mentions.last_before(p.start)
            found.append((p.start, p.end, issuer, p.text[at:]))
            list_paras.add(pi)

    # a second leader's requirement paragraph right after a list
    last_paras = {seq[-1].para for seq in seqs}
    for pi, p in enumerate(paras):
        if pi in list_paras or pi - 1 not in last_paras:
            continue
        att = _attribution_paragraph(p, leaders)
        if not att or att[0] not in leaders or att[0] in list_issuers:
            continue
        rest = p.text[att[1] :]
        if _MODAL_YAO.search(rest):
            found.append((p.start, p.end, att[0], rest[_requirement_start(rest) :]))

    found.sort()
    out = []
    for ordinal, (start, end, issuer, body) in enumerate(found, start=1):
        item = text[start:end].rstrip()
        dl, past = limits(item, year, meeting)
        if warnings is not None:
            for d in past:
                when = meeting.isoformat() if meeting else "?"
                warnings.append(f"directive {ordinal}: the time limit “{d.basis}” ({d.date.isoformat()}) is before "
                                f"the meeting ({when}); not used as its deadline")
        out.append(
            Directive(
                ordinal=ordinal,
                issuer=issuer,
                headline=headline(body),
                text=item,
                span=(start, start + len(item)),
                deadline=dl.date.isoformat() if dl else None,
                deadline_basis=dl.basis if dl else None,
                actions=_actions(body),
            )
        )
    return out


class _Mentions:
    """Where each leader is named, to find the one named last before a point."""

    def __init__(self, text: str, leaders: list[str]):
        self.first = leaders[0] if leaders else None
        self.at: list[int] = []
        self.who: list[str] = []
        if leaders:
            pattern = re.compile("|".join(map(re.escape, sorted(leaders, key=len, reverse=True))))
            for m in pattern.finditer(text):
                self.at.append(m.start())
                self.who.append(m.group())

    def last_before(self, pos: int) -> str | None:
        i = bisect.bisect_left(self.at, pos)
        return self.who[i - 1] if i else self.first
