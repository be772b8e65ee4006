"""The text of an OFD document (GB/T 33190): a ZIP of XML files, read with the standard library.

OFD.xml names the document root (DocBody/DocRoot → Doc_0/Document.xml); Document.xml lists the
pages in order (Pages/Page BaseLoc → Pages/Page_0/Content.xml, relative to Document.xml); each
page's content holds TextObject elements (in layers and page blocks) whose Boundary places them
on the page, each with TextCode runs placed by X and Y within it. Runs on one baseline make a
printed line; lines make paragraphs as in a PDF (see `layout`).

Elements are matched by local name, so files written with or without the ofd: namespace both read.
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree import ElementTree

from luoshi.text.decode import NormalizeError
from luoshi.text.readers.document import Document
from luoshi.text.readers.layout import Line, paragraphs

_MAX_XML = 50 * 1024 * 1024  # a page's XML is kilobytes; refuse what cannot be one


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [c for c in el if _local(c.tag) == name]


def _descendants(el: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [c for c in el.iter() if _local(c.tag) == name]


def _xml(archive: zipfile.ZipFile, path: str) -> ElementTree.Element:
    path = path.lstrip("/")
    try:
        info = archive.getinfo(path)
        if info.file_size > _MAX_XML:
            raise NormalizeError(f"the OFD part {path} is too large to be a page")
        return ElementTree.fromstring(archive.read(info))
    except KeyError as exc:
        raise NormalizeError(f"the OFD document lacks its part {path}") from exc
    except ElementTree.ParseError as exc:
        raise NormalizeError(f"the OFD part {path} is not well-formed XML ({exc})") from exc


def _resolve(base_dir: str, loc: str) -> str:
    """A location in the package: absolute (/Doc_0/…) or relative to the file that names it."""
    loc = loc.strip()
    return posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc))


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(x) for x in (value or "").split()]
    except ValueError:
        return []


def _page_lines(page: ElementTree.Element) -> list[Line]:
    """Printed lines of one page: text runs grouped by baseline, read left to right."""
    runs: list[tuple[float, float, float, float, str]] = []  # y, x, end x, size, text
    for obj in _descendants(page, "TextObject"):
        box = _numbers(obj.get("Boundary"))
        bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        size = (_numbers(obj.get("Size")) or [3.5])[0]
        x = y = 0.0
        for code in _children(obj, "TextCode"):
            text = code.text or ""
            # a run without X or Y goes on from where the last one stood
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            if text.strip():
                deltas = _numbers(code.get("DeltaX"))
                width = sum(deltas) + size if deltas else size * len(text)
                runs.append((by + y, bx + x, bx + x + width, size, text))
    runs.sort()
    lines: list[Line] = []
    group: list[tuple[float, float, float, float, str]] = []
    for run in runs:
        if group and abs(run[0] - group[0][0]) > group[0][3] / 2:
            lines.append(_line(group))
            group = []
        group.append(run)
    if group:
        lines.append(_line(group))
    return lines


def _line(group: list[tuple[float, float, float, float, str]]) -> Line:
    group = sorted(group, key=lambda r: r[1])
    return Line("".join(r[4] for r in group), group[0][1], max(r[2] for r in group), group[0][0],
                max(r[3] for r in group))


def read_ofd(archive: zipfile.ZipFile) -> Document:
    root = _xml(archive, "OFD.xml")
    doc_roots = [el.text for el in _descendants(root, "DocRoot") if el.text]
    if not doc_roots:
        raise NormalizeError("the OFD document names no document root (OFD.xml DocBody/DocRoot)")
    out: list[str] = []
    for doc_root in doc_roots:
        doc_path = _resolve("", doc_root)
        document = _xml(archive, doc_path)
        base = posixpath.dirname(doc_path)
        for pages in _descendants(document, "Pages"):
            for page in _children(pages, "Page"):
                loc = page.get("BaseLoc")
                if loc:
                    out.extend(paragraphs(_page_lines(_xml(archive, _resolve(base, loc)))))
    if not any(p.strip() for p in out):
        raise NormalizeError("the OFD document has no text (scanned pages?); it would need OCR")
    return Document("\n".join(out) + "\n", "ofd")
