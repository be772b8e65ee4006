"""Proving history: the checks behind `luoshi journal verify`.

1. The chain: events numbered 1…N without a gap, each linking to the one before, each
   hash matching its content, the head row at the last; with an anchor, an event carries it.
2. Each task's events account for its row: numbered 1…n from "created"; replaying the
   changes they record arrives at the task's fields, state and version.
3. Each progress report has its event, with the same task, author, unit and words, and each
   progress event its report.
4. Each attachment's file still has the content hash recorded when it was uploaded.

All of it streams in chunks, so a province's journal is checked in constant memory.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from luoshi.tasks import journal
from luoshi.tasks.models import Attachment, Event, Instruction, JournalHead, ProgressReport, Task

CHUNK = 2000


@dataclass(frozen=True)
class Finding:
    where: str  # "task #12, event 3 (id 40)", "progress report #5", "attachment #2"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Report:
    events: int = 0
    tasks: int = 0
    reports: int = 0
    attachments: int = 0
    anchor: str | None = None
    anchor_position: int | None = None  # where the anchor was found (None: not found or not asked)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and (self.anchor is None or self.anchor_position is not None)


def _event_ref(e: Event) -> str:
    return f"task #{e.task_id}, event {e.seq} (id {e.pk}, position {e.position})"


def check_chain(report: Report, limit: int) -> None:
    expected, prev = 1, journal.GENESIS
    broken = False
    for e in Event.objects.order_by("position").iterator(chunk_size=CHUNK):
        report.events += 1
        problem = None
        if e.position != expected:
            problem = f"expected position {expected} in the journal, found {e.position} (events removed?)"
        elif e.prev_hash != prev:
            problem = "does not link to the event before it"
        elif journal.hash_of(e) != e.hash:
            problem = "its content does not match its hash (edited)"
        if problem and len(report.findings) < limit:
            report.findings.append(Finding(_event_ref(e), problem))
        broken = broken or problem is not None
        if report.anchor and e.hash == report.anchor and not broken:
            report.anchor_position = e.position
        expected, prev = e.position + 1, e.hash
    head = JournalHead.objects.filter(pk=1).first()
    last = (expected - 1, prev)
    if head is not None and (head.position, head.hash) != last:
        report.findings.append(Finding(
            "the journal's end", f"the head records event {head.position}, the chain ends at {last[0]} "
                                 "(events removed from the end?)"))


def _tasks() -> Iterator[list[dict]]:
    last = 0
    names = [Task._meta.get_field(n).attname for n in journal.FIELDS]
    while True:
        rows = list(Task.objects.filter(pk__gt=last).order_by("pk").values("pk", "version", *names)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _members(name: str, ids: list[int]) -> dict[int, list[int]]:
    through = getattr(Task, name).through
    target = next(f.attname for f in through._meta.fields if f.is_relation and f.related_model is not Task)
    out: dict[int, list[int]] = defaultdict(list)
    for task_id, member in through.objects.filter(task_id__in=ids).values_list("task_id", target):
        out[task_id].append(member)
    return out


def replay(events: list[Event]) -> tuple[dict, int]:
    """The fields (as the journal writes them) and version that ``events`` of one task arrive at."""
    values: dict = {}
    version = 0
    for e in events:
        for name, change in (e.data.get("changes") or {}).items():
            if isinstance(change, list) and len(change) == 2:
                values[name] = change[1]
        if e.to_state:
            values["state"] = e.to_state
        version = e.version
    return values, version


def _blank(value) -> object:
    return None if value in ("", [], None) else value


def check_tasks(report: Report, limit: int) -> None:
    for rows in _tasks():
        ids = [r["pk"] for r in rows]
        events: dict[int, list[Event]] = defaultdict(list)
        for e in Event.objects.filter(task_id__in=ids).order_by("task_id", "seq").iterator(chunk_size=CHUNK):
            events[e.task_id].append(e)
        sets = {name: _members(name, ids) for name in journal.SETS}
        for row in rows:
            report.tasks += 1
            found = _check_task(row, events.get(row["pk"], []), {n: sorted(sets[n].get(row["pk"], []))
                                                                  for n in journal.SETS})
            for reason in found:
                if len(report.findings) < limit:
                    report.findings.append(Finding(f"task #{row['pk']}", reason))


def _check_task(row: dict, events: list[Event], members: dict[str, list[int]]) -> list[str]:
    if not events:
        return ["has no journal at all (its events were removed)"]
    problems = []
    if [e.seq for e in events] != list(range(1, len(events) + 1)):
        problems.append("its events are not numbered 1, 2, 3, … (events removed)")
    if events[0].action != "created":
        problems.append(f"its journal starts with “{events[0].action}”, not with its creation")
    values, version = replay(events)
    if row["version"] != version:
        problems.append(f"its version is {row['version']}, its journal says {version}")
    for name in journal.FIELDS:
        field = Task._meta.get_field(name)
        stored = journal.plain(row[field.attname])
        said = values.get(name, journal.plain(field.get_default()))  # never changed: as a new task has it
        if _blank(stored) != _blank(said):
            problems.append(f"its {name} is {stored!r}, its journal says {said!r}")
    for name in journal.SETS:
        if _blank(members[name]) != _blank(sorted(values.get(name) or [])):
            problems.append(f"its {name} are {members[name]}, its journal says {values.get(name) or []}")
    return problems


def check_progress(report: Report, limit: int) -> None:
    def add(where: str, reason: str) -> None:
        if len(report.findings) < limit:
            report.findings.append(Finding(where, reason))

    reported = set()
    rows = ProgressReport.objects.select_related("event").order_by("pk").iterator(chunk_size=CHUNK)
    for r in rows:
        report.reports += 1
        e = r.event
        reported.add(e.pk)
        where = f"progress report #{r.pk} of task #{r.task_id}"
        if e.action != "progress" or e.task_id != r.task_id:
            add(where, f"its event {e.pk} is not a progress report of this task")
        elif e.actor_id != r.author_id:
            add(where, "its author differs from its journal's")
        elif (e.data or {}).get("text") != r.text:
            add(where, "its text differs from its journal's (edited)")
        elif (e.data or {}).get("unit") != r.unit_id:
            add(where, "its unit differs from its journal's")
    orphans = Event.objects.filter(action="progress").exclude(pk__in=ProgressReport.objects.values("event_id"))
    for e in orphans.order_by("position")[:limit]:
        add(_event_ref(e), "a progress event whose report is missing (deleted)")


def check_instructions(report: Report, limit: int) -> None:
    """Each leader's instruction (批示) says what its event says, by the same leader."""
    rows = Instruction.objects.select_related("event").order_by("pk").iterator(chunk_size=CHUNK)
    for i in rows:
        e = i.event
        problem = None
        if e.action != "instruction" or e.task_id != i.task_id:
            problem = f"its event {e.pk} is not an instruction on this task"
        elif e.actor_id != i.leader_id or (e.data or {}).get("text") != i.text:
            problem = "its words or its leader differ from its journal's (edited)"
        if problem and len(report.findings) < limit:
            report.findings.append(Finding(f"instruction #{i.pk} of task #{i.task_id}", problem))


