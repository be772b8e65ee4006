"""What the monitoring pages read: a page of subjects by keyset, and a subject's series.

Designed for a million subjects: a page is the next 50 ids after the last one shown (an index
range, never OFFSET or COUNT over the table), and its values and breaches are read for those 50
ids only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from luoshi.monitoring.models import Breach, Indicator, Subject, Value

PAGE = 50


@dataclass
class Row:
    subject: Subject
    values: dict[int, float] = field(default_factory=dict)  # indicator id → value in the period shown
    breaches: list[Breach] = field(default_factory=list)


def page_of(subjects: QuerySet[Subject], after: int = 0, *,
            open_only: bool = False) -> tuple[list[Subject], int | None]:
    """The next page of ``subjects`` after id ``after``, and the id to continue after (None: the last page)."""
    qs = subjects.filter(pk__gt=after).order_by("pk").select_related("unit")
    if open_only:
        qs = qs.filter(Exists(Breach.objects.filter(subject=OuterRef("pk"), is_open=True)))
    found = list(qs[: PAGE + 1])
    more = len(found) > PAGE
    found = found[:PAGE]
    return found, (found[-1].pk if more else None)


def rows_for(subjects: list[Subject], indicators: list[Indicator], period: dt.date | None) -> list[Row]:
    rows = {s.pk: Row(s) for s in subjects}
    if period is not None and indicators:
        # by the key (indicator, period, subject): a few probes, whatever the size of the table
        for sid, ind, value in Value.objects.filter(indicator__in=indicators, period=period, subject__in=rows
                                                    ).values_list(
                "subject_id", "indicator_id", "value"):
            rows[sid].values[ind] = value
    for b in Breach.objects.filter(subject__in=rows, is_open=True).select_related("rule", "task").order_by("pk"):
        rows[b.subject_id].breaches.append(b)
    return list(rows.values())


def months_back(latest: dt.date, n: int) -> list[dt.date]:
    months = [latest.replace(day=1)]
    while len(months) < n:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months


def series(subject: Subject, latest: dt.date | None, months: int = 24
           ) -> tuple[list[Indicator], list[tuple[dt.date, list[float | None]]]]:
    """The subject's indicators and, newest month first, its value of each (None: not reported)
    over the ``months`` up to ``latest``: read by the key, naming each indicator and month."""
    if latest is None:
        return [], []
    all_indicators = list(Indicator.objects.filter(organisation_id=subject.organisation_id).order_by("pk"))
    values = list(Value.objects.filter(indicator__in=all_indicators, period__in=months_back(latest, months),
                                       subject=subject).order_by("-period", "indicator_id")
                  .values_list("period", "indicator_id", "value"))
    seen = {v[1] for v in values}
    indicators = [i for i in all_indicators if i.pk in seen]
    by_period: dict[dt.date, dict[int, float]] = {}
    for period, ind, value in values:
        by_period.setdefault(period, {})[ind] = value
    return indicators, [(p, [vals.get(i.pk) for i in indicators]) for p, vals in by_period.items()]
