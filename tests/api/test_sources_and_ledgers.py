"""Sources and ledgers through the API: ingest as the desk does, read only what the reader may."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import drive, make_task
from tests.web.desk_helpers import REPORT, card, on_desk

from luoshi.desk import services as desk
from luoshi.desk.models import Proposal
from luoshi.sources.models import Source

pytestmark = pytest.mark.django_db


def test_the_office_ingests_text_once(org, api) -> None:
    client = api("supervisor")
    first = client.post("/api/sources/text", {"name": "防汛会议", "text": REPORT})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True and body["title"] == "市政府召开防汛工作专题会议"
    assert body["proposals"] == 5 == body["pending"]  # two suggestions and three directives (desk_helpers)
    again = client.post("/api/sources/text", {"name": "防汛会议", "text": REPORT})
    assert again.status_code == 200 and again.json() == {**body, "created": False}
    assert Source.objects.count() == 1 and Proposal.objects.count() == 5


def test_a_file_is_ingested_and_a_foreign_one_refused_with_its_reason(org, api) -> None:
    client = api("supervisor")
    ok = client.post("/api/sources", data={"file": SimpleUploadedFile("会议.txt", REPORT.encode("gb18030"))})
    assert ok.status_code == 201, ok.content
    assert ok.json()["title"] == "市政府召开防汛工作专题会议"  # GB18030 read as such
    exe = client.post("/api/sources", data={"file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 100)})
    assert exe.status_code == 400 and exe.json()["detail"]
    empty = client.post("/api/sources", data={"file": SimpleUploadedFile("空.txt", b"")})
    assert empty.status_code in (400, 422)
    missing = client.post("/api/sources", data={"name": "no file"})
    assert missing.status_code == 422
    assert Source.objects.count() == 1


def test_ingest_needs_the_scope_and_an_office(org, api) -> None:
    assert api("supervisor", scopes=("read",)).post("/api/sources/text", {"text": REPORT}).status_code == 403
    assert api("handler_a").post("/api/sources/text", {"text": REPORT}).status_code == 403
    assert api("leader").post("/api/sources/text", {"text": REPORT}).status_code == 403
    assert Source.objects.count() == 0


def test_an_oversize_upload_is_refused_from_its_length(org, api) -> None:
    client = api("supervisor")
    r = client.client.post("/api/sources", b"x" * 10, content_type="multipart/form-data; boundary=x",
                           headers=client.headers, CONTENT_LENGTH=str(60 * 1024 * 1024))
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_a_unit_reads_only_its_own_items_of_a_shared_report(org, api) -> None:
    source, proposals = on_desk(org, REPORT, "防汛会议.txt")
    mine = card(proposals, "抓紧修复水毁工程，确保6月底前全部完工")
    mine = desk.edit(mine, org.supervisor, version=mine.version, lead_unit=org.unit_a)
    desk.accept([(mine, mine.version)], org.supervisor, assign=True)
    theirs = card(proposals, "落实水库安全度汛责任，汛前完成隐患排查")
    theirs = desk.edit(theirs, org.supervisor, version=theirs.version, lead_unit=org.unit_c)
    desk.accept([(theirs, theirs.version)], org.supervisor, assign=True)

    unit = api("handler_a").get(f"/api/sources/{source.pk}").json()
    assert unit["whole"] is False and unit["text"] is None
    assert [i["headline"] for i in unit["items"]] == ["抓紧修复水毁工程，确保6月底前全部完工"]
    office = api("supervisor").get(f"/api/sources/{source.pk}").json()
    assert office["whole"] is True and "周文华强调" in office["text"] and len(office["items"]) == 5
    assert api("outsider").get(f"/api/sources/{source.pk}").status_code == 404
    assert [s["id"] for s in api("handler_a").get("/api/sources").json()["items"]] == [source.pk]
    assert api("outsider").get("/api/sources").json()["items"] == []
    source.open_to_units = True
    source.save()
    assert len(api("handler_a").get(f"/api/sources/{source.pk}").json()["items"]) == 5


def test_ledgers_give_the_pages_rows(org, api) -> None:
    for n in range(3):
        drive(org, make_task(org, title=f"农田任务{n}"), "assigned")
    other = make_task(org, title="别的任务")
    other.lead_unit = org.unit_c
    other.save()
    other.co_units.clear()
    drive(org, other, "assigned")
    keys = [x["key"] for x in api("handler_a").get("/api/ledgers").json()]
    assert keys == ["tasks", "responsibility", "time", "results"]
    tasks = api("handler_a").get("/api/ledgers/tasks").json()
    title = [c["key"] for c in tasks["columns"]].index("title")
    assert sorted(r[title] for r in tasks["rows"]) == ["农田任务0", "农田任务1", "农田任务2"]
    units = api("supervisor").get("/api/ledgers/responsibility").json()
    cols = [c["key"] for c in units["columns"]]
    figures = {r[cols.index("unit")]: (r[cols.index("led")], r[cols.index("co_handled")]) for r in units["rows"]}
    # unit A leads three, with 吕梁 (B) as co-unit of each; C leads the other one alone
    assert figures == {"省农业农村厅": (3, 0), "吕梁市人民政府": (0, 3), "省水利厅": (1, 0)}
    assert api("supervisor").get("/api/ledgers/unknown").status_code == 422
    assert api("outsider").get("/api/ledgers/tasks").json()["rows"] == []
