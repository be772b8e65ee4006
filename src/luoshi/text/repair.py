"""Repair pinyin annotations and restore characters lost around them.

Some republished pages carry a reading after many characters, ``審議時(shí)強(qiáng)調(diào)``, and some have
been through a GBK byte shift that garbles the neighbourhood of an annotation. Three rules, from the
genre, not from any one text:

1. ``X(pinyin)`` where the pinyin is a reading of X (pypinyin, heteronyms on, Traditional or
   Simplified form; several syllables after as many characters) is an annotation: drop it. A ``?``
   in place of the lost opening parenthesis counts too. Anything else in parentheses — ``(2024)``,
   ``(试行)``, ``(含10万元)``, an English word, a reading that does not fit — is left alone.
2. ``?pinyin)`` whose reading fits no character before it marks a lost character. The character
   before it may itself be garbage whose reading this is (``膱?bào)``): a rare glyph, or one whose
   GBK bytes are the trail byte of its left neighbour and the lead byte of the candidate — the two
   halves a byte shift leaves. The character is restored by a noisy channel: every candidate
   (characters with the reading, characters that make dictionary words with the neighbours, the
   most frequent single-character words, characters the byte shift would turn into the reading) is
   scored by

       log P(window | c) + log P(reading | c)

   where the first term is the best segmentation of a few characters around the gap (converted to
   Simplified) under jieba's unigram word frequencies, and the second is high when the reading is
   the candidate's first reading (what annotating pages print), lower for its other readings and
   lower still when only the tone differs; a share of the same when the byte shift explains the
   reading (the trail byte of the character before and the lead byte of the candidate form a GBK
   character with that reading: how ``當的`` becomes ``當?shù)``); and a small probability otherwise.
3. A garbage glyph plus one ASCII character before ``(pinyin)`` (``貢r(shí)``) is the byte-shifted
   halves of a GBK character: re-pairing the glyph's trail byte with the ASCII byte gives it back, and
   it is restored when its reading is the annotation.

Every repair is recorded; U+FFFD characters left by decoding are recorded as unrecoverable. Text with
no ``(``, ``（``, ``?``, ``？`` or U+FFFD is returned unchanged without any scan beyond a search for those.
Heavy resources (pypinyin's table, jieba's dictionary, the reverse reading index) load on first need.
"""

from __future__ import annotations

import importlib.util
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from itertools import accumulate, repeat
from operator import add, itemgetter, sub
from pathlib import Path
from typing import NamedTuple

from luoshi.text.convert import needs_t2s
from luoshi.text.offsets import Edit, OffsetMap, apply_edits
from luoshi.text.types import Repair

_LETTERS = "a-zāáǎàēéěèêếềīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿɑɡ\u0300-\u036f"
_SYL = f"[{_LETTERS}]{{1,7}}"
_BODY = f"({_SYL}(?:[ '’]{_SYL}){{0,5}})"
# One pattern per opening mark, each starting with that literal so that the scan runs at C speed.
_OPENERS = "(（?？\ufffd"
_TOKEN = {o: re.compile(re.escape(o) + _BODY + "[)）]") for o in _OPENERS}
_FFFD_RUN = re.compile("\ufffd+")
_TONES = str.maketrans("āáǎàēéěèếềīíǐìōóǒòūúǔùǖǘǚǜńňǹḿɑɡ", "aaaaeeeeêêiiiioooouuuuüüüünnnmag")

_EPSILON = 0.01  # P(reading | c) when nothing explains the reading
_FIRST = 0.8  # P(a page prints a character's first reading); the others share the rest
_TONE_ONLY = 0.1  # share of 1/n when only the tone differs
_SHIFT = 0.5  # share of 1/n(g) when the GBK byte shift explains the reading
_RARE = 50  # a glyph whose Simplified form is rarer than this (jieba count) may be garbage
_WINDOW = 4  # context characters on each side
_GLYPHS = 1 / 20000  # chance of one particular garbage glyph


