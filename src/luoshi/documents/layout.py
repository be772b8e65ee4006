"""The page and type of an official document (公文), after GB/T 9704-2012, for python-docx.

A4, margins 上3.7cm 下3.5cm 左2.8cm 右2.6cm, body in 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt
line, headings in 黑体, titles in 方正小标宋简体, the masthead (红头) and its rule in red. Word
and WPS pick a Chinese font from a run's East Asian slot (w:eastAsia), not from the name
python-docx sets (ASCII and high ANSI only), so every run gets both. Where these fonts are not
installed (LibreOffice on a server) the reader substitutes its own; the text stays the same.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
RED = RGBColor(0xE6, 0x00, 0x12)  # the red of mastheads (红头)

# 字号 in points
ERHAO = 22  # 二号: titles
SANHAO = 16  # 三号: body
SIHAO = 14  # 四号: tables
XIAOSI = 12  # 小四: dense tables, notes
WUHAO = 10.5  # 五号: the heads of dense tables
LINE = Pt(28)  # a fixed line: 22 lines on a page of GB/T 9704

CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
TEXT_WIDTH = Cm(21 - 2.8 - 2.6)


def chinese_date(day: dt.date) -> str:
    """A date as offices write it since GB/T 9704-2012: 2026年11月30日 (Arabic figures, no zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_font(run: Run, name: str, size: float | None = None, *, bold: bool = False,
             color: RGBColor | None = None) -> Run:
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    return run


def new_document(*, title: str, author: str) -> DocxDocument:
    """An empty A4 document with the official margins and body type."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SANHAO)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments = props.keywords = ""
    return doc


def write(target, text: str, *, font: str = BODY_FONT, size: float = SANHAO, bold: bool = False,
          color: RGBColor | None = None, align=None, indent: bool = False, line=None) -> Paragraph:
    """A paragraph of one run, added to a document or a table cell (whose first, empty
    paragraph is used). ``indent``: the first line in by two characters, as body text is."""
    if isinstance(target, _Cell) and len(target.paragraphs) == 1 and not target.paragraphs[0].text:
        paragraph = target.paragraphs[0]
    else:
        paragraph = target.add_paragraph()
    set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Pt(2 * size)
    if line is not None:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
    return paragraph


def signature(doc: DocxDocument, name: str, day: dt.date, *, space_before=None) -> None:
    """The issuer's name and the date, right-aligned and in by two characters from the right."""
    for n, text in enumerate((name, chinese_date(day))):
        fmt = write(doc, text, align=RIGHT).paragraph_format
        fmt.right_indent = Pt(2 * SANHAO)
        if n == 0 and space_before is not None:
            fmt.space_before = space_before


def picture(doc: DocxDocument, png: bytes, width=TEXT_WIDTH) -> Paragraph:
    """An inline picture in a centred paragraph of its own height (a fixed line would clip it)."""
    doc.add_picture(io.BytesIO(png), width=width)
    paragraph = doc.paragraphs[-1]
    paragraph.alignment = CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return paragraph


def paragraph_style(doc: DocxDocument, name: str, *, font: str, size: float, bold: bool = False, align=None,
                    line=None) -> ParagraphStyle:
    """A paragraph style of the document: a large table's cells take it instead of each being
    formatted run by run (a 200-row table formats in a tenth of the time, and Word users can
    restyle it in one place)."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.name, style.font.size, style.font.bold = font, Pt(size), bold or None
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if line is not None:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
    return style


def fill(cell: _Cell, text: str, style: ParagraphStyle, *, align=None) -> None:
    """Put ``text`` in an empty table cell, in ``style``."""
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style.style_id  # `paragraph.style =` looks the style up among all, per cell
    if align is not None:
        paragraph.alignment = align
    paragraph.add_run(text)


def red_rule(paragraph: Paragraph, *, points: float = 2.25) -> None:
    """A red line under ``paragraph`` across the text width: the masthead's separator (分隔线)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(int(points * 8))), ("w:space", "6"),
                       ("w:color", str(RED))):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def table(doc: DocxDocument, rows: int, widths: list[Cm]) -> Table:
    """A ruled table centred on the page, its columns ``widths`` wide."""
    t = doc.add_table(rows=rows, cols=len(widths), style="Table Grid")
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return t


def repeat_as_header(row) -> None:
    """Repeat the table's first row on every page it runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def to_bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
