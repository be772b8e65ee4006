"""The task list's rows, written in Python: the HTML the row template wrote, checked against rows
written out by hand (an awkward title escaped everywhere it appears, in Chinese and in English)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from tests.factories import make_task

from luoshi.tasks.listing import co_unit_names, rows_html
from luoshi.tasks.models import Task

pytestmark = pytest.mark.django_db

TITLE = '<b>"稳"&进</b>'
ESCAPED = "&lt;b&gt;&quot;稳&quot;&amp;进&lt;/b&gt;"


def _read(pk: int) -> Task:
    return Task.objects.select_related("lead_unit").get(pk=pk)


@pytest.fixture
def pair(org) -> tuple[Task, Task]:
    urged = make_task(org, title=TITLE, due=dt.date(2026, 3, 5))  # led by 省农业农村厅, 吕梁 a co-unit
    Task.objects.filter(pk=urged.pk).update(urge_count=2)
    bare = make_task(org, title="春耕备耕")
    bare.co_units.clear()
    Task.objects.filter(pk=bare.pk).update(due_date=None, lead_unit=None, urge_count=1)
    return _read(urged.pk), _read(bare.pk)


def test_a_row_in_chinese(pair) -> None:
    urged, bare = pair
    with translation.override("zh-hans"):
        html = rows_html([(urged, "red", "部署/要求", "办理中", ["吕梁市人民政府"]),
                          (bare, "none", "部署/要求", "草稿", [])])
    pk, v = urged.pk, urged.version
    assert html.splitlines()[0] == (
        f'<tr class="light-red"><td class="c-pick"><input type="checkbox" name="row" value="{pk}:{v}" '
        f'id="pick-{pk}" aria-label="勾选 #{pk} {ESCAPED}"></td>'
        '<td class="c-light"><span class="dot dot-red" title="红灯：已逾期" aria-hidden="true"></span>'
        '<span class="visually-hidden">红灯：已逾期</span></td>'
        f'<td class="c-id">#{pk}</td>'
        f'<td class="c-title"><a href="/tasks/{pk}/">{ESCAPED}</a> <span class="badge urged" title="催办次数">催办 2 次'
        "</span></td>"
        '<td class="c-kind" data-label="类别">部署/要求</td>'
        '<td class="c-state" data-label="状态"><span class="state state-draft">办理中</span></td>'
        '<td class="c-unit" data-label="牵头单位">省农业农村厅 <span class="co">配合：吕梁市人民政府</span></td>'
        '<td class="c-due" data-label="办结时限"><time datetime="2026-03-05">2026年3月5日</time></td></tr>')
    pk, v = bare.pk, bare.version
    assert html.splitlines()[1] == (
        f'<tr class="light-none"><td class="c-pick"><input type="checkbox" name="row" value="{pk}:{v}" '
        f'id="pick-{pk}" aria-label="勾选 #{pk} 春耕备耕"></td>'
        '<td class="c-light"><span class="dot dot-none" title="不亮灯：待交办或已办结" aria-hidden="true"></span>'
        '<span class="visually-hidden">不亮灯：待交办或已办结</span></td>'
        f'<td class="c-id">#{pk}</td>'
        f'<td class="c-title"><a href="/tasks/{pk}/">春耕备耕</a> <span class="badge urged" title="催办次数">催办 1 次'
        "</span></td>"
        '<td class="c-kind" data-label="类别">部署/要求</td>'
        '<td class="c-state" data-label="状态"><span class="state state-draft">草稿</span></td>'
        '<td class="c-unit" data-label="牵头单位">—</td>'
        '<td class="c-due" data-label="办结时限">—</td></tr>')


def test_a_row_in_english(pair) -> None:
    urged, bare = pair
    with translation.override("en"):
        html = rows_html([(urged, "yellow", "Directive", "In progress", ["吕梁市人民政府"]),
                          (bare, "green", "Directive", "Draft", ())])
    first, second = html.splitlines()
    assert f'aria-label="Tick #{urged.pk} {ESCAPED}"' in first
    assert '<span class="badge urged" title="Times urged (催办)">urged 2×</span>' in first
    assert '<span class="co">with 吕梁市人民政府</span>' in first
    assert '<time datetime="2026-03-05">March 5, 2026</time>' in first
    assert '<td class="c-kind" data-label="Kind">Directive</td>' in first
    assert 'title="Yellow: due soon or no recent progress"' in first
    assert '<span class="badge urged" title="Times urged (催办)">urged once</span>' in second
    assert '<td class="c-due" data-label="Due date">—</td>' in second


def test_co_unit_names_in_one_query_in_the_order_of_their_names(org, pair, django_assert_num_queries) -> None:
    urged, bare = pair
    urged.co_units.add(org.unit_c)  # 省水利厅
    with django_assert_num_queries(1):
        names = co_unit_names([urged, bare])
    # by code point, as the database orders them: 吕 (U+5415) before 省 (U+7701)
    assert names == {urged.pk: ["吕梁市人民政府", "省水利厅"]}
    with django_assert_num_queries(0):
        assert co_unit_names([]) == {}
