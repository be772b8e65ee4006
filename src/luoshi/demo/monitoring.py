"""The demo's monitored households: generated 吕梁 households, marked as sample data (示例数据).

Three hundred households of 离石区 and the city, six months of three indicators each, written
as a CSV file and taken in by the real import; two rules (income per person under the line,
a fall of more than 30 % on the month before) evaluated month by month, so that some loops
opened, some closed (风险消除) and some reopened. Nothing here is a real person: the names are
drawn from common surnames and given names, the ID numbers carry 吕梁's region code with a
made-up serial, the phone numbers are random. Loading twice changes nothing: the import
updates the same rows, and the months are evaluated only the first time.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from luoshi.monitoring.evaluate import evaluate
from luoshi.monitoring.hits import previous_period
from luoshi.monitoring.importing import import_file
from luoshi.monitoring.models import Breach, Indicator, Rule, RuleKind
from luoshi.org.models import Unit

HOUSEHOLDS = 300
MONTHS = 6
LINE = 7000  # 元 per person, the demo's monitoring line (监测线)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
GIVEN = ["建国", "秀英", "桂兰", "志强", "玉梅", "海军", "春花", "永刚", "红梅", "立新", "翠萍", "国庆", "小军", "丽娟"]
VILLAGES = ["信义村", "西崖底村", "东王家坡村", "贺家峁村", "枣林村", "马茂庄村"]
REGION = {"离石区": "141102", "吕梁市": "141100"}
WEIGHTS = [7, 9, 10, 5, 8, 4, 3, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4]


def _check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def _months(today: dt.date) -> list[dt.date]:
    last = previous_period(today.replace(day=1))
    months = [last]
    while len(months) < MONTHS:
        months.append(previous_period(months[-1]))
    return months[::-1]


def _csv(months: list[dt.date]) -> bytes:
    rng = random.Random(2026)
    out = io.StringIO()
    out.write("编号,户主姓名,类型,所属单位,身份证号,联系电话,属性:村,属性:家庭人口,期间,人均纯收入,务工收入,医疗支出\n")
    for n in range(1, HOUSEHOLDS + 1):
        county = "离石区" if n % 3 else "吕梁市"
        unit = "吕梁市离石区人民政府" if county == "离石区" else "吕梁市人民政府"
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
        first17 = f"{REGION[county]}{birth:%Y%m%d}{n % 1000:03d}"
        id_number = first17 + _check_digit(first17)
        phone = f"13{rng.randrange(4, 10)}{rng.randrange(10**8):08d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        size = rng.randrange(1, 7)
        draw = rng.random()  # a few under the line, a few about it (their loops close and reopen), most above
        base = rng.uniform(5200, 6800) if draw < 0.06 else rng.uniform(6900, 7300) if draw < 0.14 else \
            rng.uniform(7600, 15000)
        shock = rng.randrange(1, MONTHS) if rng.random() < 0.05 else None  # an illness, a lost job: a sharp fall
        for m, month in enumerate(months):
            income = base * rng.uniform(0.95, 1.08)
            if shock is not None and m >= shock:
                income *= 0.55 if m == shock else rng.uniform(0.6, 1.3)
            out.write(f"LL-{n:04d},{name},农户,{unit},{id_number},{phone},{rng.choice(VILLAGES)},{size},"
                      f"{month:%Y-%m},{income:.0f},{income * size * rng.uniform(0.3, 0.7):.0f},"
                      f"{rng.uniform(0, 3000):.0f}\n")
    return out.getvalue().encode("utf-8")


def load(province: Unit, city: Unit, county: Unit, today: dt.date) -> str:
    """Load the sample households and their rules; one line saying what is there."""
    months = _months(today)
    result = import_file(province, io.BytesIO(_csv(months)), "lvliang-households-sample.csv", sample=True)
    income = Indicator.objects.get(organisation=province, code="人均纯收入")
    if not income.unit_label:
        Indicator.objects.filter(organisation=province).update(unit_label="元")
    below, _ = Rule.objects.get_or_create(
        organisation=province, name="人均纯收入低于监测线",
        defaults={"kind": RuleKind.BELOW, "indicator": income, "threshold": LINE, "acting_unit": county,
                  "within": "15wd"})
    fall, _ = Rule.objects.get_or_create(
        organisation=province, name="人均纯收入环比下降超过30%",
        defaults={"kind": RuleKind.FALL, "indicator": income, "threshold": 30, "acting_unit": city,
                  "within": "20wd"})
    if not Breach.objects.filter(rule__in=[below, fall]).exists():
        for month in months:  # the months as they came: loops open, close and reopen
            evaluate(province, month)
    summary = evaluate(province, months[-1])
    return (f"monitoring: {result.subjects} sample households, {result.values} values, "
            f"{summary.line()} ({months[-1]:%Y-%m})")
