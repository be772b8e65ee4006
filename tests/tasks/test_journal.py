"""The journal: append-only, chained by hash, and the command that finds the first break."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from tests.factories import drive, make_task

from luoshi.tasks import journal
from luoshi.tasks.models import Event, State


def test_each_event_links_to_the_one_before(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    events = list(task.events.order_by("seq"))
    assert [e.action for e in events] == ["created", "assign", "accept", "start"]
    assert events[0].prev_hash == journal.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert journal.verify() is None


def test_events_refuse_to_be_changed_or_deleted(org) -> None:
    event = make_task(org).events.get()
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_an_edited_event_is_found_and_named(org, capsys) -> None:
    first = drive(org, make_task(org, title="任务一"), State.ACCEPTED)
    second = drive(org, make_task(org, title="任务二"), State.IN_PROGRESS)
    call_command("verify_journal")
    assert "journal intact" in capsys.readouterr().out
    # someone edits history behind the application's back (a direct UPDATE)
    target = second.events.get(seq=3)
    Event.objects.filter(pk=target.pk).update(data={"reason": "改过的"})
    broken = journal.verify()
    assert (broken.task_id, broken.seq, broken.event_id) == (second.pk, 3, target.pk)
    with pytest.raises(CommandError, match=rf"task #{second.pk}, event 3 \(id {target.pk}\)"):
        call_command("verify_journal")
    assert first.events.count() == 3


def test_a_removed_event_breaks_the_chain(org) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    Event.objects.filter(task=task, seq=2)._raw_delete(Event.objects.db)
    broken = journal.verify()
    assert (broken.task_id, broken.seq) == (task.pk, 3)


def test_a_task_whose_whole_journal_was_removed_is_named(org) -> None:
    task = make_task(org)
    Event.objects.filter(task=task)._raw_delete(Event.objects.db)
    with pytest.raises(CommandError, match=rf"task #{task.pk} has no journal"):
        call_command("verify_journal")
