"""The review desk: proposals from a source, decisions all-or-nothing, routing and duplicates."""

from __future__ import annotations

import pytest
from tests.factories import drive, make_task

from luoshi.desk import services as desk
from luoshi.desk.models import Proposal, RoutingRule
from luoshi.desk.routing import Duplicates, Router
from luoshi.sources.services import ingest
from luoshi.tasks.models import State, Task
from luoshi.tasks.workflow import WorkflowError

REPORT = (
    "省政府召开常务会议\n"
    "4月8日上午，省长张建国主持召开省政府常务会议。\n"
    "会议强调，一要抓好高标准农田建设，确保6月底前全部开工。二要做好防汛准备，落实值守责任。三要加强水库安全管理。\n"
)


@pytest.fixture
def source(org):
    RoutingRule.objects.create(organisation=org.province, phrase="农田", unit=org.unit_a)
    RoutingRule.objects.create(organisation=org.province, phrase="水库", unit=org.unit_c)
    s, _ = ingest(REPORT.encode(), name="r.txt", organisation=org.province, actor=org.supervisor)
    return s


def test_one_proposal_per_item_with_a_suggested_lead(org, source) -> None:
    proposals = desk.propose(source)
    assert [p.headline for p in proposals] == ["抓好高标准农田建设，确保6月底前全部开工", "做好防汛准备，落实值守责任", "加强水库安全管理"]
    assert [p.lead_unit for p in proposals] == [org.unit_a, None, org.unit_c]
    assert proposals[0].due_basis == "6月底前"
    assert desk.propose(source) == proposals  # once only


def test_accepting_several_is_all_or_nothing(org, source) -> None:
    a, b, c = desk.propose(source)
    with pytest.raises(WorkflowError, match="no lead unit"):  # b has no lead unit yet
        desk.accept([(a, a.version), (b, b.version)], org.supervisor, assign=True)
    assert not Task.objects.exists()
    assert Proposal.objects.filter(status="pending").count() == 3
    b = desk.edit(b, org.supervisor, version=b.version, lead_unit=org.unit_b, co_units=[org.unit_c])
    tasks = desk.accept([(a, a.version), (b, b.version)], org.supervisor, assign=True)
    assert [t.state for t in tasks] == [State.ASSIGNED, State.ASSIGNED]
    assert tasks[0].due_basis == "6月底前" and tasks[0].due_origin == "inferred"
    assert list(tasks[1].co_units.all()) == [org.unit_c]
    assert set(tasks[0].items.all()) == set(a.items.all())
    draft = desk.accept([(c, c.version)], org.supervisor)[0]
    assert draft.state == State.DRAFT


def test_a_stale_or_repeated_decision_is_refused(org, source) -> None:
    a = desk.propose(source)[0]
    seen = a.version
    desk.edit(a, org.supervisor, version=seen, headline="抓好农田建设")
    with pytest.raises(WorkflowError) as err:
        desk.accept([(a, seen)], org.supervisor)
    assert err.value.code == "stale"
    a.refresh_from_db()
    desk.accept([(a, a.version)], org.supervisor)
    a.refresh_from_db()
    with pytest.raises(WorkflowError) as err:
        desk.reject(a, org.supervisor, version=a.version, reason="重复")
    assert err.value.code == "state"


def test_reject_needs_a_reason_and_can_be_reconsidered(org, source) -> None:
    a = desk.propose(source)[0]
    with pytest.raises(WorkflowError):
        desk.reject(a, org.supervisor, version=a.version, reason=" ")
    a = desk.reject(a, org.supervisor, version=a.version, reason="属于常规工作，不单独立项")
    assert (a.status, a.reason) == ("rejected", "属于常规工作，不单独立项")
    a = desk.reconsider(a, org.supervisor, version=a.version)
    assert a.status == "pending" and a.reason == ""


def test_only_the_organisations_supervisor_decides(org, source) -> None:
    a = desk.propose(source)[0]
    for who, code in (("handler_a", "not_found"), ("other_supervisor", "not_found"), ("leader", "not_found")):
        with pytest.raises(WorkflowError) as err:
            desk.accept([(a, a.version)], getattr(org, who))
        assert err.value.code == code


def test_merge_and_split(org, source) -> None:
    a, b, c = desk.propose(source)
    merged = desk.merge([(b, b.version), (a, a.version)], org.supervisor)
    assert merged.pk == a.pk and "防汛" in merged.text and merged.items.count() == 2
    b.refresh_from_db()
    assert (b.status, b.merged_into_id) == ("merged", a.pk)
    first, second = desk.split(merged, org.supervisor, version=merged.version, at=merged.text.index("二要"))
    assert first.text.startswith("一要") and second.text.startswith("二要")
    assert second.headline == "做好防汛准备，落实值守责任"
    with pytest.raises(WorkflowError):
        desk.split(c, org.supervisor, version=c.version, at=0)


