"""The review desk through its pages: the text beside one card per proposal, and each decision
— edit, accept (one or several, all or nothing), take a suggestion, reject, reconsider, merge,
split, link to a duplicate — with refusals that keep what was typed."""

from __future__ import annotations

import re

import pytest
from tests.web.desk_helpers import HEADLINES, REPEAT, card, card_data, on_desk, rules
from tests.web.helpers import page_text

from luoshi.desk import services as desk
from luoshi.desk.models import Proposal
from luoshi.tasks.models import State, Task

FLOOD = "抓紧修复水毁工程，确保6月底前全部完工"
RESERVOIR = "落实水库安全度汛责任，汛前完成隐患排查"
FARMLAND = "加强农田灌溉设施管护，年底前完成渠系配套改造"


@pytest.fixture
def on_the_desk(org):
    rules(org)
    return on_desk(org)


def _do(client, source, p: Proposal, action: str, data: dict, **extra):
    return client.post(f"/sources/{source.pk}/desk/{p.pk}/{action}/", {**data, **extra})


def _card_html(response, p: Proposal) -> str:
    html = response.content.decode()
    start = html.index(f'id="p-{p.pk}"')
    end = html.find("<article", start)
    return html[start:end if end > 0 else len(html)]


def test_the_desk_shows_the_text_and_a_card_per_item(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    r = as_user("supervisor").get(f"/sources/{source.pk}/desk/")
    assert r.status_code == 200
    html, text = r.content.decode(), page_text(r)
    assert [p.headline for p in proposals] == HEADLINES  # in the order of the text
    assert len(re.findall(r'<article class="proposal card p-pending', html)) == 5
    # the text: each item marked, with its card's number, names and deadline words inside
    flood = card(proposals, FLOOD)
    item = flood.items.get()
    assert re.search(rf'<mark class="hl hl-directive hl-pending" id="item-{item.pk}" data-n="3" data-items="{item.pk}"',
                     html)
    assert f'data-items="{item.pk}"' in _card_html(r, flood)
    assert '<span class="hl-leader" title="领导">周文华</span>' in html
    # the card: kind, text, issuer, proposers, suggested unit with its reason, due date with its words
    reservoir = _card_html(r, card(proposals, RESERVOIR))
    assert "部署/要求" in reservoir and "周文华" in reservoir
    assert "省水利厅" in reservoir and "规则：水库 → 省水利厅" in reservoir
    flood_card = _card_html(r, flood)
    assert 'value="2024-06-30"' in flood_card and 'value="6月底前"' in flood_card
    assert "时限依据原文" in page_text_of(flood_card) and "6月底前 → 2024年6月30日" in page_text_of(flood_card)
    topic = _card_html(r, card(proposals, "城区排涝"))
    assert "意见建议" in topic and "吴刚、郑敏" in topic
    assert "待审核 5 条" in text and "全部 5" in text
    # the split offers the sentence and clause boundaries of the text
    assert "抓紧修复水毁工程， ‖ 确保6月底前全部完工。" in page_text_of(flood_card).replace("一要", "")
    # every form of a card carries the version
    assert f'name="p{flood.pk}-version" value="{flood.version}"' in flood_card
    assert f'value="{flood.pk}:{flood.version}"' in flood_card  # the tick box, for the bulk bar


def page_text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_save_edits(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, FARMLAND)
    client = as_user("supervisor")
    r = _do(client, source, p, "save", card_data(
        p, headline="加强农田灌溉设施管护", lead_unit=org.unit_a.pk, co_units=[org.unit_b.pk, org.unit_c.pk],
        due_date="2024-11-30"))
    assert r.status_code == 302 and r["Location"] == f"/sources/{source.pk}/desk/#p-{p.pk}"
    p.refresh_from_db()
    assert p.headline == "加强农田灌溉设施管护" and p.lead_unit == org.unit_a
    assert set(p.co_units.all()) == {org.unit_b, org.unit_c}
    # a date typed over the inferred one no longer comes from the words
    assert str(p.due_date) == "2024-11-30" and p.due_basis == ""
    assert "修改已保存。" in page_text(client.get(r["Location"]))


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, RESERVOIR)
    seen = p.version
    desk.edit(p, org.supervisor, version=seen, headline="落实水库度汛责任")  # someone else, meanwhile
    r = _do(as_user("supervisor"), source, p, "save",
            card_data(p, version=seen, headline="落实水库安全度汛责任制", lead_unit=org.unit_b.pk))
    assert r.status_code == 409
    card_html = _card_html(r, p)
    assert 'value="落实水库安全度汛责任制"' in card_html  # what was typed
    p.refresh_from_db()
    assert f'name="p{p.pk}-version" value="{p.version}"' in card_html  # ready to send again, knowingly
    assert p.headline == "落实水库度汛责任" and p.lead_unit == org.unit_c
    alert = page_text(r)
    assert "您打开页面后，此建议事项已被他人更改" in alert
    assert "任务标题 落实水库度汛责任" in alert  # what was saved meanwhile
    # sending again now goes through
    r = _do(as_user("supervisor"), source, p, "save", card_data(p, headline="落实水库安全度汛责任制"))
    assert r.status_code == 302


