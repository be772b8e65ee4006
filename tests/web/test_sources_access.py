"""Every source page for every role: a supervisor sees and reviews the sources of their
organisation; anyone else sees a source only through a task made from it that they may see
(404 otherwise), and never its desk (403 when they see the source, 404 when they do not)."""

from __future__ import annotations

import pytest
from tests.web.desk_helpers import REPORT, WATER, card, on_desk
from tests.web.helpers import ROLES, page_text

from luoshi import access
from luoshi.desk import services as desk
from luoshi.tasks.models import Task

# S1: a task of it is assigned to unit A (handler_a, head_a see it); S2: its task went to unit C,
# and a draft for unit A is not handed out yet (drafts are the office's own)
SEES_S1 = {"supervisor", "handler_a", "head_a"}
SEES_S2 = {"supervisor"}
REVIEWS = {"supervisor"}
# the whole text, the text as found and the original file: the office; a unit only its own items
# (until the office opens the source to the units it concerns)
READS_WHOLE = {"supervisor"}


@pytest.fixture
def sources(org):
    s1, ps1 = on_desk(org, REPORT, "防汛会议.txt")
    first = card(ps1, "抓紧修复水毁工程，确保6月底前全部完工")
    first = desk.edit(first, org.supervisor, version=first.version, lead_unit=org.unit_a)
    desk.accept([(first, first.version)], org.supervisor, assign=True)
    s2, ps2 = on_desk(org, WATER, "水利专题会.txt")
    a, b, _c = ps2
    a = desk.edit(a, org.supervisor, version=a.version, lead_unit=org.unit_c)
    b = desk.edit(b, org.supervisor, version=b.version, lead_unit=org.unit_a)
    desk.accept([(a, a.version)], org.supervisor, assign=True)
    desk.accept([(b, b.version)], org.supervisor)  # a draft
    return s1, s2


def test_expectations_agree_with_access(org, sources) -> None:
    s1, s2 = sources
    assert {w for w in ROLES if access.can_see_source(getattr(org, w), s1)} == SEES_S1
    assert {w for w in ROLES if access.can_see_source(getattr(org, w), s2)} == SEES_S2
    assert {w for w in ROLES if access.can_review(getattr(org, w), s1)} == REVIEWS


@pytest.mark.parametrize("who", ROLES)
def test_every_source_page_for_every_role(org, sources, as_user, who) -> None:
    s1, s2 = sources
    client = as_user(who)
    listing = page_text(client.get("/sources/"))
    for source, seers in ((s1, SEES_S1), (s2, SEES_S2)):
        sees = who in seers
        assert (source.title in listing) == sees, (who, source.title)
        whole = who in READS_WHOLE
        own = source.items.filter(tasks__lead_unit=org.unit_a, tasks__state="assigned").first()
        other = source.items.exclude(pk=own.pk if own else None).order_by("pk").first()
        assert client.get(f"/sources/{source.pk}/").status_code == (200 if sees else 404), who
        for url in (f"/sources/{source.pk}/raw/", f"/sources/{source.pk}/original/",
                    f"/sources/{source.pk}/items/{other.pk}/raw/"):
            assert client.get(url).status_code == (200 if whole and sees else 404), (who, url)
        if own is not None:  # a unit reads its own item as found
            assert client.get(f"/sources/{source.pk}/items/{own.pk}/raw/").status_code == (200 if sees else 404)
        desk_status = 200 if who in REVIEWS else 403 if sees else 404
        assert client.get(f"/sources/{source.pk}/desk/").status_code == desk_status, who
        p = source.proposals.filter(status="pending").order_by("pk").first()
        r = client.post(f"/sources/{source.pk}/desk/bulk/", {"op": "draft", "selected": f"{p.pk}:{p.version}"})
        assert r.status_code == (302 if who in REVIEWS else desk_status), who
        p.refresh_from_db()
        assert p.status == ("accepted" if who in REVIEWS else "pending"), who
        q = source.proposals.filter(status="pending").order_by("pk").first()
        if q is not None:
            r = client.post(f"/sources/{source.pk}/desk/{q.pk}/reject/", {f"p{q.pk}-version": q.version,
                                                                           f"p{q.pk}-reason": "不属于本级职责"})
            assert r.status_code == (302 if who in REVIEWS else desk_status), who
            q.refresh_from_db()
            assert q.status == ("rejected" if who in REVIEWS else "pending"), who


def test_a_unit_sees_the_source_of_its_task_but_not_the_desk(org, sources, as_user) -> None:
    s1, _s2 = sources
    r = as_user("handler_a").get(f"/sources/{s1.pk}/")
    text = page_text(r)
    assert "抓紧修复水毁工程，确保6月底前全部完工" in text  # the task it sees
    assert "进入审核台" not in text and "不立项的事项" not in text
    assert f"/sources/{s1.pk}/desk/" not in r.content.decode()
    supervisor = page_text(as_user("supervisor").get(f"/sources/{s1.pk}/"))
    assert "进入审核台" in supervisor and "不立项的事项" in supervisor


def test_a_unit_reads_its_own_items_of_a_shared_report_until_the_office_opens_it(org, sources, as_user) -> None:
    s1, _s2 = sources
    unit = as_user("handler_a")
    text = page_text(unit.get(f"/sources/{s1.pk}/"))
    assert "抓紧修复水毁工程" in text  # its own item
    assert "落实水库安全度汛责任" not in text and "加强农田灌溉设施管护" not in text  # others' items
    assert "吴刚" not in text  # nor the rest of the report
    task = Task.objects.get(items__source=s1, lead_unit=org.unit_a)
    assert "落实水库安全度汛责任" not in page_text(unit.get(f"/tasks/{task.pk}/"))  # nor beside its task
    office = as_user("supervisor")
    assert "向涉及的单位公开全文" in page_text(office.get(f"/sources/{s1.pk}/"))
    assert unit.post(f"/sources/{s1.pk}/openness/", {"open": "yes"}).status_code == 403
    assert office.post(f"/sources/{s1.pk}/openness/", {"open": "yes"}).status_code == 302
    text = page_text(unit.get(f"/sources/{s1.pk}/"))
    assert "落实水库安全度汛责任" in text and "吴刚" in text
    assert unit.get(f"/sources/{s1.pk}/original/").status_code == 200
    assert as_user("handler_b").get(f"/sources/{s1.pk}/").status_code == 404  # open to those it concerns only
    office.post(f"/sources/{s1.pk}/openness/", {"open": "no"})
    assert unit.get(f"/sources/{s1.pk}/raw/").status_code == 404


def test_the_list_counts_what_the_desk_decided(org, sources, as_user) -> None:
    s1, s2 = sources
    r = as_user("supervisor").get("/sources/")
    html = r.content.decode()
    assert html.index(s2.title) < html.index(s1.title)  # newest first
    assert "导入文件" in page_text(r)
    row = html[html.index(s1.title):]
    row = row[:row.index("</tr>")]
    assert '<strong class="count-pending">4</strong>' in row and 'data-label="已立项">1<' in row
    assert "导入文件" not in page_text(as_user("handler_a").get("/sources/"))


@pytest.mark.parametrize("who", ROLES)
def test_routing_rules_are_for_supervisors_and_administrators(org, as_user, who) -> None:
    r = as_user(who).get("/routing/")
    edits = who in {"supervisor", "admin", "other_supervisor"}
    assert r.status_code == (200 if edits else 403)
    assert ("分办规则" in page_text(as_user(who).get("/tasks/"))) == edits  # the link in the header