def test_a_repeated_directive_links_to_the_open_task(org, source) -> None:
    existing = drive(org, make_task(org, title="抓好高标准农田建设，确保按期开工"), State.IN_PROGRESS)
    for other in ("加强水库除险加固", "召开党风廉政建设工作会议", "做好防汛准备"):
        make_task(org, title=other)
    a = desk.propose(source)[0]
    found = Duplicates(org.province).of(a.text)
    assert found and found[0][0].pk == existing.pk
    task = desk.link(a, existing, org.supervisor, version=a.version)
    assert set(task.items.all()) == set(a.items.all())
    assert task.events.order_by("-seq").first().action == "source_linked"
    a.refresh_from_db()
    assert (a.status, a.task_id) == ("linked", existing.pk)
    assert not Duplicates(org.province).of("开展安全生产大检查")


def test_routing_by_rule_and_by_history(org, source) -> None:
    old = drive(org, make_task(org, title="加强水库除险加固"), State.ASSIGNED)
    old.lead_unit = org.unit_b
    old.save()
    ranked = Router(org.province).suggest("加强水库安全管理，开展除险加固")
    units = [s.unit for s in ranked]
    assert units[:2] == [org.unit_b, org.unit_c] or units[:2] == [org.unit_c, org.unit_b]
    reasons = {s.unit.pk: " ".join(s.reasons) for s in ranked}
    assert "rule: 水库" in reasons[org.unit_c.pk]
    assert f"like task #{old.pk}" in reasons[org.unit_b.pk]
    assert Router(org.province, history=False).suggest("召开会议") == []


def test_the_addressee_of_a_list_is_suggested_for_every_item(org) -> None:
    text = (
        "省长在吕梁调研\n省长张建国到吕梁调研。他指出，吕梁市要坚定信心、狠抓落实。一要抓好经济运行，稳住工业生产。"
        "二要抓好高标准农田建设，扩大种植面积。\n"
    )
    RoutingRule.objects.create(organisation=org.province, phrase="农田", unit=org.unit_a)
    source, _ = ingest(text.encode(), name="t.txt", organisation=org.province, actor=org.supervisor)
    first, second = desk.propose(source)
    assert first.lead_unit == org.unit_b  # 吕梁市人民政府: "吕梁市要…" addresses the list
    ranked = Router(org.province).suggest(second.text, lead_in=second.items.get().lead_in())
    assert {s.unit for s in ranked[:2]} == {org.unit_a, org.unit_b}
    assert any("addressed: 吕梁市要" in r for s in ranked for r in s.reasons)


def test_edit_keeps_to_the_organisations_units_and_a_typed_date_drops_the_words(org, source) -> None:
    import datetime as dt

    a = desk.propose(source)[0]
    with pytest.raises(WorkflowError, match="units of this organisation"):
        desk.edit(a, org.supervisor, version=a.version, lead_unit=org.other_org)
    a = desk.edit(a, org.supervisor, version=a.version, due_date=dt.date(2030, 5, 1))
    assert (a.due_date, a.due_basis) == (dt.date(2030, 5, 1), "")
    assert all(s.unit != org.other_org for s in Router(org.province).suggest("大同市要抓好农田建设"))


def test_a_neighbouring_items_words_do_not_route_an_item(org) -> None:
    """Item 2's lead-in is the list's introduction, not item 1, which happens to name a city."""
    text = (
        "全省防汛工作会议召开\n省长张建国主持会议。会议强调：\n"
        "一、吕梁市要抓紧修复水毁工程，确保汛前完工。\n"
        "二、抓好高标准农田建设，扩大种植面积。\n"
        "三、做好防汛物资储备。\n"
    )
    RoutingRule.objects.create(organisation=org.province, phrase="农田", unit=org.unit_a)
    source, _ = ingest(text.encode(), name="t.txt", organisation=org.province, actor=org.supervisor)
    first, second, third = desk.propose(source)
    assert first.lead_unit == org.unit_b  # its own words: 吕梁市要…
    assert second.lead_unit == org.unit_a  # its own words: 农田
    assert third.lead_unit is None  # nothing in its words or its list's introduction
    for item in (second.items.get(), third.items.get()):
        assert item.lead_in() == "省长张建国主持会议。会议强调："
    assert all(s.unit != org.unit_b for s in desk.suggestions(third, Router(org.province)))
