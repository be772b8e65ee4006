"""Reports as they arrive: .docx, .pdf, .ofd, .doc and .wps, each made by a real writer.

The .docx is written with python-docx; the .pdf and .doc with LibreOffice from that .docx (those
tests skip with a message where soffice is missing); the .ofd package is written by hand, part by
part, as GB/T 33190 lays it out; the scan is a PDF whose only page content is an image.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.shared import Cm, Pt

from luoshi.text import NormalizeError, process
from luoshi.text.normalize import normalize
from luoshi.text.readers import office, read_document

TITLE = "县政府召开春季森林防火工作会议"
PARAGRAPHS = [
    "3月12日，县长庞卫国主持召开全县春季森林防火工作会议，分析当前防火形势，部署下一阶段工作。副县长齐少华、卢晓峰出席会议。",
    "庞卫国强调，一要压实防火责任。各乡镇要落实网格化管理，确保4月底前完成林区隐患排查。"
    "二要加强火源管控。严禁野外用火，清明前后要在重点路口设卡检查。"
    "三要做好扑火准备。专业扑火队伍要24小时待命，确保一旦发生火情能够打早、打小、打了。",
]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                   "apt-get install libreoffice-writer to run the .pdf/.doc tests")


def make_docx(indent: bool = False) -> bytes:
    doc = WordDocument()
    doc.add_paragraph(TITLE)
    for text in PARAGRAPHS:
        p = doc.add_paragraph(text)
        if indent:
            p.paragraph_format.first_line_indent = Pt(24)  # the genre's two-character indent
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "出席"
    table.cell(0, 1).text = "庞卫国、齐少华、卢晓峰"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def convert(data: bytes, source: str, target: str, tmp: Path) -> bytes:
    """Have LibreOffice write ``target`` from a ``source`` file holding ``data``."""
    path = tmp / f"report.{source}"
    path.write_bytes(data)
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", target, "--outdir", str(tmp / "out"), str(path)],
                   check=True, capture_output=True, timeout=180)
    return (tmp / "out" / f"report.{target}").read_bytes()


def check_report(p) -> None:
    """What any format of the report must give."""
    ex = p.extraction
    assert ex.title == TITLE
    assert ex.date == "03-12"
    assert ex.leaders == ["庞卫国"] and ex.attendees == ["齐少华", "卢晓峰"]
    assert [d.headline for d in ex.directives] == ["压实防火责任", "加强火源管控", "做好扑火准备"]
    assert ex.directives[0].deadline_basis == "4月底前"
    text = p.normalized.text
    for d in ex.directives:
        assert text[d.span[0] : d.span[1]] == d.text


def test_docx() -> None:
    p = process(make_docx())
    assert p.normalized.encoding == "docx"
    assert p.normalized.text.split("\n")[:2] == [TITLE, PARAGRAPHS[0]]
    check_report(p)


def test_docx_table_rows_are_lines() -> None:
    assert normalize(make_docx()).text.endswith("出席 庞卫国、齐少华、卢晓峰")


def test_raw_spans_of_a_document_point_into_the_text_read_from_it() -> None:
    n = normalize(make_docx())
    assert n.raw_text.startswith(TITLE + "\n")  # not the bytes of the ZIP
    start = n.text.index("庞卫国强调")
    a, b = n.raw_span(start, start + 5)
    assert n.raw_text[a:b] == "庞卫国强调"


@needs_soffice
@pytest.mark.parametrize("indent", [False, True])
def test_pdf_with_a_text_layer(tmp_path: Path, indent: bool) -> None:
    pdf = convert(make_docx(indent), "docx", "pdf", tmp_path)
    p = process(pdf)
    assert p.normalized.encoding == "pdf"
    lines = p.normalized.text.split("\n")
    # printed lines are joined back into paragraphs, with no layout spaces left (3 月 → 3月)
    assert lines[:3] == [TITLE, PARAGRAPHS[0], PARAGRAPHS[1]]
    check_report(p)


@needs_soffice
def test_doc_and_wps_through_libreoffice(tmp_path: Path) -> None:
    doc = convert(make_docx(), "docx", "doc", tmp_path)
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    p = process(doc, name="report.doc")
    assert p.normalized.encoding == "doc"
    check_report(p)
    # a WPS file has the same first bytes; its name tells it apart
    assert process(doc, name="通知.wps").normalized.encoding == "wps"


def test_doc_without_libreoffice_is_refused_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(NormalizeError, match="needs LibreOffice"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "report.wps")


# -- OFD: a package written part by part ------------------------------------------------------

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def text_object(oid: int, x: float, y: float, text: str, size: float = 4.2) -> str:
    width = size * len(text)
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} {width} {size * 1.4}" Font="3" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {len(text) - 1} {size}">{text}</ofd:TextCode>'
            "</ofd:TextObject>")


def page_xml(objects: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="2">'
            + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def make_ofd() -> bytes:
    """Two pages; the lead paragraph wraps over two printed lines; page 2 holds the requirements."""
    def printed(text: str, top: float, oid: int) -> list[str]:
        """A paragraph printed 40 characters a line from x=25, its first line indented by two."""
        rows = [text[:38]] + [text[i : i + 40] for i in range(38, len(text), 40)]
        return [text_object(oid + i, 33.4 if i == 0 else 25, top + 6 * i, row) for i, row in enumerate(rows)]

    page1 = [text_object(10, 60, 30, TITLE, size=6), *printed(PARAGRAPHS[0], 50, 11)]
    page2 = printed(PARAGRAPHS[1], 30, 20)
    parts = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0" DocType="OFD">'
                   "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0C2D4F3A</ofd:DocID></ofd:DocInfo>"
                   "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}>'
                              '<ofd:CommonData><ofd:MaxUnitID>40</ofd:MaxUnitID><ofd:PageArea>'
                              "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
                              '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              '<ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>',
        # written in the ZIP before page 0: the order of pages is the document's, not the archive's
        "Doc_0/Pages/Page_1/Content.xml": page_xml(page2),
        "Doc_0/Pages/Page_0/Content.xml": page_xml(page1),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, xml.encode("utf-8"))
    return out.getvalue()


def test_ofd() -> None:
    p = process(make_ofd())
    assert p.normalized.encoding == "ofd"
    assert p.normalized.text.split("\n") == [TITLE, *PARAGRAPHS]
    ex = p.extraction
    assert ex.leaders == ["庞卫国"] and ex.attendees == ["齐少华", "卢晓峰"]
    assert [d.headline for d in ex.directives] == ["压实防火责任", "加强火源管控", "做好扑火准备"]


def test_ofd_without_its_document_root_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("OFD.xml", f"<ofd:OFD {NS}><ofd:DocBody/></ofd:OFD>")
    with pytest.raises(NormalizeError, match="document root"):
        normalize(out.getvalue())


# -- what is refused ---------------------------------------------------------------------------

def image_only_pdf() -> bytes:
    """A one-page PDF whose only content is a grey 8×8 image: what a scanner writes."""
    pixels = zlib.compress(bytes(range(0, 256, 4)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
    ]
    draw = b"q 500 0 0 700 40 70 cm /Im1 Do Q"
    objects.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
    objects.append(b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels)
                   + pixels + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_scan_without_a_text_layer_is_refused() -> None:
    with pytest.raises(NormalizeError, match="no text layer"):
        process(image_only_pdf())


@needs_soffice
def test_a_picture_made_into_a_pdf_by_libreoffice_is_refused(tmp_path: Path) -> None:
    """A page holding only a photographed notice: a grey PNG placed in a Word file, printed to PDF."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    rows = b"".join(b"\x00" + bytes([(x * 7 + y * 3) % 256 for x in range(64)]) for y in range(64))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (64).to_bytes(4, "big") * 2 + b"\x08\x00\x00\x00\x00")
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    doc = WordDocument()
    doc.add_picture(io.BytesIO(png), width=Cm(15))
    word = io.BytesIO()
    doc.save(word)
    pdf = convert(word.getvalue(), "docx", "pdf", tmp_path)
    with pytest.raises(NormalizeError, match="no text layer"):
        process(pdf)


def test_a_zip_that_is_not_a_report_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(NormalizeError, match="neither a Word"):
        normalize(out.getvalue())


def test_plain_text_is_not_a_document() -> None:
    assert read_document("会议召开\n".encode()) is None


def test_luoshi_extract_reads_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    path.write_bytes(make_docx())
    proc = subprocess.run([sys.executable, "-m", "luoshi.cli", "extract", str(path), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    obj = json.loads(proc.stdout)
    assert obj["encoding"] == "docx" and obj["leaders"] == ["庞卫国"] and len(obj["directives"]) == 3
