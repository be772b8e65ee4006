"""Finding people's names in official writing.

A name is a surname (百家姓 or compound) and one or two more characters, accepted only
where the report's grammar puts a name: after a post (省长金湘军), in a list that ends
in a role (孙大军、郑小勇等代表), or before a verb of saying (金湘军强调). Where the
name ends is decided by what follows it: a name must be followed by punctuation, a
digit, or a word from `AFTER_NAME` (温家宝来到 → 温家宝; 王勇表示 → 王勇).
"""

from __future__ import annotations

import re

from luoshi.text.extract.lexicon import (
    AFTER_NAME,
    COMPOUND_SURNAMES,
    NOT_NAMES,
    ORG_ENDINGS,
    SURNAMES,
    TITLES,
)

_CJK = re.compile(r"[\u3400-\u9fff]+")
# Function words that never stand inside a given name (张广勇等 is 张广勇 and 等).
_NEVER_IN_NAMES = frozenset("等们的了着这那或而被把也还")
_POSTS = frozenset(t for t in TITLES if len(t) == 2)
TITLE_RE = re.compile("|".join(map(re.escape, TITLES)))
_AFTER_RE = re.compile("|".join(map(re.escape, AFTER_NAME)))


def _boundary(text: str, pos: int) -> bool:
    """Whether a name may end just before ``pos``."""
    if pos >= len(text):
        return True
    ch = text[pos]
    if not ("\u3400" <= ch <= "\u9fff"):
        return True  # punctuation, digit, space
    return _AFTER_RE.match(text, pos) is not None


def plausible(name: str) -> bool:
    """A string that could be a person's name on its own (no context)."""
    if not (2 <= len(name) <= 4) or not _CJK.fullmatch(name):
        return False
    if name in NOT_NAMES or name.endswith(ORG_ENDINGS) or any(c in _NEVER_IN_NAMES for c in name[1:]):
        return False
    if name[-2:] in _POSTS:  # 金省长, 王书记: a surname and a post, not a name
        return False
    if name[:2] in COMPOUND_SURNAMES and len(name) >= 3:
        return True
    return name[0] in SURNAMES and len(name) <= 3


def name_at(text: str, pos: int, prefer: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The name that starts at ``pos`` and is followed by a proper boundary, if any.

    Where both a two- and a three-character reading fit, a name already known from a
    stronger context (``prefer``) wins, then the longer one.
    """
    lengths = (4, 3) if text[pos : pos + 2] in COMPOUND_SURNAMES else (3, 2)
    found = []
    for n in lengths:
        cand = text[pos : pos + n]
        if len(cand) == n and plausible(cand) and _boundary(text, pos + n):
            found.append(cand)
    if not found:
        return None
    for cand in found:
        if cand in prefer:
            return cand
    if len(found) == 2 and _stands_alone(text, found[1], found[0]):
        return found[1]  # 李强来到: 李强 also stands alone elsewhere (李强指出)
    return found[0]


def _stands_alone(text: str, short: str, long: str) -> bool:
    """Whether ``short`` occurs somewhere as a whole name, not as the head of ``long``."""
    i = text.find(short)
    while i >= 0:
        end = i + len(short)
        if not text.startswith(long, i) and _boundary(text, end):
            return True
        i = text.find(short, end)
    return False


def strip_titles(element: str) -> str:
    """What stands after the last post in a list element (国务院安委会主任刘鹤 → 刘鹤)."""
    last = None
    for m in TITLE_RE.finditer(element):
        last = m
    return element[last.end() :] if last else element


def rare_name_after_title(text: str, pos: int) -> str | None:
    """A name with a surname outside the lexicon, right after a post (县长苟志刚强调): taken only
    with three characters (two-character words after a post are mostly not names: 总书记重要讲话),
    followed by a word a name may stand before, and written again in the text."""
    cand = text[pos : pos + 3]
    if len(cand) == 3 and _rare_name(cand) and _boundary(text, pos + 3) and text.count(cand) >= 2:
        return cand
    return None


def names_after_titles(text: str) -> list[tuple[str, int]]:
    """Names written right after a post: 省长金湘军, 国务委员王勇."""
    out = []
    for m in TITLE_RE.finditer(text):
        name = name_at(text, m.end())
        if name:
            out.append((name, m.end()))
    return out


_LIST_STOP = re.compile(r"[。！？；：\n]")
# An element that names a group, not a person (有关同志, 各乡镇主要负责人, 全体中层干部)
_GROUP = re.compile(r"同志|负责人|成员|干部|单位|部门|人员|代表|群众|班子|职工|专家|嘉宾|领导|委员们|记者")
# A post in a company or association: its holder is not an official (集团董事长…)
_NOT_OFFICIAL = re.compile(r"集团|公司|企业|有限|工厂|银行|商会|协会|学会")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")


def _rare_name(s: str) -> bool:
    """A list element that reads as a name though its surname is not in the lexicon (妥国保, 禚平)."""
    return (bool(_CJK_NAME.fullmatch(s)) and s not in NOT_NAMES and not s.endswith(ORG_ENDINGS)
            and not any(c in _NEVER_IN_NAMES for c in s) and not TITLE_RE.search(s) and not _GROUP.search(s))


def list_before(text: str, end: int, start: int | None = None) -> list[tuple[str, int]]:
    """The names of a list that ends at ``end`` (孙大军、郑小勇…张广勇|等代表发言).

    Walks back over elements separated by 、 or ，, stripping posts, while each element is a
    name, only a post, or a group (有关同志, 各乡镇负责人: passed over); stops at the first
    element that is none of these. The holder of a company post is left out. In a list of at
    least three names, an element of two or three characters is a name even where its surname
    is rare (海金武, 妥国保). ``start``: where the list begins, where the caller knows it.
    """
    if start is None:
        start = end
        while start > 0 and not _LIST_STOP.match(text, start - 1):
            start -= 1
    out: list[tuple[str, int]] = []
    rare: list[tuple[str, int]] = []
    pos = end
    for raw in reversed(re.split(r"[、，,]", text[start:end])):
        el_start = pos - len(raw)
        pos = el_start - 1
        element = raw.strip()
        el_start += len(raw) - len(raw.lstrip())
        before, deng, _ = element.partition("等")  # 副市长陈琪等市领导, 张晓燕等在座的县级领导
        if deng and strip_titles(before) and plausible(strip_titles(before)):
            element = before
        rest = strip_titles(element)
        post = element[: len(element) - len(rest)]
        if not rest:
            continue  # a post alone (国务委员，…): the name follows in the next element
        if plausible(rest):
            if not _NOT_OFFICIAL.search(post):
                out.append((rest, el_start + element.find(rest)))
            continue
        if rest == element and _rare_name(rest):
            rare.append((rest, el_start + element.find(rest)))
            continue
        if _GROUP.search(rest) or _NOT_OFFICIAL.search(rest) or rest.endswith(ORG_ENDINGS):
            continue  # a group or a body (有关同志, 区纪委第四纪检监察室, 相关县市区): passed over
        break
    if len(out) >= 3:
        out.extend(rare)
    out.sort(key=lambda x: x[1])
    return out
