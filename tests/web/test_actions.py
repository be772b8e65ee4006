"""The detail page offers exactly what the hand-written table of tests/oracle.py says, and its forms drive the workflow:
a POSTed move works, a refused one re-renders the page with the reason, the status and the
user's text kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests import oracle
from tests.factories import drive, make_task
from tests.web.helpers import action_urls, page_text

from luoshi.tasks.models import Event, State, Task


@pytest.mark.parametrize("state", list(oracle.ALLOWED))
def test_each_role_sees_exactly_its_actions(org, as_user, state: str) -> None:
    """The page offers what the hand-written table of tests/oracle.py says, and nothing else."""
    task = drive(org, make_task(org), state)
    for who, _user, role in oracle.users(org):
        r = as_user(who).get(f"/tasks/{task.pk}/")
        if not oracle.sees(state, role):
            assert r.status_code == 404, (state, who)
            continue
        assert r.status_code == 200
        html = r.content.decode()
        allowed = oracle.expected(state, role)
        assert action_urls(r, task.pk) == allowed & oracle.MOVES, (state, who)
        assert (f'action="/tasks/{task.pk}/progress/"' in html) == ("report_progress" in allowed), (state, who)
        assert (f'action="/tasks/{task.pk}/comment/"' in html) == ("comment" in allowed), (state, who)
        assert (f'href="/tasks/{task.pk}/edit/"' in html) == ("edit" in allowed), (state, who)
        # every form that moves the task carries the version the user saw
        versions = set(re.findall(r'name="[a-z_]+-version" value="(\d+)"', html))
        assert versions <= {str(task.version)}
        if not allowed:
            assert "您目前无需对此任务进行操作" in html


def test_with_head_approval_the_handler_is_offered_the_submission_to_the_head(org, as_user) -> None:
    """The button and the move agree: a handler's submit goes to the head, and says so."""
    task = drive(org, make_task(org), State.IN_PROGRESS, head_approval=True)
    html = as_user("handler_a").get(f"/tasks/{task.pk}/").content.decode()
    assert action_urls_of(html, task.pk) == {"request_extension", "submit"}
    assert "提交单位审核" in page_text_of(html)
    r = as_user("handler_a").post(f"/tasks/{task.pk}/do/submit/", {"submit-version": task.version,
                                                                   "submit-reason": "已完成",
                                                                   "submit-went_ahead": "协办意见已口头沟通"})
    assert r.status_code == 302
    assert Task.objects.get(pk=task.pk).state == State.UNIT_REVIEW
    head = as_user("head_a").get(f"/tasks/{task.pk}/").content.decode()
    assert action_urls_of(head, task.pk) == {"approve_submission", "send_back"}


# each form, written out by hand: the inputs a person fills in, besides the version
FORM_INPUTS = {
    ("in_progress", "handler_a"): {"request_extension": {"reason", "due_date"}, "submit": {"reason", "went_ahead"}},
    ("assigned", "handler_a"): {"accept": set(), "request_reassignment": {"reason", "unit"}},
    ("assigned", "supervisor"): {"withdraw": {"reason"}},
    ("reassignment_requested", "supervisor"): {"withdraw": {"reason"}, "approve_reassignment": {"unit"},
                                               "reject_reassignment": {"reason"}},
    ("closed", "deputy"): {"rate": {"satisfaction", "comment"}, "rate_unsatisfied": {"reason"}},
}


@pytest.mark.parametrize("state,who", list(FORM_INPUTS))
def test_transition_forms_have_exactly_their_inputs(org, as_user, state, who) -> None:
    task = drive(org, make_task(org), state)
    html = as_user(who).get(f"/tasks/{task.pk}/").content.decode()
    for action, inputs in FORM_INPUTS[(state, who)].items():
        form = re.search(rf'action="/tasks/{task.pk}/do/{action}/".*?</form>', html, re.S).group(0)
        names = set(re.findall(rf'name="{action}-([a-z_]+)"', form))
        assert names == {"version", *inputs}, action
        for need in inputs:  # each input has its label
            assert f'for="id_{action}-{need}"' in form or f'id="id_{action}-{need}"' in form


def action_urls_of(html: str, pk: int) -> set[str]:
    return set(re.findall(rf'action="/tasks/{pk}/do/([a-z_]+)/"', html))


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_posted_transition_moves_the_task_and_redirects(org, as_user) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    client = as_user("handler_a")
    r = client.post(f"/tasks/{task.pk}/do/accept/", {"accept-version": task.version})
    assert r.status_code == 302 and r["Location"] == f"/tasks/{task.pk}/"
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.state == State.ACCEPTED and fresh.version == task.version + 1
    page = client.get(r["Location"])
    text = page_text(page)
    assert "已完成：签收。" in text  # the message after the redirect
    assert "已交办 → 已签收" in text  # the timeline


