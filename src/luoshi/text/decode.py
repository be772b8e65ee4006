"""Detect the encoding of a document's bytes and decode them.

Order of evidence: a byte-order mark; the NUL-byte pattern of UTF-16/UTF-32 without a mark; strict
UTF-8; then GB18030 against Big5.

GB18030 against Big5: both codecs accept most byte sequences of the other (a Big5 file nearly always
decodes "successfully" as GB18030, into nonsense), so success alone decides nothing. Both readings
are decoded (strictly where they can be) and scored by the share of their characters that are among
the most frequent Chinese characters (``data/common_chars.txt``, both scripts, built by
``scripts/build_common_chars.py`` from jieba's word frequencies and OpenCC). A wrong reading turns
pairs of bytes into arbitrary code points — rare characters, private-use and unassigned ones — so
its share is far lower; on real text the right reading wins by a wide margin.

When no codec decodes the bytes strictly, each candidate is decoded with replacement and the best
one (by the same score, less the replaced bytes) is taken, with a warning saying how many bytes
were replaced. The decoded text is returned unchanged; line ends are normalised by the typesetting
step (HTML paragraph breaks swallow most of them before that).
"""

from __future__ import annotations

import codecs
import re
import threading
from functools import cache
from importlib import resources
from typing import NamedTuple


class NormalizeError(ValueError):
    """The input holds no usable text; the message is a sentence for a person."""


class Decoded(NamedTuple):
    text: str  # the decoded bytes, unchanged (line ends are the typesetting step's business)
    encoding: str
    warnings: list[str]


_SAMPLE = 65536  # bytes scored when choosing between codecs
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (such as .docx or .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newline, vertical tab, form feed, carriage return and escape
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]")
_ASCII = bytes(range(128))
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


@cache
def common_chars() -> frozenset[str]:
    """The most frequent Chinese characters in Simplified and Traditional script."""
    data = resources.files("luoshi.text").joinpath("data/common_chars.txt").read_text(encoding="utf-8")
    return frozenset(data.strip())