def check_attachments(report: Report, limit: int, files: bool = True) -> None:
    rows = Attachment.objects.select_related("report__event").order_by("pk").iterator(chunk_size=CHUNK)
    for a in rows:
        report.attachments += 1
        where = f"attachment #{a.pk} “{a.name}” of task #{a.report.task_id}"
        recorded = {m.get("sha256") for m in (a.report.event.data or {}).get("attachments") or []}
        problem = None
        if a.checksum not in recorded:
            problem = "its recorded hash is not the one its journal holds"
        elif files:
            try:
                digest = hashlib.sha256()
                with a.file.open("rb") as fh:
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(chunk)
                if digest.hexdigest() != a.checksum:
                    problem = "its file's content differs from what was uploaded (replaced)"
            except (FileNotFoundError, OSError):
                problem = "its file is missing"
        if problem and len(report.findings) < limit:
            report.findings.append(Finding(where, problem))


def verify(*, anchor: str | None = None, files: bool = True, limit: int = 50) -> Report:
    """Every check; ``anchor``: a hash printed earlier by `luoshi journal anchor`."""
    report = Report(anchor=anchor.strip().lower() if anchor else None)
    check_chain(report, limit)
    check_tasks(report, limit)
    check_progress(report, limit)
    check_instructions(report, limit)
    check_attachments(report, limit, files)
    return report
