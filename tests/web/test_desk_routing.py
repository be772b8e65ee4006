"""The routing rules page: an organisation's administrators and supervisors keep the phrases
that suggest a lead unit; the desk then shows the suggestion with its reason, one click to take."""

from __future__ import annotations

from tests.web.desk_helpers import card, card_data, on_desk
from tests.web.helpers import page_text

from luoshi.desk.models import RoutingRule


def test_add_edit_and_switch_off_a_rule(org, as_user) -> None:
    client = as_user("admin")
    r = client.post("/routing/", {"phrase": " 排涝 ", "unit": org.unit_c.pk, "weight": "1.5", "active": "on"})
    assert r.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.organisation, rule.phrase, rule.unit, rule.weight, rule.active, rule.updated_by) == (
        org.province, "排涝", org.unit_c, 1.5, True, org.admin)
    page = client.get(r["Location"])
    assert "已添加规则：排涝 → 省水利厅。" in page_text(page) and "启用中" in page_text(page)
    # the same phrase and unit twice, one character, a silly weight: refused, said why
    r = client.post("/routing/", {"phrase": "排涝", "unit": org.unit_c.pk, "weight": "1", "active": "on"})
    assert r.status_code == 400 and "已有规则“排涝 → 省水利厅”" in page_text(r)
    r = client.post("/routing/", {"phrase": "涝", "unit": org.unit_c.pk, "weight": "50"})
    assert r.status_code == 400
    assert "请至少填写两个字" in page_text(r) and "权重应在 0.1 到 10 之间" in page_text(r)
    assert 'value="涝"' in r.content.decode()  # kept
    # edit
    r = client.post(f"/routing/{rule.pk}/", {"phrase": "城区排涝", "unit": org.unit_b.pk, "weight": "2",
                                            "active": "on"})
    assert r.status_code == 302
    rule.refresh_from_db()
    assert (rule.phrase, rule.unit, rule.weight) == ("城区排涝", org.unit_b, 2.0)
    # switch off and on
    assert client.post(f"/routing/{rule.pk}/toggle/").status_code == 302
    rule.refresh_from_db()
    assert not rule.active
    assert "规则已停用" in page_text(client.get("/routing/"))
    client.post(f"/routing/{rule.pk}/toggle/")
    rule.refresh_from_db()
    assert rule.active


def test_units_of_the_organisation_only(org, as_user) -> None:
    client = as_user("supervisor")
    page = client.get("/routing/").content.decode()
    assert "省水利厅" in page and "大同市人民政府" not in page
    r = client.post("/routing/", {"phrase": "排涝", "unit": org.other_org.pk, "weight": "1"})
    assert r.status_code == 400 and not RoutingRule.objects.exists()


def test_another_organisations_rules_are_not_found(org, as_user) -> None:
    theirs = RoutingRule.objects.create(organisation=org.province, phrase="河道清障", unit=org.unit_c)
    client = as_user("other_supervisor")
    assert "河道清障" not in page_text(client.get("/routing/"))
    assert client.get(f"/routing/{theirs.pk}/").status_code == 404
    assert client.post(f"/routing/{theirs.pk}/toggle/").status_code == 404
    assert as_user("handler_a").get(f"/routing/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_a_rule_is_suggested_at_the_desk_and_taken_in_one_click(org, as_user) -> None:
    source, proposals = on_desk(org)
    p = card(proposals, "城区排涝")
    client = as_user("supervisor")
    page = page_text(client.get(f"/sources/{source.pk}/desk/"))
    assert "规则：排涝" not in page
    client.post("/routing/", {"phrase": "排涝", "unit": org.unit_c.pk, "weight": "1", "active": "on"})
    html = client.get(f"/sources/{source.pk}/desk/").content.decode()
    card_html = html[html.index(f'id="p-{p.pk}"'):]
    card_html = card_html[:card_html.index("</article>")]
    assert "规则：排涝 → 省水利厅" in card_html
    assert f'name="unit" value="{org.unit_c.pk}"' in card_html
    r = client.post(f"/sources/{source.pk}/desk/{p.pk}/take/", {**card_data(p), "unit": org.unit_c.pk})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.lead_unit == org.unit_c
    html = client.get(f"/sources/{source.pk}/desk/").content.decode()
    card_html = html[html.index(f'id="p-{p.pk}"'):]
    assert 'class="suggestion chosen"' in card_html[:card_html.index("</article>")]
