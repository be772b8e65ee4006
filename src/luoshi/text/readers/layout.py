"""Printed lines back into paragraphs, for formats that keep only where text stands (PDF, OFD).

Chinese text wraps anywhere, so a printed line is not a paragraph. A line ends its paragraph
where it stops short of the right margin, or where the next line starts indented (the two-
character indent of the genre), or after a gap wider than the line spacing. Spaces a layout
leaves beside Chinese characters are not text and go; lines on one baseline (the cells of a
table row) are one line.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass

_HAN = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# a layout's space beside a Chinese character (a gap, or the autospace between 3 and 月)
_CJK_SPACE = re.compile(rf"(?<=[{_HAN}])[ \t\u3000]+(?=[{_HAN}0-9A-Za-z])|(?<=[0-9A-Za-z])[ \t\u3000]+(?=[{_HAN}])")


@dataclass(frozen=True)
class Line:
    """One printed line: its text and its box (top grows downwards, in any unit)."""

    text: str
    left: float
    right: float
    top: float
    size: float  # the height of a character


_CLOSES = re.compile(r"[。！？；：”」』）)…]$")


def tidy(text: str) -> str:
    """A printed line's text without the spaces a layout puts between Chinese characters."""
    return _CJK_SPACE.sub("", text.strip())


def rows(lines: list[Line]) -> list[Line]:
    """Lines in reading order, those on one baseline joined by a space."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda ln: (ln.top, ln.left)):
        last = out[-1] if out else None
        if last is not None and abs(ln.top - last.top) < min(ln.size, last.size) / 2:
            out[-1] = Line(f"{last.text} {tidy(ln.text)}", last.left, max(last.right, ln.right),
                           last.top, max(last.size, ln.size))
        else:
            out.append(Line(tidy(ln.text), ln.left, ln.right, ln.top, ln.size))
    return out


def paragraphs(lines: list[Line]) -> list[str]:
    """The paragraphs of one page's lines."""
    lines = rows([ln for ln in lines if ln.text.strip()])
    if not lines:
        return []
    size = statistics.median(ln.size for ln in lines) or 1.0
    left = min(ln.left for ln in lines)
    right = max(ln.right for ln in lines)
    gaps = [b.top - a.top for a, b in itertools.pairwise(lines) if b.top > a.top]
    spacing = min(gaps) if gaps else size * 1.5  # the spacing of lines within a paragraph
    out: list[str] = []
    current = ""
    for i, ln in enumerate(lines):
        current += ln.text
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        # a line a little short may only be kept from the margin by punctuation rules (no 。 at a
        # line's head); one that is short and closes a sentence ends its paragraph
        missing = (right - ln.right) / size
        short = missing > 3 or (missing > 1 and _CLOSES.search(ln.text) is not None)
        indented = nxt is not None and nxt.left > left + 1.5 * size
        gap = nxt is not None and nxt.top - ln.top > spacing * 1.3
        if nxt is None or short or indented or gap:
            out.append(current)
            current = ""
    return [p for p in out if p]
