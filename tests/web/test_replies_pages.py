"""A suggestion answered through the pages, and the reply letter opened again with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import _user, drive

from luoshi.org.models import Role
from luoshi.tasks import services
from luoshi.tasks.models import Reply, State, Task


def test_a_reply_written_signed_off_reviewed_and_read_as_a_letter(org, as_user) -> None:
    task = services.create_task(org.supervisor, organisation=org.province, title="高标准农田建设",
                                kind=Task.Kind.SUGGESTION, lead_unit=org.unit_a, co_units=[org.unit_b],
                                due_date=timezone.localdate() + dt.timedelta(days=60), proposers=[org.deputy])
    task = drive(org, task, State.IN_PROGRESS)
    services.give_opinion(task, org.handler_b, text="同意")
    unit = as_user("handler_a")
    assert f'action="/tasks/{task.pk}/replies/"' in unit.get(f"/tasks/{task.pk}/").content.decode()
    r = unit.post(f"/tasks/{task.pk}/replies/", {"reply-proposer": str(org.deputy.pk), "reply-category": "C",
                                                 "reply-text": "已将高标准农田建设列入明年计划。",
                                                 "reply-follow_up_date": str(timezone.localdate() + dt.timedelta(days=30))})
    assert r.status_code == 302
    reply = Reply.objects.get(task=task)
    assert unit.post(f"/tasks/{task.pk}/replies/{reply.pk}/send/").status_code == 302
    r = as_user("handler_b").post(f"/tasks/{task.pk}/replies/{reply.pk}/countersign/",
                                  {"countersign-agreed": "yes", "countersign-comment": ""})
    assert r.status_code == 302
    assert Reply.objects.get(pk=reply.pk).status == Reply.Status.REVIEW
    # the deputy sees nothing before the office's review
    assert "已将高标准农田建设列入明年计划" not in as_user("deputy").get(f"/tasks/{task.pk}/").content.decode()
    task.refresh_from_db()
    r = unit.post(f"/tasks/{task.pk}/do/submit/", {"submit-version": task.version, "submit-reason": "已答复"})
    assert r.status_code == 302
    task.refresh_from_db()
    sup = as_user("supervisor")
    assert sup.post(f"/tasks/{task.pk}/do/close/", {"close-version": task.version}).status_code == 302
    deputy = as_user("deputy")
    page = deputy.get(f"/tasks/{task.pk}/").content.decode()
    assert "已将高标准农田建设列入明年计划" in page
    letter = deputy.get(f"/tasks/{task.pk}/replies/{reply.pk}.docx")
    assert letter.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "关于对代表代表所提“高标准农田建设”建议的答复" in text
    assert "尊敬的代表代表：" in text and "已将高标准农田建设列入明年计划。" in text
    assert "列入计划逐步解决（C类）" in text and "前再次书面答复办理进展" in text
    assert "抄送：吕梁市人民政府" in text
    # the deputy rates on one form: the rating and a comment
    task.refresh_from_db()
    r = deputy.post(f"/tasks/{task.pk}/do/rate/", {"rate-version": task.version, "rate-satisfaction": "basically",
                                                   "rate-comment": "希望尽快落实。"})
    assert r.status_code == 302
    assert as_user("outsider").get(f"/tasks/{task.pk}/replies/{reply.pk}.docx").status_code == 404


def test_a_suggestions_page_offers_its_proposers_in_order_from_one_read(org, as_user) -> None:
    """The reply form lists the proposers by key, from the proposers read with the task: the page
    reads the proposers' table once (it read them a second time, ordered, for the form)."""
    second = _user("deputy2", "第二代表", org.province, Role.PROPOSER)
    task = services.create_task(org.supervisor, organisation=org.province, title="乡村道路养护",
                                kind=Task.Kind.SUGGESTION, lead_unit=org.unit_a,
                                due_date=timezone.localdate() + dt.timedelta(days=60),
                                proposers=[second, org.deputy])
    drive(org, task, State.IN_PROGRESS)
    unit = as_user("handler_a")
    with CaptureQueriesContext(connection) as ctx:
        page = unit.get(f"/tasks/{task.pk}/").content.decode()
    select = re.search(r'<select name="reply-proposer".*?</select>', page, re.S).group(0)
    offered = [int(v) for v in re.findall(r'<option value="(\d+)"', select)]
    assert offered == [org.deputy.pk, second.pk]  # deputy was made first: the lower key
    proposer_reads = [q["sql"] for q in ctx.captured_queries if '"tasks_task_proposers"' in q["sql"]]
    assert len(proposer_reads) == 1, proposer_reads
