"""Random and broken files at the door: each is taken, or refused with a message for a person;
never a crash, never half a source (hypothesis draws the bytes)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.desk.intake import take_in
from luoshi.desk.models import Proposal
from luoshi.sources.models import Item, Source
from luoshi.sources.services import IngestError

pytestmark = pytest.mark.database

# what arrives: any bytes, bytes that start like a zip (docx, ofd, xlsx) or a PDF and break off,
# text in the encodings offices use, under the names they come with
HEADS = st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"\xd0\xcf\x11\xe0"])
NAMES = st.sampled_from(["会议纪要.txt", "讲话.docx", "通知.pdf", "公文.ofd", "报道.html", "旧文件.doc", "台账.xlsx",
                         "无扩展名", "x.exe"])
TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=HEADS, body=st.binary(max_size=2000), name=NAMES)
def test_random_bytes_are_taken_or_refused_whole(org, head, body, name) -> None:
    before = (Source.objects.count(), Item.objects.count(), Proposal.objects.count())
    try:
        got = take_in(head + body, name=name, organisation=org.province, actor=org.supervisor)
    except IngestError as err:
        assert str(err).strip()  # a message for a person
        assert (Source.objects.count(), Item.objects.count(), Proposal.objects.count()) == before
    else:
        assert got.source.pk and got.source.raw == head + body  # kept as found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_text_in_any_office_encoding_is_read(org, text, encoding) -> None:
    data = ("会议强调，一要" + text).encode(encoding)
    try:
        got = take_in(data, name="纪要.txt", organisation=org.province, actor=org.supervisor)
    except IngestError as err:
        assert str(err).strip()
    else:
        assert got.source.text.startswith("会议强调")
