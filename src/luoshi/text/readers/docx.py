"""The text of a Word document (.docx), with python-docx.

Body paragraphs and tables in document order; a table row becomes one line, its cells joined by
a space (an attendance table 出席 | 甲、乙 reads 出席 甲、乙). Headers and footers are left out.
"""

from __future__ import annotations

import io
import zipfile

from luoshi.text.decode import NormalizeError
from luoshi.text.readers.document import Document


def read_docx(data: bytes) -> Document:
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        doc = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NormalizeError(f"the Word document cannot be read ({exc})") from exc
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                # merged cells repeat their text in each grid cell they span
                kept = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                if kept:
                    lines.append(" ".join(kept))
        else:
            lines.extend(block.text.split("\n"))  # a line break inside a paragraph (w:br) ends a line
    return Document("\n".join(lines) + "\n", "docx")
