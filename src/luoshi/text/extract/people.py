"""Who is who in a report: the cast first, then leaders, attendees and speakers.

`find_cast` reads who is named and what each does:
- speech sites: a person (or 他, 会议, a post alone: 市长提出了…) and a verb of saying, with what may
  stand between (就下一步工作, 在讲话中, 对…); the verb gives instructions (强调, 要求) or only
  reports speech (表示, 致辞, 通报, 作表态发言);
- attendance lists (出席/参加/陪同/主持…), and those that spoke there (出席会议并讲话);
- deputies and members who spoke (孙大军…等代表发言, 徐如俊委员就…提问);
- whether the report is of a reception, a visit of guests or a signing (会见, 签约, 致辞).

`roles` then decides, once the directives are known:
- leaders: the issuers of directives; in a report without directives, those whose own words
  instruct (某某强调，要… / 作出重要批示), except at a reception;
- speakers: named people who spoke but are not leaders;
- attendees: named officials present who are neither.
A name followed by a post (习近平总书记指出) is a mention, not an actor, and so is a name inside
the words a meeting is reported to have said (会议指出，…省委书记某某提出…).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from luoshi.text.extract.cues import INSTRUCT_RE, RECEPTION, REQUIREMENT, SITE_AFTER
from luoshi.text.extract.lexicon import COMPOUND_SURNAMES, SURNAMES
from luoshi.text.extract.names import TITLE_RE, list_before, name_at, rare_name_after_title

_SPEAK_LIST_END = re.compile(
    r"等(?:[0-9]+|[一二三四五六七八九十两]+)?[位名]?(?:全国)?(?:人大)?(?:代表|委员|同志)?们?"
    r"(?:先后|分别|相继|依次|踊跃|积极|也|还)*(?:发言|提问|询问|就|围绕|结合|谈|建言|作了?发言)"
)
_MEMBER_SPEAKS = re.compile(
    r"(?:代表|委员)(?:们)?(?:先后|分别|也|还)?(?:就|说|表示|建议|发言|提问|询问|谈到|认为|提出)"
)
# a deputy's or member's post (not 代表团, 代表们, or 代表 as a verb: 代表党中央)
_DEPUTY = re.compile(r"(?:人大代表|政协委员|常委会委员|代表|委员)(?:、[^、]{1,20})*$|(?:人大代表|政协委员)、")
_DEPUTY_SPEAKS = re.compile(
    r"(?:代表|委员)?(?:在发言中|发言时|在审议时)?(?:说|表示|建议|认为|提出|谈到|发言|提问|呼吁)"
)
# who gives instructions leads, even if also a deputy (省人大代表、省长金湘军…金湘军指出)
_DIRECTS = r"(?:再次|还|也|又|进一步|同时)*(?:强调|指出|要求|作出(?:重要)?批示|主持)"
# 出席会议。/ 现场陪同。/ 出席会议并讲话。: the attendance verb ends the clause within a few words
_ATTEND = re.compile(
    r"(?:分别|一同|共同|一起|也|均|先后|现场|全程|应邀)?(?:出席|参加|陪同|列席|到会|主持|参会|在座)"
    r"(?=[\u4e00-\u9fff]{0,4}(?P<spoke>并(?:作了?|讲了?|致|发表)?(?:重要)?(?:讲话|话|致辞|发言|辞))?(?:[。；，]|$))",
    re.M,
)
# 在市委常委、副市长某某的陪同下: those named there accompany the visit
_ACCOMPANIED = re.compile(r"在(?P<who>[^。；：，在的]{2,20}(?:[、，][^。；：，在的]{2,20}){0,8}?)的?陪同下")
# 出席：甲、乙、丙 — the attendance lines of minutes (纪要)
_ATTENDANCE_LINE = re.compile(r"^(?:出席|参加|参会|列席)(?:人员|领导|会议)?[：:](?P<who>[^\n]{2,400})$", re.M)
_CHAIRED_BY = re.compile(r"由(?P<who>[^，。；、]{2,16}?)主持")
# 李克强主持召开国务院常务会议 / 张超超主持并讲话: the one who convenes the meeting
_CONVENES = re.compile(
    r"(?:同志)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:上午|下午|晚上|晚)?(?:在[^，。；]{1,30}?)?(?:主持召开|主持|召集|召开)"
)
_CLAUSE_START = "(?:^|(?<=[。！？；，：\\n]))"
_CLAUSE_SURNAME = re.compile(
    _CLAUSE_START + "(?=[" + "".join(sorted(SURNAMES | {c[0] for c in COMPOUND_SURNAMES})) + "])", re.M
)
_HE = re.compile(_CLAUSE_START + "(?:同时，)?[他她]", re.M)
# 会议强调 / 通知要求 / 批示指出: words given by a meeting or a document, not by a named person
_MEETING = re.compile(
    _CLAUSE_START + r"(?:会上，|同时，|最后，)?(?P<who>会议|通知|批示|指示|意见|文件|纪要)"
    r"(?:最后|还|并|同时|也|进一步)?(?P<verb>强调|指出|要求|认为|决定|确定|部署|提出|明确|议定|商定)", re.M
)
# 作出重要批示: an instruction by itself, words or no words
_INSTRUCTION = re.compile(r"作出(?:了)?(?:重要)?(?:批示|指示)")
# a post written alone as the subject: 市委副书记、市长提出了… (the name is given elsewhere)
_CLAUSE_END = re.compile(r"[。！？；，：\n]")
_MAX_POSTS = 24  # characters of posts a subject may be (市委副书记、市长)
_NOT_A_SUBJECT = re.compile(r"[对向给为把被让请由和与在]")
_TITLE_BEFORE_ATTEND = re.compile(r"(?:副?委员长|副?主席|副?总理|国务委员|副?书记|副?部长|副?省长|副?市长)$")
# Words a meeting is said to have said: names inside them are mentioned, not present
_REPORTED = re.compile(r"^(?:会议|会上)(?:指出|强调|认为|要求)[，：]", re.M)
_DIRECT = re.compile(r"[，：:]|——|—")
_WORD_VERBS = frozenset(("说", "表示", "认为", "谈到"))


@dataclass(frozen=True)
class Site:
    """Someone saying something: who, the verb, and whether their own words follow."""

    start: int  # where the speaker is written
    end: int  # where the verb ends
    who: str | None  # a name (会议 and an unresolved post: None)
    kind: str  # "name", "he", "meeting", "post"
    verb: str
    direct: bool  # the words follow the verb after a comma, colon or dash
    instructs: bool  # the verb gives instructions (强调, 要求, 作出批示)


@dataclass
class Cast:
    text: str
    known: dict[str, int] = field(default_factory=dict)  # name -> first position
    sites: list[Site] = field(default_factory=list)  # in text order
    present: list[str] = field(default_factory=list)
    spoke: list[str] = field(default_factory=list)  # spoke without being a site (出席会议并讲话, 等代表发言)
    deputies: set[str] = field(default_factory=set)  # deputies and members who spoke
    chairs: list[str] = field(default_factory=list)
    reception: bool = False
    posts: dict[str, str] = field(default_factory=dict)  # post -> the name written after it
    _starts: list[int] = field(default_factory=list)

    def sites_between(self, lo: int, hi: int) -> list[Site]:
        """The speech sites that start in [lo, hi)."""
        if len(self._starts) != len(self.sites):
            self._starts = [s.start for s in self.sites]
        i, j = bisect.bisect_left(self._starts, lo), bisect.bisect_left(self._starts, hi)
        return self.sites[i:j]

    def see(self, name: str, pos: int) -> None:
        if name not in self.known or pos < self.known[name]:
            self.known[name] = pos


@dataclass
class People:
    leaders: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    # where each person was first seen, for ordering
    first_seen: dict[str, int] = field(default_factory=dict)


def _add(bucket: list[str], name: str) -> None:
    if name not in bucket:
        bucket.append(name)


def _reported_spans(text: str) -> list[tuple[int, int]]:
    """The words a meeting is said to have said, paragraph by paragraph."""
    out = []
    for m in _REPORTED.finditer(text):
        end = text.find("\n", m.end())
        out.append((m.end(), len(text) if end < 0 else end))
    return out


def find_cast(text: str, title: str | None, lead: str = "") -> Cast:
    """Everyone named in a report and what each does (see the module's docstring)."""
    cast = Cast(text)
    cast.reception = bool(RECEPTION.search((title or "") + "\n" + lead))
    reported = _reported_spans(text)
    starts = [a for a, _ in reported]

    def mentioned_only(pos: int) -> bool:
        """Inside a meeting's reported words, and not opening a sentence of its own."""
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and reported[i][0] <= pos < reported[i][1] and text[pos - 1 : pos] not in "。！？"

    alone: list[re.Match[str]] = []  # posts written with no name after them
    for m in TITLE_RE.finditer(text):
        name = name_at(text, m.end()) or rare_name_after_title(text, m.end())
        if not name:
            alone.append(m)
        if name:
            cast.see(name, m.end())
            cast.posts.setdefault(m.group(), name)
            chain = text[max(0, m.end() - 30) : m.end()]
            chain = chain[max(chain.rfind(c) for c in "。！？；，\n") + 1 :]
            if (_DEPUTY.search(chain) and _DEPUTY_SPEAKS.match(text, m.end() + len(name))
                    and name not in (title or "") and not re.search(re.escape(name) + _DIRECTS, text)):
                cast.deputies.add(name)
    for m in _SPEAK_LIST_END.finditer(text):
        for name, pos in list_before(text, m.start()):
            cast.see(name, pos)
            cast.deputies.add(name)
    for m in _MEMBER_SPEAKS.finditer(text):
        # 徐如俊委员就… / 郅慧代表就…: the name stands right before the role word
        for n in (4, 3, 2):
            start = m.start() - n
            if start >= 0 and name_at(text, start) == text[start : m.start()]:
                cast.see(text[start : m.start()], start)
                cast.deputies.add(text[start : m.start()])
                break

    for m in _ATTEND.finditer(text):
        end = m.start()
        t = _TITLE_BEFORE_ATTEND.search(text, max(0, end - 8), end)
        if t:
            end = t.start()
        names = list_before(text, end)
        for name, pos in names:
            cast.see(name, pos)
            _add(cast.present, name)
            if m.group("spoke"):
                _add(cast.spoke, name)
        if m.group().endswith("主持") and names:
            _add(cast.chairs, names[-1][0])
    for m in _ATTENDANCE_LINE.finditer(text):
        for name, pos in list_before(text, m.end("who"), m.start("who")):
            cast.see(name, pos)
            _add(cast.present, name)
    for m in _ACCOMPANIED.finditer(text):
        for name, pos in list_before(text, m.end("who"), m.start("who")):
            cast.see(name, pos)
            _add(cast.present, name)
    for m in _CHAIRED_BY.finditer(text):
        name = name_at(text, m.start("who"))
        if name:
            cast.see(name, m.start("who"))
            _add(cast.present, name)
            _add(cast.chairs, name)

    # Speech sites of named people: at a clause start, then at every mention of a known name
    sites: dict[int, Site] = {}
    for m in _CLAUSE_SURNAME.finditer(text):
        name = name_at(text, m.start(), set(cast.known))
        if name and SITE_AFTER.match(text, m.start() + len(name)):
            cast.see(name, m.start())
    if cast.known:
        mention = re.compile("|".join(map(re.escape, sorted(cast.known, key=len, reverse=True))))
        spots = []
        reading: dict[str, str | None] = {}  # a name's reading depends only on a few characters after it
        for occ in mention.finditer(text):
            name = occ.group()
            window = text[occ.start() : occ.end() + 6]
            if window not in reading:
                reading[window] = name_at(window, 0, {name})
            read = reading[window]
            if read != name and (read is not None or not SITE_AFTER.match(text, occ.end())):
                continue
            if not TITLE_RE.match(text, occ.end()):  # 习近平总书记: a mention, not someone present
                spots.append((occ.start(), name))
            if _CONVENES.match(text, occ.end()) and not mentioned_only(occ.start()):
                _add(cast.chairs, name)
                _add(cast.present, name)
            v = SITE_AFTER.match(text, occ.end())
            if v and not mentioned_only(occ.start()):
                sites[occ.start()] = _site(text, occ.start(), v, name, "name")
        at = [s for s, _ in spots]
        for m in _HE.finditer(text):
            v = SITE_AFTER.match(text, m.end())
            i = bisect.bisect_left(at, m.start())
            if v and i:
                sites[m.start()] = _site(text, m.start(), v, spots[i - 1][1], "he")
    made = sorted((k, st.who) for k, st in sites.items() if st.who and _INSTRUCTION.fullmatch(st.verb))
    made_at = [k for k, _ in made]
    for m in _MEETING.finditer(text):
        end = m.end()
        kind = "meeting" if m.group("who") == "会议" else "document"
        who = None
        if m.group("who") in ("批示", "指示"):  # 批示指出: the words of whoever made the instruction
            i = bisect.bisect_left(made_at, m.start())
            who = made[i - 1][1] if i else None
        sites.setdefault(m.start(), Site(m.start(), end, who, kind, m.group("verb"),
                                         bool(_DIRECT.match(text, end)), True))
    for m in alone:
        # a post alone as a subject (会上，市委副书记、市长提出了…): the holder is named elsewhere
        v = SITE_AFTER.match(text, m.end())
        if not v:
            continue
        back = text[max(0, m.start() - _MAX_POSTS) : m.start()]
        cut = max(back.rfind(c) for c in "。！？；，：\n")
        start = m.start() - (len(back) - cut - 1)
        if (cut < 0 and m.start() > _MAX_POSTS) or start in sites:
            continue
        rest = TITLE_RE.sub("", text[start : m.start()]).replace("、", "")
        if len(rest) > 10 or _NOT_A_SUBJECT.search(rest):
            continue  # not a chain of posts (对市长提出…)
        sites[start] = _site(text, start, v, cast.posts.get(m.group()), "post")
    cast.sites = [sites[k] for k in sorted(sites)]
    cast.chairs = [c for c in cast.chairs if c in cast.known]
    return cast


def _site(text: str, start: int, v: re.Match[str], who: str | None, kind: str) -> Site:
    verb = v.group("verb")
    gives = bool(INSTRUCT_RE.match(verb))
    # only verbs that introduce words have words after them (汇报，… / 培训，… go on with the story)
    direct = (gives or verb in _WORD_VERBS) and bool(_DIRECT.match(text, v.end()))
    return Site(start, v.end(), who, kind, verb, direct, gives)


def words_after(text: str, site: Site) -> str:
    """The words a site gives: to the end of its paragraph."""
    end = text.find("\n", site.end)
    return text[site.end : len(text) if end < 0 else end]


def instructs(text: str, site: Site) -> bool:
    """Whether a site gives its speaker's own instructions (某某强调，要… / 作出重要批示)."""
    if _INSTRUCTION.fullmatch(site.verb):
        return True
    if not site.direct:
        return False
    return site.instructs or bool(REQUIREMENT.search(words_after(text, site)))


def roles(cast: Cast, issuers: dict[str, int]) -> People:
    """Leaders, attendees and speakers, given the issuers of the directives found (and where each
    first gives one). Leaders come in the order they first instruct, the others as first named."""
    text = cast.text
    leaders: list[tuple[int, str]] = [(pos, n) for n, pos in issuers.items()]
    spoke: list[str] = list(cast.spoke) + sorted(cast.deputies, key=lambda n: cast.known.get(n, 0))
    for s in cast.sites:
        if not s.who:
            continue
        # where directives are found, their issuers are the leaders; where none are, those whose
        # own words instruct
        if not issuers and not cast.reception and s.who not in cast.deputies and instructs(text, s):
            leaders.append((s.start, s.who))
        else:
            _add(spoke, s.who)
    people = People(first_seen=cast.known)
    for _, name in sorted(leaders, key=lambda x: x[0]):
        _add(people.leaders, name)
    people.speakers = sorted((n for n in dict.fromkeys(spoke) if n not in people.leaders),
                             key=lambda n: cast.known.get(n, 0))
    people.attendees = sorted((n for n in cast.present if n not in people.leaders and n not in people.speakers),
                              key=lambda n: cast.known.get(n, 0))
    return people


def find_people(text: str, title: str | None, lead: str = "") -> People:
    """Leaders, attendees and speakers, where no directives are known (tests, quick looks)."""
    return roles(find_cast(text, title, lead), {})
