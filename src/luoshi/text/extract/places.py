"""Place names: provinces to villages, regions, rivers, lakes, mountains, dams, estates, countries.

Two sources, merged in order of first mention and deduplicated by the place they name (山西省
and 山西 are one place; the short form is reported where the text uses it, else the first form
written):

1. A gazetteer (``data/places.tsv``, built offline by ``scripts/build_places.py`` from the 2020
   administrative divisions and jieba's place words): full and short names of provinces,
   prefectures and counties, named regions (华北, 南疆), rivers, lakes, mountains, countries.
   One pass over the text looks each position up by its first two characters and takes the
   longest name there. Generic words shaped like places (农村, 长治久安) are in the same index,
   so a name inside one of them is skipped. Some names count only where the text also names
   their province or prefecture: county short forms (孝义 beside 吕梁) and prefecture names
   that are common words (日照, 安康). A name followed by 族 is a people (蒙古族), one after
   祖国 a description (祖国北疆), a short name between a surname and a title or list a
   person's given name (代表李玉林), a river or mountain that opens a project's name the
   project (吕梁山山水工程), a name before 路/大街 a street (长江路).

2. The grammar of small places, which no list can hold:
   - a name and a settlement or feature word right after a known place or after 、/和 that
     follows one (公安县南平镇, 孟家溪镇金岗村, 呼伦湖、乌梁素海、岱海, 北辰区双青新家园);
   - a settlement, dam or estate after a verb of going (来到/考察了/到 X镇, X村, X水利枢纽),
     or a settlement after 的 (县西南部的文殊乡), where the name is not a frequent word
     (到基层村 is no village);
   - surname + 家 + a village word (尹家湾, 孟家溪镇, 王家庄村).
   Dams and hubs are reported by their name (小浪底 for 小浪底水利枢纽).
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from luoshi.text.extract.lexicon import SURNAMES, TITLES


def _words(text: str) -> list[str]:
    """A word list written as text, one word per space or line (easier to read and edit)."""
    return text.split()


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    kind: str  # see scripts/build_places.py; lower case = needs its province or prefecture
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Tables:
    entries: dict[str, _Entry]
    index: dict[str, tuple[str, ...]]  # first two characters -> names and stop words, longest first
    stop: frozenset[str]
    common: frozenset[str]


def _read(name: str) -> list[str]:
    text = resources.files("luoshi.text").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _tables() -> _Tables:
    entries = {}
    for line in _read("places.tsv"):
        surface, key, kind, codes = line.split("\t")
        entries[surface] = _Entry(key, kind, tuple(c for c in codes.split(",") if c))
    stop = frozenset(_read("places_stop.txt"))
    groups: dict[str, set[str]] = {}
    for word in (*entries, *stop):
        groups.setdefault(word[:2], set()).add(word)
    index = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in groups.items()}
    return _Tables(entries, index, stop, frozenset(_read("places_common.txt")))


# --- the grammar of small places -------------------------------------------------------------

# Characters that never stand inside a small place's name: function words, pronouns, verbs of
# the report's own grammar.
_NOT_IN_NAME = (
    "的了是在和与及或对把被将为等要也都就还又从到向于以之其"
    + "各每该本全这那些个们并而但即我你他她它此有说让使由给当"
)
_NC = rf"(?:(?![{_NOT_IN_NAME}])[\u4e00-\u9fff])"
_ADMIN = "镇|乡|村|街道|社区|嘎查|苏木"
_ESTATE = "家园|花园|新村|小区|公寓"
_FEATURE = "河|江|湖|海|溪|湾|山|岭|峡|岛|滩|淀|泊|渠"
_FACILITY = "水利枢纽|水电站|电站|大坝|水库"
_NAME_ONLY = {"水利枢纽", "水电站", "电站", "大坝"}  # 小浪底水利枢纽 is the place 小浪底

_NC_ONE = re.compile(_NC)
_ADMIN_SET = tuple(_ADMIN.split("|"))
_FEATURE_SET = tuple(_FEATURE.split("|"))
# The second and later items of a list of small places (…、柳林乡).
_LIST_ITEM = re.compile(rf"、(?P<name>{_NC}{{1,4}}?)(?P<suf>{_ADMIN}|{_FEATURE})")

# After a known place: a settlement or estate first (金岗村), else a river, lake or mountain.
_CHAIN_ADMIN = re.compile(rf"(?P<name>{_NC}{{1,4}}?)(?P<suf>{_ADMIN}|{_ESTATE})")
_CHAIN_FEATURE = re.compile(rf"(?P<name>{_NC}{{1,4}}?)(?P<suf>{_FACILITY}|{_FEATURE})")

_GOING = (
    r"(?:来到|前往|深入|走进|走访|考察了?|察看了?|视察了?|调研了?|看望了?|慰问了?"
    r"|途经|位于|地处|抵达|赶赴|飞赴|到|赴)"
)
_AFTER_GOING = re.compile(
    rf"(?:{_GOING}(?P<name>{_NC}{{2,4}}?)(?P<suf>{_ADMIN}|{_FACILITY}|{_ESTATE})"
    rf"|的(?P<dname>{_NC}{{2,3}}?)(?P<dsuf>{_ADMIN})"
    rf"|(?:小区|社区|楼盘)(?P<estate>{_NC}{{2,4}}?)(?P<esuf>{_ESTATE}))"
)

# Village words after 某家: 尹家湾, 王家庄, 李家沟, 孟家溪(镇).
_SURNAME_CHARS = "".join(
    sorted(set(SURNAMES) - set("国农全党时那都有后向利公法年爱言福空于从能应相和成其大人专商万管东"))
)
_SURNAME_PLACE = re.compile(
    rf"[{_SURNAME_CHARS}]家[湾村庄沟坪寨河溪坡岭堡营店塘桥坝洼集屯峪岗嘴坳垭铺埠渡畈冲](?:{_ADMIN})?"
)

_TITLE_BEFORE = re.compile("(?:" + "|".join(TITLES) + ")$")  # 代表|李|玉林
_PREPOSITIONS = frozenset("以向在对从于经赴到至和与同把将为给让使由及跟往朝沿")

# Surnames that are not also prepositions (于山西 is "in Shanxi").
_NAME_SURNAMES = frozenset(SURNAMES - set("于向和从自对同与在为以及将把被由经赴到至"))

# The last two characters of a name that make it a kind of place, not a place (汾酒专业镇).
_KIND_WORDS = frozenset(
    _words(
        """
    专业 特色 示范 重点 贫困 试点 美丽 文明 先进 中心 边境 传统 文化 旅游 生态 工业 农业 商贸 产业 科技
    智慧 数字 卫生 园林 森林 小康 和美 宜居 样板 标杆 明星 富裕 集体 行政 自然 革命 红色 民族 易地 移民
    搬迁 帮扶 结对 对口 脱贫 经济 城市 乡村 新型 现代 特大 重要 主要 沿海 沿江 沿边 口岸 历史 名人 外来
    """
    )
)

# A river or mountain that opens a project's name names the project (三峡工程, 吕梁山山水工程).
_PROJECT = re.compile(r"[\u4e00-\u9fff]{0,2}工程")

_STREET = ("路", "大道", "大街", "街", "巷", "胡同")

# Suffixes the scorer and a reader treat as the same place (四川省 = 四川).
_KEY_SUFFIX = re.compile(r"(省|市|县|区|镇|乡|村|自治区|自治州|盟|旗)$")
_LIST_JOINERS = ("、", "和", "及", "与", "以及")


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    surface: str
    key: str


def _key(surface: str) -> str:
    return _KEY_SUFFIX.sub("", surface) if len(surface) > 2 else surface


def _gazetteer(text: str, t: _Tables) -> tuple[list[_Hit], list[tuple[_Hit, _Entry]], list[tuple[int, int]]]:
    """Known names, longest first at each position; those needing context come back apart,
    and so do the spans of generic words (农村), where no small place may be found either."""
    index, entries = t.index, t.entries
    sure: list[_Hit] = []
    pending: list[tuple[_Hit, _Entry]] = []
    generic: list[tuple[int, int]] = []
    starts = [i for i, pair in enumerate(map(operator.add, text, text[1:])) if pair in index]
    end = 0
    for i in starts:
        if i < end:
            continue
        for word in index[text[i : i + 2]]:
            if text.startswith(word, i):
                break
        else:
            continue
        end = i + len(word)
        entry = entries.get(word)
        if entry is None:  # a generic word: it covers the names inside it (长治久安)
            generic.append((i, end))
            continue
        if text.startswith("族", end) or text.endswith("祖国", 0, i):
            continue
        if entry.kind == "F" and _PROJECT.match(text, end):
            continue
        if text.startswith(_STREET, end):  # 长江路, 北京大街: a street
            continue
        # A name whose edge makes a word with its neighbour is that word (集中山区 is not 中山区,
        # 合法国家 not 法国, 一大理念 not 大理), unless the neighbour is a preposition (以南京为);
        # for an administrative short name the right edge counts too.
        if i and text[i - 1] not in _PREPOSITIONS and text[i - 1 : i + 1] in t.common:
            continue
        if (
            len(word) == 2
            and entry.kind in "PCXcx"
            and word == entry.key
            and (text[i + 1 : i + 3] in t.common or _person(text, i))
        ):
            continue
        hit = _Hit(i, end, word, _key(entry.key))
        if entry.kind.islower():
            pending.append((hit, entry))
        else:
            sure.append(hit)
    return sure, pending, generic


def _person(text: str, i: int) -> bool:
    """A short name that is the given name of a person (代表李玉林, 、刘南平出席)."""
    if i < 1 or text[i - 1] not in _NAME_SURNAMES:
        return False
    return i < 2 or text[i - 2] in "、，：（ \n" or bool(_TITLE_BEFORE.search(text, max(0, i - 9), i - 1))


def _in_context(entry: _Entry, provinces: set[str], prefectures: set[str]) -> bool:
    """A county short form (孝义) or an ambiguous prefecture (日照) beside its parent."""
    for code in entry.codes:
        if code[:2] in provinces and entry.kind == "c":
            return True
        if entry.kind != "c" and (code[:4] in prefectures or code[:2] in provinces):
            return True
    return False


def _name_ok(text: str, name: str, suf: str, suf_start: int, t: _Tables, *, strict: bool) -> bool:
    if name + suf in t.stop or name in t.stop or name[-2:] in _KIND_WORDS:
        return False
    # A name that opens with a frequent word is a clause, not a name (听取长江, 推进农村),
    # unless it is that word alone next to a known place (幸福村) and the place word does
    # not begin a frequent word itself (调研乡村 is no 调研乡). After a verb of going there
    # is no known place to vouch for it, so there a frequent word never names a place.
    if name[:2] in t.common:
        if strict or len(name) > 2:
            return False
        return not (len(suf) == 1 and text[suf_start : suf_start + 2] in t.common)
    return True


def _small(text: str, start: int, name_end: int, end: int, t: _Tables, *, strict: bool) -> _Hit | None:
    """The small place text[start:end] whose name ends at name_end, if the name is one."""
    name, suf = text[start:name_end], text[name_end:end]
    if not _name_ok(text, name, suf, name_end, t, strict=strict):
        return None
    if suf in _NAME_ONLY:  # 小浪底水利枢纽 is the place 小浪底 (the span keeps the dam word)
        return _Hit(start, end, name, name)
    surface = name + suf
    return _Hit(start, end, surface, surface if suf == "水库" else _key(surface))


def _chain(text: str, pos: int, t: _Tables) -> _Hit | None:
    """A small place written right after a known one (公安县|南平镇, 南平镇|松东河)."""
    for pattern in (_CHAIN_ADMIN, _CHAIN_FEATURE):
        m = pattern.match(text, pos)
        if m:
            hit = _small(text, m.start(), m.end("name"), m.end(), t, strict=False)
            if hit:
                return hit
    return None


def _listed(text: str, t: _Tables, known_ends: set[int]) -> list[_Hit]:
    """Lists of small places of one kind: 漳河、沮河; 桃花镇、柳林乡、城关镇.

    An item counts where the one before it is a known place or a small place of the same
    kind. The first item's left edge is where the name can start no earlier (a function word
    or punctuation before it), else it is as long as the second item's name.
    """
    out = []
    for m in _LIST_ITEM.finditer(text):
        name = m.group("name")
        # A surname and one or two characters that run on or end in 江/山/海 is a person
        # (刘海斌、李长山).
        if name[0] in _NAME_SURNAMES and (
            (len(name) == 1 and _NC_ONE.match(text, m.end()))
            or (len(name) == 2 and m.group("suf") in _FEATURE_SET)
        ):
            continue
        second = _small(text, m.start("name"), m.end("name"), m.end(), t, strict=False)
        if second is None:
            continue
        comma = m.start()
        if comma in known_ends:
            out.append(second)
            continue
        kind = _ADMIN_SET if m.group("suf") in _ADMIN_SET else _FEATURE_SET
        suf = next((s for s in kind if text.endswith(s, 0, comma)), None)
        if suf is None:
            continue
        name_end = comma - len(suf)
        size = len(m.group("name"))
        starts = [name_end - k for k in range(1, 5) if name_end - k >= 0]
        edge = [
            i
            for i in starts
            if all(_NC_ONE.match(c) for c in text[i:name_end]) and (i == 0 or not _NC_ONE.match(text[i - 1]))
        ]
        start = edge[0] if edge else name_end - size
        if start < 0 or not all(_NC_ONE.match(c) for c in text[start:name_end]):
            continue
        first = _small(text, start, name_end, comma, t, strict=False)
        if first:
            out += [first, second]
    return out


def _resolve(hits: list[_Hit]) -> list[_Hit]:
    """Leftmost, then longest; no overlaps."""
    out: list[_Hit] = []
    end = -1
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if h.start >= end:
            out.append(h)
            end = h.end
    return out


class _Spans:
    """Non-overlapping spans, sorted, with overlap look-ups by bisection (texts may be long)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.starts, end)
        out = []
        while i > 0 and self.spans[i - 1][1] > start:
            i -= 1
            out.append(self.spans[i])
        return out

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.spans.insert(i, (start, end))