def is_cjk(ch: str) -> bool:
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


Record = tuple[str, int, int, int, int, str]  # kind, input start, input end, output start, output end, detail


class RepairColumns:
    """Repairs as parallel columns. An annotated 20 MB text has hundreds of thousands of repairs;
    columns are sorted, shifted and mapped in bulk (``map``/``bisect`` in C) before the
    :class:`Repair` objects are made once, at the end."""

    __slots__ = ("detail", "in_end", "in_start", "kind", "out_end", "out_start")

    def __init__(self, kind: list[str] | None = None, in_start: list[int] | None = None,
                 in_end: list[int] | None = None, out_start: list[int] | None = None,
                 out_end: list[int] | None = None, detail: list[str] | None = None) -> None:
        self.kind = kind or []
        self.in_start = in_start or []
        self.in_end = in_end or []
        self.out_start = out_start or []
        self.out_end = out_end or []
        self.detail = detail or []

    @classmethod
    def of_rows(cls, rows: list[Record]) -> RepairColumns:
        if not rows:
            return cls()
        return cls(*(list(c) for c in zip(*rows, strict=True)))

    def __len__(self) -> int:
        return len(self.kind)

    def rows(self) -> list[Record]:
        return list(zip(self.kind, self.in_start, self.in_end, self.out_start, self.out_end, self.detail,
                        strict=True))

    def extend(self, other: RepairColumns) -> None:
        for name in self.__slots__:
            getattr(self, name).extend(getattr(other, name))

    def sort(self) -> None:
        """Order by input span (the passes each produce sorted runs; this merges them)."""
        n = len(self.kind)
        # spans are disjoint, so the start orders them; the runs are sorted, which timsort merges
        order = sorted(range(n), key=self.in_start.__getitem__)
        if order != list(range(n)):
            for name in self.__slots__:
                col = getattr(self, name)
                setattr(self, name, list(map(col.__getitem__, order)))

    def shift_out(self, changes: list[tuple[int, int]]) -> None:
        """Move output spans past later edits: ``changes`` are sorted (position, length change)
        of edits disjoint from these spans; a span moves by the changes before its start."""
        if not changes or not self.kind:
            return
        pos = [p for p, _ in changes]
        cum = [0, *accumulate(d for _, d in changes)]
        delta = list(map(cum.__getitem__, map(bisect_left, repeat(pos, len(self.kind)), self.out_start)))
        self.out_start = list(map(add, self.out_start, delta))
        self.out_end = list(map(add, self.out_end, delta))

    def map_in(self, offsets: OffsetMap) -> None:
        """Input spans through ``offsets`` back to its raw side."""
        if not offsets.is_identity and self.kind:
            self.in_start, self.in_end = offsets.map_spans(self.in_start, self.in_end, to_raw=True)

    def map_out(self, offsets: OffsetMap) -> None:
        """Output spans through ``offsets`` forward to its text side."""
        if not offsets.is_identity and self.kind:
            self.out_start, self.out_end = offsets.map_spans(self.out_start, self.out_end, to_raw=False)

    def repairs(self) -> list[Repair]:
        return list(map(Repair, self.kind, zip(self.in_start, self.in_end, strict=True),
                        zip(self.out_start, self.out_end, strict=True), self.detail))


class Repaired(NamedTuple):
    text: str
    offsets: OffsetMap  # text -> input
    columns: RepairColumns  # input spans in the input, output spans in ``text``

    @property
    def repairs(self) -> list[Repair]:
        """The repairs (raw_span: offsets in the input; text_span: offsets in ``text``)."""
        return self.columns.repairs()


# -- readings ------------------------------------------------------------------------------------
@cache
def _pinyin_dict() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _norm_syllable(s: str) -> str:
    s = unicodedata.normalize("NFC", s).replace("ɑ", "a").replace("ɡ", "g")
    return s.replace("v", "ü") if "v" in s and not s.startswith("v") else s