def test_a_stale_post_is_refused_with_409_and_the_typed_reason_kept(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    seen = task.version
    # while handler_a writes the summary, the unit head asks for more time: the task moves on
    as_user("head_a").post(f"/tasks/{task.pk}/do/request_extension/", {
        "request_extension-version": seen, "request_extension-reason": "验收推迟到下月",
        "request_extension-due_date": "2099-01-31"})
    assert Task.objects.get(pk=task.pk).version == seen + 1
    events = Event.objects.filter(task=task).count()
    reason = "全部建设任务已按期完成，验收合格。"
    r = as_user("handler_a").post(f"/tasks/{task.pk}/do/submit/", {"submit-version": seen, "submit-reason": reason})
    assert r.status_code == 409
    html = r.content.decode()
    assert "您打开页面后，此任务已被他人更改" in html  # the refusal, shown
    assert 'role="alert"' in html
    assert reason in html  # nothing typed is lost
    assert "验收推迟到下月" in html  # and the page shows what changed
    fresh = Task.objects.get(pk=task.pk)
    assert fresh.state == State.EXTENSION_REQUESTED and fresh.version == seen + 1
    assert Event.objects.filter(task=task).count() == events  # never overwrites


def test_a_stale_post_still_offered_keeps_its_form_open_with_the_new_version(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    seen = task.version
    # two supervisors: one returns the submission, the unit resubmits, the other still has the old page
    as_user("supervisor").post(f"/tasks/{task.pk}/do/return/", {"return-version": seen, "return-reason": "材料不全"})
    as_user("handler_a").post(f"/tasks/{task.pk}/do/resume/", {"resume-version": seen + 1})
    as_user("handler_a").post(f"/tasks/{task.pk}/do/submit/", {"submit-version": seen + 2, "submit-reason": "已补充"})
    now = Task.objects.get(pk=task.pk)
    assert (now.state, now.version) == (State.SUBMITTED, seen + 3)
    reason = "整改不到位"
    r = as_user("supervisor").post(f"/tasks/{task.pk}/do/return/", {"return-version": seen, "return-reason": reason})
    assert r.status_code == 409
    html = r.content.decode()
    assert reason in html
    assert re.search(r'<details class="move" id="move-return" open>', html)
    # the form now carries the current version: sending again is a deliberate act on what is shown
    assert f'name="return-version" value="{now.version}"' in html


def test_text_typed_for_an_action_that_is_gone_is_shown_to_copy(org, as_user) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    seen = task.version
    as_user("head_a").post(f"/tasks/{task.pk}/do/accept/", {"accept-version": seen})  # the head signs first
    reason = "本项工作主要属水利厅职责"
    r = as_user("handler_a").post(f"/tasks/{task.pk}/do/request_reassignment/", {
        "request_reassignment-version": seen, "request_reassignment-reason": reason,
        "request_reassignment-unit": org.unit_c.pk})
    assert r.status_code == 409
    html = r.content.decode()
    assert re.search(r'<textarea id="lost-text" readonly[^>]*>\s*' + reason, html)
    assert Task.objects.get(pk=task.pk).state == State.ACCEPTED


def test_a_role_that_may_not_is_refused_with_403_and_nothing_changes(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    r = as_user("deputy").post(f"/tasks/{task.pk}/do/close/", {"close-version": task.version})
    assert r.status_code == 403
    assert "您的角色无权对此任务进行此操作" in page_text(r)
    assert Task.objects.get(pk=task.pk).state == State.SUBMITTED
    # who may not see the task learns nothing
    assert as_user("outsider").post(f"/tasks/{task.pk}/do/close/", {"close-version": task.version}).status_code == 404


def test_wrong_state_unknown_action_and_get(org, as_user) -> None:
    task = drive(org, make_task(org), State.ASSIGNED)
    client = as_user("supervisor")
    r = client.post(f"/tasks/{task.pk}/do/close/", {"close-version": task.version})
    assert r.status_code == 409
    assert "任务处于“已交办”状态，不能进行此操作。" in page_text(r)
    assert client.post(f"/tasks/{task.pk}/do/fly/", {"fly-version": task.version}).status_code == 404
    assert client.get(f"/tasks/{task.pk}/do/assign/").status_code == 405


def test_missing_and_invalid_inputs_are_400_with_the_text_kept(org, as_user) -> None:
    task = drive(org, make_task(org, due=dt.date(2030, 6, 30)), State.IN_PROGRESS)
    client = as_user("handler_a")
    r = client.post(f"/tasks/{task.pk}/do/submit/", {"submit-version": task.version, "submit-reason": ""})
    assert r.status_code == 400
    assert "请修改标出的内容" in page_text(r)
    reason = "汛期施工受阻"
    r = client.post(f"/tasks/{task.pk}/do/request_extension/", {
        "request_extension-version": task.version, "request_extension-reason": reason,
        "request_extension-due_date": "2030-01-31"})
    assert r.status_code == 400
    assert "新时限须晚于当前时限。" in page_text(r)
    assert reason in r.content.decode() and 'value="2030-01-31"' in r.content.decode()
    assert Task.objects.get(pk=task.pk).version == task.version


def test_extension_asked_and_approved_keeps_both_dates(org, as_user) -> None:
    task = drive(org, make_task(org, due=dt.date(2030, 3, 31)), State.IN_PROGRESS)
    r = as_user("handler_a").post(f"/tasks/{task.pk}/do/request_extension/", {
        "request_extension-version": task.version, "request_extension-reason": "汛期施工受阻",
        "request_extension-due_date": "2030-06-30"})
    assert r.status_code == 302
    task.refresh_from_db()
    client = as_user("supervisor")
    assert client.post(f"/tasks/{task.pk}/do/approve_extension/",
                       {"approve_extension-version": task.version}).status_code == 302
    text = page_text(client.get(f"/tasks/{task.pk}/"))
    assert "2030年6月30日 （已延期，原时限为2030年3月31日）" in text
    assert "办结时限 2030年3月31日 → 2030年6月30日" in text  # in the timeline too


def test_reassignment_offers_the_unit_asked_for(org, as_user) -> None:
    task = drive(org, make_task(org), State.REASSIGNMENT_REQUESTED)
    client = as_user("supervisor")
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    form = re.search(r'do/approve_reassignment/.*?</form>', html, re.S).group(0)
    assert re.search(rf'<option value="{org.unit_c.pk}" selected>省水利厅</option>', form)
    assert "申请调整为 省水利厅" in page_text(client.get(f"/tasks/{task.pk}/"))
    r = client.post(f"/tasks/{task.pk}/do/approve_reassignment/", {
        "approve_reassignment-version": task.version, "approve_reassignment-unit": org.unit_c.pk})
    assert r.status_code == 302
    assert Task.objects.get(pk=task.pk).lead_unit == org.unit_c


def test_leader_instruction_and_supervisor_comment(org, as_user) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    leader = as_user("leader")
    html = leader.get(f"/tasks/{task.pk}/").content.decode()
    assert "作出批示" in html
    r = leader.post(f"/tasks/{task.pk}/comment/", {"comment-text": "要加快进度，确保一季度开门红。"})
    assert r.status_code == 302
    task.refresh_from_db()
    r = as_user("supervisor").post(f"/tasks/{task.pk}/comment/", {"comment-text": "请每周报送进展。"})
    assert r.status_code == 302
    text = page_text(as_user("handler_a").get(f"/tasks/{task.pk}/"))
    assert "批示 省长" in text and "要加快进度，确保一季度开门红。" in text
    assert "意见 督查员" in text and "请每周报送进展。" in text
    # a handler does not comment
    r = as_user("handler_a").post(f"/tasks/{task.pk}/comment/", {"comment-text": "收到"})
    assert r.status_code == 403


def test_deputy_rates_a_closed_task(org, as_user) -> None:
    task = drive(org, make_task(org), State.CLOSED)
    client = as_user("deputy")
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'type="radio" name="rate-satisfaction" value="satisfied"' in html
    assert 'value="unsatisfied"' not in html  # "unsatisfied" is its own action, it reopens
    r = client.post(f"/tasks/{task.pk}/do/rate/", {"rate-version": task.version, "rate-satisfaction": "basically"})
    assert r.status_code == 302
    assert Task.objects.get(pk=task.pk).satisfaction == "basically"
    assert "评价 基本满意" in page_text(client.get(f"/tasks/{task.pk}/"))


def test_language_switch_on_a_refused_post_returns_to_the_task(org, as_user) -> None:
    task = drive(org, make_task(org), State.SUBMITTED)
    r = as_user("deputy").post(f"/tasks/{task.pk}/do/close/", {"close-version": task.version})
    assert f'name="next" value="/tasks/{task.pk}/"' in r.content.decode()