def test_accept_and_assign_from_a_card_applies_what_was_typed(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, FLOOD)
    client = as_user("supervisor")
    r = _do(client, source, p, "accept",
            card_data(p, headline="修复水毁工程", lead_unit=org.unit_b.pk, co_units=[org.unit_c.pk]), assign="1")
    assert r.status_code == 302
    task = Task.objects.get()
    assert (task.title, task.state, task.lead_unit) == ("修复水毁工程", State.ASSIGNED, org.unit_b)
    assert list(task.co_units.all()) == [org.unit_c]
    assert task.due_basis == "6月底前" and str(task.due_date) == "2024-06-30"
    p.refresh_from_db()
    assert (p.status, p.task) == ("accepted", task)
    page = client.get(r["Location"])
    messages = page.content.decode().split('<ul class="messages"')[1].split("</ul>")[0]
    assert f'已立项并交办：<a href="/tasks/{task.pk}/">#{task.pk} 修复水毁工程</a>，牵头单位吕梁市人民政府。' in messages
    # the task page shows the sentence with a link to the source
    detail = as_user("handler_b").get(f"/tasks/{task.pk}/")
    assert f'href="/sources/{source.pk}/#item-{p.items.get().pk}"' in detail.content.decode()
    assert "防汛会议.txt" in page_text(detail)


def test_a_refused_accept_leaves_the_card_unsaved(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, "城区排涝")  # no rule and no addressee: no lead unit
    assert p.lead_unit is None
    r = _do(as_user("supervisor"), source, p, "accept", card_data(p, headline="城区排涝设施改造"), assign="1")
    assert r.status_code == 400
    assert "尚未确定牵头单位" in page_text(r)
    assert 'value="城区排涝设施改造"' in _card_html(r, p)
    p.refresh_from_db()
    assert p.headline == "城区排涝" and p.status == "pending"  # the edit went back with the refusal
    assert not Task.objects.exists()
    # as a draft it may go without a lead unit
    r = _do(as_user("supervisor"), source, p, "accept", card_data(p), assign="0")
    assert r.status_code == 302 and Task.objects.get().state == State.DRAFT


