"""Paragraphs, sentences and clauses of normalized text, each with its span.

The normalized text keeps one paragraph per line, so paragraphs are lines. Sentences end
at 。！？； (a closing quote or bracket that follows stays with its sentence); clauses
are sentences cut again at ，：. Spans are offsets into the whole text, so anything found
in a piece can be reported against the text that `luoshi extract` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。！？；\n]*(?:[。！？；]+[”’」』）)]*|$)")
_CLAUSE = re.compile(r"[^，：。！？；\n]*(?:[，：。！？；]+[”’」』）)]*|$)")


@dataclass(frozen=True)
class Piece:
    """A stretch of the text: its characters and where they stand."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def paragraphs(text: str) -> list[Piece]:
    """Non-empty lines, with their offsets."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Piece(line, pos))
        pos += len(line) + 1
    return out


def _split(piece: Piece, pattern: re.Pattern[str]) -> list[Piece]:
    out = []
    for m in pattern.finditer(piece.text):
        if m.group().strip():
            out.append(Piece(m.group(), piece.start + m.start()))
    return out


def sentences(piece: Piece) -> list[Piece]:
    """Sentences of a paragraph (or of any piece), punctuation included."""
    return _split(piece, _SENTENCE)


def clauses(piece: Piece) -> list[Piece]:
    """Clauses of a sentence, cut at ，： as well as at sentence ends."""
    return _split(piece, _CLAUSE)


def strip_punct(s: str) -> str:
    """A clause without its trailing punctuation (for headlines and actions)."""
    return s.rstrip("，：。！？；、 ").strip()
