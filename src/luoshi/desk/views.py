"""The review desk of a source, and the routing rules page. Thin: every decision is a
`desk.services` call, whose `WorkflowError` becomes the page's status.

The desk shows the source's text on the left and one card per proposal on the right. A card
is one form (carrying the proposal's version) whose buttons post to one action each: save,
accept (as a draft or assigned), take a suggested unit, reject, split, link to an open task,
reconsider. Save, accept and take first apply what was typed, in the same transaction as the
decision: a refused decision leaves the proposal as it was. A refusal re-renders the desk with
the card as typed (and the version now saved); a success redirects back to the card.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.desk import services as desk
from luoshi.desk.forms import ProposalForm, RoutingRuleForm
from luoshi.desk.models import Proposal, RoutingRule
from luoshi.desk.routing import Duplicates, Router
from luoshi.org.models import units_of
from luoshi.sources.models import Source
from luoshi.sources.views import highlighted, item_states, legend, source_meta
from luoshi.tasks.models import Task
from luoshi.tasks.workflow import WorkflowError

ACTIONS = ("save", "accept", "take", "reject", "split", "link", "reconsider")
# the actions that apply what was typed in the card before deciding
EDITING = ("save", "accept", "take")


def _desk_url(source: Source, proposal: int | None = None) -> str:
    url = reverse("desk:desk", args=[source.pk])
    return f"{url}#p-{proposal}" if proposal else url


def _reviewable(request: HttpRequest, pk: int) -> Source:
    """The source, if the user reviews it: 404 if they may not see it, 403 if they only see it."""
    source = access.get_source_or_404(request.user, pk)
    if not access.can_review(request.user, source):
        raise PermissionDenied
    return source


# ---------------------------------------------------------------- the desk


def _cards(source: Source, units, *, failed: int | None, data: QueryDict | None, action: str) -> list[dict]:
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
            card["form"] = ProposalForm(data if failed == p.pk else None, proposal=p, units=units)
            lead_in = items[0].lead_in() if items else ""
            # a unit outside the organisation cannot lead its task: not offered
            card["suggestions"] = [s for s in router.suggest(f"{p.headline} {p.text}", lead_in=lead_in)
                                   if s.unit.pk in unit_ids]
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
    cards = _cards(source, units, failed=failed, data=data, action=action)
    items = list(source.items.order_by("span_start", "kind", "ordinal"))
    counts = {row["status"]: row["n"] for row in source.proposals.values("status").annotate(n=Count("pk"))}
    show = request.GET.get("show", "")
    if show not in ("pending", "decided"):
        show = ""
    return render(request, "desk/desk.html", {
        "source": source, "meta": source_meta(source), "cards": cards, "counts": counts,
        "pending": counts.get(Proposal.Status.PENDING, 0), "decided": sum(counts.values())
        - counts.get(Proposal.Status.PENDING, 0), "total": sum(counts.values()), "show": show,
        "doc": highlighted(source, items, item_states(source), _numbers(cards)), "legend": legend(source, items),
        "error": error, "failed": failed, "selected": selected, "changed": changed or [], "lost": lost,
        "nav": "sources", "page_url": _desk_url(source),
    }, status=status)


@login_required
def desk_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_desk(request, _reviewable(request, pk))


def _with_version(data: QueryDict, prefix: str, version: int) -> QueryDict:
    data = data.copy()
    data[f"{prefix}-version"] = str(version)
    return data


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


def _refused(request: HttpRequest, source: Source, pk: int, action: str, status: int, error: str,
             form: ProposalForm | None = None, stale: bool = False) -> HttpResponse:
    # read the proposal afresh: a stale refusal means it changed, and the page must show how
    now = Proposal.objects.select_related("lead_unit").filter(pk=pk).first()
    if now is None or now.status != Proposal.Status.PENDING:
        typed = [request.POST.get(f"p{pk}-{k}", "").strip() for k in ("reason", "headline", "text")]
        return _render_desk(request, source, status=status, failed=pk, error=error,
                            lost="\n".join(t for t in typed if t))
    changed = _changed_meanwhile(form, now) if form is not None and stale else []
    return _render_desk(request, source, status=status, failed=pk, action=action, error=error,
                        data=_with_version(request.POST, f"p{pk}", now.version), changed=changed)


def _task_link(task: Task) -> str:
    return format_html('<a href="{}">#{} {}</a>', reverse("tasks:detail", args=[task.pk]), task.pk, task.title)


@login_required
@require_POST
def proposal_do(request: HttpRequest, pk: int, proposal: int, action: str) -> HttpResponse:
    source = _reviewable(request, pk)
    if action not in ACTIONS:
        raise Http404
    p = Proposal.objects.select_related("source", "lead_unit").filter(pk=proposal, source=source).first()
    if p is None:
        raise Http404
    user = request.user
    if action == "reconsider":
        try:
            version = int(request.POST.get(f"p{p.pk}-version", ""))
            desk.reconsider(p, user, version=version)
        except ValueError:
            return _refused(request, source, p.pk, action, 400, _("Unknown action."))
        except WorkflowError as err:
            return _refused(request, source, p.pk, action, err.http_status, str(err.message))
        messages.success(request, _("Back on the desk: “%(title)s”.") % {"title": p.headline})
        return redirect(_desk_url(source, p.pk))

    units = units_of(source.organisation)
    form = ProposalForm(request.POST, proposal=p, units=units)
    if not form.is_valid():
        return _refused(request, source, p.pk, action, 400, _("Please correct the marked fields."))
    version = form.cleaned_data["version"]
    done = ""
    try:
        with transaction.atomic():
            if action in EDITING:
                changes, co_units = form.changes()
                if action == "take":
                    unit = units.filter(pk=request.POST.get("unit") or 0).first()
                    if unit is None:
                        raise WorkflowError(_("Choose the lead unit from the list."), "invalid")
                    if unit != p.lead_unit:
                        changes["lead_unit"] = unit
                    else:
                        changes.pop("lead_unit", None)
                    done = _("Lead unit set: %(unit)s.") % {"unit": unit}
                if changes or co_units is not None:
                    p = desk.edit(p, user, version=version, co_units=co_units, **changes)
                    version = p.version
                    done = done or _("Changes saved.")
                elif action == "save":
                    done = _("Nothing was changed.")
            if action == "accept":
                assign = request.POST.get("assign") == "1"
                task = desk.accept([(p, version)], user, assign=assign)[0]
                done = format_html(
                    _("Task {task} made and assigned to {unit}.") if assign else _("Task {task} made as a draft."),
                    task=_task_link(task), unit=task.lead_unit)
            elif action == "reject":
                desk.reject(p, user, version=version, reason=form.cleaned_data["reason"])
                done = _("Not made a task: “%(title)s”.") % {"title": p.headline}
            elif action == "split":
                if form.cleaned_data["at"] is None:
                    raise WorkflowError(_("Choose where to split the text."), "invalid")
                desk.split(p, user, version=version, at=form.cleaned_data["at"])
                done = _("Split in two; both parts are on the desk.")
            elif action == "link":
                task = Task.objects.filter(pk=request.POST.get("task") or 0, organisation=source.organisation).first()
                if task is None:
                    raise WorkflowError(_("No such task."), "not_found")
                task = desk.link(p, task, user, version=version)
                done = format_html(_("Added to task {task} as a further source."), task=_task_link(task))
    except WorkflowError as err:
        return _refused(request, source, p.pk, action, err.http_status, str(err.message), form,
                        stale=err.code == "stale")
    messages.success(request, done)
    return redirect(_desk_url(source, p.pk))


@login_required
@require_POST
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Several proposals at once: accept them (all tasks or none) or merge them."""
    source = _reviewable(request, pk)
    op = request.POST.get("op")
    chosen: dict[int, int] = {}
    for value in request.POST.getlist("selected"):
        pk_, _sep, version = value.partition(":")
        if pk_.isdigit() and version.isdigit():
            chosen[int(pk_)] = int(version)
    selected = set(chosen)

    def refuse(status: int, error: str) -> HttpResponse:
        return _render_desk(request, source, status=status, error=error, selected=selected)

    if op not in ("draft", "assign", "merge"):
        return refuse(400, _("Unknown action."))
    if not chosen:
        return refuse(400, _("Tick the proposals first (the box at the top of each card)."))
    found = {p.pk: p for p in source.proposals.filter(pk__in=chosen)}
    if len(found) != len(chosen):
        return refuse(404, _("No such proposal."))
    pairs = [(found[k], v) for k, v in chosen.items()]
    try:
        if op == "merge":
            head = desk.merge(pairs, request.user)
            messages.success(request, _("Merged into one proposal: “%(title)s”.") % {"title": head.headline})
            return redirect(_desk_url(source, head.pk))
        tasks = desk.accept(pairs, request.user, assign=op == "assign")
    except WorkflowError as err:
        return refuse(err.http_status, str(err.message))
    links = format_html("、".join(["{}"] * len(tasks)), *[_task_link(t) for t in tasks])
    messages.success(request, format_html(
        _("Tasks made and assigned: {tasks}.") if op == "assign" else _("Tasks made as drafts: {tasks}."),
        tasks=links))
    return redirect(_desk_url(source))


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
