"""Chinese by default, English on request; the catalogue complete and its .mo up to date."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import polib
import pytest
from tests.factories import drive, make_task
from tests.web.helpers import page_text

from luoshi.tasks.models import State

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src/luoshi/locale/zh_Hans/LC_MESSAGES/django.po"


def _compile_messages():
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts/compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entries(catalogue) -> dict:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or ""): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue if e.msgid and not e.obsolete}


def test_mo_matches_po_and_everything_is_translated() -> None:
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    assert _entries(mo) == _entries(po), "run: python scripts/compile_messages.py"


# what the task pages show: their templates and code, and the models, rules and errors they display
# (other apps are checked by `python scripts/compile_messages.py --check` when they build pages)
PAGES = ("templates", "tasks", "org/models.py", "sources/models.py", "access.py")


def test_every_message_the_task_pages_use_is_in_the_catalogue() -> None:
    cm = _compile_messages()
    problems = cm.problems(PO, cm.used_msgids(PAGES))
    assert not problems, ("add the Chinese to src/luoshi/locale/zh_Hans/LC_MESSAGES/django.po, then run "
                          "python scripts/compile_messages.py:\n" + "\n".join(problems))


def test_choice_labels_read_as_plain_chinese() -> None:
    # "Draft (待交办)" is 待交办 in the Chinese UI, not "Draft (待交办)" nor "待交办 (待交办)"
    for e in polib.pofile(str(PO)):
        if re.search(r"\([\u4e00-\u9fff/]+\)$", e.msgid):
            # the classes of a suggestion's reply are written A类 … D类 in Chinese too
            assert not re.search(r"[A-Za-z()]", re.sub(r"^[A-D]类", "", e.msgstr)), (e.msgid, e.msgstr)


@pytest.mark.django_db
def test_chinese_by_default_with_chinese_dates(org, as_user) -> None:
    task = drive(org, make_task(org, due=dt.date(2024, 3, 31)), State.ASSIGNED)
    client = as_user("handler_a")
    listing = page_text(client.get("/tasks/"))
    assert "督办事项" in listing and "已交办" in listing and "Assigned" not in listing
    assert "2024年3月31日" in listing
    detail = client.get(f"/tasks/{task.pk}/")
    assert '<html lang="zh-hans">' in detail.content.decode()
    assert "2024年3月31日" in page_text(detail) and "签收" in page_text(detail)


@pytest.mark.django_db
def test_switch_to_english_and_back(org, as_user) -> None:
    task = drive(org, make_task(org, due=dt.date(2024, 3, 31)), State.ASSIGNED)
    client = as_user("handler_a")
    r = client.post("/i18n/setlang/", {"language": "en", "next": f"/tasks/{task.pk}/"})
    assert r.status_code == 302 and r["Location"] == f"/tasks/{task.pk}/"
    page = client.get(f"/tasks/{task.pk}/")
    text = page_text(page)
    assert '<html lang="en">' in page.content.decode()
    assert "What you can do" in text and "Accept (签收)" in text and "Sign out" in text
    assert "March 31, 2024" in text
    r = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/tasks/"})
    assert "督办事项" in page_text(client.get("/tasks/"))
