"""A real reader opens the documents: LibreOffice converts each to PDF, and the PDF's text layer
(read by pdfminer) has the task's title and the units' names. Skipped where LibreOffice is not
installed; CI installs it."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import drive, make_task

from luoshi.documents.bulletin import bulletin
from luoshi.documents.notice import supervision_notice
from luoshi.ledgers.periods import UnitActivity
from luoshi.tasks.models import State


@pytest.mark.django_db
def test_libreoffice_reads_the_notice(org, pdf_text) -> None:
    task = drive(org, make_task(org, title="抓好高标准农田建设", due=dt.date(2026, 12, 31)), State.ASSIGNED)
    content = supervision_notice(task, number="〔2026〕12号", issued_on=dt.date(2026, 11, 30),
                                 organisation_name="省政府督查室")
    text = pdf_text(content, "notice")
    for words in ("省政府督查室督办通知单", "〔2026〕12号", "抓好高标准农田建设", "省农业农村厅", "吕梁市人民政府",
                  "2026年12月31日前", "2026年11月30日"):
        assert words in text, words


@pytest.mark.django_db
def test_libreoffice_reads_the_bulletin(org, pdf_text) -> None:
    rows = [UnitActivity(org.unit_b, closed=1, closed_on_time=1, overdue=2, returned=0, urged=5),
            UnitActivity(org.unit_a, closed=3, closed_on_time=2, overdue=0, returned=1, urged=0)]
    content = bulletin(org.province, dt.date(2026, 10, 1), dt.date(2026, 12, 31), rows, number="第4期",
                       issued_on=dt.date(2027, 1, 5))
    text = pdf_text(content, "bulletin")
    for words in ("督查通报", "第4期", "关于2026年第四季度督办事项办理情况的通报", "吕梁市人民政府", "省农业农村厅",
                  "全省共办结督办事项4项，按时办结率75%", "合计"):
        assert words in text, words
