"""Following the changed breaches with their alert items and assistance tasks (帮扶).

Only breaches that the evaluation marked (`Breach.pending`) are read, in chunks. A breach open
without a task raises an alert item and a task for the rule's unit, assigned at once; an open
breach whose task is closed reopens it (风险复发); a closed breach whose task is open closes it
(风险消除). The system acts through `tasks.workflow.perform`, so each move is journaled in the
task's hash-chained journal like any other; each breach in its own transaction, with its mark
cleared there, so a run stopped halfway is finished by the next.

The alert items of one rule's chunk share one `Source`: the text of that evaluation, one line per
alert, each item's span its line. A source per evaluation (not per subject) keeps the alert's
provenance (which rule, which period, what value, when) without a source row per household.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.monitoring.display import figure, month
from luoshi.monitoring.models import Breach, Rule, RuleKind
from luoshi.org.models import Unit
from luoshi.sources.models import Item, Source
from luoshi.tasks import services
from luoshi.tasks.models import State, Task
from luoshi.tasks.workflow import perform
from luoshi.workdays.services import calendar_for
from luoshi.workdays.span import Span

CHUNK = 500


def describe(breach: Breach) -> str:
    """One line saying what fired: 张三户（LL-0001）：人均纯收入 4,800 元，低于 6,000 元（2026年5月）."""
    rule, subject = breach.rule, breach.subject
    when = month(breach.period)
    ind = rule.indicator.name if rule.indicator_id else ""
    unit = rule.indicator.unit_label if rule.indicator_id else ""
    if rule.kind == RuleKind.BELOW:
        what = _("%(ind)s %(value)s%(unit)s, below %(line)s%(unit)s") % {
            "ind": ind, "value": figure(breach.value), "unit": unit, "line": figure(rule.threshold)}
    elif rule.kind == RuleKind.FALL:
        what = _("%(ind)s %(value)s%(unit)s, down more than %(pct)s%% on the month before") % {
            "ind": ind, "value": figure(breach.value), "unit": unit, "pct": figure(rule.threshold)}
    elif rule.kind == RuleKind.MISSING:
        what = _("%(ind)s not reported") % {"ind": ind}
    else:
        what = _("all of: %(parts)s") % {"parts": "、".join(p.name for p in rule.parts.order_by("pk"))}
    return f"{subject.name}（{subject.code}）：{rule.name}，{what}（{when}）"


def _source(rule: Rule, lines: list[str]) -> tuple[Source, list[tuple[int, int]]]:
    now = timezone.now()
    local = timezone.localtime(now)
    # the text's first line to the microsecond (each evaluation its own file); the title, read in
    # the pickers of meetings, to the minute as offices write a time
    head = _("Monitoring alerts of the rule “%(rule)s”, evaluated %(at)s") % {
        "rule": rule.name, "at": local.strftime("%Y-%m-%d %H:%M:%S.%f")}
    title = _("Monitoring alerts of the rule “%(rule)s”, evaluated %(at)s") % {
        "rule": rule.name, "at": f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"}
    text, spans = head + "\n", []
    for line in lines:
        spans.append((len(text), len(text) + len(line)))
        text += line + "\n"
    raw = text.encode("utf-8")
    source = Source.objects.create(
        organisation_id=rule.organisation_id, name=f"monitoring-rule-{rule.pk}-{now:%Y%m%d%H%M%S%f}.txt",
        title=title[:255], raw=raw, checksum=hashlib.sha256(raw).hexdigest(), size=len(raw), encoding="utf-8",
        text=text, extraction={"monitoring": {"rule": rule.pk}})
    return source, spans


def _due(organisation: Unit, rule: Rule) -> dt.date:
    return Span.parse(rule.within or "20wd").apply(calendar_for(organisation), timezone.localdate())


def _raise(breach: Breach, item: Item, organisation: Unit) -> None:
    rule, subject = breach.rule, breach.subject
    task = services.create_task(
        None, system=True, organisation=organisation, kind=Task.Kind.ALERT,
        title=_("Assistance (帮扶): %(name)s — %(rule)s") % {"name": subject.name, "rule": rule.name},
        description=item.text, lead_unit=rule.acting_unit, due_date=_due(organisation, rule), items=[item],
        note={"monitoring": {"rule": rule.pk, "subject": subject.pk, "period": breach.period.isoformat()}})
    task = perform(task, "assign", None, version=task.version, system=True)
    breach.task = task


def _follow_one(breach: Breach, item: Item | None, organisation: Unit) -> None:
    with transaction.atomic():
        fresh = Breach.objects.select_for_update().filter(pk=breach.pk).first()
        if fresh is None or not fresh.pending:
            return
        task = Task.objects.filter(pk=fresh.task_id).first() if fresh.task_id else None
        if fresh.is_open and task is None and item is not None:
            _raise(breach, item, organisation)
        elif fresh.is_open and task is not None and task.state == State.CLOSED:
            perform(task, "risk_renewed", None, version=task.version, system=True, reason=describe(breach))
        elif not fresh.is_open and task is not None and task.state != State.CLOSED:
            perform(task, "risk_cleared", None, version=task.version, system=True,
                    reason=_("A later value clears the rule (%(month)s).") % {
                        "month": month(fresh.period)})
        Breach.objects.filter(pk=breach.pk).update(pending="", task=breach.task or task)


def follow(organisation: Unit) -> int:
    """Raise, close or reopen the tasks of ``organisation``'s marked breaches; how many were marked.
    What it writes (the alerts' source, items, task titles, reasons) is in the office's language,
    whatever the language of whoever runs it: the worker runs with none, an English reader may."""
    with translation.override(settings.LANGUAGE_CODE):
        return _follow(organisation)


def _follow(organisation: Unit) -> int:
    done = 0
    while True:
        chunk = list(Breach.objects.filter(rule__organisation=organisation).exclude(pending="")
                     .select_related("rule", "rule__indicator", "rule__acting_unit", "subject")
                     .order_by("rule_id", "pk")[:CHUNK])
        if not chunk:
            return done
        for rule_id in dict.fromkeys(b.rule_id for b in chunk):
            mine = [b for b in chunk if b.rule_id == rule_id]
            new = [b for b in mine if b.is_open and b.task_id is None]
            items: dict[int, Item] = {}
            if new:
                with transaction.atomic():
                    source, spans = _source(mine[0].rule, [describe(b) for b in new])
                    for n, (b, (start, end)) in enumerate(zip(new, spans, strict=True), start=1):
                        items[b.pk] = Item.objects.create(
                            source=source, kind=Item.Kind.ALERT, ordinal=n, headline=source.text[start:end][:255],
                            text=source.text[start:end], span_start=start, span_end=end, raw_start=start,
                            raw_end=end, issuer=mine[0].rule.name[:50])
            for b in mine:
                _follow_one(b, items.get(b.pk), organisation)
        done += len(chunk)