# -- counting replaced bytes --------------------------------------------------------------------
# A named error handler that replaces like "replace" but counts the bytes it replaced. The count is
# per thread so that concurrent decodes do not mix.
_tally = threading.local()


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _tally.n = getattr(_tally, "n", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("luoshi.count", _count_replace)


def _decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    _tally.n = 0
    text = data.decode(encoding, "luoshi.count")
    return text, _tally.n


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


_PUNCT = "，。、；：？！“”‘’《》（）　—…·"  # common in text, counted in every reading's favour


@cache
def _common_or_punct() -> frozenset[str]:
    return common_chars() | frozenset(_PUNCT)


def _score(text: str) -> float:
    """Share of the non-ASCII characters that are common Chinese ones (ASCII-only text scores 0.5).

    A few hundred characters decide it (the right reading scores near 1, a wrong one far lower)."""
    for size in (400, 4000):
        sample = text[:size]
        n = len(sample) - len(sample.encode("ascii", "ignore"))
        if n >= 100:
            break
    if not n:
        return 0.5
    return sum(map(_common_or_punct().__contains__, sample)) / n


def _quick(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode, replacing errors; the number of replacement characters (C speed, approximate)."""
    try:
        return data.decode(encoding), 0
    except UnicodeDecodeError:
        text = data.decode(encoding, "replace")
        return text, text.count("\ufffd")


_TEXTLIKE = re.compile("[\t\n\r -~\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _plausible(text: str) -> bool:
    """Does a reading guessed from NUL bytes look like text (ASCII, Latin, CJK, punctuation)?"""
    sample = text[:2000]
    return len(_TEXTLIKE.findall(sample)) >= 0.95 * len(sample)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the NUL bytes fall (ASCII has a zero half)."""
    n = len(head) - len(head) % 4
    if n < 4:
        return None
    quads = [head[i::4][: n // 4].count(0) for i in range(4)]
    units = n // 4
    # UTF-32: three zero bytes out of four for ASCII and BMP-ish text
    if quads[2] >= units * 0.9 and quads[3] >= units * 0.9:
        return "utf-32-le"
    if quads[0] >= units * 0.9 and quads[1] >= units * 0.9:
        return "utf-32-be"
    even = quads[0] + quads[2]
    odd = quads[1] + quads[3]
    if odd >= max(2, units // 8) and even * 8 <= odd:
        return "utf-16-le"
    if even >= max(2, units // 8) and odd * 8 <= even:
        return "utf-16-be"
    return None


_MAGIC_FIRST = frozenset(magic[:1] for magic, _ in _MAGIC)


def _binary_error(data: bytes) -> None:
    if data[:1] not in _MAGIC_FIRST:
        return
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NormalizeError(f"looks like {what}, not text; convert it to text first")


def _choose(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, codec name, warnings)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_counting(data, name)
            return text, name, _replaced_warning(bad, name)

    head = data[:_SAMPLE]
    if b"\x00" in head:
        enc = _utf16_without_bom(head)
        if enc is None:
            raise NormalizeError("looks like a binary file (NUL bytes), not text")
        text, bad = _decode_counting(data, enc)
        if not _plausible(text):
            raise NormalizeError("looks like a binary file (NUL bytes), not text")
        return text, enc, _replaced_warning(bad, enc)

    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8", []
    # UTF-8 with a few damaged bytes (a cut last character, a stray byte) stays UTF-8; text in a
    # legacy encoding fails on nearly every non-ASCII byte. Short texts are left to the scores.
    _, bad = _quick(data, "utf-8")
    non_ascii = len(data.translate(None, _ASCII))
    if bad * 50 < non_ascii:
        text, bad = _decode_counting(data, "utf-8")
        return text, "utf-8", _replaced_warning(bad, "utf-8")

    # GB18030 or Big5 (or damaged UTF-8): score each reading of a sample, strict where possible.
    sample = data[:_SAMPLE]
    if len(data) > _SAMPLE:  # do not let a character cut at the sample's end count as an error
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    best: tuple[float, str] = (-1e9, "gb18030")
    for enc in ("gb18030", "big5", "cp950", "big5hkscs", "utf-8"):
        if enc in ("cp950", "big5hkscs") and best[1] == "big5" and best[0] > 0.5:
            continue  # Big5 read the sample well: its supersets cannot do better
        s, bad = _quick(sample, enc)
        score = _score(s) - 4.0 * bad / max(1, len(sample))
        if score > best[0] + 1e-9:
            best = (score, enc)
        if not bad and score >= 0.9:
            break  # a clean reading made of common characters: no other will beat it
    enc = best[1]
    text = _strict(data, enc)
    if text is not None:
        return text, enc, []
    text, bad = _decode_counting(data, enc)
    return text, enc, _replaced_warning(bad, enc)


def _replaced_warning(bad: int, enc: str) -> list[str]:
    if not bad:
        return []
    what = "1 byte" if bad == 1 else f"{bad} bytes"
    was = "was" if bad == 1 else "were"
    return [f"{what} could not be decoded as {enc} and {was} replaced by U+FFFD"]


def decode(data: bytes) -> Decoded:
    """Decode ``data``; raise :class:`NormalizeError` when it holds no usable text."""
    if not data:
        raise NormalizeError("empty file")
    _binary_error(data)
    raw, enc, warnings = _choose(data)
    if not raw.strip():
        raise NormalizeError("the file holds only whitespace, no text")
    # Mostly undecodable or control characters: not a text file in any encoding we know. (For the
    # ASCII-compatible encodings the bytes tell at C speed; control bytes cannot hide in a
    # multi-byte character there.)
    if enc in ("utf-8", "gb18030", "big5", "cp950", "big5hkscs"):
        head = data[:4096]
        bad = len(head) - len(head.translate(None, _CONTROL_BYTES)) + raw[:4096].count("\ufffd")
        size = len(head)
    else:
        sample = raw[:2048]
        bad = len(_CONTROL.findall(sample))
        size = len(sample)
    if bad > 0.3 * size:
        raise NormalizeError("looks like a binary file (mostly control or undecodable bytes), not text")
    return Decoded(raw, enc, warnings)
