"""The review desk of a source, and the routing rules page. Thin: every decision is one
`desk.services.act` call, whose `WorkflowError` becomes the page's status.

The desk shows the source's text beside one card per proposal, all in one form: whatever
button is pressed — a card's accept, reject or split, a suggested unit, or a bulk action on
the ticked cards — every card whose fields were changed is saved first, in the same
transaction as the decision. A decision is therefore always made on what the screen shows,
and no typed change is lost to it; if any card changed meanwhile (someone else saved it),
nothing is done and the desk comes back with everything as typed and the card's news shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.desk import services as desk
from luoshi.desk.forms import ProposalForm, RoutingRuleForm
from luoshi.desk.models import Proposal, RoutingRule
from luoshi.desk.routing import Duplicates, Router
from luoshi.forms import parse_id
from luoshi.org.models import units_of
from luoshi.sources.display import highlighted, legend, source_meta
from luoshi.sources.models import Source
from luoshi.tasks.errors import WorkflowError
from luoshi.tasks.models import Task

CARD_ACTIONS = ("save", "accept", "take", "reject", "split", "link", "reconsider")


def _desk_url(source: Source, proposal: int | None = None) -> str:
    url = reverse("desk:desk", args=[source.pk])
    return f"{url}#p-{proposal}" if proposal else url


def _reviewable(request: HttpRequest, pk: int) -> Source:
    """The source, if the user reviews it: 404 if they may not see it, 403 if they only see it."""
    source = access.get_source_or_404(request.user, pk)
    if not access.can_review(request.user, source):
        raise PermissionDenied
    return source


# ---------------------------------------------------------------- reading what was posted


@dataclass
class Posted:
    """The desk as the supervisor sent it: a bound form per pending card that was on the screen."""

    forms: dict[int, ProposalForm] = field(default_factory=dict)
    gone: dict[int, str] = field(default_factory=dict)  # decided meanwhile: the words typed into it

    def edits(self) -> list[desk.Edit]:
        """The cards the supervisor changed (against what the screen showed them), as edits."""
        out = []
        for form in self.forms.values():
            if not form.edited():
                continue
            changes, co_units = form.changes()
            out.append(desk.Edit(form.proposal, form.cleaned_data["version"], changes, co_units))
        return out

    def invalid(self) -> list[ProposalForm]:
        return [f for f in self.forms.values() if f.edited(check=False) and not f.is_valid()]


def _posted(source: Source, units, data: QueryDict) -> Posted:
    out = Posted()
    for p in source.proposals.select_related("lead_unit").prefetch_related("co_units", "items"):
        prefix = f"p{p.pk}"
        if f"{prefix}-version" not in data:
            continue
        if p.status == Proposal.Status.PENDING:
            out.forms[p.pk] = ProposalForm(data, proposal=p, units=units)
        else:
            typed = [data.get(f"{prefix}-{k}", "").strip() for k in ("headline", "text", "reason")]
            changed = [t for t, k in zip(typed, ("headline", "text"), strict=False) if t and t != getattr(p, k)]
            if changed or typed[2]:
                out.gone[p.pk] = "\n".join([*changed, typed[2]]).strip()
    return out


# ---------------------------------------------------------------- the desk


def _cards(source: Source, units, *, data: QueryDict | None, failed: int | None, action: str) -> list[dict]:
    org = source.organisation
    router, dups = Router(org), Duplicates(org)
    unit_ids = {u.pk for u in units}
    kinds = dict(Task.Kind.choices)
    proposals = (source.proposals.select_related("lead_unit", "task", "task__lead_unit", "merged_into",
                                                 "decided_by")
                 .prefetch_related("items", "co_units").order_by("span_start", "ordinal", "pk"))
    cards = []
    for n, p in enumerate(proposals, start=1):
        items = sorted(p.items.all(), key=lambda i: (i.span_start, i.pk))
        for item in items:
            item.source = source
        card = {"p": p, "n": n, "items": items, "kind": kinds.get(p.kind, p.kind),
                "item_ids": " ".join(str(i.pk) for i in items),
                "failed": failed == p.pk, "open": action if failed == p.pk else ""}
        if p.status == Proposal.Status.PENDING:
            bound = data if data is not None and f"p{p.pk}-version" in data else None
            card["form"] = ProposalForm(bound, proposal=p, units=units)
            # a unit outside the organisation cannot lead its task: not offered
            card["suggestions"] = [s for s in desk.suggestions(p, router) if s.unit.pk in unit_ids]
            card["duplicates"] = [(t, round(sim * 100)) for t, sim in dups.of(p.text)]
        cards.append(card)
    return cards


def _numbers(cards: list[dict]) -> dict[int, str]:
    """Item → the numbers of the cards that hold it (two after a split), for the text."""
    out: dict[int, list[str]] = {}
    for card in cards:
        if card["p"].status != Proposal.Status.MERGED:
            for item in card["items"]:
                out.setdefault(item.pk, []).append(str(card["n"]))
    return {k: "/".join(v) for k, v in out.items()}


def _render_desk(request: HttpRequest, source: Source, *, status: int = 200, failed: int | None = None,
                 data: QueryDict | None = None, action: str = "", error: str = "",
                 selected: set[int] | frozenset[int] = frozenset(), changed: list | None = None,
                 lost: str = "") -> HttpResponse:
    units = units_of(source.organisation)
    cards = _cards(source, units, data=data, failed=failed, action=action)
    items = list(source.items.order_by("span_start", "kind", "ordinal"))
    counts = {row["status"]: row["n"] for row in source.proposals.values("status").annotate(n=Count("pk"))}
    show = request.GET.get("show", "")
    if show not in ("pending", "decided"):
        show = ""
    return render(request, "desk/desk.html", {
        "source": source, "meta": source_meta(source), "cards": cards, "counts": counts,
        "pending": counts.get(Proposal.Status.PENDING, 0), "decided": sum(counts.values())
        - counts.get(Proposal.Status.PENDING, 0), "total": sum(counts.values()), "show": show,
        "doc": highlighted(source, items, desk.item_states(source), _numbers(cards)),
        "legend": legend(source, items),
        "error": error, "failed": failed, "selected": selected, "changed": changed or [], "lost": lost,
        "nav": "sources", "page_url": _desk_url(source),
    }, status=status)


@login_required
def desk_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_desk(request, _reviewable(request, pk))


def _changed_meanwhile(form: ProposalForm, now: Proposal) -> list[tuple[str, str]]:
    """Fields whose saved value now differs from what the user typed: (label, saved value)."""
    if not form.is_valid():
        return []
    out = []
    for name in ("headline", "text", "kind", "issuer_name", "lead_unit", "due_date", "due_basis"):
        typed, saved = form.cleaned_data.get(name), getattr(now, name)
        if (typed or None) != (saved or None):
            shown = dict(form.fields["kind"].choices).get(saved, saved) if name == "kind" else saved
            out.append((form.fields[name].label, shown or "—"))
    return out


def _rebound(data: QueryDict, posted: Posted) -> QueryDict:
    """The POST to show again, each card carrying the version now saved: sending it again is a
    deliberate act on what the refusal showed."""
    data = data.copy()
    fresh = dict(Proposal.objects.filter(pk__in=list(posted.forms)).values_list("pk", "version"))
    for pk, version in fresh.items():
        data[f"p{pk}-version"] = str(version)
    return data


def _refused(request: HttpRequest, source: Source, posted: Posted, err: WorkflowError, *, failed: int | None,
             action: str, selected: set[int]) -> HttpResponse:
    changed: list = []
    lost = "\n".join(posted.gone.values())
    if err.code == "stale":
        # which card moved: the first whose saved version is not the one the screen held
        fresh = dict(Proposal.objects.filter(pk__in=list(posted.forms)).values_list("pk", "version"))
        for pk, form in posted.forms.items():
            seen = form.data.get(f"p{pk}-version")
            if str(fresh.get(pk)) != seen and form.edited(check=False):
                failed = pk
                changed = _changed_meanwhile(form, Proposal.objects.select_related("lead_unit").get(pk=pk))
                break
    now = Proposal.objects.filter(pk=failed).first() if failed else None
    if now is not None and now.status != Proposal.Status.PENDING and failed in posted.forms:
        form = posted.forms[failed]
        lost = "\n".join(filter(None, [lost, *(str(form.data.get(f"p{failed}-{k}", "")).strip()
                                               for k in ("reason", "headline", "text"))]))
    return _render_desk(request, source, status=err.http_status, failed=failed, action=action, error=str(err.message),
                        data=_rebound(request.POST, posted), selected=selected, changed=changed, lost=lost)


def _task_link(task: Task) -> str:
    return format_html('<a href="{}">#{} {}</a>', reverse("tasks:detail", args=[task.pk]), task.pk, task.title)


def _also_saved(outcome: desk.Outcome, decided: set[int]) -> str:
    others = [p for p in outcome.saved if p.pk not in decided]
    if not others:
        return ""
    return format_html(_(" Your changes to {titles} were saved too."),
                       titles=format_html_join("、", "“{}”", ((p.headline,) for p in others)))


def _chosen(source: Source, values: list[str]) -> dict[int, int]:
    """Ticked cards as {proposal: version seen}; a malformed value is refused, not guessed."""
    chosen: dict[int, int] = {}
    for value in values:
        pk_, _sep, version = value.partition(":")
        pk, ver = parse_id(pk_), parse_id(version)
        if pk is None or ver is None:
            raise WorkflowError(_("No such proposal."), "not_found")
        chosen[pk] = ver
    return chosen


def _run(request: HttpRequest, source: Source, decision: str, chosen: dict[int, int], *, failed: int | None,
         action: str, **inputs) -> HttpResponse:
    """Save every card changed on screen, take the decision, and answer with a page."""
    units = units_of(source.organisation)
    posted = _posted(source, units, request.POST)
    selected = set(chosen) if action == "bulk" else set()
    invalid = posted.invalid()
    if invalid:
        first = invalid[0].proposal.pk
        err = WorkflowError(_("Please correct the marked fields."), "invalid")
        return _refused(request, source, posted, err, failed=first, action=action, selected=selected)
    try:
        found = {p.pk: p for p in source.proposals.filter(pk__in=list(chosen))}
        if len(found) != len(chosen):
            raise WorkflowError(_("No such proposal."), "not_found")
        edits = posted.edits()
        if decision == "split" and any(e.proposal.pk in chosen and "text" in e.changes for e in edits):
            raise WorkflowError(_("The text was changed: save it first, then choose where to split it."),
                                "invalid")
        outcome = desk.act(request.user, decision, edits=edits, chosen=[(found[k], v) for k, v in chosen.items()],
                           **inputs)
    except WorkflowError as err:
        return _refused(request, source, posted, err, failed=failed, action=action, selected=selected)
    messages.success(request, format_html("{}{}", _message(decision, outcome, inputs, found),
                                          _also_saved(outcome, set(chosen))))
    target = outcome.head.pk if outcome.head else (failed or None)
    return redirect(_desk_url(source, target))


def _message(decision: str, outcome: desk.Outcome, inputs: dict, found: dict[int, Proposal]) -> str:
    title = next(iter(found.values())).headline if found else ""
    if decision == "accept":
        links = format_html_join("、", "{}", ((_task_link(t),) for t in outcome.tasks))
        if len(outcome.tasks) == 1:
            t = outcome.tasks[0]
            return format_html(_("Task {task} made and assigned to {unit}.") if inputs.get("assign")
                               else _("Task {task} made as a draft."), task=links, unit=t.lead_unit)
        return format_html(_("Tasks made and assigned: {tasks}.") if inputs.get("assign")
                           else _("Tasks made as drafts: {tasks}."), tasks=links)
    if decision == "merge" and outcome.head:
        return _("Merged into one proposal: “%(title)s”.") % {"title": outcome.head.headline}
    if decision == "take":
        return _("Lead unit set: %(unit)s.") % {"unit": inputs["unit"]}
    if decision == "reject":
        return _("Not made a task: “%(title)s”.") % {"title": title}
    if decision == "split":
        return _("Split in two; both parts are on the desk.")
    if decision == "link":
        return format_html(_("Added to task {task} as a further source."), task=_task_link(outcome.tasks[0]))
    if decision == "reconsider":
        return _("Back on the desk: “%(title)s”.") % {"title": title}
    return _("Changes saved.") if outcome.saved else _("Nothing was changed.")


@login_required
@require_POST
def save_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter in a field, or "save" at the top: every changed card is saved."""
    source = _reviewable(request, pk)
    return _run(request, source, "save", {}, failed=None, action="save")


