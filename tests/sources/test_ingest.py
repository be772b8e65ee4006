"""Ingesting documents: every encoding, the same bytes twice, and what cannot be ingested."""

from __future__ import annotations

import pytest

from luoshi.sources.models import Item, Source
from luoshi.sources.services import IngestError, ingest

REPORT = (
    "省政府召开常务会议\n"
    "4月8日上午，省长张建国主持召开省政府常务会议。副省长刘志远出席会议。\n"
    "会议强调，一要抓好高标准农田建设，确保6月底前全部开工。二要做好防汛准备，落实值守责任。\n"
    "代表们围绕乡村振兴、营商环境等方面积极发言。\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
def test_each_encoding(org, encoding) -> None:
    text = REPORT if encoding != "big5" else REPORT.replace("农", "農").replace("设", "設")
    data = text.encode(encoding, errors="strict") if encoding != "big5" else _big5(text)
    source, created = ingest(data, name=f"report.{encoding}.txt", organisation=org.province, actor=org.supervisor)
    assert created
    assert bytes(source.raw) == data  # kept exactly as received
    assert source.encoding.replace("-sig", "").replace("_", "-").startswith(encoding.split("-sig")[0][:5])
    assert source.title == "省政府召开常务会议"
    kinds = sorted(source.items.values_list("kind", "ordinal"))
    assert kinds == [("directive", 1), ("directive", 2), ("suggestion", 1), ("suggestion", 2)]
    first = source.items.get(kind=Item.Kind.DIRECTIVE, ordinal=1)
    assert source.text[first.span_start : first.span_end] == first.text
    assert first.deadline_basis == "6月底前"
    raw = source.raw_text[first.raw_start : first.raw_end]
    assert "一要" in raw and "6月底前" in raw


def _big5(text: str) -> bytes:
    import opencc

    return opencc.OpenCC("s2t").convert(text).encode("big5", errors="replace")


def test_the_same_bytes_find_the_same_source(org) -> None:
    data = REPORT.encode("utf-8")
    first, created = ingest(data, name="a.txt", organisation=org.province, actor=org.supervisor)
    again, created_again = ingest(data, name="b.txt", organisation=org.province, actor=org.supervisor)
    assert created and not created_again and again.pk == first.pk
    assert Source.objects.count() == 1 and Item.objects.count() == 4
    # another organisation keeps its own copy
    theirs, created_theirs = ingest(data, name="a.txt", organisation=org.other_org, actor=org.other_supervisor)
    assert created_theirs and theirs.pk != first.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\x03" * 100, "binary"), (b"%PDF-1.7\n" + b"\x00" * 50, "PDF")],
)
def test_what_cannot_be_read_is_refused_with_a_reason(org, data, message) -> None:
    with pytest.raises(IngestError, match=message):
        ingest(data, name="bad.txt", organisation=org.province, actor=org.supervisor)
    assert not Source.objects.exists()


def test_too_large_is_refused(org, monkeypatch) -> None:
    monkeypatch.setattr("luoshi.sources.services.MAX_SOURCE_BYTES", 100)
    with pytest.raises(IngestError, match="at most"):
        ingest(REPORT.encode("utf-8"), name="big.txt", organisation=org.province, actor=org.supervisor)


@pytest.mark.parametrize(("name", "head", "message"), [
    ("纪要.docx", b"PK\x03\x04", "cannot be read"),  # a damaged Word file
    ("通知.txt", b"%PDF-1.4", "cannot be read"),
    ("表格.xlsx", b"PK\x03\x04", "Excel file: save it as Word"),
    ("照片.jpg", b"\xff\xd8\xff", "reports are taken as Word"),
])
def test_damaged_documents_and_other_types_are_refused_everywhere(org, name, head, message) -> None:
    with pytest.raises(IngestError, match=message):
        ingest(head + b"x" * 100, name=name, organisation=org.province, actor=org.supervisor)
