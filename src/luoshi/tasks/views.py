"""The task pages. Thin: who may see and do what is asked of `luoshi.access`; every change goes
through `workflow.perform` or `services`, whose `WorkflowError` becomes the page's status.

A refused POST re-renders the page with the refusal shown and the user's typed text kept
(with the task's current version, so that sending again is a deliberate act on what they now
see); a successful one redirects (post/redirect/get) with a message.
"""

from __future__ import annotations

from operator import attrgetter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.bodylimit import FORM_MARGIN, body_limit
from luoshi.org.models import Unit, descendants
from luoshi.tasks import bulk, keyset, listing, replies, services, timeline, todo, workflow
from luoshi.tasks.forms import (
    AllowOpenPartsForm,
    BulkForm,
    CommentForm,
    CountersignForm,
    HandDownForm,
    MilestoneForm,
    OpinionForm,
    ProgressForm,
    ReplyForm,
    TaskFilterForm,
    TaskForm,
    UrgeForm,
    filter_units,
    transition_form,
)
from luoshi.tasks.lights import light_case, light_of, light_q
from luoshi.tasks.models import Attachment, CoOpinion, DueOrigin, Event, Instruction, Milestone, Reply, State, Task
from luoshi.tasks.roles import TaskRole, task_roles
from luoshi.tasks.signals import task_viewed
from luoshi.tasks.workflow import WorkflowError

PAGE_SIZE = 50


def _detail_url(pk: int) -> str:
    return reverse("tasks:detail", args=[pk])


# ---------------------------------------------------------------- home: what waits for me


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "tasks/home.html", {"waiting": todo.waiting(request.user), "nav": "home"})


# ---------------------------------------------------------------- list


