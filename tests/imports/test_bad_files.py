"""Random and broken ledger files: read, or refused with a message naming the file; never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.imports.reading import ReadError, Sheet, read_ledger

HEADS = st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0", "编号,督办事项\n".encode()])


@settings(max_examples=120, deadline=None)
@given(head=HEADS, body=st.binary(max_size=3000), name=st.sampled_from(["台账.xlsx", "台账.csv", "台账.xls", "台账"]))
def test_random_files_are_read_or_refused(head, body, name) -> None:
    try:
        sheet = read_ledger(head + body, name)
    except ReadError as err:
        assert str(err).strip()
    else:
        assert isinstance(sheet, Sheet)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=6), min_size=1, max_size=30))
def test_any_csv_grid_is_read_or_refused(cells) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(cells)
    for encoding in ("utf-8", "gb18030"):
        try:
            data = out.getvalue().encode(encoding)
        except UnicodeEncodeError:
            continue
        try:
            read_ledger(data, "台账.csv")
        except ReadError as err:
            assert str(err).strip()
