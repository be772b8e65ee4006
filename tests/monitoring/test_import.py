"""Bulk import from .csv and .xlsx: all or nothing, every problem by row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from luoshi.monitoring.importing import ImportFailed, Problem, import_file
from luoshi.monitoring.models import Indicator, Subject, Value
from tests.monitoring.helpers import MAY

pytestmark = pytest.mark.django_db

HEADER = "编号,户主姓名,类型,所属单位,身份证号,联系电话,属性:家庭人口,期间,人均纯收入,务工人数\n"
GOOD = HEADER + (
    "LL-001,张三,农户,吕梁市人民政府,142301199001011234,13812345678,4,2026-05,4800,1\n"
    "LL-001,张三,农户,吕梁市人民政府,142301199001011234,13812345678,4,2026年6月,\"5,200\",\n"
    "LL-002,李四,,,,,,2026/5,7000,2\n"
)


def _csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_a_good_file_imports_subjects_and_values(org) -> None:
    result = import_file(org.province, _csv(GOOD), "households.csv")
    assert (result.rows, result.subjects, result.values) == (3, 2, 5)  # June's 务工人数 left empty: not reported
    zhang = Subject.objects.get(code="LL-001")
    assert (zhang.name, zhang.unit, zhang.id_number, zhang.attributes) == (
        "张三", org.unit_b, "142301199001011234", {"家庭人口": "4"})
    income = Indicator.objects.get(organisation=org.province, name="人均纯收入")
    assert sorted(Value.objects.filter(subject=zhang, indicator=income).values_list("value", flat=True)) == [4800, 5200]


def test_importing_again_updates_and_duplicates_nothing(org) -> None:
    import_file(org.province, _csv(GOOD), "households.csv")
    result = import_file(org.province, _csv(GOOD.replace("7000", "7100")), "households.csv")
    assert (Subject.objects.count(), Value.objects.count()) == (2, 5)
    assert Value.objects.get(subject__code="LL-002", indicator__name="人均纯收入", period=MAY).value == 7100
    assert result.rows == 3


def test_gb18030_csv(org) -> None:
    import_file(org.province, _csv(GOOD, "gb18030"), "households.csv")
    assert Subject.objects.get(code="LL-002").name == "李四"


def test_bad_rows_import_nothing_and_say_where(org) -> None:
    bad = HEADER + (
        "LL-001,张三,农户,吕梁市人民政府,142301199001011234,13812345678,4,2026-05,4800,1\n"  # row 2: good
        "LL-003,,农户,,14230119900101123,,,2026-13,abc,1\n"  # row 3: no name, short ID, month 13, not a number
        "LL-004,王五,工厂,不存在的县,,phone?,,2026-05,100,0\n"  # row 4: kind, unit, phone
    )
    with pytest.raises(ImportFailed) as failed:
        import_file(org.province, _csv(bad), "households.csv")
    assert failed.value.problems == [
        Problem(3, "户主姓名", "为空"),
        Problem(3, "身份证号", "身份证号应为 18 位：17 位数字加 1 位数字或 X"),
        Problem(3, "期间", "月份请写成 2026-05 或 2026年5月"),
        Problem(3, "人均纯收入", "不是数字"),
        Problem(4, "类型", "应为农户、企业、项目、村之一"),
        Problem(4, "所属单位", "本组织没有该单位"),
        Problem(4, "联系电话", "不是电话号码"),
    ]
    assert (Subject.objects.count(), Value.objects.count(), Indicator.objects.count()) == (0, 0, 0)


def test_a_month_twice_for_one_subject_is_an_error(org) -> None:
    twice = HEADER + "LL-001,张三,,,,,,2026-05,4800,1\nLL-001,张三,,,,,,2026年5月,4900,1\n"
    with pytest.raises(ImportFailed) as failed:
        import_file(org.province, _csv(twice), "households.csv")
    assert [(p.row, p.column) for p in failed.value.problems] == [(3, "期间")]
    assert Subject.objects.count() == 0


def test_missing_columns(org) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_file(org.province, _csv("名称,期间,收入\nx,2026-05,1\n"), "x.csv")
    assert [(p.row, p.column) for p in failed.value.problems] == [(1, "编号")]


def test_xlsx(org) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["编号", "名称", "期间", "人均纯收入"])
    ws.append(["LL-009", "赵六", "2026-05", 3000])
    ws.append(["LL-009", "赵六", "2026-06", "x"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    with pytest.raises(ImportFailed) as failed:
        import_file(org.province, data, "values.xlsx")
    assert [(p.row, p.column) for p in failed.value.problems] == [(3, "人均纯收入")]
    ws["D3"] = 3100
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    assert import_file(org.province, data, "values.xlsx").values == 2


def test_a_file_of_another_type_is_refused(org) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_file(org.province, io.BytesIO(b"x"), "values.xls")
    assert failed.value.problems[0].row == 0
