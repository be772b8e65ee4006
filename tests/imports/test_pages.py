"""The import pages for each role, and a ledger taken through them: upload, map, check, import."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from luoshi.imports.models import ImportBatch, ImportMapping
from luoshi.imports.reading import MAX_BYTES
from luoshi.org.models import Role
from luoshi.tasks.models import Event, State, Task
from tests.factories import _user
from tests.imports.ledgers import CLEAN_MERGES, CLEAN_ROWS, ERROR_ROWS, xlsx
from tests.web.helpers import page_text

pytestmark = pytest.mark.django_db

CLEAN = xlsx(CLEAN_ROWS, merges=CLEAN_MERGES)
SUGGESTED_POST = {"col-0": "", "col-1": "title", "col-2": "lead_unit", "col-3": "co_units", "col-4": "due_date",
                  "col-5": "target", "col-6": "priority", "col-7": "description"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"  # WhiteNoise warns without it
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def as_user(org) -> Callable[[str], Client]:
    def make(who: str) -> Client:
        client = Client()
        client.force_login(getattr(org, who))
        return client

    return make


def upload(client: Client, data: bytes = CLEAN, name: str = "2026年督办台账.xlsx"):
    return client.post("/imports/new/", {"file": SimpleUploadedFile(name, data)})


def test_who_may_see_which_page(org, units, as_user) -> None:
    colleague = _user("supervisor2", "督查员二", org.office, Role.SUPERVISOR)
    sup = as_user("supervisor")
    r = upload(sup)
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/{batch.pk}/"
    pending = f"/imports/{batch.pk}/"
    done = f"/imports/{batch.pk}/done/"

    assert [sup.get(u).status_code for u in ("/imports/", "/imports/new/", pending)] == [200, 200, 200]
    assert sup.get(done)["Location"] == pending  # not imported yet
    mate = Client()
    mate.force_login(colleague)
    assert [mate.get(u).status_code for u in ("/imports/", "/imports/new/", pending)] == [200, 200, 403]
    assert mate.post(f"/imports/{batch.pk}/abandon/").status_code == 403
    for who in ("handler_a", "head_a", "handler_b", "leader", "deputy", "admin", "outsider"):
        c = as_user(who)
        assert [c.get(u).status_code for u in ("/imports/", "/imports/new/", pending, done)] == [403, 403, 404, 404], who
    other = as_user("other_supervisor")
    assert [other.get(u).status_code for u in ("/imports/", pending, done)] == [200, 404, 404]
    assert "2026年督办台账.xlsx" not in page_text(other.get("/imports/"))
    anonymous = Client()
    assert anonymous.get("/imports/")["Location"].startswith("/accounts/login/")

    r = sup.post(pending, {**SUGGESTED_POST, "action": "import"})
    assert r.status_code == 302 and r["Location"] == done
    assert [sup.get(done).status_code, mate.get(done).status_code, other.get(done).status_code] == [200, 200, 404]
    assert sup.get(pending)["Location"] == done


def test_the_nav_link_is_for_supervisors(org, as_user) -> None:
    assert 'href="/imports/"' in as_user("supervisor").get("/").content.decode()
    assert 'href="/imports/"' not in as_user("handler_a").get("/").content.decode()


def test_a_ledger_through_the_pages(org, units, as_user) -> None:
    sup = as_user("supervisor")
    batch_url = upload(sup)["Location"]
    page = sup.get(batch_url)
    text = page_text(page)
    # Chinese by default: the mapping suggested from the headers, every row checked, a preview
    assert "一、各列对应什么" in text and "以下是根据表头给出的建议。" in text
    assert "7 行数据" in text and "表头在第 3 行" in text
    html = page.content.decode()
    assert re.search(r'<option value="title" selected>标题</option>', html)
    assert "没有错误" in text and "抓好高标准农田建设" in text
    assert re.search(r'<button type="submit" name="action" value="import" class="primary">\s*导入 7 项任务', html)

    # the supervisor changes a column: 工作目标 becomes part of the description (kept, remembered)
    r = sup.post(batch_url, {**SUGGESTED_POST, "col-5": "description", "action": "check"})
    assert r.status_code == 302 and r["Location"] == batch_url
    assert ImportMapping.objects.get().mapping[5]["field"] == "description"
    page = sup.get(batch_url)
    assert re.search(r'name="col-5"[^>]*>.*?<option value="description" selected>',
                     page.content.decode(), re.S)
    assert Task.objects.count() == 0  # nothing written by a check

    r = sup.post(batch_url, {**SUGGESTED_POST, "col-5": "description", "assign_all": "on", "action": "import"})
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/{batch.pk}/done/"
    assert (batch.status, batch.created_count, batch.assign_all) == ("imported", 7, True)
    task = Task.objects.get(title="抓好高标准农田建设")
    assert (task.state, task.target, task.description) == (State.ASSIGNED, "", "工作目标：新建高标准农田50万亩\n备注：年度重点")
    done = sup.get(f"/imports/{batch.pk}/done/")
    text = page_text(done)
    assert "已创建 7 项任务" in text and "导入完成" in text
    assert f'href="/tasks/{task.pk}/"' in done.content.decode()
    assert "2026年督办台账.xlsx" in page_text(sup.get("/imports/"))


def test_errors_shown_by_row_and_column_and_nothing_written(org, units, as_user) -> None:
    sup = as_user("supervisor")
    batch_url = upload(sup, xlsx(ERROR_ROWS, merges=CLEAN_MERGES))["Location"]
    page = sup.get(batch_url)
    rows = re.findall(r'<tr class="problem-error">\s*<td class="c-num">(\d+)</td>\s*<td><strong>([A-Z]+)</strong>',
                      page.content.decode())
    assert rows == [("12", "C"), ("13", "C"), ("14", "B"), ("15", "D"), ("15", "E"), ("15", "G"), ("16", "D")]
    text = page_text(page)
    assert "山西省人民政府没有名为“省商务厅”的单位。" in text and "缺少任务名称。" in text
    assert "“发展改革委”可能是市发展改革委、省发展改革委，请写全称。" in text
    assert re.search(r'value="import" class="primary" disabled', page.content.decode())
    # sent anyway: refused, nothing written
    r = sup.post(batch_url, {**SUGGESTED_POST, "action": "import"})
    assert r.status_code == 400 and "未导入任何任务：文件中有 7 处错误。" in page_text(r)
    assert Task.objects.count() == 0 and Event.objects.count() == 0
    assert ImportBatch.objects.get().status == "pending"


def test_the_same_file_twice_is_refused_with_a_link_to_the_first(org, units, as_user) -> None:
    sup = as_user("supervisor")
    batch_url = upload(sup)["Location"]
    sup.post(batch_url, {**SUGGESTED_POST, "action": "import"})
    first = ImportBatch.objects.get()
    r = upload(sup, name="改了名字.xlsx")
    assert r.status_code == 409
    assert f"（第 {first.pk} 次导入）" in page_text(r)
    assert f'href="/imports/{first.pk}/done/"' in r.content.decode()
    assert ImportBatch.objects.count() == 1 and Task.objects.count() == 7


def test_files_refused_on_upload(org, as_user) -> None:
    sup = as_user("supervisor")
    r = upload(sup, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧台账.xls")
    assert r.status_code == 400 and "“旧台账.xls”是旧版 Excel 格式（.xls）" in page_text(r)
    assert "文件未保存；改正后请重新选择文件。" in page_text(r)
    r = upload(sup, "任务名称,牵头单位\n春耕,省农业农村厅\n".encode("utf-16-le"), "台账.csv")
    assert r.status_code == 400 and "不是 UTF-8 或 GB18030（GBK）编码的文本" in page_text(r)
    r = upload(sup, b"x" * (MAX_BYTES + 10), "大台账.csv")  # read no further than the limit
    assert r.status_code == 413 and "“大台账.csv”超过 10.0" in page_text(r)
    r = sup.post("/imports/new/", {})
    assert r.status_code == 400 and "请选择要导入的台账文件。" in page_text(r)
    assert ImportBatch.objects.count() == 0


def test_english_when_asked(org, units, as_user) -> None:
    sup = as_user("supervisor")
    batch_url = upload(sup)["Location"]
    sup.post("/i18n/setlang/", {"language": "en", "next": batch_url})
    text = page_text(sup.get(batch_url))
    assert "1. Which column holds what" in text and "Suggested from the headers." in text
    assert "Import 7 tasks" in text and "No errors" in text


def test_sheets_and_abandoning(org, units, as_user) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本台账由督查室维护"])
    ws = wb.create_sheet("台账")
    ws.append(["任务名称", "牵头单位", "完成时限"])
    ws.append(["抓好春耕", "省农业农村厅", "2026-04-30"])
    ws = wb.create_sheet("二月")
    ws.append(["事项名称", "责任单位"])
    ws.append(["抓好夏粮", "省农业农村厅"])
    out = io.BytesIO()
    wb.save(out)
    sup = as_user("supervisor")
    # the first sheet is a note without a header: the first sheet that reads as a ledger is taken
    batch_url = upload(sup, out.getvalue(), "三张表.xlsx")["Location"]
    assert ImportBatch.objects.get().sheet == "台账"
    page = sup.get(batch_url)
    assert '<option value="台账" selected>台账</option>' in page.content.decode()
    # the note chosen: refused on the page, the ledger sheet stays
    r = sup.post(batch_url, {"sheet": "说明", "col-0": "title", "col-1": "lead_unit", "col-2": "due_date"})
    assert r.status_code == 400 and "“三张表.xlsx”中没有找到表头" in page_text(r)
    assert ImportBatch.objects.get().sheet == "台账"
    # another ledger sheet chosen: its columns, their mapping proposed afresh
    r = sup.post(batch_url, {"sheet": "二月", "col-0": "title", "col-1": "lead_unit", "col-2": "due_date"})
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.sheet == "二月" and [m["field"] for m in batch.mapping] == ["title", "lead_unit"]
    assert "抓好夏粮" in page_text(sup.get(batch_url))

    r = sup.post(f"/imports/{batch.pk}/abandon/")
    assert r.status_code == 302 and r["Location"] == "/imports/"
    batch.refresh_from_db()
    assert (batch.status, bytes(batch.raw)) == ("abandoned", b"")
    assert sup.get(batch_url).status_code == 410
    assert Task.objects.count() == 0
