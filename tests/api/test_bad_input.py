"""Bad input at the API: random files, wrong types, huge fields. Each is taken or refused with a
message (the Problem shape), never a server error, and a refusal writes nothing (hypothesis draws)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import drive, make_task

from luoshi.desk.models import Proposal
from luoshi.sources.models import Item, Source
from luoshi.tasks.models import Event, ProgressReport

pytestmark = pytest.mark.database
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HEADS = st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"MZ"])
NAMES = st.sampled_from(["会议纪要.txt", "讲话.docx", "通知.pdf", "公文.ofd", "x.exe", "无扩展名", "台账.xlsx"])
# JSON values of every type, for fields that expect one type
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                      max_size=3), max_leaves=6)


def _problem(r) -> None:
    assert r.status_code < 500, r.content
    if r.status_code >= 400:
        body = r.json()
        assert body["detail"].strip() and body["code"]


@pytest.fixture
def office(api):
    return api("supervisor")


@QUICK
@given(head=HEADS, body=st.binary(max_size=1500), name=NAMES)
def test_random_files_are_ingested_or_refused_whole(org, office, head, body, name) -> None:
    before = (Source.objects.count(), Item.objects.count(), Proposal.objects.count())
    r = office.post("/api/sources", data={"file": SimpleUploadedFile(name, head + body)})
    _problem(r)
    if r.status_code >= 400:
        assert (Source.objects.count(), Item.objects.count(), Proposal.objects.count()) == before
    else:
        assert Source.objects.get(pk=r.json()["id"]).raw == head + body


@QUICK
@given(fields=st.dictionaries(st.sampled_from(["text", "percent", "files", "x"]), ANY_JSON, max_size=3))
def test_progress_of_any_shape_is_taken_or_refused_whole(org, api, fields) -> None:
    task = getattr(test_progress_of_any_shape_is_taken_or_refused_whole, "_task", None)
    if task is None or task.organisation_id != org.province.pk:
        task = drive(org, make_task(org), "in_progress")
        test_progress_of_any_shape_is_taken_or_refused_whole._task = task
    client = api("handler_a", scopes=("read", "report"))
    before = (Event.objects.count(), ProgressReport.objects.count())
    r = client.post(f"/api/tasks/{task.pk}/progress", fields)
    _problem(r)
    if r.status_code >= 400:
        assert (Event.objects.count(), ProgressReport.objects.count()) == before
    else:
        assert ProgressReport.objects.count() == before[1] + 1


@QUICK
@given(body=st.fixed_dictionaries({"action": st.sampled_from(["accept", "start", "submit", "close", "return",
                                                              "request_extension", "x" * 200, ""])},
                                  optional={"version": ANY_JSON, "reason": ANY_JSON, "due_date": ANY_JSON,
                                            "unit": ANY_JSON, "satisfaction": ANY_JSON}))
def test_moves_of_any_shape_move_or_change_nothing(org, api, body) -> None:
    task = drive(org, make_task(org), "assigned")
    client = api("handler_a", scopes=("read", "act"))
    events = Event.objects.filter(task=task).count()
    r = client.post(f"/api/tasks/{task.pk}/moves", body)
    _problem(r)
    task.refresh_from_db()
    if r.status_code >= 400:
        assert Event.objects.filter(task=task).count() == events and task.state == "assigned"


def test_a_body_that_is_not_json_or_too_big_is_refused(org, office) -> None:
    r = office.client.post("/api/sources/text", b"\x00\xff not json", content_type="application/json",
                           headers=office.headers)
    _problem(r)
    assert r.status_code in (400, 422)
    huge = json.dumps({"text": "会" * 600_000})  # over the 500,000 characters a text may have
    r = office.client.post("/api/sources/text", huge, content_type="application/json", headers=office.headers)
    assert r.status_code in (413, 422)
    assert Source.objects.count() == 0
