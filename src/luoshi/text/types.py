"""Plain data types shared by the text pipeline (no Django, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from luoshi.text.offsets import OffsetMap

Span = tuple[int, int]  # [start, end) Python string offsets


@dataclass(frozen=True)
class Repair:
    """One change the repair step made (or could not make) to the decoded text."""

    kind: str  # "pinyin_annotation" | "lost_character" | "unrecoverable"
    raw_span: Span  # offsets into the decoded raw text (for a document file: the text read from it)
    text_span: Span  # offsets into the normalized text
    detail: str

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "raw_span": list(self.raw_span),
            "text_span": list(self.text_span),
            "detail": self.detail,
        }


class Normalized:
    """The result of normalization: clean text plus everything needed to trace it back.

    ``repairs`` may be given as a function: a heavily annotated document has tens of
    thousands of them, and most callers never look, so they are mapped to both texts only
    on first use.
    """

    def __init__(self, *, raw_text: str, encoding: str, text: str, offsets: OffsetMap,
                 repairs: list[Repair] | Callable[[], list[Repair]] | None = None,
                 warnings: list[str] | None = None) -> None:
        # the decoded bytes, unchanged; for a document file (.docx, .pdf, .ofd…), the plain text read
        # from it, since offsets cannot point into a ZIP or a PDF stream
        self.raw_text = raw_text
        self.encoding = encoding  # the codec the bytes were decoded with, or the document format
        self.text = text  # repaired, converted, typeset
        self.offsets = offsets  # text offsets -> raw_text offsets
        self._repairs = repairs if repairs is not None else []
        self.warnings = warnings if warnings is not None else []

    @property
    def repairs(self) -> list[Repair]:
        if callable(self._repairs):
            self._repairs = self._repairs()
        return self._repairs

    def raw_span(self, start: int, end: int) -> Span:
        """The span of ``raw_text`` that the span [start, end) of ``text`` came from."""
        return self.offsets.to_raw_span(start, end)
