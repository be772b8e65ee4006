"""Directives: the enumerated or clearly separate requirements a report gives.

Candidates come from the genre's shapes (see `ordinals`): enumerations of any style, bullet
paragraphs, formula lists, and unnumbered paragraphs that open with someone's instructions
(某某强调，…各相关单位要…). Each candidate is scored on its cues (see `cues`), and the reasons
are kept, so that `luoshi extract --explain` can say why a list was or was not taken:
- for: it is introduced by a verb of instruction and its speaker (王清华要求，/ 会议强调，/
  提出了五点要求：), its items open with modal or imperative heads;
- against: the words before it report findings (存在…问题), retrospect (取得…成效) or a
  commitment (作表态发言), or its items report results.
An unnumbered paragraph counts where its requirement comes at once (after at most a framing
sentence) and it stands with others like it, beside a list, or under a bullet intro; a
requirement buried in commentary does not. Its text starts at its addressee or its 要: the
attribution (某某强调，) belongs to the issuer, the framing is left out.

The issuer of a list is the speaker of its introduction: the last speech site before it (a name,
他, a post alone resolved through the post's holder, or 会议: the chair), else the joint subject of
the introducing sentence (甲、乙…强调要…: the first).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from luoshi.text.extract import cues
from luoshi.text.extract.deadlines import limits
from luoshi.text.extract.headline import actions, headline, one_sentence
from luoshi.text.extract.names import name_at, strip_titles
from luoshi.text.extract.ordinals import Marker, formulas, markers, sequences, strip_ordinal
from luoshi.text.extract.people import Cast, Site
from luoshi.text.segment import Piece

__all__ = ["Candidate", "Directive", "Found", "find_directives", "headline", "strip_ordinal"]

_ATTENDANCE_LINE = re.compile(r"(?:出席|参加|陪同|列席|主持)[\u4e00-\u9fff]{0,4}。$")
_TURN_PARAGRAPH = re.compile(r"^.{1,8}?(?:强调|指出|要求|表示|说|认为)[，：]")
_ATTRIBUTION = (
    r"(?:还|并|同时|也|进一步|最后|在讲话中|在批示中)?(?:强调|指出|要求|表示|说|认为|提出|决定|确定|部署|希望)"
)
# A byline closing the last paragraph: （县电视台鲁冠均）, （马宇 胡鹏）
_BYLINE = re.compile(r"[（(][^（）()。，；]{2,30}[）)]\s*$")
# what may come before the words of a paragraph's speaker: a connective, or the topic of a
# meeting's agenda item (会议研究了老旧小区改造工作。伏海涛要求，…)
_CONNECTIVE = re.compile(
    r"^(?:会上，|同时，|此外，|另外，|最后，|会议最后，|会议(?:研究|听取|审议|讨论)了?[^。！？]{2,40}。)?"
)
_MAX_FRAMING_SENTENCES = 1


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
class _Item:
    start: int
    end: int
    body: str  # the words the headline is read from
    head: str | None = None  # a headline given by the shape itself (a formula's name)


@dataclass
class Candidate:
    """A shape that may hold directives, with the score of its cues and the reasons."""

    kind: str  # "list", "bullets", "formulas", "paragraph"
    at: int
    items: list[_Item]
    issuer: str | None = None
    co_issuers: list[str] = field(default_factory=list)
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    kept: bool = False
    voice: str = "name"  # who introduces it: a name, 他, a post, a meeting, a document

    def note(self, points: int, why: str) -> None:
        self.score += points
        self.reasons.append(f"{points:+d} {why}")

    def explain(self, text: str) -> str:
        first = text[self.items[0].start : self.items[0].start + 16].replace("\n", " ") if self.items else ""
        verdict = "kept" if self.kept else "dropped"
        who = f"; issuer {self.issuer}" if self.issuer else ""
        return (f"{self.kind} at {self.at} ({len(self.items)} items, “{first}…”): {verdict}, "
                f"score {self.score}{who}: " + "; ".join(self.reasons))


# -- who gives a list ---------------------------------------------------------------------------

class _Issuers:
    def __init__(self, text: str, cast: Cast):
        self.text = text
        self.cast = cast
        self.kept: list[str] = []  # issuers of what was kept so far

    def of_site(self, site: Site) -> str | None:
        if site.kind != "meeting":
            return site.who
        return self.meeting()

    def meeting(self) -> str | None:
        """会议强调: the chair, else the one official who gives anything, else the one present."""
        if self.cast.chairs:
            return self.cast.chairs[0]
        if len(set(self.kept)) == 1:
            return self.kept[0]
        if len(self.cast.present) == 1:
            return self.cast.present[0]
        return None

    def joint_subject(self, sentence: str) -> list[str]:
        """The names that open a sentence (8月28日，市委书记李江，市委副书记、代理市长刘会英前往…)."""
        s = re.sub(r"^[^，]{0,12}(?:日|上午|下午|晚|会上|会后)，", "", sentence)
        out: list[str] = []
        for element in re.split(r"[、，]", s)[:6]:
            rest = strip_titles(element)
            if not rest:
                continue
            name = name_at(rest, 0, set(self.cast.known))
            if not name:
                break
            out.append(name)
            if len(rest) > len(name):
                break
        return out


def _intro_region(paras: list[Piece], first: Marker | int, para_index: int) -> tuple[int, int]:
    """Where a list's introduction is read: its paragraph up to the list, or the one before it."""
    start = first.start if isinstance(first, Marker) else first
    p = paras[para_index]
    lead = p.text[: start - p.start]
    if len(re.sub(r"[，：—\s]", "", lead)) <= 12 and para_index > 0:  # nothing (or an addressee) before it
        return paras[para_index - 1].start, start
    return p.start, start


