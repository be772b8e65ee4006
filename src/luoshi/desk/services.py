"""What a supervisor does at the review desk: propose, edit, accept, link, merge, split, reject.

Every decision is checked (a supervisor of the source's organisation, a pending proposal,
the version the supervisor saw) and made in one transaction: accepting several proposals
either makes all their tasks or none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import access
from luoshi.desk.models import Proposal
from luoshi.desk.routing import Router
from luoshi.org.models import Unit, units_of
from luoshi.sources.models import Source
from luoshi.tasks import changes, services, workflow
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import DueOrigin, State, Task
from luoshi.tasks.roles import task_roles


def _stale() -> str:
    return _("Someone else changed this proposal after you opened it. Look at it as it is now and try again.")


EDITABLE = ("kind", "headline", "text", "issuer_name", "lead_unit", "due_date", "due_basis")


def suggestions(proposal: Proposal, router: Router, limit: int = 3) -> list:
    """The likeliest lead units for a proposal, with their reasons: from its own words first,
    the words that introduce its list (吕梁市要…一要…二要…) only as a weaker hint."""
    items = sorted(proposal.items.all(), key=lambda i: (i.span_start, i.pk))
    lead_in = items[0].lead_in() if items else ""
    return router.suggest(f"{proposal.headline} {proposal.text}", limit=limit, lead_in=lead_in)


def propose(source: Source, router: Router | None = None) -> list[Proposal]:
    """One pending proposal per item of ``source`` (once: a second call finds them)."""
    existing = list(source.proposals.order_by("span_start", "ordinal", "pk"))
    if existing:
        return existing
    router = router or Router(source.organisation)
    out = []
    with transaction.atomic():
        for n, item in enumerate(source.items.order_by("span_start", "kind", "ordinal"), start=1):
            best = router.suggest(f"{item.headline} {item.text}", limit=1, lead_in=item.lead_in())
            p = Proposal.objects.create(
                source=source, ordinal=n, kind=item.kind, headline=item.headline, text=item.text,
                span_start=item.span_start, span_end=item.span_end, issuer_name=item.issuer,
                proposers=item.proposers, lead_unit=best[0].unit if best else None,
                due_date=item.deadline, due_basis=item.deadline_basis,
            )
            p.items.set([item])
            out.append(p)
    return out


def _check(proposal: Proposal, actor, version: int) -> None:
    if not access.can_review(actor, proposal.source):
        if not access.can_see_source(actor, proposal.source):
            raise WorkflowError(_("No such source."), "not_found")
        raise WorkflowError(_("Only the supervision office reviews sources."), "forbidden")
    if proposal.version != version:
        raise WorkflowError(_stale(), "stale")
    if proposal.status != Proposal.Status.PENDING:
        raise WorkflowError(_("This proposal has already been decided (%(status)s).")
                            % {"status": proposal.get_status_display()}, "state")


def _claim(proposal: Proposal, version: int, **fields) -> None:
    """Apply ``fields`` only if the proposal is still pending at ``version`` (two reviewers race)."""
    n = Proposal.objects.filter(pk=proposal.pk, version=version, status=Proposal.Status.PENDING).update(
        version=F("version") + 1, **fields)
    if n != 1:
        raise WorkflowError(_stale(), "stale")


def edit(proposal: Proposal, actor, *, version: int, co_units: Sequence[Unit] | None = None, **changes) -> Proposal:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _check(proposal, actor, version)
    if "headline" in changes and not str(changes["headline"]).strip():
        raise WorkflowError(_("A task needs a title."), "invalid")
    allowed = {u.pk for u in units_of(proposal.source.organisation)}
    chosen = [changes["lead_unit"]] if changes.get("lead_unit") else []
    if any(u.pk not in allowed for u in [*chosen, *(co_units or [])]):
        raise WorkflowError(_("Choose units of this organisation."), "invalid")
    if "due_date" in changes and "due_basis" not in changes and changes["due_date"] != proposal.due_date:
        changes["due_basis"] = ""  # a typed date no longer comes from the words
    with transaction.atomic():
        _claim(proposal, version, **changes)
        proposal.refresh_from_db()
        if co_units is not None:
            proposal.co_units.set([u for u in co_units if u.pk != proposal.lead_unit_id])
    return proposal


def accept(proposals: Iterable[tuple[Proposal, int]], actor, *, assign: bool = False) -> list[Task]:
    """Make a task of each (proposal, version seen), as a draft or assigned; all or nothing."""
    tasks = []
    with transaction.atomic():
        for proposal, version in proposals:
            _check(proposal, actor, version)
            if assign and proposal.lead_unit_id is None:
                raise WorkflowError(_("“%(title)s” has no lead unit: choose one before assigning.")
                                    % {"title": proposal.headline}, "invalid")
            items = list(proposal.items.all())
            task = services.create_task(
                actor, organisation=proposal.source.organisation, title=proposal.headline,
                description=proposal.text, kind=proposal.kind, lead_unit=proposal.lead_unit,
                co_units=list(proposal.co_units.all()), due_date=proposal.due_date,
                due_origin=DueOrigin.INFERRED if proposal.due_basis else DueOrigin.TYPED,
                due_basis=proposal.due_basis, leader=_leader(proposal), issuer_name=proposal.issuer_name,
                proposers=_proposers(proposal), items=items,
            )
            if assign:
                task = workflow.perform(task, "assign", actor, version=task.version)
            _claim(proposal, version, status=Proposal.Status.ACCEPTED, task=task, decided_by=actor,
                   decided_at=timezone.now())
            tasks.append(task)
    return tasks


def _leader(proposal: Proposal):
    """The leader user whose name issued the item, if the organisation has one."""
    if not proposal.issuer_name:
        return None
    from luoshi.org.models import Role, User

    return User.objects.filter(display_name=proposal.issuer_name, memberships__role=Role.LEADER).first()


def _proposers(proposal: Proposal) -> list:
    if not proposal.proposers:
        return []
    from luoshi.org.models import Role, User

    return list(User.objects.filter(display_name__in=proposal.proposers, memberships__role=Role.PROPOSER)
                .distinct())


def reject(proposal: Proposal, actor, *, version: int, reason: str) -> Proposal:
    _check(proposal, actor, version)
    if not reason.strip():
        raise WorkflowError(_("Say why this is not a task."), "invalid")
    _claim(proposal, version, status=Proposal.Status.REJECTED, reason=reason.strip(), decided_by=actor,
           decided_at=timezone.now())
    proposal.refresh_from_db()
    return proposal


def reconsider(proposal: Proposal, actor, *, version: int) -> Proposal:
    """Take a rejection back: the proposal is pending again."""
    if not access.can_review(actor, proposal.source):
        raise WorkflowError(_("Only the supervision office reviews sources."), "forbidden")
    n = Proposal.objects.filter(pk=proposal.pk, version=version, status=Proposal.Status.REJECTED).update(
        version=F("version") + 1, status=Proposal.Status.PENDING, reason="", decided_by=None, decided_at=None)
    if n != 1:
        raise WorkflowError(_("Only a rejected proposal can be reconsidered, and only as you saw it."), "stale")
    proposal.refresh_from_db()
    return proposal


def link(proposal: Proposal, task: Task, actor, *, version: int) -> Task:
    """The item repeats an open task (多头交办): add this source to that task instead of a new one."""
    _check(proposal, actor, version)
    if task.organisation_id != proposal.source.organisation_id or not task_roles(actor, task):
        raise WorkflowError(_("No such task."), "not_found")
    if task.state == State.CLOSED:
        raise WorkflowError(_("A closed task cannot take a new source; reopen it first."), "state")
    with transaction.atomic():
        current = changes.locked(task.pk)
        items = list(proposal.items.all())
        members = sorted({*current.items.values_list("pk", flat=True), *(i.pk for i in items)})
        changes.write(current, actor, "source_linked", sets={"items": members},
                      data={"source": proposal.source_id, "text": proposal.text[:500]})
        _claim(proposal, version, status=Proposal.Status.LINKED, task=current, decided_by=actor,
               decided_at=timezone.now())
    return Task.objects.get(pk=task.pk)


def merge(proposals: Sequence[tuple[Proposal, int]], actor) -> Proposal:
    """Several items that are one piece of work: the first absorbs the others."""
    if len(proposals) < 2:
        raise WorkflowError(_("Choose at least two proposals to merge."), "invalid")
    sources = {p.source_id for p, _v in proposals}
    if len(sources) != 1:
        raise WorkflowError(_("Only proposals of one source can be merged."), "invalid")
    ordered = sorted(proposals, key=lambda pv: (pv[0].span_start, pv[0].ordinal))
    (head, head_version), rest = ordered[0], ordered[1:]
    with transaction.atomic():
        for p, v in ordered:
            _check(p, actor, v)
        text = "\n".join(p.text for p, _v in ordered)
        dues = [p.due_date for p, _v in ordered if p.due_date]
        earliest = min(dues) if dues else None
        basis = next((p.due_basis for p, _v in ordered if p.due_date == earliest), "") if earliest else ""
        _claim(head, head_version, text=text, span_start=min(p.span_start for p, _v in ordered),
               span_end=max(p.span_end for p, _v in ordered), due_date=earliest, due_basis=basis)
        for p, v in rest:
            head.items.add(*p.items.all())
            head.co_units.add(*p.co_units.all())
            _claim(p, v, status=Proposal.Status.MERGED, merged_into=head, decided_by=actor,
                   decided_at=timezone.now())
    head.refresh_from_db()
    return head


def split(proposal: Proposal, actor, *, version: int, at: int) -> tuple[Proposal, Proposal]:
    """Two pieces of work in one item: cut its text at ``at`` (the second part is a new proposal)."""
    _check(proposal, actor, version)
    first, second = proposal.text[:at].strip(), proposal.text[at:].strip()
    if not first or not second:
        raise WorkflowError(_("Cut inside the text, so that both parts keep some words."), "invalid")
    with transaction.atomic():
        _claim(proposal, version, text=first, headline=_head(first, proposal.headline))
        other = Proposal.objects.create(
            source=proposal.source, ordinal=proposal.ordinal, kind=proposal.kind, headline=_head(second, ""),
            text=second, span_start=proposal.span_start, span_end=proposal.span_end,
            issuer_name=proposal.issuer_name, proposers=proposal.proposers, lead_unit=proposal.lead_unit,
            due_date=proposal.due_date, due_basis=proposal.due_basis,
        )
        other.items.set(proposal.items.all())
        other.co_units.set(proposal.co_units.all())
    proposal.refresh_from_db()
    return proposal, other


def _head(text: str, fallback: str) -> str:
    from luoshi.text.extract.directives import headline, strip_ordinal

    return (headline(strip_ordinal(text)) or fallback or text[:30])[:255]


def item_states(source: Source) -> dict[int, str]:
    """Where each item stands on the desk: pending, done (a task has it) or rejected."""
    states: dict[int, set[str]] = {}
    for item_id, status in Proposal.items.through.objects.filter(proposal__source=source).values_list(
            "item_id", "proposal__status"):
        states.setdefault(item_id, set()).add(status)
    out = {}
    for item_id, st in states.items():
        if Proposal.Status.PENDING in st:
            out[item_id] = "pending"
        elif st & {Proposal.Status.ACCEPTED, Proposal.Status.LINKED}:
            out[item_id] = "done"
        elif Proposal.Status.REJECTED in st:
            out[item_id] = "rejected"
    return out


@dataclass
class Edit:
    """What a supervisor typed into one card: the changes to save, as seen at ``version``."""

    proposal: Proposal
    version: int
    changes: dict
    co_units: list[Unit] | None = None


@dataclass
class Outcome:
    tasks: list[Task] = field(default_factory=list)
    saved: list[Proposal] = field(default_factory=list)  # proposals whose typed changes were saved
    head: Proposal | None = None  # what a merge made


DECISIONS = ("save", "accept", "take", "reject", "split", "link", "merge", "reconsider")


def act(actor, decision: str, *, edits: Sequence[Edit] = (), chosen: Sequence[tuple[Proposal, int]] = (),
        assign: bool = False, unit: Unit | None = None, reason: str = "", at: int | None = None,
        task: Task | None = None) -> Outcome:
    """Save every edit on screen, then take ``decision`` on the ``chosen`` (proposal, version seen):
    all in one transaction, so a refused decision saves nothing and no typed change is lost to a
    decision made on the old values. A chosen proposal that was edited is decided as edited."""
    if decision not in DECISIONS:
        raise WorkflowError(_("Unknown action."), "invalid")
    if decision == "take":
        if unit is None or len(chosen) != 1:
            raise WorkflowError(_("Choose the lead unit from the list."), "invalid")
        proposal, version = chosen[0]
        mine = next((e for e in edits if e.proposal.pk == proposal.pk), None)
        if mine is None:
            edits = [*edits, Edit(proposal, version, {"lead_unit": unit})]
        else:
            mine.changes["lead_unit"] = unit
    out = Outcome()
    with transaction.atomic():
        versions = {p.pk: v for p, v in chosen}
        fresh: dict[int, Proposal] = {}
        for e in edits:
            if not e.changes and e.co_units is None:
                continue
            saved = edit(e.proposal, actor, version=e.version, co_units=e.co_units, **e.changes)
            versions[saved.pk] = saved.version
            fresh[saved.pk] = saved
            out.saved.append(saved)
        now = [(fresh.get(p.pk, p), versions[p.pk]) for p, _v in chosen]
        if decision == "accept":
            out.tasks = accept(now, actor, assign=assign)
        elif decision == "merge":
            out.head = merge(now, actor)
        elif decision in ("reject", "split", "link", "reconsider"):
            if len(now) != 1:
                raise WorkflowError(_("Choose one proposal."), "invalid")
            p, v = now[0]
            if decision == "reject":
                reject(p, actor, version=v, reason=reason)
            elif decision == "split":
                if at is None:
                    raise WorkflowError(_("Choose where to split the text."), "invalid")
                split(p, actor, version=v, at=at)
            elif decision == "link":
                if task is None:
                    raise WorkflowError(_("No such task."), "not_found")
                out.tasks = [link(p, task, actor, version=v)]
            else:
                reconsider(p, actor, version=v)
    return out


def undecided(source: Source) -> int:
    return source.proposals.filter(status=Proposal.Status.PENDING).count()