def toneless(s: str) -> str:
    return s.translate(_TONES).replace("ê", "e")


@lru_cache(maxsize=65536)
def readings(ch: str) -> frozenset[str]:
    """All readings of a character (tone marks; neutral tone has none), either script."""
    d = _pinyin_dict()
    out: set[str] = set()
    for form in {ch, _t2s().convert(ch), _s2t().convert(ch)}:
        if len(form) == 1 and ord(form) in d:
            out.update(d[ord(form)].split(","))
    return frozenset(out)


@lru_cache(maxsize=65536)
def _toneless_readings(ch: str) -> frozenset[str]:
    return frozenset(toneless(r) for r in readings(ch))


def reads_as(ch: str, syllable: str) -> bool:
    """Is ``syllable`` a reading of ``ch``? A syllable without tone marks may be a neutral tone or a
    reading written without tones; it fits when it matches some reading ignoring tone."""
    if syllable in readings(ch):
        return True
    if syllable == toneless(syllable):
        return syllable in _toneless_readings(ch)
    return False


@cache
def _syllables() -> frozenset[str]:
    out: set[str] = set()
    for v in _pinyin_dict().values():
        for r in v.split(","):
            out.add(r)
            out.add(toneless(r))
    return frozenset(out)


def is_pinyin(syllable: str) -> bool:
    return syllable in _syllables()


# -- the word model ------------------------------------------------------------------------------
class Lexicon:
    """jieba's word list as a unigram model, plus indexes for candidate generation."""

    def __init__(self, freq: dict[str, int]):
        self.freq = freq
        self.logtotal = math.log(sum(freq.values()))
        singles = sorted(
            ((w, f) for w, f in freq.items() if len(w) == 1 and is_cjk(w) and f >= 20), key=lambda x: -x[1]
        )
        self.pool = [w for w, _ in singles]
        self.top = self.pool[:40]
        by_reading: dict[str, set[str]] = {}
        for w in self.pool:
            for r in readings(w):
                by_reading.setdefault(r, set()).add(w)
                by_reading.setdefault(toneless(r), set()).add(w)
        self.by_reading = by_reading
        self.maxlen = 6

    @classmethod
    @cache
    def load(cls) -> Lexicon:
        spec = importlib.util.find_spec("jieba")
        if spec is None or spec.origin is None:
            raise RuntimeError("jieba is not installed; it is needed to restore lost characters")
        path = Path(spec.origin).parent / "dict.txt"
        freq: dict[str, int] = {}
        with path.open(encoding="utf-8") as f:
            for line in f:
                parts = line.split(" ", 2)
                if len(parts) >= 2 and parts[1].strip().isdigit():
                    freq[parts[0]] = int(parts[1])
        return cls(freq)

    def score(self, s: str) -> float:
        """Log-probability of the best segmentation of ``s`` into dictionary words (or single chars)."""
        n = len(s)
        best = [0.0] + [-math.inf] * n
        freq = self.freq
        for i in range(n):
            if best[i] == -math.inf:
                continue
            base = best[i]
            for k in range(1, min(self.maxlen, n - i) + 1):
                w = s[i : i + k]
                f = freq.get(w)
                if f is None and k > 1:
                    continue
                v = base + math.log(f or 1) - self.logtotal
                if v > best[i + k]:
                    best[i + k] = v
        return best[n]


# -- the GBK byte shift -----------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _gbk(ch: str) -> bytes | None:
    try:
        b = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return b if len(b) == 2 else None


@lru_cache(maxsize=65536)
def _gbk_pair(lead: int, trail: int) -> str | None:
    try:
        s = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return s if len(s) == 1 and is_cjk(s) else None


def shifted_char(glyph: str, trail: str) -> str | None:
    """The character whose GBK bytes are the glyph's second byte and the (ASCII) ``trail`` byte."""
    g = _gbk(glyph)
    if g is None or not ("\x40" <= trail <= "\x7e"):
        return None
    return _gbk_pair(g[1], ord(trail))