def test_accept_several_at_once_all_or_nothing(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    flood, reservoir, topic = card(proposals, FLOOD), card(proposals, RESERVOIR), card(proposals, "城区排涝")
    flood = desk.edit(flood, org.supervisor, version=flood.version, lead_unit=org.unit_b)
    chosen = [f"{p.pk}:{p.version}" for p in (flood, reservoir, topic)]
    client = as_user("supervisor")
    r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "assign", "selected": chosen})
    assert r.status_code == 400
    assert "“城区排涝”尚未确定牵头单位" in page_text(r)
    assert not Task.objects.exists() and Proposal.objects.filter(status="pending").count() == 5
    for p in (flood, reservoir, topic):  # still ticked
        assert re.search(rf'value="{p.pk}:{p.version}" checked', r.content.decode())
    r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "assign", "selected": chosen[:2]})
    assert r.status_code == 302
    tasks = list(Task.objects.order_by("pk"))
    assert [(t.title, t.state, t.lead_unit) for t in tasks] == [
        (FLOOD, State.ASSIGNED, org.unit_b), (RESERVOIR, State.ASSIGNED, org.unit_c)]
    assert "已立项并交办" in page_text(client.get(r["Location"]))
    r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "draft", "selected": []})
    assert r.status_code == 400 and "请先勾选拟办事项" in page_text(r)
    # an old version in the bulk bar is refused as stale
    topic.refresh_from_db()
    seen = topic.version
    desk.edit(topic, org.supervisor, version=seen, headline="城区内涝治理")
    r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "draft", "selected": [f"{topic.pk}:{seen}"]})
    assert r.status_code == 409 and Task.objects.count() == 2


def test_reject_with_a_reason_shows_on_the_source_page(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, "山洪灾害防御")
    client = as_user("supervisor")
    r = _do(client, source, p, "reject", card_data(p, reason="  "))
    assert r.status_code == 400 and "请说明不立项的理由" in page_text(r)
    assert "<details class=\"move\" open>" in _card_html(r, p)  # the reject box stays open
    r = _do(client, source, p, "reject", card_data(p, reason="已列入年度防灾规划，不单独立项"))
    assert r.status_code == 302
    page = page_text(client.get(f"/sources/{source.pk}/"))
    assert "不立项的事项" in page and "山洪灾害防御" in page and "已列入年度防灾规划，不单独立项" in page
    desk_page = client.get(f"/sources/{source.pk}/desk/")
    p.refresh_from_db()
    rejected = _card_html(desk_page, p)
    assert "不立项" in rejected and "已列入年度防灾规划" in rejected and "重新审核" in rejected
    # and back on the desk
    r = client.post(f"/sources/{source.pk}/desk/{p.pk}/reconsider/", {f"p{p.pk}-version": p.version})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == "pending" and p.reason == ""
    r = client.post(f"/sources/{source.pk}/desk/{p.pk}/reconsider/", {f"p{p.pk}-version": p.version})
    assert r.status_code == 409


def test_merge_several_into_one(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    a, b = card(proposals, "城区排涝"), card(proposals, "山洪灾害防御")
    client = as_user("supervisor")
    r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "merge", "selected": [f"{a.pk}:{a.version}"]})
    assert r.status_code == 400 and "请至少选择两条" in page_text(r)
    r = client.post(f"/sources/{source.pk}/desk/bulk/",
                    {"op": "merge", "selected": [f"{b.pk}:{b.version}", f"{a.pk}:{a.version}"]})
    assert r.status_code == 302 and r["Location"].endswith(f"#p-{a.pk}")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.text == "城区排涝\n山洪灾害防御" and a.items.count() == 2
    assert (b.status, b.merged_into) == ("merged", a)
    page = client.get(r["Location"])
    assert "已合并为一条拟办事项" in page_text(page)
    assert f'<a href="#p-{a.pk}">城区排涝</a>' in _card_html(page, b)


def test_split_at_a_sentence_boundary(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, RESERVOIR)
    text = p.text  # 二要落实水库安全度汛责任，汛前完成隐患排查。
    at = text.index("汛前")
    client = as_user("supervisor")
    r = _do(client, source, p, "split", card_data(p))
    assert r.status_code == 400 and "请选择拆分位置" in page_text(r)
    r = _do(client, source, p, "split", card_data(p, at=at))
    assert r.status_code == 302
    first, second = Proposal.objects.filter(items__in=p.items.all()).order_by("pk")
    assert first.text == "二要落实水库安全度汛责任，" and second.text == "汛前完成隐患排查。"
    assert second.lead_unit == org.unit_c  # the second part keeps the first's unit
    page = client.get(f"/sources/{source.pk}/desk/")
    assert len(re.findall(r'<article class="proposal card p-pending', page.content.decode())) == 6
    item = p.items.get()
    assert re.search(rf'id="item-{item.pk}" data-n="4/5"', page.content.decode())  # both cards are this item