def _sentences_before(text: str, lo: int, hi: int, n: int) -> list[str]:
    """The last ``n`` sentences before a list, the nearest first."""
    out = []
    for _ in range(n):
        s = _last_sentence(text, lo, hi)
        if not s:
            break
        out.append(s)
        hi = text.rfind(s, lo, hi)
        if hi <= lo:
            break
    return out


def _last_sentence(text: str, lo: int, hi: int) -> str:
    """The sentence that ends where a list begins (its own closing mark included); an addressee
    that opens the list's paragraph (各级各部门一是要…) is not part of it."""
    chunk = text[lo:hi].rstrip()
    head, newline, tail = chunk.rpartition("\n")
    if newline and len(tail) <= 12 and not re.search(r"[。！？]", tail):
        chunk = head.rstrip()
    cut = max(chunk.rfind(c, 0, max(0, len(chunk) - 1)) for c in "。！？\n")
    return chunk[cut + 1 :]


def _score_intro(c: Candidate, text: str, cast: Cast, who: _Issuers, lo: int, hi: int) -> None:
    """The cues of the words that introduce a list, and its issuer."""
    sentence = _last_sentence(text, lo, hi)
    sites = cast.sites_between(lo, hi)
    site = sites[-1] if sites else None
    if site is not None:
        c.issuer = who.of_site(site)
        speaker = site.who or site.kind
        if site.instructs:
            c.note(+2, f"introduced by {speaker} {site.verb}")
        elif site.direct:
            c.note(+1, f"introduced by {speaker} {site.verb}, words of their own")
        else:
            c.note(0, f"introduced by {speaker} {site.verb} (speech, not instruction)")
    if c.issuer is None and (site is None or site.kind not in _IMPERSONAL):
        # the sentence (of the last three) that gives instructions, and the names that open it
        said = next((s for s in _sentences_before(text, lo, hi, 3) if _INSTRUCT.search(s)), "")
        joint = who.joint_subject(said) if said else []
        if joint:
            c.issuer, c.co_issuers = joint[0], joint[1:]
            c.note(+2, f"introduced by the joint subject {'、'.join(joint)}")
    if cues.LIST_VERB.search(sentence):
        c.note(+1, "announces its points (N点要求)")
    if cues.COMMITMENT.search(sentence):
        c.note(-3, "a commitment (表态) introduces it")
    if cues.FINDING.search(sentence):
        c.note(-3, "findings introduce it (存在…问题)")
    elif cues.RETROSPECT.search(sentence) and not (site and site.instructs):
        c.note(-1, "retrospect introduces it (取得…成效)")
    if site is not None and not site.instructs and cues.REPORTING.search(site.verb):
        c.note(-1, f"a report ({site.verb}) introduces it")