# -- the repair step ------------------------------------------------------------------------------
Token = tuple[int, int, str, str]  # (start of the opening mark, end, opening mark, reading as written)


def _tokens(text: str) -> list[Token]:
    found: list[Token] = []
    for o, rx in _TOKEN.items():
        if o in text:
            found.extend((m.start(), m.end(), o, m.group(1)) for m in rx.finditer(text))
    if len(found) > 1:
        found.sort()
    return found


@lru_cache(maxsize=65536)
def syllables_of(body: str) -> tuple[str, ...]:
    return tuple(_norm_syllable(s) for s in re.split("[ '’]", body))


@lru_cache(maxsize=262144)
def _annotation(host: str, body: str, paren: bool) -> str | None:
    """The repair detail if ``body`` is a reading of ``host`` (one syllable per character), else None."""
    syl = syllables_of(body)
    if len(host) != len(syl) or not all(is_cjk(h) and reads_as(h, s) for h, s in zip(host, syl, strict=True)):
        return None
    lost = "" if paren else " (its opening parenthesis was lost)"
    return f"removed the reading ({' '.join(syl)}) of {host}{lost}"


Record = tuple[str, int, int, int, int, str]  # kind, input start, input end, output start, output end, detail


_SIMPLE = re.compile(rf"\(({_SYL})\)")  # "(" + one syllable + ")": nearly every annotation
_DETAILS: dict[tuple[str, str], str | None] = {}


def _fast_annotations(text: str) -> tuple[str, OffsetMap, RepairColumns] | None:
    """Rule 1 for the common case, at C speed: every ``(syllable)`` in the text is a reading of the
    character before it. Returns None (and the general loop takes over) when any is not."""
    parts = _SIMPLE.split(text)
    if len(parts) == 1:
        return None
    texts = parts[0::2]
    bodies = parts[1::2]
    hosts = [t[-1:] for t in texts[:-1]]
    keys = list(zip(hosts, bodies, strict=True))
    if len(_DETAILS) > 200_000:  # a plain dict for speed (map(dict.get)); keep it bounded
        _DETAILS.clear()
    details = list(map(_DETAILS.get, keys))
    if None in details:
        for i, d in enumerate(details):
            if d is None:
                h, b = keys[i]
                d = _DETAILS[keys[i]] = _annotation(h, b, True) if h else None
                if d is None:
                    return None
                details[i] = d
    n = len(bodies)
    new = "".join(texts)
    tok_lens = [len(b) + 2 for b in bodies]
    oe = list(accumulate(map(len, texts[:-1])))  # output end of each host = kept text so far
    s = list(map(add, oe, [0, *accumulate(tok_lens[:-1])]))  # input start of each "("
    e = list(map(add, s, tok_lens))
    hs = list(map(sub, s, repeat(1, n)))
    os = list(map(sub, oe, repeat(1, n)))
    offsets = OffsetMap.from_arrays(os, oe, hs, e, len(new), len(text))
    # the columns get their own lists: the map keeps these, and columns grow
    return new, offsets, RepairColumns(["pinyin_annotation"] * n, hs[:], e[:], os[:], oe[:], details)


