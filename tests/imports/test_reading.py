"""Reading ledgers: the header under a title line, merged cells, dates, empty rows, sheets, CSV
encodings, and the files that cannot be read, each refused with what to do."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from luoshi.imports.reading import MAX_BYTES, MAX_ROWS, ReadError, read_ledger
from tests.imports.ledgers import CLEAN_MERGES, CLEAN_ROWS, xlsx

FILES = Path(__file__).parent / "files"
HEADERS = ["序号", "督办事项", "责任单位（牵头单位）", "责任单位（配合单位）", "完成时限", "工作目标", "紧急程度", "备注"]


def _book(*sheets: tuple[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_header_under_a_title_line_with_merged_header_cells() -> None:
    sheet = read_ledger(xlsx(CLEAN_ROWS, merges=CLEAN_MERGES), "2026年台账.xlsx")
    assert sheet.sheet_name == "台账" and sheet.sheet_names == ["台账"]
    assert sheet.header_row == 3  # 责任单位 (C2:D2) is named again in row 3: 牵头单位, 配合单位
    assert sheet.headers == HEADERS
    # row 7 is empty: skipped, and the rows keep the numbers Excel shows
    assert [r.number for r in sheet.rows] == [4, 5, 6, 8, 9, 10, 11]
    first = sheet.rows[0].values
    assert first == (1, "抓好高标准农田建设", "省农业农村厅", "吕梁市人民政府、省水利厅", dt.datetime(2026, 6, 30),
                     "新建高标准农田50万亩", "重要", "年度重点")
    # C10:C11 is one merged cell: both rows show 省水利厅, as Excel does
    assert sheet.rows[5].values[2] == "省水利厅" and sheet.rows[6].values[2] == "省水利厅"
    assert sheet.rows[3].values[3] == "省水利厅\n吕梁市人民政府"


def test_a_line_of_two_cells_above_the_header_is_not_the_header() -> None:
    data = _book(("Sheet1", [
        ["填报单位：省政府督查室", None, None, "填报日期：2026年1月5日"],
        [],
        ["任务名称", "牵头单位", "配合单位", "完成时限", "目标", "备注"],
        ["抓好春耕", "省农业农村厅", None, "3月31日", None, None],
    ]))
    sheet = read_ledger(data, "t.xlsx")
    assert sheet.header_row == 3
    assert sheet.headers == ["任务名称", "牵头单位", "配合单位", "完成时限", "目标", "备注"]
    assert [(r.number, r.values[0]) for r in sheet.rows] == [(4, "抓好春耕")]


def test_the_first_sheet_or_the_one_chosen() -> None:
    data = _book(("一月", [["任务名称", "牵头单位"], ["甲事项", "省水利厅"]]),
                 ("二月", [["事项名称", "责任单位", "时限"], ["乙事项", "省农业农村厅", "2026-02-28"]]))
    first = read_ledger(data, "t.xlsx")
    assert (first.sheet_name, first.sheet_names, first.headers) == ("一月", ["一月", "二月"], ["任务名称", "牵头单位"])
    second = read_ledger(data, "t.xlsx", sheet="二月")
    assert second.sheet_name == "二月" and second.headers == ["事项名称", "责任单位", "时限"]
    assert second.rows[0].values == ("乙事项", "省农业农村厅", "2026-02-28")
    assert read_ledger(data, "t.xlsx", sheet="没有这张").sheet_name == "一月"


CSV_TEXT = ('任务名称,牵头单位,配合单位,完成时限,紧急程度\r\n'
            '抓好高标准农田建设,省农业农村厅,"吕梁市人民政府、省水利厅",2026/6/30,重要\r\n'
            ',,,,\r\n'
            '"水利设施冬修\n（含灌区）",省水利厅,,11月30日,一般\r\n')


@pytest.mark.parametrize("encoding, bom", [("gb18030", b""), ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                                           ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_csv_in_the_encodings_offices_save(encoding: str, bom: bytes) -> None:
    sheet = read_ledger(bom + CSV_TEXT.encode(encoding), "台账.csv")
    assert sheet.sheet_name == "" and sheet.header_row == 1
    assert sheet.headers == ["任务名称", "牵头单位", "配合单位", "完成时限", "紧急程度"]
    assert [(r.number, r.values) for r in sheet.rows] == [
        (2, ("抓好高标准农田建设", "省农业农村厅", "吕梁市人民政府、省水利厅", "2026/6/30", "重要")),
        (4, ("水利设施冬修\n（含灌区）", "省水利厅", None, "11月30日", "一般")),
    ]


def test_gb18030_is_not_read_as_utf8() -> None:
    # the GBK bytes of 任务 are not UTF-8: read as GB18030, not as mojibake
    data = "任务名称,牵头单位\n春耕,省农业农村厅\n".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_ledger(data, "a.csv").rows[0].values == ("春耕", "省农业农村厅")


@pytest.mark.parametrize("data", [
    b"\xc8\xce\xce\xf1,b\n\x80\x80,c\n",  # a byte GB18030 has no character for
    "任务名称,牵头单位\n".encode("utf-16-le"),  # UTF-16 without its mark: NUL bytes everywhere
])
def test_csv_in_another_encoding_is_refused(data: bytes) -> None:
    with pytest.raises(ReadError, match="is not text in UTF-8 or GB18030"):
        read_ledger(data, "ledger.csv")


def test_old_excel_format_is_refused_with_what_to_do() -> None:
    # files/old-format.xls: an .xlsx saved by LibreOffice as "Excel 97-2003"
    data = (FILES / "old-format.xls").read_bytes()
    for name in ("ledger.xls", "ledger.xlsx"):  # named either way, the content decides
        with pytest.raises(ReadError, match=r"old Excel format \(\.xls\).*save it as \.xlsx"):
            read_ledger(data, name)


def test_password_protected_workbook_is_refused() -> None:
    # files/password-secret.xlsx: an .xlsx encrypted with the password "secret" (msoffcrypto-tool)
    data = (FILES / "password-secret.xlsx").read_bytes()
    with pytest.raises(ReadError, match="is protected by a password"):
        read_ledger(data, "ledger.xlsx")


def test_damaged_workbook_is_refused() -> None:
    data = xlsx(CLEAN_ROWS)
    with pytest.raises(ReadError, match="could not be read as an Excel workbook"):
        read_ledger(data[: len(data) // 2], "ledger.xlsx")
    with pytest.raises(ReadError, match="could not be read as an Excel workbook"):
        read_ledger(b"this is not a workbook", "ledger.xlsx")


@pytest.mark.parametrize("name", ["ledger.docx", "ledger.ods", "ledger"])
def test_other_types_are_refused(name: str) -> None:
    with pytest.raises(ReadError, match=r"only Excel workbooks \(\.xlsx\) and CSV files \(\.csv\)"):
        read_ledger(xlsx(CLEAN_ROWS), name)


def test_empty_file_and_no_header() -> None:
    with pytest.raises(ReadError, match="is empty"):
        read_ledger(b"", "a.csv")
    with pytest.raises(ReadError, match="No header row was found"):
        read_ledger("只有一个标题\n1\n2\n".encode(), "a.csv")


def test_too_large_and_too_many_rows() -> None:
    with pytest.raises(ReadError, match=r"larger than 10\.0\xa0MB"):
        read_ledger(b"a" * (MAX_BYTES + 1), "a.csv")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["任务名称", "牵头单位"])
    for n in range(MAX_ROWS):
        ws.append([f"事项{n}", "省水利厅"])
    out = io.BytesIO()
    wb.save(out)
    assert len(read_ledger(out.getvalue(), "a.xlsx").rows) == MAX_ROWS  # the limit itself goes in
    text = "任务名称,牵头单位\n" + "".join(f"事项{n},省水利厅\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(ReadError, match="more than 5,000 rows"):
        read_ledger(text.encode(), "a.csv")


def test_a_note_sheet_before_the_ledger_is_passed_over() -> None:
    data = _book(("说明", [["本台账由督查室维护，每月更新"]]), ("台账", [["任务名称", "牵头单位"], ["甲事项", "省水利厅"]]))
    assert read_ledger(data, "t.xlsx").sheet_name == "台账"
    with pytest.raises(ReadError, match="No header row was found"):  # but read when chosen
        read_ledger(data, "t.xlsx", sheet="说明")