@login_required
@require_POST
def proposal_do(request: HttpRequest, pk: int, proposal: int, action: str) -> HttpResponse:
    source = _reviewable(request, pk)
    if action not in CARD_ACTIONS:
        raise Http404
    p = Proposal.objects.filter(pk=proposal, source=source).first()
    if p is None:
        raise Http404
    version = parse_id(request.POST.get(f"p{p.pk}-version", ""))
    if version is None:
        return _render_desk(request, source, status=400, failed=p.pk, error=_("Unknown action."))
    inputs: dict = {}
    if action == "accept":
        inputs["assign"] = request.POST.get("assign") == "1"
    elif action == "take":
        unit = parse_id(request.POST.get("unit", ""))
        inputs["unit"] = units_of(source.organisation).filter(pk=unit).first() if unit else None
    elif action == "reject":
        inputs["reason"] = request.POST.get(f"p{p.pk}-reason", "")
    elif action == "split":
        inputs["at"] = parse_id(request.POST.get(f"p{p.pk}-at", ""))
    elif action == "link":
        task = parse_id(request.POST.get("task", ""))
        inputs["task"] = Task.objects.filter(pk=task, organisation=source.organisation).first() if task else None
    return _run(request, source, action, {p.pk: version}, failed=p.pk, action=action, **inputs)


