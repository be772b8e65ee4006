"""The text layer of a PDF, with pdfminer.six.

pdfminer.six rather than pypdf: it ships Adobe's CJK character maps (Adobe-GB1, -CNS1: GBK-EUC-H,
UniGB-UCS2-H…), so Chinese fonts without a ToUnicode table still give characters, and its layout
analysis gives each printed line with its box, from which paragraphs are rebuilt (see `layout`).
A PDF with pages but no characters is a scan: refused, since reading it would need OCR.
"""

from __future__ import annotations

import io

from luoshi.text.decode import NormalizeError
from luoshi.text.readers.document import Document
from luoshi.text.readers.layout import Line, paragraphs


def read_pdf(data: bytes) -> Document:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    out: list[str] = []
    pages = 0
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            pages += 1
            lines: list[Line] = []
            for box in page:
                if not isinstance(box, LTTextContainer):
                    continue
                for ln in box:
                    # (pdfminer's boxes are not paragraphs: an indented first line gets a box of its own)
                    if isinstance(ln, LTTextLine) and ln.get_text().strip():
                        # PDF y grows upwards: the top of the page is its height
                        lines.append(Line(ln.get_text(), ln.x0, ln.x1, page.height - ln.y1, ln.height))
            out.extend(paragraphs(lines))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise NormalizeError("the PDF is protected by a password; save an unprotected copy") from exc
    except (PDFSyntaxError, ValueError, TypeError, KeyError, AssertionError) as exc:
        raise NormalizeError(f"the PDF cannot be read ({exc.__class__.__name__}: {exc})") from exc
    if not any(p.strip() for p in out):
        raise NormalizeError(
            f"the PDF has {pages} page(s) but no text layer (a scan?); it would need OCR: "
            "ask for the original document, or paste its text"
        )
    return Document("\n".join(out) + "\n", "pdf")