_NO_SPANS = _Spans([])


def _clashes(hit: _Hit, known: _Spans, generic: _Spans) -> bool:
    """A small place may extend a known name (南平 → 南平镇) but not cut into one (解黄河),
    and may hold a generic word (秋怡家园) but not cut into one (金山银山)."""
    return any(
        not (hit.start == s and e <= hit.end <= e + 2) for s, e in known.overlapping(hit.start, hit.end)
    ) or any(not (hit.start <= s and e <= hit.end) for s, e in generic.overlapping(hit.start, hit.end))


def find_places(text: str) -> list[str]:
    """Place names as they stand in ``text``, in order of first appearance, one per place."""
    t = _tables()
    sure, pending, generic_spans = _gazetteer(text, t)

    provinces = {c[:2] for h in sure for c in t.entries[h.surface].codes}
    prefectures = {c[:4] for h in sure for c in t.entries[h.surface].codes if not c.endswith("0000")}
    known = sure + [h for h, e in pending if _in_context(e, provinces, prefectures)]
    fixed = _Spans([(h.start, h.end) for h in known])
    generic = _Spans(generic_spans)

    small: list[_Hit] = []
    for m in _AFTER_GOING.finditer(text):
        if m.group("name"):
            hit = _small(text, m.start("name"), m.end("name"), m.end("suf"), t, strict=True)
        elif m.group("dname"):  # 西南部的文殊乡
            hit = _small(text, m.start("dname"), m.end("dname"), m.end("dsuf"), t, strict=True)
        else:
            hit = _small(text, m.start("estate"), m.end("estate"), m.end("esuf"), t, strict=False)
        if hit:
            small.append(hit)
    small += [_Hit(m.start(), m.end(), m.group(), _key(m.group())) for m in _SURNAME_PLACE.finditer(text)]
    small += _listed(text, t, {h.end for h in known})
    hits = _resolve(known + [h for h in small if not _clashes(h, fixed, generic)])

    # Small places chained to a known place, or listed after one, until none is added.
    taken = _Spans([(h.start, h.end) for h in hits])
    frontier = hits
    while frontier:
        new = []
        for h in frontier:
            pos = h.end
            for joiner in _LIST_JOINERS:
                if text.startswith(joiner, pos):
                    pos += len(joiner)
                    break
            hit = _chain(text, pos, t)
            if hit and not taken.overlapping(hit.start, hit.end) and not _clashes(hit, _NO_SPANS, generic):
                new.append(hit)
                taken.add(hit.start, hit.end)
        hits = _resolve(hits + new)
        frontier = new

    # One form per place, in order of first mention: the short form where the text uses it
    # (新疆 rather than 新疆维吾尔自治区), else the first form written.
    forms: dict[str, str] = {}
    for h in hits:
        current = forms.get(h.key)
        if current is None or (current != h.key and h.surface == h.key):
            forms[h.key] = h.surface
    return list(forms.values())