@login_required
@require_POST
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Several ticked proposals at once: accept them (all tasks or none) or merge them."""
    source = _reviewable(request, pk)
    op = request.POST.get("op")
    try:
        chosen = _chosen(source, request.POST.getlist("selected"))
    except WorkflowError as err:
        return _render_desk(request, source, status=err.http_status, error=str(err.message))
    if op not in ("draft", "assign", "merge"):
        return _render_desk(request, source, status=400, error=_("Unknown action."), selected=set(chosen),
                            data=request.POST)
    if not chosen:
        return _render_desk(request, source, status=400, selected=set(chosen), data=request.POST,
                            error=_("Tick the proposals first (the box at the top of each card)."))
    if op == "merge":
        return _run(request, source, "merge", chosen, failed=None, action="bulk")
    return _run(request, source, "accept", chosen, failed=None, action="bulk", assign=op == "assign")


# ---------------------------------------------------------------- routing rules


def _routing_org(request: HttpRequest):
    orgs = access.routing_organisations(request.user)
    if not orgs:
        raise PermissionDenied
    chosen = request.POST.get("organisation") or request.GET.get("org")
    return next((o for o in orgs if str(o.pk) == chosen), orgs[0]), orgs


def _render_routing(request: HttpRequest, organisation, orgs, form: RoutingRuleForm, *, status: int = 200,
                    error: str = "") -> HttpResponse:
    rules = (RoutingRule.objects.filter(organisation=organisation).select_related("unit", "updated_by")
             .order_by("-active", "phrase", "unit__name"))
    return render(request, "desk/routing.html", {
        "organisation": organisation, "orgs": orgs, "rules": rules, "form": form, "error": error,
        "nav": "routing",
    }, status=status)


@login_required
def routing(request: HttpRequest) -> HttpResponse:
    organisation, orgs = _routing_org(request)
    form = RoutingRuleForm(request.POST or None, organisation=organisation, initial={"weight": 1.0, "active": True})
    if request.method == "POST":
        if form.is_valid():
            rule = form.save(commit=False)
            rule.organisation, rule.updated_by = organisation, request.user
            rule.save()
            messages.success(request, _("Rule added: %(rule)s.") % {"rule": rule})
            return redirect(f"{reverse('desk:routing')}?org={organisation.pk}")
        return _render_routing(request, organisation, orgs, form, status=400,
                               error=_("Please correct the marked fields."))
    return _render_routing(request, organisation, orgs, form)


def _rule_or_404(request: HttpRequest, pk: int) -> RoutingRule:
    rule = RoutingRule.objects.select_related("organisation", "unit").filter(pk=pk).first()
    if rule is None or not access.can_edit_routing(request.user, rule.organisation):
        raise Http404
    return rule


@login_required
def routing_edit(request: HttpRequest, rule: int) -> HttpResponse:
    found = _rule_or_404(request, rule)
    form = RoutingRuleForm(request.POST or None, instance=found, organisation=found.organisation)
    status, error = 200, ""
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user
            saved.save()
            messages.success(request, _("Rule saved: %(rule)s.") % {"rule": saved})
            return redirect(f"{reverse('desk:routing')}?org={found.organisation_id}")
        status, error = 400, _("Please correct the marked fields.")
    return render(request, "desk/routing_edit.html", {"rule": found, "form": form, "error": error,
                                                      "nav": "routing"}, status=status)


@login_required
@require_POST
def routing_toggle(request: HttpRequest, rule: int) -> HttpResponse:
    found = _rule_or_404(request, rule)
    found.active, found.updated_by = not found.active, request.user
    found.save(update_fields=["active", "updated_by", "updated_at"])
    messages.success(request, (_("Rule switched on: %(rule)s.") if found.active
                               else _("Rule switched off: %(rule)s.")) % {"rule": found})
    return redirect(f"{reverse('desk:routing')}?org={found.organisation_id}")
