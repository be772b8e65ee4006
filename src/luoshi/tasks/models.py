"""Tasks (督办事项), their journal of events, progress reports and attachments.

A task's state is never assigned directly: `luoshi.tasks.workflow.perform` moves it, checks
the role, the state and the version, and writes the event, all in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from luoshi.sources.models import WorkKind


class State(models.TextChoices):
    DRAFT = "draft", _("Draft (待交办)")
    ASSIGNED = "assigned", _("Assigned (已交办)")
    REASSIGNMENT_REQUESTED = "reassignment_requested", _("Change of unit requested (申请调整)")
    ACCEPTED = "accepted", _("Accepted (已签收)")
    IN_PROGRESS = "in_progress", _("In progress (办理中)")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested (申请延期)")
    UNIT_REVIEW = "unit_review", _("Awaiting unit head (单位审核)")
    SUBMITTED = "submitted", _("Submitted for closing (申请办结)")
    RETURNED = "returned", _("Returned (退回)")
    CLOSED = "closed", _("Closed (已办结)")
    REOPENED = "reopened", _("Reopened (重新办理)")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal (一般)")
    HIGH = "high", _("High (重要)")
    URGENT = "urgent", _("Urgent (紧急)")


class DueOrigin(models.TextChoices):
    TYPED = "typed", _("typed")
    INFERRED = "inferred", _("inferred from the words")
    EXTENDED = "extended", _("extended")


class Evaluation(models.TextChoices):
    """The supervision office's evaluation of a closed task (办结评价)."""

    EXCELLENT = "excellent", _("Excellent (优秀)")
    GOOD = "good", _("Good (良好)")
    FAIR = "fair", _("Fair (一般)")
    POOR = "poor", _("Poor (较差)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    BASICALLY = "basically", _("Basically satisfied (基本满意)")
    UNSATISFIED = "unsatisfied", _("Unsatisfied (不满意)")


# a task without a due date sorts after every other (the lists' and ledgers' sort key)
FAR_DUE = dt.date(9999, 12, 31)
NEVER_CLOSED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # sorts a closed task without a closing time last
# a task's `ScanDay` once it changed: the next daily scan reads it, whatever day it runs for
SCAN_AT_ONCE = dt.date(1, 1, 1)


class Task(models.Model):
    Kind = WorkKind

    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="tracked_tasks",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DIRECTIVE)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    # indexed by task_lead_state_due (lead unit first): an index of it alone only slows the writes
    lead_unit = models.ForeignKey("org.Unit", models.PROTECT, null=True, blank=True, related_name="led_tasks",
                                  verbose_name=_("lead unit"), db_index=False)
    co_units = models.ManyToManyField("org.Unit", blank=True, related_name="co_tasks", verbose_name=_("co-units"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                              related_name="owned_tasks", verbose_name=_("owner"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                               related_name="issued_tasks", verbose_name=_("leader"))
    issuer_name = models.CharField(_("issued by"), max_length=50, blank=True)
    proposers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="proposed_tasks",
                                       verbose_name=_("proposers"))
    items = models.ManyToManyField("sources.Item", blank=True, related_name="tasks", verbose_name=_("items"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_origin = models.CharField(_("due date from"), max_length=10, choices=DueOrigin.choices,
                                  default=DueOrigin.TYPED)
    due_basis = models.CharField(_("due date words"), max_length=50, blank=True)
    original_due_date = models.DateField(_("first due date"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    target = models.TextField(_("target (目标)"), blank=True, help_text=_("What counts as done: a figure, a result."))
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.DRAFT,
                             editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    # what the scan and the supervision office add; none of it conflicts with a person's move
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    urge_count = models.PositiveIntegerField(_("times urged"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    behind_schedule = models.BooleanField(_("behind schedule"), default=False)
    overdue_for = models.DateField(_("overdue since the due date"), null=True, blank=True)
    receipt_late = models.BooleanField(_("not signed for in time"), default=False)
    # recorded when the move is made, so that a later change of dates never rewrites a figure
    signed_on_time = models.BooleanField(_("signed for on time"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    evaluation = models.CharField(_("evaluation"), max_length=10, choices=Evaluation.choices, blank=True)
    target_met = models.BooleanField(_("target met"), null=True, blank=True)
    # a suggestion's handling: who proposed it first (the others co-signed), and the round of
    # handling (办理轮次) — a proposer's 不满意 starts another
    # passed down (转办): the lead unit of the parent hands a part to one of its own units
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="subtasks",
                               verbose_name=_("part of"))
    allow_open_subtasks = models.BooleanField(_("may be submitted with parts still open"), default=False)
    lead_proposer = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("lead proposer"))
    round = models.PositiveSmallIntegerField(_("round of handling"), default=1)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # an organisation's tasks by state, soonest due first: the office's to-do list shows the
            # first five of its drafts, requests and submissions (at a million tasks each walked
            # the due date's index, 11 ms a kind); its counts read the same index alone
            models.Index(fields=["organisation", "state", "due_date", "id"], name="task_org_state_due"),
            # a unit's tasks by state, and its overdue ones (the home page's count) from the index
            # alone: 141 -> 2 ms for the busiest unit at a million tasks
            models.Index(fields=["lead_unit", "state", "due_date"], name="task_lead_state_due"),
            models.Index(fields=["due_date"]),
            # the task list's and the ledgers' order (soonest due first, then id): a page is read
            # walking it from the cursor, not sorting every visible task (`luoshi.tasks.keyset`)
            models.Index(Coalesce(F("due_date"), Value(FAR_DUE)), F("id"), name="task_due_key"),
            # the results ledger's order (the latest closings first): its page walks this index from
            # the cursor instead of sorting every closed task (1.1 s -> 1.5 ms at a million)
            models.Index(F("organisation"), F("state"), Coalesce(F("closed_at"), Value(NEVER_CLOSED)).desc(),
                         F("id").desc(), name="task_closed_key"),
            # the dashboard's closings week by week: a range of closed_at read from the index alone
            models.Index(fields=["organisation", "state", "closed_at", "closed_on_time"], name="task_closed_week"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class Event(models.Model):
    """One entry of the journal. Append-only.

    Every event links to the event written just before it, whatever its task (`position`
    counts them all, `prev_hash` is that event's hash), so that one chain holds the whole
    history: removing, editing or reordering any event breaks it. `seq` numbers a task's own
    events; `version` is the task's version once the event was written.
    """

    # indexed by event_seq_unique (task, seq): a second index of the task alone only slows the writes
    task = models.ForeignKey(Task, models.PROTECT, related_name="events", verbose_name=_("task"), db_index=False)
    seq = models.PositiveIntegerField(_("number"))
    position = models.BigIntegerField(_("position in the journal"), unique=True)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    version = models.PositiveIntegerField(_("task version"))
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["task", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["task", "seq"], name="event_seq_unique"),
            # no index of the hash: nothing looks an event up by it (an anchor names a position),
            # and one over random 64-character keys grew to a third of the table, written at a
            # random place by every event (`luoshi.tasks.audit` recomputes the chain instead)
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.task_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("the journal is append-only: an event cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("the journal is append-only: an event cannot be deleted")


class JournalHead(models.Model):
    """The end of the journal's chain: one row, locked by every append so that events are
    written one after another, and compared with the last event by `luoshi journal verify`."""

    position = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("journal head")


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, models.PROTECT, related_name="progress_reports", verbose_name=_("task"))
    event = models.OneToOneField(Event, models.PROTECT, related_name="progress", verbose_name=_("event"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    unit = models.ForeignKey("org.Unit", models.PROTECT, null=True, related_name="+", verbose_name=_("unit"))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("done (%)"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["task", "created_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")


class Instruction(models.Model):
    """A leader's instruction (批示) on a task, which the lead unit acknowledges (journaled both)."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="instructions", verbose_name=_("task"))
    event = models.OneToOneField(Event, models.PROTECT, related_name="instruction", verbose_name=_("event"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    text = models.TextField(_("instruction"))
    at = models.DateTimeField(_("at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["task", "acknowledged_at"])]
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")


class ReplyClass(models.TextChoices):
    """The class of a reply to a suggestion, as the rules for handling deputies' suggestions define it."""

    A = "A", _("A: solved or adopted (已解决或采纳)")
    B = "B", _("B: being solved (正在解决)")
    C = "C", _("C: planned (列入计划逐步解决)")
    D = "D", _("D: kept for reference (留作参考)")


class Reply(models.Model):
    """The lead unit's written reply to a suggestion's proposer(s), in a round of handling.

    draft → countersign (each co-unit signs, 会签) → review (the supervision office closes the
    task: the reply is published) → published (the proposer sees it and rates it). A B or C
    reply promises a follow-up reply by a date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COUNTERSIGN = "countersign", _("Awaiting co-units' sign-off (会签)")
        REVIEW = "review", _("Awaiting the supervision office's review")
        PUBLISHED = "published", _("Sent to the proposer")

    task = models.ForeignKey(Task, models.PROTECT, related_name="replies", verbose_name=_("task"))
    round = models.PositiveSmallIntegerField(_("round of handling"), default=1)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("to"))  # None: to every proposer of the task
    follow_up = models.BooleanField(_("follow-up reply"), default=False)
    category = models.CharField(_("class"), max_length=1, choices=ReplyClass.choices)
    text = models.TextField(_("reply"))
    reason = models.TextField(_("why kept for reference"), blank=True)
    follow_up_date = models.DateField(_("follow-up reply by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("what the co-units or the office said"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("drafted by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["task", "round", "pk"]
        indexes = [models.Index(fields=["task", "round", "status"])]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")


class Countersign(models.Model):
    """A co-unit's sign-off (会签) of a reply: agreed, or not with what it would change."""

    reply = models.ForeignKey(Reply, models.CASCADE, related_name="countersigns", verbose_name=_("reply"))
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("co-unit"))
    agreed = models.BooleanField(_("agreed"))
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("countersign")
        verbose_name_plural = _("countersigns")


class Rating(models.Model):
    """A proposer's rating of the reply of one round, with a comment (one form, once a round)."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="ratings", verbose_name=_("task"))
    round = models.PositiveSmallIntegerField(_("round of handling"))
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                 verbose_name=_("proposer"))
    value = models.CharField(_("rating"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "round", "proposer"], name="rating_once_a_round")]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")


class CoOpinion(models.Model):
    """A co-unit's own duty on a task: its written opinion (协办意见) to the lead unit by its own
    date, counted on its own (on time or not, recorded when it is given)."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="co_opinions", verbose_name=_("task"))
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name=_("co-unit"))
    due_date = models.DateField(_("due date"))
    text = models.TextField(_("opinion"), blank=True)
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("given by"))
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    overdue_marked = models.BooleanField(default=False)  # the scan told the unit once

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="co_opinion_once")]
        indexes = [models.Index(fields=["unit", "given_at"]), models.Index(fields=["due_date", "given_at"])]
        verbose_name = _("co-unit opinion")
        verbose_name_plural = _("co-unit opinions")


class Milestone(models.Model):
    """A step of a task with its own date (节点), done by the lead unit; both journaled."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="milestones", verbose_name=_("task"))
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_on_time = models.BooleanField(_("done on time"), null=True, blank=True)

    class Meta:
        ordering = ["task", "due_date", "pk"]
        indexes = [models.Index(fields=["due_date", "done_at"])]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ScanMark(models.Model):
    """That the scan did something once for a task (a reminder for a due date and offset, a
    warning for a silence that began on a day), so that running it again does not repeat it."""

    # indexed by scan_mark_once (task first): an index of it alone is written by every mark for nothing
    task = models.ForeignKey(Task, models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "kind", "key"], name="scan_mark_once")]


class ScanDay(models.Model):
    """The first day the daily scan may have something to do for a task (`luoshi.tasks.wake`):
    SCAN_AT_ONCE once the task changed, None while nothing lies ahead (closed, or open with no date).
    A row of its own, not a column of the task: the scan moves tens of thousands of days a day, and
    a change of an indexed column of the task rewrites an entry in each of its fifteen indexes
    (0.11 ms a row against 0.02 here)."""

    task = models.OneToOneField(Task, models.CASCADE, primary_key=True, related_name="scan_day")
    organisation = models.ForeignKey("org.Unit", models.DO_NOTHING, db_constraint=False, db_index=False,
                                     related_name="+")
    day = models.DateField(null=True)
    # counts the changes: the scan writes a day only where none came since it read the task
    n = models.PositiveIntegerField(default=0)

    class Meta:
        # the scan's read: an organisation's days that have come
        indexes = [models.Index(fields=["organisation", "day"], condition=Q(day__isnull=False), name="scan_day_come")]


class ScanBasis(models.Model):
    """The rules an organisation's tasks' scan days were worked out by (`luoshi.tasks.wake.basis`):
    the reminder, escalation and silence limits, the days to sign for, the working-day calendar.
    When they differ from the scan's own, it reads every open task again and works out each day."""

    organisation = models.OneToOneField("org.Unit", models.CASCADE, primary_key=True, related_name="+")
    rules = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now=True)


class TallyDay(models.Model):
    """The day (and the limits of the light rule) an organisation's `Tally` counts lights as of:
    set by the daily scan's recount, read under a shared lock by every write that adds to it."""

    organisation = models.OneToOneField("org.Unit", models.CASCADE, primary_key=True, related_name="+")
    day = models.DateField(null=True)  # None: never counted, or being counted for the first time
    warn_until = models.DateField(null=True)
    quiet_since = models.DateTimeField(null=True)


class Tally(models.Model):
    """Tasks counted by (lead unit, state, light, week closed), and tasks co-handled by each
    co-unit, kept for the dashboard and the responsibility ledger (`luoshi.tasks.tally`): the
    recount's rows, then one row of +1 and one of -1 for each task a write moves from one group to
    another, summed when read. Never a figure of its own: always equal to the count."""

    organisation = models.ForeignKey("org.Unit", models.CASCADE, related_name="+")
    lead_unit = models.ForeignKey("org.Unit", models.DO_NOTHING, null=True, db_constraint=False, related_name="+")
    # a co-unit's row: the tasks it co-handles, by state "draft" or "" (any other), nothing else
    co_unit = models.ForeignKey("org.Unit", models.DO_NOTHING, null=True, db_constraint=False, related_name="+")
    state = models.CharField(max_length=32)
    light = models.CharField(max_length=8)
    week = models.DateField(null=True)  # closed tasks: the Monday (local) of the week they were closed
    n = models.IntegerField()
    closed_on_time = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)  # signed for (签收), on time or not
    signed_on_time = models.IntegerField(default=0)
    urged = models.IntegerField(default=0)  # urged (催办) at least once
    receipt_late = models.IntegerField(default=0)  # not signed for in time


class TallyLink(models.Model):
    """Units that share tasks: for each task handed out (not a draft), a row for every ordered pair
    of its units (lead unit and co-units, each with itself too), kept as the tally is (the
    recount's rows, then rows of -1 and +1 as tasks move) and summed when read: which units a
    unit's people may pick in a filter, read from the pairs of their own units (`tally.linked`)
    rather than probed unit by unit over every task."""

    organisation = models.ForeignKey("org.Unit", models.CASCADE, related_name="+")  # the task's
    unit = models.ForeignKey("org.Unit", models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    other = models.ForeignKey("org.Unit", models.DO_NOTHING, db_constraint=False, db_index=False,
                              related_name="+")
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit", "other"], name="tally_link_unit")]


class Attachment(models.Model):
    report = models.ForeignKey(ProgressReport, models.PROTECT, related_name="attachments",
                               verbose_name=_("progress report"))
    file = models.FileField(upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