def _annotation_pass(text: str, tokens: list[Token]) -> tuple[str, OffsetMap, list[Record], list[Token]]:
    """Rules 1 and 3. Returns the edited text, its map, the records (output offsets in the edited
    text) and the tokens left for rule 2. This loop runs once per annotation, so it builds the text
    and the map itself instead of going through a list of edits."""
    pieces: list[str] = []
    os: list[int] = []  # map regions: output start/end, input start/end
    oe: list[int] = []
    is_: list[int] = []
    ie: list[int] = []
    records: list[Record] = []
    pending: list[Token] = []
    last_end = 0
    shift = 0  # characters removed so far
    for tok in tokens:
        s, e, o, body = tok
        n = len(syllables_of(body))
        hs = s - n
        if hs >= last_end:
            detail = _annotation(text[hs:s], body, o in "(（")
            if detail is not None:  # keep text up to the annotation, drop the annotation
                pieces.append(text[last_end:s])
                os.append(hs - shift)
                oe.append(s - shift)
                is_.append(hs)
                ie.append(e)
                records.append(("pinyin_annotation", hs, e, hs - shift, s - shift, detail))
                shift += e - s
                last_end = e
                continue
        if n != 1:
            continue
        syl = syllables_of(body)[0]
        if not is_pinyin(syl):
            continue
        if o == "(" and s - 2 >= last_end:
            glyph, byte = text[s - 2], text[s - 1]
            ch = shifted_char(glyph, byte) if is_cjk(glyph) else None
            if ch is not None and reads_as(ch, syl):
                pieces.append(text[last_end : s - 2])
                pieces.append(ch)
                os.append(s - 2 - shift)
                oe.append(s - 1 - shift)
                is_.append(s - 2)
                ie.append(e)
                records.append(("lost_character", s - 2, e, s - 2 - shift, s - 1 - shift,
                                f"restored {ch} from the reading {syl}: {glyph}{byte} are its bytes "
                                "shifted by one (GBK)"))
                shift += e - s + 1
                last_end = e
                continue
        if o in "?？\ufffd":
            pending.append(tok)
    if not records:
        return text, OffsetMap.identity(len(text)), records, pending
    pieces.append(text[last_end:])
    new = "".join(pieces)
    regions = zip(os, oe, is_, ie, strict=True)
    return new, OffsetMap.from_regions(regions, len(new), len(text)), records, pending


def _left_context(text: str, end: int) -> str:
    i = end
    while i > 0 and end - i < _WINDOW and is_cjk(text[i - 1]):
        i -= 1
    return text[i:end]


def _right_context(text: str, start: int, resolved: dict[int, tuple[int, str]]) -> str:
    out: list[str] = []
    i = start
    n = len(text)
    while i < n and len(out) < _WINDOW:
        if i in resolved:
            end, ch = resolved[i]
            out.append(ch)
            i = end
            continue
        if not is_cjk(text[i]):
            break
        out.append(text[i])
        i += 1
    return "".join(out)


class _Choice(NamedTuple):
    score: float
    char: str
    replace_host: bool
    how: str


@lru_cache(maxsize=262144)
def _shift_readers(prev: str, c: str) -> tuple[str, ...]:
    """Characters that a GBK byte shift makes of ``prev`` followed by ``c``: the trail byte of ``prev``
    and the lead byte of ``c``. Both scripts are tried, since the page may have been converted after
    it was garbled."""
    s2t = _s2t().convert
    out: list[str] = []
    for p in {prev, s2t(prev)}:
        pb = _gbk(p)
        if pb is None:
            continue
        for q in {c, s2t(c)}:
            qb = _gbk(q)
            if qb is not None:
                g = _gbk_pair(pb[1], qb[0])
                if g is not None and g not in out:
                    out.append(g)
    return tuple(out)


@lru_cache(maxsize=65536)
def _first_reading(ch: str) -> str | None:
    """pypinyin's first (most common) reading, which is what annotating pages print."""
    d = _pinyin_dict()
    for form in (ch, _t2s().convert(ch)):
        if len(form) == 1 and ord(form) in d:
            return d[ord(form)].split(",")[0]
    return None


def _reading_prob(ch: str, syl: str) -> float:
    """P(the printed reading is ``syl`` | the character is ``ch``): mostly its first reading."""
    rs = readings(ch)
    if not rs:
        return 0.0
    first = _first_reading(ch)
    plain = syl == toneless(syl)  # printed without tone marks: compare without them
    if syl == first or (plain and first is not None and syl == toneless(first)):
        return _FIRST
    if syl in rs or (plain and syl in _toneless_readings(ch)):
        return (1 - _FIRST) / max(1, len(rs) - 1)
    if toneless(syl) in _toneless_readings(ch):
        return _TONE_ONLY / len(rs)
    return 0.0


