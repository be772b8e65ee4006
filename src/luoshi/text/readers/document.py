"""What a reader returns: the text of a document file, one paragraph a line, and its format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    text: str  # one paragraph a line
    format: str  # "docx", "pdf", "ofd", "doc", "wps"
    warnings: list[str] = field(default_factory=list)
