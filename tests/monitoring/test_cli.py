"""`luoshi monitor evaluate` and `luoshi monitor import`, and the job of the queue."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.monitoring import jobs
from luoshi.monitoring.models import Subject
from tests.monitoring.helpers import MAY, below, income, put, subject

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("monitor", *args, stdout=out)
    return out.getvalue().strip()


def test_evaluate_prints_one_line_and_twice_changes_nothing(org) -> None:
    put(subject(org, "LL-300"), income(org), MAY, 100)
    below(org)
    assert _run("evaluate", "--period", "2026-05") == "breaches 1, opened 1, closed 0, reopened 0"
    assert _run("evaluate", "--org", str(org.province.pk)) == "breaches 1, opened 0, closed 0, reopened 0"


def test_the_job_evaluates_every_organisation(org) -> None:
    put(subject(org, "LL-301"), income(org), MAY, 100)
    below(org)
    assert jobs.evaluate.call() == "breaches 1, opened 1, closed 0, reopened 0"
    assert jobs.evaluate.call() == "breaches 1, opened 0, closed 0, reopened 0"


def test_import_imports_or_says_every_problem(org, tmp_path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("编号,名称,期间,人均纯收入\nLL-1,张三,2026-05,4000\n", encoding="utf-8")
    assert _run("import", str(good), "--org", str(org.province.pk), "--sample") == "rows 1, subjects 1, values 1"
    assert Subject.objects.get(code="LL-1").is_sample
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,名称,期间,人均纯收入\nLL-2,李四,2026-05,多\nLL-3,,2026-05,1\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported: 2 problem"):
        call_command("monitor", "import", str(bad), "--org", str(org.province.pk), stderr=err)
    assert err.getvalue().splitlines() == ["row 2, column 人均纯收入: 不是数字", "row 3, column 名称: 为空"]
    assert not Subject.objects.filter(code__in=["LL-2", "LL-3"]).exists()
