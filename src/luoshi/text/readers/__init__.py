"""Read: the text of a file that is not text (.docx, .pdf with a text layer, .ofd, .doc, .wps).

The step before decode. `read_document(data, name)` tells a document format by its first bytes
(and, for the old binary Word formats, by the file name) and returns its text, one paragraph a
line, with the format's name; for anything else it returns None and the bytes go on to be decoded
as text. A document that cannot be read raises `NormalizeError` with a sentence for a person (a
scan without a text layer, a .doc where LibreOffice is not installed, a damaged file).

What a raw span means for such a file: the raw bytes are kept unchanged, but spans cannot point
into a ZIP or a PDF stream, so the "raw text" of a document is the plain text read from it, and
raw spans are offsets into that text (which is what the "as found" view shows).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from luoshi.text.decode import NormalizeError
from luoshi.text.readers.document import Document

__all__ = ["Document", "NormalizeError", "read_document"]

_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word (.doc) and WPS (.wps) files


def read_document(data: bytes, name: str | None = None) -> Document | None:
    """The text of a document file, or None where ``data`` is not one (it is text to decode)."""
    if data.startswith(_PDF):
        from luoshi.text.readers.pdf import read_pdf

        return read_pdf(data)
    if data.startswith(_ZIP):
        return _read_zip(data)
    if data.startswith(_OLE2):
        from luoshi.text.readers.office import read_with_libreoffice

        ext = PurePath(name or "").suffix.lower().lstrip(".")
        return read_with_libreoffice(data, "wps" if ext == "wps" else "doc")
    return None


def _read_zip(data: bytes) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise NormalizeError(f"the file looks like a ZIP archive but cannot be opened ({exc})") from exc
    if "word/document.xml" in names:
        from luoshi.text.readers.docx import read_docx

        return read_docx(data)
    if "OFD.xml" in names:
        from luoshi.text.readers.ofd import read_ofd

        return read_ofd(archive)
    raise NormalizeError("the file is a ZIP archive that is neither a Word (.docx) nor an OFD document; "
                         "save the report as .docx, .pdf or text")
