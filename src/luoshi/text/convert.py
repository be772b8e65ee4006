"""Script conversion with OpenCC: keep, Traditional -> Simplified ("t2s") or the reverse ("s2t").

OpenCC's dictionaries map every phrase to one of the same length, so the output is aligned character
for character and the offset map stays the identity. Should a conversion ever change a line's length,
that line is aligned with difflib and only its changed regions enter the map.

The aspect particle 著: Taiwan-standard Traditional (and Big5 text, which cannot encode 着) writes
着 as 著, and OpenCC's t2s keeps 著 unless a phrase table entry says otherwise (隨著 -> 随著,
意味著 -> 意味著). In Simplified, 著 is only zhù (显著, 著名, 土著, 编著). So in a text that t2s
actually changed (it was Traditional), a 著 that is not part of a word in which jieba's dictionary
prefers 著 to 着 becomes 着. The zhù words come from jieba's word list at first need.
"""

from __future__ import annotations

import codecs
import difflib
import importlib.util
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from luoshi.text.offsets import OffsetMap

SCRIPTS = ("keep", "t2s", "s2t")
_MIN_COUNT = 5


@cache
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


@cache
def zhu_words() -> dict[tuple[int, int], frozenset[str]]:
    """Words in which 著 is zhù, keyed by (index of 著, word length)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return {}
    freq: dict[str, int] = {}
    with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            if "著" in line or "着" in line:
                parts = line.split(" ")
                if len(parts) >= 2 and parts[1].isdigit():
                    freq[parts[0]] = int(parts[1])
    out: dict[tuple[int, int], set[str]] = {}
    for w, f in freq.items():
        if len(w) < 2 or "著" not in w:
            continue
        # Entries at jieba's floor counts (2-3) include noise such as 标志著; leave them out.
        if f >= _MIN_COUNT and f > freq.get(w.replace("著", "着"), 0):
            for j, ch in enumerate(w):
                if ch == "著":
                    out.setdefault((j, len(w)), set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


def fix_zhe(text: str) -> str:
    """Turn 著 into 着 where it is not part of a zhù word (for text converted from Traditional)."""
    if "著" not in text:
        return text
    words = zhu_words()
    pieces: list[str] = []
    last = 0
    p = text.find("著")
    while p >= 0:
        if not any(text[p - j : p - j + n] in ws for (j, n), ws in words.items() if p >= j):
            pieces.append(text[last:p])
            pieces.append("着")
            last = p + 1
        p = text.find("著", p + 1)
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


# -- is there anything for t2s to do? ---------------------------------------------------------------
# Running OpenCC over a 20 MB Simplified text costs more than the rest of normalization, so t2s is
# skipped when the text holds no character that t2s could change. The check encodes the text as
# GB2312, a Simplified-only character set, at C speed: a character outside GB2312 reaches the error
# handler, which asks OpenCC about it (and stops the scan at the first that t2s changes); the few
# GB2312 characters that t2s changes (後, 於, 乾 ... and those it changes inside phrases, such as 覆
# in 答覆) are looked for directly.
class _Traditional(Exception):
    pass


@cache
def _phrase_chars() -> frozenset[str]:
    """Characters t2s changes only inside phrases (data/t2s_phrase_chars.txt, from OpenCC's table)."""
    data = resources.files("luoshi.text").joinpath("data/t2s_phrase_chars.txt").read_text(encoding="utf-8")
    return frozenset(data.strip())


@cache
def _gb2312_triggers() -> tuple[str, str]:
    """GB2312 characters that t2s changes on their own, and those it changes only inside phrases."""
    # every hanzi of GB2312 (rows 0xB0-0xF7); the codec leaves the few unassigned codes out
    rows = bytes(b for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    chars = [c for c in rows.decode("gb2312", "ignore") if "\u4e00" <= c <= "\u9fff"]
    conv = _opencc("t2s").convert("\n".join(chars)).split("\n")
    alone = "".join(sorted(c for c, d in zip(chars, conv, strict=True) if c != d))
    in_phrases = "".join(sorted(c for c in _phrase_chars() if _encodes(c) and c not in alone))
    return alone, in_phrases


def _encodes(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=4096)
def _t2s_changes(run: str) -> bool:
    return _opencc("t2s").convert(run) != run or any(c in _phrase_chars() for c in run)


def _stop_at_traditional(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    if _t2s_changes(exc.object[exc.start : exc.end]):
        raise _Traditional
    return "", exc.end


codecs.register_error("luoshi.t2s-check", _stop_at_traditional)


def needs_t2s(text: str) -> bool:
    """Could OpenCC t2s change ``text``? (Exact for its character table; phrases are looked for in
    a window of five characters around each character that changes only inside a phrase.)"""
    try:
        text.encode("gb2312", "luoshi.t2s-check")
    except _Traditional:
        return True
    alone, in_phrases = _gb2312_triggers()
    if any(c in text for c in alone):
        return True
    # 覆 (覆盖), 坏, 么 (什么) are ordinary Simplified characters that t2s changes only in a few
    # phrases (答覆, 什麼): look at the phrase around each occurrence.
    cc = _opencc("t2s")
    for c in in_phrases:
        p = text.find(c)
        while p >= 0:
            window = text[max(0, p - 5) : p + 6]
            if cc.convert(window) != window:
                return True
            p = text.find(c, p + 1)
    return False


def _align(src: str, dst: str, base: int, out_base: int) -> list[tuple[int, int, int, int]]:
    """Resized regions of one line converted to a different length."""
    regions = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, src, dst, autojunk=False).get_opcodes():
        if tag != "equal":
            regions.append((out_base + j1, out_base + j2, base + i1, base + i2))
    return regions


def _convert_by_line(text: str, cc) -> tuple[str, OffsetMap]:
    lines = text.split("\n")
    out_lines = []
    regions: list[tuple[int, int, int, int]] = []
    pos = out = 0
    for line in lines:
        conv = cc.convert(line)
        if len(conv) != len(line):
            regions.extend(_align(line, conv, pos, out))
        out_lines.append(conv)
        pos += len(line) + 1
        out += len(conv) + 1
    new = "\n".join(out_lines)
    return new, OffsetMap.from_regions(regions, len(new), len(text))


def convert(text: str, script: str = "t2s") -> tuple[str, OffsetMap]:
    """Convert ``text`` to the requested script; return the new text and its offset map."""
    if script not in SCRIPTS:
        raise ValueError(f"script must be one of {', '.join(SCRIPTS)}, not {script!r}")
    if script == "keep" or not text:
        return text, OffsetMap.identity(len(text))
    if script == "t2s" and not needs_t2s(text):
        return text, OffsetMap.identity(len(text))
    cc = _opencc(script)
    new = cc.convert(text)
    if len(new) == len(text):
        offsets = OffsetMap.identity(len(text))
    else:
        new, offsets = _convert_by_line(text, cc)
    if script == "t2s" and new != text and "著" in new:
        new = fix_zhe(new)  # same length: the map is unchanged
    return new, offsets