def _channel(c: str, syl: str, prev: str | None) -> tuple[float, str]:
    """log P(reading | c) and a word for how the reading was explained."""
    p = _reading_prob(c, syl)
    best, how = (math.log(p), "reading") if p > 0 else (math.log(_EPSILON), "context")
    if prev is not None:
        for g in _shift_readers(prev, c):
            q = _SHIFT * _reading_prob(g, syl)
            if q > 0 and math.log(q) > best:
                best, how = math.log(q), f"GBK byte shift (the reading is that of {g})"
    return best, how


def _candidates(lex: Lexicon, syl: str, left: str, right: str, prev: str | None) -> set[str]:
    cands = set(lex.by_reading.get(syl, ())) | set(lex.by_reading.get(toneless(syl), ())) | set(lex.top)
    freq = lex.freq
    l1, l2, r1, r2 = left[-1:], left[-2:], right[:1], right[:2]
    for c in lex.pool:
        if (
            (l1 and (l1 + c in freq or (len(l2) == 2 and l2 + c in freq)))
            or (r1 and (c + r1 in freq or (len(r2) == 2 and c + r2 in freq)))
        ) or (prev is not None and any(reads_as(g, syl) for g in _shift_readers(prev, c))):
            cands.add(c)
    return cands


def _restore(text: str, tok_start: int, syl: str, right: str) -> _Choice | None:
    left_raw = _left_context(text, tok_start)
    # restore in the script of the surrounding text
    traditional = needs_t2s(text[max(0, tok_start - 200) : tok_start + 200])
    return _restore_in(left_raw, syl, right, traditional)


@lru_cache(maxsize=4096)
def _restore_in(left_raw: str, syl: str, right: str, traditional: bool) -> _Choice | None:
    """The best character for a gap between ``left_raw`` and ``right`` marked with reading ``syl``.

    A pure function of its arguments, cached: a garble repeats wherever its words repeat."""
    lex = Lexicon.load()
    t2s = _t2s().convert
    host = left_raw[-1] if left_raw else None
    left = t2s(left_raw)
    right_s = t2s(right)
    if not left and not right_s:
        return None
    # the raw character before the gap, for the byte-shift channel
    prev = left_raw[-1] if left_raw else None
    best: _Choice | None = None
    for c in _candidates(lex, syl, left, right_s, prev):
        ch_lp, how = _channel(c, syl, prev)
        v = lex.score(left + c + right_s) + ch_lp
        if best is None or v > best.score:
            best = _Choice(v, c, False, how)
    if host is not None and not reads_as(host, syl):
        # The character before ``?pinyin)`` may be garbage rather than a character, the reading then
        # being its own: a rare glyph (cost: a uniform draw among glyphs), or one whose GBK bytes are
        # the trail byte of the character before it and the lead byte of the candidate (cost: the
        # shift's share) — the byte shift's halves of its neighbours.
        rare = lex.freq.get(t2s(host), 0) < _RARE
        hb = _gbk(host)
        pb = _gbk(left_raw[-2]) if len(left_raw) >= 2 else None
        halves = hb is not None and pb is not None and hb[0] == pb[1]
        left2 = left[:-1]
        for c in _candidates(lex, syl, left2, right_s, None):
            forms = (_gbk(c), _gbk(_s2t().convert(c)))
            shifted = halves and any(q is not None and q[0] == hb[1] for q in forms)
            if not (rare or shifted):
                continue
            garbage = math.log(_SHIFT if shifted else _GLYPHS)
            ch_lp, how = _channel(c, syl, None)
            v = lex.score(left2 + c + right_s) + ch_lp + garbage
            if best is None or v > best.score:
                best = _Choice(v, c, True, how)
    if best is None:
        return None
    ch = best.char
    if traditional:
        ch = _s2t().convert(ch)
    return best._replace(char=ch)


