"""The head phrase of a directive, and the separate actions inside it.

The head is the item's words without its ordinal and a leading modal (要/是要/必须/一定要):
- where the first sentence is short (at most 30 characters, punctuation and quotation marks not
  counted), that whole sentence, less a leading condition or basis (针对…情况，要…);
- else its first clause, or the main action clause where the first is only a frame (a condition,
  a basis, a manner, a date) or a topic (教育方面，要…), less an addressee and its modal
  (县政府各分管领导要持续督导… → 持续督导…).
"""

from __future__ import annotations

import re

from luoshi.text.extract.cues import ADDRESSEE
from luoshi.text.segment import Piece, clauses, sentences, strip_punct

_SHORT = 30
_MODAL_START = re.compile(r"^(?:一定要|必须|务必|要|应当|应该|需要|是要)(?=[\u4e00-\u9fff“\"])")
_DISCOURSE = re.compile(r"^(?:我们说|应该说|可以说|总的来说|总的看)，?")
_FRAME = re.compile(
    r"^(?:(?:针对|按照|根据|依照|遵照|遵循|对照|在|随着|为了?|通过|用|以|对于?|基于|面对|鉴于|结合)"
    r".{0,40}(?:情况|时|中|上|下|后|前|方面|基础上|要求|原则|办法|方式|渠道|部署|精神|规定|标准|背景|形势)"
    r"|对照.{2,40}"
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
_ADDRESSED_MODAL = re.compile(
    r"^(?P<who>[^，。；：“”]{2,16}?)(?:一定要|必须|务必|要)(?![求素点件])(?=[\u4e00-\u9fff“])"
)
# an enumeration nested in the first sentence (一要抓好项目，一是…二是…): not part of a heading
_NESTED = re.compile(r"[，：；](?:[一二三四五六七八九十](?:是|要)|[（(][一二三四五六七八九十\d][）)]|\d[.、])")
_NOT_COUNTED = re.compile(r"[\s，。、；：！？“”‘’\"'（）《》—…·]")


def _length(s: str) -> int:
    """Characters of a sentence, punctuation and quotation marks not counted."""
    return len(_NOT_COUNTED.sub("", s))


def _drop_addressee(clause: str) -> str:
    """县政府各分管领导要持续督导… → 持续督导…"""
    m = _ADDRESSED_MODAL.match(clause)
    if m and ADDRESSEE.match(m.group("who")):
        return clause[m.end() :]
    return clause


def one_sentence(body: str) -> bool:
    """Whether an item is a single sentence (its heading and nothing more)."""
    return len([s for s in sentences(Piece(body.strip(), 0)) if strip_punct(s.text)]) <= 1


def headline(body: str, alone: bool | None = None) -> str:
    """The head phrase of an item (ordinal already removed).

    ``alone``: whether the items of its list are single sentences (default: whether this one is).
    In a list of one-sentence items each sentence is its own heading; where items are headed by a
    sentence with detail after it, a heading of three clauses or more is cut to its first clause.
    """
    body = _DISCOURSE.sub("", _MODAL_START.sub("", body.strip()))
    heading, _, rest = body.partition("\n")
    if rest and len(heading) <= _SHORT and not re.search(r"[。！？；]", heading):
        return strip_punct(_PAREN.sub("", heading))  # a heading line (一、压实主体责任)
    sents = sentences(Piece(body, 0))
    if not sents:
        return strip_punct(body)
    first = sents[0]
    pieces = [c for c in clauses(first) if strip_punct(c.text)]
    parts = [_BASIS.sub("", strip_punct(c.text)) for c in pieces]
    # leading frames: a condition, a basis, a date before a modal
    lead = 0
    while lead < len(parts) - 1 and _FRAME.match(parts[lead]):
        lead += 1
    if alone is None:
        alone = one_sentence(body)
    short = _length(_PAREN.sub("", first.text)) <= _SHORT and not _NESTED.search(first.text)
    if short and (alone or len(parts) - lead <= 2):
        head = first.text[pieces[lead].start - first.start :] if pieces else first.text
        head = _MODAL_START.sub("", strip_punct(head))
    else:
        # a topic (分配和管理环节，必须…) or an object fronted with 对 (对发现的问题，责任单位要…)
        # before the clause that carries the modal
        for k in range(lead + 1, min(len(parts), 3)):
            topic = all(len(x) <= 12 for x in parts[lead:k]) and _MODAL_START.match(parts[k])
            fronted = all(_FRONTED.match(x) for x in parts[lead:k]) and _SUBJECT_MODAL.match(parts[k])
            if topic or fronted:
                lead = k
                break
        head = parts[lead] if parts else strip_punct(first.text)
        head = _drop_addressee(_MODAL_START.sub("", head))
    head = _AGENT.sub("", head)
    head = _PAREN.sub("", head)
    return strip_punct(head)


def actions(body: str) -> list[str]:
    """The separate actions of an item: its clauses that are not frames or commentary."""
    out = []
    for s in sentences(Piece(body, 0)):
        for c in clauses(s):
            t = _MODAL_START.sub("", strip_punct(c.text))
            if len(t) >= 4 and not _FRAME.match(t) and t not in out:
                out.append(t)
    return out