_IMPERSONAL = ("meeting", "document")
_INSTRUCT = re.compile(cues.INSTRUCT)
_PAST = re.compile(r"了(?!解)|已经|已")


def _score_items(c: Candidate, text: str) -> None:
    words = [text[i.start : i.end] for i in c.items]
    heads = [strip_ordinal(w).lstrip() for w in words]
    first = [re.split(r"[，。；：]", h, maxsplit=1)[0] for h in heads]
    # the ordinal word may carry the modal itself: 一要, 一是要
    requiring = sum(1 for w, h in zip(words, first, strict=True)
                    if "要" in w[: len(w) - len(strip_ordinal(w))] or cues.IMPERATIVE.match(h)
                    or cues.REQUIREMENT.search(h))
    past = sum(1 for h in first if cues.RETROSPECT.search(h) or _PAST.search(h))
    if requiring * 2 >= len(first):
        c.note(+1, f"items open with requirements ({requiring}/{len(first)})")
    else:
        c.note(0, f"few items open with requirements ({requiring}/{len(first)})")
    if past * 2 > len(first):
        c.note(-2, f"items report results ({past}/{len(first)})")


# -- where items end ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)  # one per text's set of names; a server reads many texts
def _turn_pattern(names: tuple[str, ...], meeting: bool = True) -> re.Pattern[str]:
    who = "|".join([*(["会议"] if meeting else []), "他", "她", "通知", "批示", "文件", "意见", *map(re.escape, names)])
    return re.compile(rf"(?<=[。！？])(?:同时，|此外，|另外，)?(?:{who}){_ATTRIBUTION}")


def _cut(text: str, start: int, end: int, names: tuple[str, ...], meeting: bool = True) -> int:
    """End an item before a sentence that turns to someone's words (会议要求…, 他强调…) or a byline.

    Under a heading (一、关于…工作。会议要求…) the meeting's words are the item's own: ``meeting``
    False does not end it there.
    """
    m = _turn_pattern(names, meeting).search(text, start, end)
    end = m.start() if m else end
    b = _BYLINE.search(text, start, end)
    if b and text[b.start() - 1 : b.start()] in "。！？；":
        end = b.start()
    return end


def _is_heading(para: Piece, mk: Marker) -> bool:
    """An ordinal that opens a short paragraph of its own is a heading over what follows."""
    return mk.start == para.start and len(para.text) <= 40 and para.text.count("。") <= 1


def _heading_tail(paras: list[Piece], start: int) -> int:
    """The last paragraph under the final heading: until an attribution or a short line."""
    last = start
    for pi in range(start + 1, min(len(paras), start + 6)):
        t = paras[pi].text
        if _TURN_PARAGRAPH.match(t) or _ATTENDANCE_LINE.search(t) or not cues.MODAL_YAO.search(t):
            break
        last = pi
    return last


def _item_ends(seq: list[Marker], paras: list[Piece], text: str, names: tuple[str, ...],
               sub_starts: set[int]) -> list[int]:
    """Where each item of a list ends.

    An item runs to the next ordinal of its list when that is in the same paragraph, else to the
    end of its paragraph, taking along the paragraphs of a sub-list under it ((1)…(2)…); a
    heading list (一、…二、…) takes the paragraphs under each heading. Any item stops before a
    sentence that turns to someone else's words, and before a closing byline.
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
            last = mk.para
            stop = nxt.para if nxt else len(paras)
            while last + 1 < stop and paras[last + 1].start in sub_starts:
                last += 1
            end = paras[last].end
        ends.append(_cut(text, mk.end, end, names, meeting=mk.family != "f"))
    return ends


# -- unnumbered paragraphs ----------------------------------------------------------------------

def _opening_site(p: Piece, cast: Cast) -> Site | None:
    """Someone's instructions at the head of a paragraph (张团结指出，/ 会议强调，/ 会上，他强调：)."""
    conn = _CONNECTIVE.match(p.text).end()
    for s in cast.sites_between(p.start, p.start + conn + 1):
        if s.direct and (s.instructs or s.verb in ("说", "表示", "认为")):
            return s
    return None


