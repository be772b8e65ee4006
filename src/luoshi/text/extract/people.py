"""Who is who in a report: leaders, attendees and speakers.

- leaders: people whose words or instructions the report gives (金湘军指出, 李克强作出批示),
  and the person the headline is about (温家宝考察…);
- speakers: named people who spoke or asked as deputies/members (孙大军…等代表先后发言,
  徐如俊委员就…提问);
- attendees: named officials listed as present (出席/参加/陪同/主持) who are neither.
A name followed by a post (温家宝总理所作的报告, 习近平总书记指出) is a mention, not an
actor: reports put the post after the name when they cite someone who is not there.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from luoshi.text.extract.lexicon import COMPOUND_SURNAMES, SPEECH_ADVERBS, SPEECH_VERBS, SURNAMES
from luoshi.text.extract.names import list_before, name_at, names_after_titles

_ADVERBS = "|".join(map(re.escape, SPEECH_ADVERBS))
_VERBS = "|".join(map(re.escape, SPEECH_VERBS))
# After a leader's name: (adverbs) then a verb of saying, or an act that makes them the actor.
_LEADER_AFTER = re.compile(
    rf"(?:[0-9０-９一二三四五六七八九十]+月)?(?:[0-9０-９一二三四五六七八九十]+日)?(?:上午|下午|晚上|晚|上旬|中旬|下旬)?"
    rf"(?:{_ADVERBS})*(?:{_VERBS}|作出(?:重要)?(?:批示|指示)|作(?:重要)?讲话|出席并(?:作重要)?讲话|主持召开|主持"
    rf"(?:会议|座谈)并讲话|考察|调研|视察|在.{{1,30}}?(?:时|上|中)(?:强调|指出|表示|说))"
)
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
_DIRECTS = rf"(?:{_ADVERBS})*(?:强调|指出|要求|作出(?:重要)?批示|主持)"
# 出席会议。/ 陪同前往灾区。/ 陪同检查。: the attendance verb ends the clause within a few words
_ATTEND = re.compile(
    r"(?:分别|一同|共同|一起|也|均|先后)?(?:出席|参加|陪同|列席|到会|主持)(?=[\u4e00-\u9fff]{0,4}(?:[。；，]|$))", re.M
)
# a clause that opens with a surname: where "某某强调" can stand
_CLAUSE_SURNAME = re.compile(
    "(?:^|(?<=[。！？；，：\n]))(?=[" + "".join(sorted(SURNAMES | {c[0] for c in COMPOUND_SURNAMES})) + "])", re.M
)
_TITLE_BEFORE_ATTEND = re.compile(r"(?:副?委员长|副?主席|副?总理|国务委员|副?书记|副?部长|副?省长|副?市长)$")


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


def find_people(text: str, title: str | None) -> People:
    """Leaders, attendees and speakers of a normalized report."""
    known: dict[str, int] = {}

    def see(name: str, pos: int) -> None:
        known.setdefault(name, pos)

    speakers: list[str] = []
    in_title = title or ""
    for name, pos in names_after_titles(text):
        see(name, pos)
        # 全国人大代表、南京大学校长谈哲敏发言时说… / 代表李红梅建议…: a deputy who speaks
        chain = text[max(0, pos - 30) : pos]
        chain = chain[max(chain.rfind(c) for c in "。！？；，\n") + 1 :]
        if (_DEPUTY.search(chain) and _DEPUTY_SPEAKS.match(text, pos + len(name)) and name not in in_title
                and not re.search(re.escape(name) + _DIRECTS, text)):
            _add(speakers, name)

    for m in _SPEAK_LIST_END.finditer(text):
        for name, pos in list_before(text, m.start()):
            see(name, pos)
            _add(speakers, name)
    for m in _MEMBER_SPEAKS.finditer(text):
        # 徐如俊委员就… / 郅慧代表就…: the name stands right before the role word
        for n in (4, 3, 2):
            start = m.start() - n
            if start >= 0 and name_at(text, start) == text[start : m.start()]:
                name = text[start : m.start()]
                see(name, start)
                _add(speakers, name)
                break

    attendees: list[str] = []
    for m in _ATTEND.finditer(text):
        end = m.start()
        head = text[max(0, end - 8) : end]
        t = _TITLE_BEFORE_ATTEND.search(head)
        if t:
            end -= len(t.group())
        for name, pos in list_before(text, end):
            see(name, pos)
            _add(attendees, name)

    # Speech-verb sites: a name at the start of a clause followed by a verb of saying.
    leaders: list[tuple[int, str]] = []
    prefer = set(known)
    for m in _CLAUSE_SURNAME.finditer(text):
        name = name_at(text, m.start(), prefer)
        if name and _LEADER_AFTER.match(text, m.start() + len(name)):
            see(name, m.start())
            leaders.append((m.start(), name))
    # 他指出… : "he" is the person named last before, unless that is a speaker
    actors = [n for n in known if n not in speakers]
    if actors:
        named = re.compile("|".join(map(re.escape, sorted(actors, key=len, reverse=True))))
        spots = [(m.start(), m.group()) for m in named.finditer(text)]
        starts = [s for s, _ in spots]
        for m in re.finditer(r"(?:^|(?<=[。！？；，\n]))[他她]", text):
            i = bisect.bisect_left(starts, m.start())
            if i and _LEADER_AFTER.match(text, m.end()):
                leaders.append(spots[i - 1])
    if known:
        # every later mention of a known name, in one pass over the text
        mention = re.compile("|".join(map(re.escape, sorted(known, key=len, reverse=True))))
        for occ in mention.finditer(text):
            name = occ.group()
            if _LEADER_AFTER.match(text, occ.end()) and name_at(text, occ.start(), {name}) == name:
                leaders.append((occ.start(), name))
    if title:
        name = name_at(title, 0, set(known))
        if name and (name in known or text.count(name) >= 2):
            leaders.append((-1, name))

    speakers.sort(key=lambda n: known.get(n, 0))
    people = People(first_seen=known)
    for _, name in sorted(leaders):
        if name not in speakers:
            _add(people.leaders, name)
    people.speakers = speakers
    people.attendees = [n for n in attendees if n not in people.leaders and n not in speakers]
    return people