def list_rows(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The list's order, soonest due first (no due date last), with each row's light computed by
    the database (`light_case`: the rule's limits are worked out once, not per row), and only the
    columns a row shows (`listing.COLUMNS`; its co-units come from `listing.co_unit_names`)."""
    return (tasks.select_related("lead_unit").only(*listing.COLUMNS)
            .annotate(sort_key=keyset.due_key(), light_now=light_case()).order_by("sort_key", "pk"))


def list_cursor(task: Task) -> str:
    """The ``after`` value of the list's page that follows ``task``."""
    return keyset.cursor_of(task)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    visible = access.visible_tasks(request.user)
    form = TaskFilterForm(request.GET or None, units=filter_units(request.user, visible))
    tasks = visible
    filtered = False
    if form.is_bound:
        form.is_valid()  # a bad value is reported on its field; the valid ones still filter
        f = form.cleaned_data
        if f.get("q"):
            tasks = tasks.filter(title__icontains=f["q"])
        if f.get("state"):
            tasks = tasks.filter(state=f["state"])
        if f.get("unit"):
            co = Exists(Task.co_units.through.objects.filter(task=OuterRef("pk"), unit=f["unit"]))
            tasks = tasks.filter(Q(lead_unit=f["unit"]) | co)
        if f.get("light"):
            tasks = tasks.filter(light_q(f["light"]))
        if f.get("due_from") or f.get("due_to"):
            # also on the sort key, so that the index the page is read in serves the range too
            tasks = tasks.alias(due_key=keyset.due_key())
        if f.get("due_from"):
            tasks = tasks.filter(due_date__gte=f["due_from"], due_key__gte=f["due_from"])
        if f.get("due_to"):
            tasks = tasks.filter(due_date__lte=f["due_to"], due_key__lte=f["due_to"])
        if f.get("todo"):
            tasks = tasks.filter(todo.filter_tasks(request.user, f["todo"]))
        filtered = any(f.get(k) for k in form.fields)
    # keyset pages (after the last row shown) and no COUNT: both would read every visible task
    cursor = request.GET.get("after") or None
    page, next_cursor = keyset.page(list_rows(tasks), cursor, PAGE_SIZE)
    # the labels of the kinds and states once a page, not through get_FOO_display() a row (which
    # builds the choices' dictionary again and translates each label: a fifth of the page's time)
    kinds = {k: str(v) for k, v in Task.Kind.choices}
    states = {k: str(v) for k, v in State.choices}
    co = listing.co_unit_names(page)
    rows = [(t, light_of(t), kinds.get(t.kind, t.kind), states.get(t.state, t.state), co.get(t.pk, ()))
            for t in page]
    return render(request, "tasks/list.html", {
        "form": form, "rows": rows, "rows_html": listing.rows_html(rows), "filtered": filtered, "nav": "list",
        "more": next_cursor is not None, "first_page": cursor is None,
        "next_url": _query(request, after=next_cursor) if next_cursor else "",
        "first_url": _query(request, drop=("after", "page")) if cursor else "",
        "can_create": access.can_create_tasks(request.user),
        "bulk_form": BulkForm(actions=_bulk_actions(request.user)), "max_rows": bulk.MAX_ROWS,
        "todo_kind": todo.BY_KEY.get(form.cleaned_data.get("todo", "")) if form.is_bound else None,
    }, status=400 if form.is_bound and form.errors else 200)


def _query(request: HttpRequest, drop: tuple[str, ...] = (), **set_) -> str:
    """The page's query string with ``drop`` removed and ``set_`` set (an old ?page= is dropped)."""
    q = request.GET.copy()
    for k in (*drop, "page"):
        q.pop(k, None)
    for k, v in set_.items():
        q[k] = v
    encoded = q.urlencode()
    return f"?{encoded}" if encoded else "?"


# ---------------------------------------------------------------- bulk work on ticked rows

BULK_RESULT = "luoshi_bulk_result"  # the session key of the last bulk action's results


def _bulk_actions(user) -> dict:
    return dict(bulk.ACTIONS) if access.can_move_in_bulk(user) else {}


def bulk_refused(request: HttpRequest, message: str, back: str) -> HttpResponse:
    """A bulk request refused as a whole (nothing done): why, and the way back to the list."""
    return render(request, "tasks/bulk_refused.html", {"error": message, "back": back, "nav": "list"}, status=400)


@login_required
@require_POST
def task_bulk(request: HttpRequest) -> HttpResponse:
    """Run one action on the ticked rows; the results wait in the session for the result page
    (post/redirect/get: reloading it shows them again, and never urges twice)."""
    back = bulk.back_to_list(request.POST.get("next") or "", request.get_host())
    form = BulkForm(request.POST, actions=_bulk_actions(request.user))
    rows = bulk.parse(request.POST.getlist("row"))
    try:
        bulk.check_selection(rows)
    except bulk.SelectionRefused as err:
        return bulk_refused(request, str(err), back)
    if not form.is_valid():
        return bulk_refused(request, _("Choose what to do with the ticked tasks."), back)
    d = form.cleaned_data
    results = bulk.run(request.user, d["action"], rows, reason=d["reason"], evaluation=d["evaluation"],
                       level=d["level"])
    request.session[BULK_RESULT] = {"action": d["action"], "rows": [r.as_dict() for r in results], "back": back}
    return redirect("tasks:bulk_result")


@login_required
def task_bulk_result(request: HttpRequest) -> HttpResponse:
    saved = request.session.get(BULK_RESULT)
    if not saved:
        return redirect("tasks:list")
    results = [bulk.RowResult.from_dict(d) for d in saved["rows"]]
    # titles only of the tasks the user may see now; a row "not found" shows only what was sent
    shown = [r.pk for r in results if r.pk is not None and r.code != "not_found"]
    tasks = access.visible_tasks(request.user).filter(pk__in=shown).select_related("lead_unit").in_bulk()
    rows = [(r, tasks.get(r.pk) if r.code != "not_found" else None) for r in results]
    done = sum(1 for r in results if r.ok)
    return render(request, "tasks/bulk_result.html", {
        "action": bulk.ACTIONS.get(saved["action"], saved["action"]), "rows": rows, "done": done,
        "refused": len(results) - done, "back": saved.get("back") or reverse("tasks:list"), "nav": "list",
    })


# ---------------------------------------------------------------- detail


def _due_note(task: Task) -> str:
    """Where the due date came from: typed, inferred from words such as 一季度, or extended."""
    if task.due_origin == DueOrigin.INFERRED and task.due_basis:
        note = _("inferred from the words “%(words)s”") % {"words": task.due_basis}
    elif task.due_origin == DueOrigin.EXTENDED and task.original_due_date:
        note = _("extended; first due date %(first)s") % {"first": date_format(task.original_due_date)}
    else:
        note = task.get_due_origin_display()
    return _("(%(note)s)") % {"note": note}


def _with_version(data: QueryDict, prefix: str, version: int) -> QueryDict:
    data = data.copy()
    data[f"{prefix}-version"] = str(version)
    return data


def _render_detail(request: HttpRequest, task: Task, *, status: int = 200, failed: str = "",
                   data: QueryDict | None = None, error: str = "", files_lost: bool = False) -> HttpResponse:
    """The detail page; ``failed`` names the form ("progress", "comment" or an action) to show
    bound to ``data`` (the refused POST, re-versioned)."""
    user = request.user
    roles = task_roles(user, task)
    allowed = access.allowed_actions(user, task, roles)
    if data is not None and failed not in ("progress", "comment"):
        data = _with_version(data, failed, task.version)
    shown: set[str] = set()

    moves = []
    for row in workflow.available(task, roles, user):
        bound = data if failed == row.action else None
        moves.append({"row": row, "form": transition_form(task, row, bound), "open": bound is not None,
                      "url": reverse("tasks:do", args=[task.pk, row.action])})
        shown.add(row.action)

    progress_form = comment_form = urge_form = None
    if "report_progress" in allowed:
        progress_form = ProgressForm(data if failed == "progress" else None)
        shown.add("progress")
    if "urge" in allowed:
        urge_form = UrgeForm(data if failed == "urge" else None)
        shown.add("urge")
    reply_form = None
    proposers = _proposers(task) if task.kind == Task.Kind.SUGGESTION else []
    if "write_reply" in allowed or "write_follow_up" in allowed:
        reply_form = ReplyForm(data if failed == "reply" else None, proposers=proposers)
        shown.add("reply")
    opinion_form = None
    if "give_opinion" in allowed and CoOpinion.objects.filter(
            task=task, given_at__isnull=True, unit__in=[m.unit_id for m in user.memberships.all()]).exists():
        opinion_form = OpinionForm(data if failed == "opinion" else None)
        shown.add("opinion")
    part_form = allow_form = None
    if "hand_down" in allowed:
        part_form = HandDownForm(data if failed == "part" else None, units=_part_units(task))
        shown.add("part")
    parts = list(task.subtasks.select_related("lead_unit").order_by("pk"))
    if "allow_open_subtasks" in allowed and not task.allow_open_subtasks and any(
            p.state != State.CLOSED for p in parts):
        allow_form = AllowOpenPartsForm(data if failed == "allow" else None)
        shown.add("allow")
    milestone_form = None
    if "add_milestone" in allowed:
        milestone_form = MilestoneForm(data if failed == "milestone" else None)
        shown.add("milestone")
    instruction = TaskRole.LEADER in roles
    if "comment" in allowed:
        comment_form = CommentForm(data if failed == "comment" else None, instruction=instruction)
        shown.add("comment")

    # text typed into a form the task no longer offers (its state moved on): shown, not lost
    lost_text = ""
    if data is not None and failed not in shown:
        lost_text = (data.get(f"{failed}-reason") or data.get(f"{failed}-text") or "").strip()

    items, whole = [], {}
    for item in task.items.select_related("source").defer("source__raw", "source__extraction"):
        before, words, after = item.context()
        if item.source_id not in whole:
            whole[item.source_id] = access.can_read_whole_source(user, item.source)
        if not whole[item.source_id]:  # the words of the item, not its neighbours of other units
            before = after = ""
        items.append({"item": item, "before": before, "words": words, "after": after,
                      "cut_before": item.span_start > len(before),
                      "cut_after": item.span_end + len(after) < len(item.source.text)})

    # every source the task was made from or linked to (a repeated directive: 多头交办)
    sources = list({i["item"].source_id: i["item"].source for i in items}.values())

    instructions = list(Instruction.objects.filter(task=task).select_related("leader", "acknowledged_by"))
    return render(request, "tasks/detail.html", {
        "task": task, "light": light_of(task), "due_note": _due_note(task), "sources": sources,
        "instructions": instructions, "can_acknowledge": "acknowledge" in allowed,
        "urge_form": urge_form, "milestone_form": milestone_form, "opinion_form": opinion_form,
        "opinions": list(CoOpinion.objects.filter(task=task).select_related("unit", "given_by").order_by("unit__name")),
        "replies": list(replies.visible_replies(user, task)) if task.kind == Task.Kind.SUGGESTION else [],
        "reply_form": reply_form, "follow_up_only": "write_follow_up" in allowed,
        "can_send_reply": "write_reply" in allowed, "can_countersign": "countersign_reply" in allowed,
        "can_publish_follow_up": "publish_follow_up" in allowed, "countersign_form": CountersignForm(),
        "milestones": list(task.milestones.all()), "can_complete": "complete_milestone" in allowed,
        "sent_back": _sent_back(task) if any(m["row"].action == "resume" for m in moves) else None,
        "co_units": list(task.co_units.all()), "proposers": list(task.proposers.all()),
        "items": items, **_history(request, task),
        "moves": moves, "progress_form": progress_form, "comment_form": comment_form,
        "instruction": instruction, "can_edit": "edit" in allowed,
        "error": error, "failed": failed, "lost_text": lost_text, "files_lost": files_lost,
        "page_url": _detail_url(task.pk),
        "parts": parts, "rollup": services.rollup(task, parts) if parts else None, "part_form": part_form,
        "allow_form": allow_form, "parent": task.parent if task.parent_id and access.can(user, "view", task.parent)
        else None,
    }, status=status)


HISTORY = 50  # events shown at once on a task's page


def _history(request: HttpRequest, task: Task) -> dict:
    """The latest events (or those before ``?before=`` number), and links to earlier and latest
    ones: a task urged and reported on for years does not render its whole journal each time."""
    before = request.GET.get("before", "")
    before_seq = int(before) if before.isdigit() else None
    entries = timeline.entries(task, latest=HISTORY + 1, before=before_seq)
    earlier = len(entries) > HISTORY
    entries = entries[1:] if earlier else entries
    url = _detail_url(task.pk)
    return {"entries": entries,
            "earlier_url": f"{url}?before={entries[0].event.seq}#history-h" if earlier and entries else "",
            "latest_url": f"{url}#history-h" if before_seq is not None else ""}


# the moves that send a task back to its unit, and whose reason the unit reads when resuming
SENT_BACK = ("return", "send_back", "rate_unsatisfied", "reopen")


def _sent_back(task: Task) -> Event | None:
    """The last return (退回) or reopening of the task: its reason stands beside "resume"."""
    return (Event.objects.filter(task=task, action__in=SENT_BACK).select_related("actor").order_by("-seq")
            .first())


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    task_viewed.send(sender=Task, user=request.user, task=task)
    return _render_detail(request, task)


def _refused(request: HttpRequest, pk: int, failed: str, status: int, error: str,
             files_lost: bool = False) -> HttpResponse:
    # read the task afresh: a stale refusal means it changed, and the page must show how
    task = access.get_task_or_404(request.user, pk)
    return _render_detail(request, task, status=status, failed=failed, data=request.POST, error=error,
                          files_lost=files_lost)


def _form_problem(form) -> str:
    return _("Please correct the marked fields.") if form.errors else ""


@login_required
@require_POST
def task_do(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    if action not in workflow.actions():
        raise Http404
    roles = task_roles(request.user, task)
    # the row these roles take now, or any row of the action (perform() then explains the refusal)
    row = (workflow.transition_for(action, task, roles, request.user)
           or next(iter(workflow.rows_of(action, task.state)), None) or workflow.rows_of(action)[0])
    form = transition_form(task, row, request.POST)
    if not form.is_valid():
        return _refused(request, pk, action, 400, _form_problem(form))
    try:
        workflow.perform(task, action, request.user, version=form.cleaned_data["version"], **form.inputs())
    except WorkflowError as err:
        return _refused(request, pk, action, err.http_status, str(err.message))
    messages.success(request, _("Done: %(action)s.") % {"action": row.label})
    return redirect(_detail_url(pk))


def _progress_body_limit() -> int:
    return settings.LUOSHI["MAX_REPORT_BYTES"] + FORM_MARGIN  # the attachments of one report together


@body_limit(_progress_body_limit)
@login_required
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    files_lost = bool(request.FILES)
    if not form.is_valid():
        return _refused(request, pk, "progress", 400, _form_problem(form), files_lost)
    try:
        services.report_progress(task, request.user, text=form.cleaned_data["text"],
                                 files=form.cleaned_data["files"], percent=form.cleaned_data["percent"])
    except WorkflowError as err:
        return _refused(request, pk, "progress", err.http_status, str(err.message), files_lost)
    messages.success(request, _("Progress report saved."))
    return redirect(_detail_url(pk))


def _form_post(request: HttpRequest, pk: int, failed: str, form_class, act, done: str,
               anchor: str = "") -> HttpResponse:
    """A task page's form: bound, checked, handed to one service (``act(task, user, data)``);
    a refusal shows the page again with what was typed, success goes back to the task."""
    task = access.get_task_or_404(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _refused(request, pk, failed, 400, _form_problem(form))
    try:
        act(task, request.user, form.cleaned_data)
    except WorkflowError as err:
        return _refused(request, pk, failed, err.http_status, str(err.message))
    messages.success(request, done)
    return redirect(_detail_url(pk) + anchor)


@login_required
@require_POST
def task_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_post(request, pk, "comment", CommentForm,
                      lambda task, user, d: services.comment(task, user, text=d["text"]), _("Comment added."))


@login_required
@require_POST
def task_urge(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_post(request, pk, "urge", UrgeForm,
                      lambda task, user, d: services.urge(task, user, reason=d["reason"], level=d["level"]),
                      _("The unit has been urged (催办)."))


@login_required
@require_POST
def hand_down(request: HttpRequest, pk: int) -> HttpResponse:
    """转办: the lead unit passes a part of the task down to one of its own units."""
    task = access.get_task_or_404(request.user, pk)
    form = HandDownForm(request.POST, units=_part_units(task))
    if not form.is_valid():
        return _refused(request, pk, "part", 400, _form_problem(form))
    d = form.cleaned_data
    try:
        part = services.hand_down(task, request.user, title=d["title"], lead_unit=d["lead_unit"],
                                  due_date=d["due_date"], description=d["description"])
    except WorkflowError as err:
        return _refused(request, pk, "part", err.http_status, str(err.message))
    messages.success(request, _("Passed down to %(unit)s as task #%(id)s.") % {"unit": part.lead_unit, "id": part.pk})
    return redirect(_detail_url(pk) + "#parts")


@login_required
@require_POST
def allow_open_parts(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_post(request, pk, "allow", AllowOpenPartsForm,
                      lambda task, user, d: services.allow_open_subtasks(task, user, reason=d["reason"]),
                      _("The lead unit may now submit with parts still open."), "#parts")


def _proposers(task: Task) -> list:
    # in the order of their keys, from what get_task_or_404 read with the task (no query)
    return sorted(task.proposers.all(), key=attrgetter("pk"))


def _part_units(task: Task) -> QuerySet[Unit]:
    return descendants(task.lead_unit) if task.lead_unit_id else Unit.objects.none()


@login_required
@require_POST
def reply_write(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    form = ReplyForm(request.POST, proposers=_proposers(task))
    if not form.is_valid():
        return _refused(request, pk, "reply", 400, _form_problem(form))
    d = form.cleaned_data
    try:
        if access.can(request.user, "write_follow_up", task):
            replies.write_follow_up(task, request.user, category=d["category"], text=d["text"], proposer=d["proposer"])
        else:
            replies.write(task, request.user, category=d["category"], text=d["text"], proposer=d["proposer"],
                          reason=d["reason"], follow_up_date=d["follow_up_date"])
    except WorkflowError as err:
        return _refused(request, pk, "reply", err.http_status, str(err.message))
    messages.success(request, _("Reply saved."))
    return redirect(_detail_url(pk) + "#replies")


@login_required
@require_POST
def reply_step(request: HttpRequest, pk: int, reply: int, step: str) -> HttpResponse:
    """Send a draft for sign-off, sign it off (or not), or send a follow-up on."""
    task = access.get_task_or_404(request.user, pk)
    found = Reply.objects.filter(pk=reply, task=task).first()
    if found is None or step not in ("send", "countersign", "publish"):
        raise Http404
    try:
        if step == "send":
            replies.send(found, request.user)
        elif step == "publish":
            replies.publish_follow_up(found, request.user)
        else:
            form = CountersignForm(request.POST)
            if not form.is_valid():
                return _refused(request, pk, "countersign", 400, _form_problem(form))
            replies.countersign(found, request.user, agreed=form.cleaned_data["agreed"],
                                comment=form.cleaned_data["comment"])
    except WorkflowError as err:
        return _refused(request, pk, step, err.http_status, str(err.message))
    messages.success(request, _("Done."))
    return redirect(_detail_url(pk) + "#replies")


@login_required
@require_POST
def give_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_post(request, pk, "opinion", OpinionForm,
                      lambda task, user, d: services.give_opinion(task, user, text=d["text"]),
                      _("Your unit's opinion has been sent to the lead unit."))


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_post(request, pk, "milestone", MilestoneForm,
                      lambda task, user, d: services.add_milestone(task, user, title=d["title"],
                                                                   due_date=d["due_date"]),
                      _("Milestone added."))


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    found = Milestone.objects.filter(pk=milestone, task=task).first()
    if found is None:
        raise Http404
    try:
        services.complete_milestone(found, request.user)
    except WorkflowError as err:
        return _refused(request, pk, "milestone_done", err.http_status, str(err.message))
    messages.success(request, _("Milestone done."))
    return redirect(_detail_url(pk))


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int, instruction: int) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    found = Instruction.objects.filter(pk=instruction, task=task).first()
    if found is None:
        raise Http404
    try:
        services.acknowledge(found, request.user)
    except WorkflowError as err:
        return _refused(request, pk, "acknowledge", err.http_status, str(err.message))
    messages.success(request, _("Instruction acknowledged."))
    return redirect(_detail_url(pk))


# ---------------------------------------------------------------- create and edit


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    orgs = list({o.pk: o for o in access.supervised_organisations(request.user)}.values())
    if not orgs:
        raise PermissionDenied
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = next((o for o in orgs if str(o.pk) == chosen), orgs[0])
    form = TaskForm(request.POST or None, organisation=organisation, organisations=orgs)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                task = services.create_task(
                    request.user, organisation=d.get("organisation") or organisation, title=d["title"],
                    description=d["description"], kind=d["kind"], lead_unit=d["lead_unit"],
                    co_units=d["co_units"], due_date=d["due_date"], priority=d["priority"], target=d["target"],
                    leader=d["leader"], issuer_name=d["issuer_name"],
                )
            except WorkflowError as err:
                error, status = str(err.message), err.http_status
            else:
                messages.success(request, _("Draft saved. Check it, then assign it to the lead unit."))
                return redirect(_detail_url(task.pk))
        else:
            error, status = _form_problem(form), 400
    return render(request, "tasks/form.html", {"form": form, "task": None, "error": error, "nav": "new"},
                  status=status)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.get_task_or_404(request.user, pk)
    initial = TaskForm.initial_for(task)
    if not access.can(request.user, "edit", task):
        posted = request.POST.get("version")
        if request.method == "POST" and posted and posted != str(task.version):
            # editable when the form was opened, changed since: keep what was typed, say why
            form = TaskForm(_with_plain_version(request.POST, task.version), organisation=task.organisation,
                            task=task, initial=initial)
            msg = _("Someone else changed this task after you opened it; it can no longer be edited.")
            return render(request, "tasks/form.html", {"form": form, "task": task, "error": msg,
                                                       "locked": True}, status=409)
        raise PermissionDenied
    form = TaskForm(request.POST or None, organisation=task.organisation, task=task, initial=initial)
    error, status, changed = "", 200, []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit_task(task, request.user, version=form.cleaned_data["version"],
                                   co_units=list(form.cleaned_data["co_units"]), **form.edit_changes())
            except WorkflowError as err:
                error, status = str(err.message), err.http_status
                task = access.get_task_or_404(request.user, pk)
                changed = _changed_meanwhile(form, task)
                form = TaskForm(_with_plain_version(request.POST, task.version), organisation=task.organisation,
                                task=task, initial=TaskForm.initial_for(task))
            else:
                messages.success(request, _("Changes saved."))
                return redirect(_detail_url(pk))
        else:
            error, status = _form_problem(form), 400
    return render(request, "tasks/form.html", {"form": form, "task": task, "error": error,
                                               "changed": changed}, status=status)


def _with_plain_version(data: QueryDict, version: int) -> QueryDict:
    data = data.copy()
    data["version"] = str(version)
    return data


def _changed_meanwhile(form: TaskForm, task: Task) -> list[tuple[str, object]]:
    """Fields whose saved value now differs from what the user typed: (label, saved value)."""
    saved = TaskForm(initial=TaskForm.initial_for(task), organisation=task.organisation, task=task)
    out = []
    for name in ("title", "description", "kind", "lead_unit", "co_units", "due_date", "priority"):
        typed = form.cleaned_data.get(name)
        now = getattr(task, name) if name != "co_units" else set(task.co_units.all())
        if name == "co_units":
            typed = set(typed or [])
        if (typed or None) != (now or None):
            shown = {"kind": task.get_kind_display, "priority": task.get_priority_display}.get(name)
            value = shown() if shown else ("、".join(map(str, now)) if name == "co_units" else now)
            out.append((saved.fields[name].label, value or "—"))
    return out


# ---------------------------------------------------------------- attachments


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    att = Attachment.objects.select_related("report").filter(pk=pk).first()
    if att is None:
        raise Http404
    access.get_task_or_404(request.user, att.report.task_id)  # 404, never the file, for others
    try:
        fh = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(fh, as_attachment=True, filename=att.name)
