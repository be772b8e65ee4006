"""The journal proves what it can: every kind of tampering below is found by `luoshi journal verify`,
and an anchor taken before a recomputed chain still catches it.

Each tampering is done as someone with write access to the database would: raw UPDATEs and
DELETEs behind the application's back, and, for the cleverest, hashes recomputed with the
published algorithm.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from tests.factories import drive, make_task

from luoshi.tasks import audit, journal, services
from luoshi.tasks.models import Attachment, CoOpinion, Event, JournalHead, ProgressReport, ScanDay, State, Task

# Every stored field of an event that its hash must cover, with a different value to write
# into it (written out here, not read from the code under test).
TAMPER = {
    "position": lambda e: e.position + 1000,
    "task_id": "other_task",
    "seq": lambda e: e.seq + 10,
    "at": lambda e: e.at + dt.timedelta(seconds=1),
    "actor_id": "other_actor",
    "action": lambda e: "close",
    "from_state": lambda e: "draft",
    "to_state": lambda e: "closed",
    "version": lambda e: e.version + 1,
    "data": lambda e: {"reason": "改过的"},
    "prev_hash": lambda e: "f" * 64,
}


def _raw_update(event: Event, **fields) -> None:
    Event.objects.filter(pk=event.pk).update(**fields)


def _findings(**kwargs) -> list[str]:
    return [str(f) for f in audit.verify(**kwargs).findings]


def test_an_intact_journal_links_every_event_to_the_one_written_before(org, capsys) -> None:
    first = drive(org, make_task(org, title="任务一"), State.ACCEPTED)
    second = drive(org, make_task(org, title="任务二"), State.IN_PROGRESS)
    events = list(Event.objects.order_by("position"))
    assert [e.position for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == journal.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    # each task numbers its own events
    assert list(first.events.order_by("seq").values_list("seq", "action")) == [
        (1, "created"), (2, "assign"), (3, "accept")]
    assert list(second.events.order_by("seq").values_list("version", flat=True)) == [1, 2, 3, 4]
    assert _findings() == []
    call_command("journal", "verify")
    assert "journal intact: 7 events, 2 tasks" in capsys.readouterr().out


def test_events_refuse_to_be_changed_or_deleted_through_the_application(org) -> None:
    event = make_task(org).events.get()
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.parametrize("field", list(TAMPER))
def test_every_hashed_field_is_covered(org, field) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    other = make_task(org, title="另一项任务")
    target = task.events.get(seq=3)  # accept: a move whose actor only the hash vouches for
    change = TAMPER[field]
    value = {"other_task": other.pk, "other_actor": org.supervisor.pk}.get(change) if isinstance(change, str) \
        else change(target)
    _raw_update(target, **{field: value})
    found = _findings()
    assert any(f"(id {target.pk}," in f for f in found), found


def test_the_last_event_removed_is_found(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    last = task.events.get(seq=4)
    Event.objects.filter(pk=last.pk)._raw_delete(Event.objects.db)
    found = _findings()
    assert any(f.startswith("the journal's end") for f in found), found
    assert any(f.startswith(f"task #{task.pk}:") and "version" in f for f in found), found


def test_a_task_removed_with_all_its_events_is_found(org) -> None:
    gone = drive(org, make_task(org, title="被删除的任务"), State.ACCEPTED)
    drive(org, make_task(org, title="留下的任务"), State.ASSIGNED)
    Event.objects.filter(task=gone)._raw_delete(Event.objects.db)
    for name in ("co_units", "proposers", "items"):
        getattr(Task, name).through.objects.filter(task=gone)._raw_delete(Event.objects.db)
    CoOpinion.objects.filter(task=gone)._raw_delete(Event.objects.db)
    ScanDay.objects.filter(task=gone)._raw_delete(Event.objects.db)
    Task.objects.filter(pk=gone.pk)._raw_delete(Event.objects.db)
    found = _findings()
    assert any("expected position 1" in f for f in found), found


def _forge(task: Task, action: str, to_state: str) -> Event:
    """Append an event with a correct hash, as someone who knows the algorithm would."""
    head = JournalHead.objects.get(pk=1)
    last = task.events.order_by("-seq").first()
    at = last.at + dt.timedelta(minutes=1)
    fields = dict(position=head.position + 1, task_id=task.pk, seq=last.seq + 1, at=at, actor_id=last.actor_id,
                  action=action, from_state=last.to_state, to_state=to_state, version=last.version + 1, data={},
                  prev_hash=head.hash)
    h = journal.event_hash(**fields)
    event = Event.objects.create(hash=h, **fields)
    JournalHead.objects.filter(pk=1).update(position=fields["position"], hash=h)
    return event


def test_a_forged_event_appended_is_found(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    _forge(task, "close", State.CLOSED)
    found = _findings()
    assert any(f.startswith(f"task #{task.pk}:") and "state" in f for f in found), found


@pytest.mark.parametrize("column,value", [("state", State.CLOSED), ("title", "改过的标题"), ("lead_unit", "unit_c"),
                                          ("due_date", dt.date(2099, 1, 1)), ("version", 99)])
def test_a_task_row_edited_behind_the_journal_is_found(org, column, value) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    if value == "unit_c":
        column, value = "lead_unit_id", org.unit_c.pk
    Task.objects.filter(pk=task.pk).update(**{column: value})
    found = _findings()
    assert any(f.startswith(f"task #{task.pk}:") for f in found), found


def test_co_units_changed_behind_the_journal_are_found(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    task.co_units.add(org.unit_c)
    assert any("co_units" in f for f in _findings())


def _report(org, task: Task, text: str = "已完成80%的工程量。", content: bytes = b"report") -> ProgressReport:
    return services.report_progress(task, org.handler_a, text=text,
                                    files=[SimpleUploadedFile("进度.txt", content, "text/plain")])


def test_a_progress_report_edited_or_removed_is_found(org, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = drive(org, make_task(org), State.IN_PROGRESS)
    report = _report(org, task)
    assert _findings() == []
    ProgressReport.objects.filter(pk=report.pk).update(text="已全部完成。")
    assert any(f"progress report #{report.pk}" in f and "text" in f for f in _findings())


def test_an_attachment_replaced_on_disk_is_found(org, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = drive(org, make_task(org), State.IN_PROGRESS)
    report = _report(org, task, content=b"the real figures")
    attachment = report.attachments.get()
    with open(attachment.file.path, "wb") as fh:
        fh.write(b"other figures")
    found = _findings()
    assert any(f"attachment #{attachment.pk}" in f and "replaced" in f for f in found), found
    assert _findings(files=False) == []  # the files are only read when asked
    Attachment.objects.filter(pk=attachment.pk).update(checksum="0" * 64)
    assert any("recorded hash" in f for f in _findings(files=False))


def _recompute_from(position: int) -> None:
    """Recompute every hash from ``position`` on, and the head: a chain without a visible break."""
    prev = Event.objects.get(position=position - 1).hash if position > 1 else journal.GENESIS
    for e in Event.objects.filter(position__gte=position).order_by("position"):
        Event.objects.filter(pk=e.pk).update(prev_hash=prev)
        e.prev_hash = prev
        prev = journal.hash_of(e)
        Event.objects.filter(pk=e.pk).update(hash=prev)
    JournalHead.objects.filter(pk=1).update(hash=prev)


def test_a_recomputed_chain_is_caught_by_an_anchor_taken_before(org, capsys) -> None:
    drive(org, make_task(org), State.IN_PROGRESS)
    call_command("journal", "anchor")
    out = capsys.readouterr().out
    anchor = re.search(r"anchor ([0-9a-f]{64})\s+events (\d+)", out)
    assert anchor and int(anchor.group(2)) == 4
    # later work goes on, and the anchor still holds
    drive(org, make_task(org, title="后来的任务"), State.ASSIGNED)
    call_command("journal", "verify", "--anchor", anchor.group(1))
    assert "history up to the anchor (event 4) is unchanged" in capsys.readouterr().out
    # someone rewrites a reason given before the anchor and recomputes every hash after it
    edited = Event.objects.get(position=2)
    Event.objects.filter(pk=edited.pk).update(data={"note": "改过的"})
    _recompute_from(2)
    assert audit.verify().ok  # the chain alone cannot tell …
    with pytest.raises(CommandError, match="journal broken"):  # … the anchor can
        call_command("journal", "verify", "--anchor", anchor.group(1))


def test_verify_journal_names_the_first_broken_event(org) -> None:
    drive(org, make_task(org, title="任务一"), State.ACCEPTED)
    second = drive(org, make_task(org, title="任务二"), State.IN_PROGRESS)
    target = second.events.get(seq=3)
    _raw_update(target, data={"reason": "改过的"})
    with pytest.raises(CommandError, match=rf"task #{second.pk}, event 3 \(id {target.pk},"):
        call_command("verify_journal")


def test_a_task_whose_whole_journal_was_removed_is_named(org) -> None:
    task = make_task(org)
    Event.objects.filter(task=task)._raw_delete(Event.objects.db)
    found = _findings()
    assert f"task #{task.pk}: has no journal at all (its events were removed)" in found