def _requirement(text: str, p: Piece, site: Site) -> tuple[int, int, int, bool] | None:
    """Item start, body start, sentences before it, and whether it opens the words, of the first
    requirement after an attribution."""
    words_start = site.end
    while words_start < p.end and text[words_start] in "，：—— ":
        words_start += 1
    m = cues.REQUIREMENT.search(text, words_start, p.end)
    if not m:
        return None
    before = text[words_start : m.start()]
    n_before = len(re.findall(r"[。！？；]", before))
    clause_start = max(before.rfind(c) for c in "，。！？；：") + 1
    addressee = before[clause_start:].strip()
    start = words_start + clause_start if addressee and cues.ADDRESSEE.match(addressee) else m.start()
    y = cues.MODAL_YAO.search(text, m.start(), p.end)
    body = y.end() if y else m.end()
    return start, body, n_before, start == words_start


# -- the whole ----------------------------------------------------------------------------------

def find_directives(text: str, paras: list[Piece], cast: Cast, year: int, meeting: dt.date | None = None,
                    warnings: list[str] | None = None, year_known: bool = True) -> Found:
    """All directives of the text, in order, numbered from 1, and every candidate looked at.

    ``meeting``: the meeting date, where known; a limit before it is not used but added to
    ``warnings``. ``year_known``: whether the text gives the meeting's year (else it is assumed).
    """
    who = _Issuers(text, cast)
    names = tuple(sorted(cast.known, key=len, reverse=True))
    found = markers(paras)
    sub_starts = {paras[m.para].start for m in found if m.start == paras[m.para].start}
    candidates: list[Candidate] = []
    spans: list[tuple[int, int]] = []  # items of every list looked at, to find lists nested in them
    taken: set[int] = set()  # paragraphs that hold kept items
    para_starts = [p.start for p in paras]

    shapes: list[tuple[int, str, object]] = [(seq[0].start, "list", seq) for seq in sequences(found)]
    shapes += [(run[0].start, "formulas", run) for run in formulas(paras)]
    shapes.sort(key=lambda x: x[0])
    for at, kind, shape in shapes:
        k = bisect.bisect_right(spans, (at, len(text) + 1)) - 1
        if k >= 0 and spans[k][0] <= at < spans[k][1]:
            continue  # a list inside an item of another list belongs to that item
        if kind == "formulas":
            run = shape
            c = Candidate("formulas", at, [_Item(f.start, f.end, "", f.name) for f in run])
            lo, hi = _intro_region(paras, at, run[0].para)
            first_para = run[0].para
        else:
            seq = shape
            subs = sub_starts - {paras[m.para].start for m in seq}
            ends = _item_ends(seq, paras, text, names, subs)
            bullets = seq[0].family == "bullet"
            items = [_Item(m.end if bullets else m.start, e, text[m.end : e]) for m, e in zip(seq, ends, strict=True)]
            c = Candidate("bullets" if bullets else "list", at, items)
            lo, hi = _intro_region(paras, seq[0], seq[0].para)
            first_para = seq[0].para
        _score_intro(c, text, cast, who, lo, hi)
        _score_items(c, text)
        if c.issuer is None and who.kept:
            c.issuer = who.kept[-1]
            c.reasons.append("issuer carried over from the list before")
        c.kept = c.score >= 0
        candidates.append(c)
        for it in c.items:
            bisect.insort(spans, (it.start, it.end))
        if c.kept:
            if c.issuer:
                who.kept.append(c.issuer)
            first_end = max(i.end for i in c.items)
            taken.update(range(first_para, bisect.bisect_right(para_starts, first_end - 1)))

    # unnumbered paragraphs that open with instructions
    opening: list[tuple[int, Candidate, bool]] = []
    for pi, p in enumerate(paras):
        if pi in taken:
            continue
        site = _opening_site(p, cast)
        if site is None or (cast.reception and site.kind != "meeting"):
            continue
        req = _requirement(text, p, site)
        if req is None:
            continue
        start, body_at, n_before, at_once = req
        end = _cut(text, start, p.end, names)
        c = Candidate("paragraph", p.start, [_Item(start, end, text[body_at:end])])
        c.issuer, c.voice = who.of_site(site), site.kind
        c.note(+1, f"opens with {site.who or site.kind} {site.verb}")
        if n_before > _MAX_FRAMING_SENTENCES:
            c.note(-3, f"the requirement comes after {n_before} sentences of commentary")
        opening.append((pi, c, at_once))
    last_paras = {bisect.bisect_right(para_starts, max(i.end for i in c.items) - 1) - 1: c.issuer
                  for c in candidates if c.kept}
    if last_paras:
        # beside lists, a paragraph counts only as another voice right after one
        for pi, c, _ in opening:
            if c.score > 0 and pi - 1 in last_paras and (c.issuer != last_paras[pi - 1] or c.voice == "meeting"):
                c.note(+1, "another voice right after a list")
            else:
                c.note(-2, "beside lists, not another voice right after one")
    else:
        # parallel paragraphs; where some open with their requirement at once, those are the set
        strict = [c for _, c, at_once in opening if at_once and c.score > 0]
        group = strict if len(strict) >= 2 else [c for _, c, _ in opening if c.score > 0]
        for _, c, _ in opening:
            if c in group and len(group) >= 2:
                c.note(+1, f"one of {len(group)} parallel paragraphs")
            else:
                c.note(-2, "alone, or not parallel to the others: a requirement in commentary")
    for _, c, _ in opening:
        c.kept = c.score > 0
        candidates.append(c)

    candidates.sort(key=lambda c: c.at)
    kept = [(c, all(one_sentence(i.body) for i in c.items)) for c in candidates if c.kept]
    items = sorted(((it.start, it.end, it.body, it.head, c.issuer, alone) for c, alone in kept for it in c.items),
                   key=lambda x: x[0])
    out = []
    for ordinal, (start, end, body, head, issuer, alone) in enumerate(items, start=1):
        item = text[start:end].rstrip()
        dl, past = limits(item, year, meeting, year_known)
        if warnings is not None:
            for d in past:
                when = meeting.isoformat() if meeting else "?"
                warnings.append(f"directive {ordinal}: the time limit “{d.basis}” ({d.date.isoformat()}) is before "
                                f"the meeting ({when}); not used as its deadline")
        out.append(
            Directive(
                ordinal=ordinal,
                issuer=issuer,
                headline=head or headline(body, alone),
                text=item,
                span=(start, start + len(item)),
                deadline=dl.date.isoformat() if dl else None,
                deadline_basis=dl.basis if dl else None,
                actions=actions(body) if body else [],
            )
        )
    return Found(out, candidates)


@dataclass
class Found:
    directives: list[Directive]
    candidates: list[Candidate]  # every shape looked at, kept or not, with its reasons

    @property
    def issuers(self) -> dict[str, int]:
        """Everyone who gives a kept directive, joint subjects included, and where they first do."""
        out: dict[str, int] = {}
        for c in self.candidates:
            if c.kept and c.items:
                for n in [c.issuer, *c.co_issuers]:
                    if n:
                        out[n] = min(out.get(n, c.items[0].start), c.items[0].start)
        return out

    def explain(self, text: str) -> list[str]:
        """One line per candidate: kept or dropped, and why."""
        return [c.explain(text) for c in self.candidates]