def _needs_scan(text: str) -> bool:
    return any(o in text for o in _OPENERS)


def repair(text: str) -> Repaired:
    """Remove pinyin annotations, restore lost characters, record U+FFFD as unrecoverable."""
    if not _needs_scan(text):
        return Repaired(text, OffsetMap.identity(len(text)), RepairColumns())
    # pass 1: the common annotations at C speed, then everything else
    map0: OffsetMap = OffsetMap.identity(len(text))
    cols = RepairColumns()
    if "(" in text:
        fast = _fast_annotations(text)
        if fast is not None:
            text, map0, cols = fast
    tokens = _tokens(text)  # what the fast path left: other marks, several syllables, "）"
    text1, map_b, rec1, pending = _annotation_pass(text, tokens)
    if rec1:
        cols.shift_out(_changes(rec1))
        more = RepairColumns.of_rows(rec1)
        more.map_in(map0)
        cols.extend(more)
        cols.sort()
    map1 = map0.then(map_b)  # the input -> text1

    # pass 2: lost characters, right to left so that each gap sees its right neighbours restored
    edits2: list[Edit] = []
    rec2: list[Record] = []  # spans in text1 here, mapped below
    resolved: dict[int, tuple[int, str]] = {}
    for tok in reversed(pending):
        s1, e1 = map_b.to_text(tok[0]), map_b.to_text(tok[1])
        syl = syllables_of(tok[3])[0]
        right = _right_context(text1, e1, resolved)
        choice = _restore(text1, s1, syl, right)
        if choice is None:
            rec2.append(("unrecoverable", s1, e1, s1, e1,
                         f"a lost character with the reading {syl} could not be restored (no context)"))
            continue
        start = s1 - 1 if choice.replace_host else s1
        resolved[start] = (e1, choice.char)
        what = f"the glyph {text1[s1 - 1]} was garbage; " if choice.replace_host else ""
        edits2.append((start, e1, choice.char))
        rec2.append(("lost_character", start, e1, start, start + 1,
                     f"restored {choice.char} for a lost character marked {text1[s1:e1]}: "
                     f"{what}reading {syl}, chosen by {choice.how} and the neighbouring words"))
    # U+FFFD left by decoding and not part of a token
    if "\ufffd" in text1:
        covered = sorted((r[1], r[2]) for r in rec2)
        for m in _FFFD_RUN.finditer(text1):
            k = bisect_right(covered, (m.start(), len(text1) + 1)) - 1
            if k >= 0 and covered[k][0] <= m.start() < covered[k][1]:
                continue
            n = m.end() - m.start()
            rec2.append(("unrecoverable", m.start(), m.end(), m.start(), m.end(),
                         f"{n} undecodable character{'s' if n > 1 else ''} (U+FFFD) left by decoding"))
    if not rec2:
        return Repaired(text1, map1, cols)
    edits2.sort()
    rec2.sort(key=itemgetter(1, 2))
    text2, map2 = apply_edits(text1, edits2) if edits2 else (text1, OffsetMap.identity(len(text1)))
    cols.shift_out(_changes([r for r in rec2 if r[0] == "lost_character"]))
    more = RepairColumns.of_rows(rec2)
    # lost characters: one character at the edit's place; unrecoverable spans: where they went
    lost = [k == "lost_character" for k in more.kind]
    starts = [map2.to_text(s) for s in more.in_start]
    more.out_start, more.out_end = starts, [
        t + 1 if is_lost else map2.to_text_span(s, e)[1]
        for t, is_lost, s, e in zip(starts, lost, more.in_start, more.in_end, strict=True)
    ]
    more.map_in(map1)
    cols.extend(more)
    cols.sort()
    return Repaired(text2, map1.then(map2), cols)


def _changes(records: list[Record]) -> list[tuple[int, int]]:
    """(input position, length change) of the edits behind ``records``, sorted."""
    return sorted((a, (e - s) - (b - a)) for _, a, b, s, e, _ in records if (e - s) != (b - a))