def test_link_to_an_open_task_instead_of_a_new_one(org, as_user) -> None:
    rules(org)
    first, ps = on_desk(org)
    reservoir = card(ps, RESERVOIR)
    task = desk.accept([(reservoir, reservoir.version)], org.supervisor, assign=True)[0]
    second, ps2 = on_desk(org, REPEAT, "调度会.txt")
    again = next(p for p in ps2 if "水库" in p.text)
    client = as_user("supervisor")
    page = client.get(f"/sources/{second.pk}/desk/")
    dup = _card_html(page, again)
    assert "可能与在办事项重复" in dup and f"#{task.pk} {RESERVOIR}" in page_text_of(dup)
    assert re.search(r"相似度 \d+%", page_text_of(dup))
    assert f'name="task" value="{task.pk}"' in dup
    r = _do(client, second, again, "link", card_data(again), task=str(task.pk))
    assert r.status_code == 302
    again.refresh_from_db()
    assert (again.status, again.task_id) == ("linked", task.pk) and Task.objects.count() == 1
    assert "已并入督办事项" in page_text(client.get(r["Location"]))
    # the task lists both sources, and the unit sees both sentences
    detail = as_user("supervisor").get(f"/tasks/{task.pk}/")
    html = detail.content.decode()
    sources = html[html.index('class="plain-list task-sources"'):]
    assert f'href="/sources/{first.pk}/"' in sources and f'href="/sources/{second.pk}/"' in sources
    assert "防汛会议.txt" in page_text(detail) and "调度会.txt" in page_text(detail)
    # a task of another organisation, or a made-up one, is not found
    r = _do(client, second, card(ps2, "做好中小学校舍安全检查"), "link", card_data(card(ps2, "做好中小学校舍安全检查")),
            task="999999")
    assert r.status_code == 404


def test_take_a_suggested_unit_without_javascript(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, FARMLAND)
    assert p.lead_unit == org.unit_a  # the rule 农田
    client = as_user("supervisor")
    r = _do(client, source, p, "take", card_data(p, headline="加强农田灌溉设施管护"), unit=str(org.unit_c.pk))
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.lead_unit == org.unit_c and p.headline == "加强农田灌溉设施管护"
    assert "已选定牵头单位：省水利厅。" in page_text(client.get(r["Location"]))
    r = _do(client, source, p, "take", card_data(p), unit=str(org.other_org.pk))  # not a unit of the organisation
    assert r.status_code == 400


def test_a_decision_taken_meanwhile_keeps_the_typed_reason_in_view(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    p = card(proposals, "城区排涝")
    desk.accept([(p, p.version)], org.supervisor)  # someone accepted it
    r = _do(as_user("supervisor"), source, p, "reject", card_data(p, reason="由住建部门常规处理"))
    assert r.status_code == 409
    assert '<textarea id="lost-text" readonly rows="3">由住建部门常规处理' in r.content.decode()


def test_unknown_actions_and_other_sources(org, on_the_desk, as_user) -> None:
    source, proposals = on_the_desk
    other, other_ps = on_desk(org, REPEAT, "调度会.txt")
    client = as_user("supervisor")
    p = proposals[0]
    assert _do(client, source, p, "delete", card_data(p)).status_code == 404
    assert _do(client, other, p, "save", card_data(p)).status_code == 404  # not a proposal of that source
    assert client.get(f"/sources/{source.pk}/desk/{p.pk}/save/").status_code == 405
    r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "draft", "selected": [f"{other_ps[0].pk}:1"]})
    assert r.status_code == 404


def test_the_desk_in_english(org, on_the_desk, as_user) -> None:
    source, _proposals = on_the_desk
    client = as_user("supervisor")
    client.post("/i18n/setlang/", {"language": "en", "next": f"/sources/{source.pk}/desk/"})
    text = page_text(client.get(f"/sources/{source.pk}/desk/"))
    assert "Review desk" in text and "Accept and assign" in text and "rule: 水库 → 省水利厅" in text
