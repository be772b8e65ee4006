"""The inbox, a user's notification settings, and an organisation's group robots. Thin: the
inbox's queries are in `inbox`, who may set up robots is asked of `access`, sending is `jobs`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.forms import parse_id
from luoshi.notify import inbox, jobs
from luoshi.notify.forms import PreferencesForm, WebhookForm
from luoshi.notify.messages import actor_name, describe, note
from luoshi.notify.models import MailLanguage, Preference, Status, Webhook
from luoshi.org.models import Unit
from luoshi.tasks.roles import task_roles

DELIVERIES_SHOWN = 5

# ---------------------------------------------------------------- the inbox


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    before = inbox.Cursor.decode(request.GET.get("before"))
    unread_only = request.GET.get("unread") == "1"
    rows, more = inbox.page(request.user, before=before, unread_only=unread_only)
    items = [{"n": n, "what": describe(n.event), "who": actor_name(n.event), "note": note(n.event)} for n in rows]
    return render(request, "notify/inbox.html", {
        "items": items, "next": more.encode() if more else "", "paged": before is not None,
        "unread_only": unread_only, "nav": "inbox",
    })


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    found = inbox.open_notification(request.user, pk)
    if found is None:
        raise Http404
    if not task_roles(request.user, found.task):
        messages.info(request, _("You can no longer see this task."))
        return redirect("notify:inbox")
    return redirect("tasks:detail", found.task_id)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    up_to = request.POST.get("up_to")
    if up_to and parse_id(up_to) is None:
        return HttpResponseBadRequest()
    done = inbox.mark_all_read(request.user, parse_id(up_to) if up_to else None)
    messages.success(request, _("Marked as read: %(n)s.") % {"n": done})
    return redirect("notify:inbox")


# ---------------------------------------------------------------- what a user wants


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = {p.kind: (p.inbox, p.email) for p in Preference.objects.filter(user=user)}
    language = (MailLanguage.objects.filter(user=user).values_list("language", flat=True).first()
                or translation.get_language())
    form = PreferencesForm(request.POST or None, current=current, language=language)
    if request.method == "POST":
        if form.is_valid():
            _save_preferences(user, form.choices(), form.cleaned_data["language"])
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notify:settings")
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "notify/settings.html", {"form": form, "nav": "inbox"},
                  status=400 if form.is_bound else 200)


def _save_preferences(user, choices: dict[str, tuple[bool, bool]], language: str) -> None:
    defaults = (Preference.INBOX_DEFAULT, Preference.EMAIL_DEFAULT)
    with transaction.atomic():
        # only choices that differ from the defaults are kept
        Preference.objects.filter(user=user, kind__in=[k for k, c in choices.items() if c == defaults]).delete()
        for kind, (inbox_on, email_on) in choices.items():
            if (inbox_on, email_on) != defaults:
                Preference.objects.update_or_create(user=user, kind=kind,
                                                    defaults={"inbox": inbox_on, "email": email_on})
        MailLanguage.objects.update_or_create(user=user, defaults={"language": language})


# ---------------------------------------------------------------- group robots


def _organisation(request: HttpRequest) -> tuple[Unit, list[Unit]]:
    orgs = access.webhook_organisations(request.user)
    if not orgs:
        raise PermissionDenied
    chosen = request.POST.get("organisation") or request.GET.get("org")
    return next((o for o in orgs if str(o.pk) == chosen), orgs[0]), orgs


def _webhook_or_404(request: HttpRequest, pk: int) -> tuple[Webhook, Unit]:
    hook = Webhook.objects.select_related("unit").filter(pk=pk).first()
    if hook is None:
        raise Http404
    organisation = hook.unit.organisation()
    if organisation.pk not in {o.pk for o in access.webhook_organisations(request.user)}:
        raise Http404
    return hook, organisation


def _list_url(organisation: Unit, hook: Webhook | None = None) -> str:
    url = f"{reverse('notify:webhooks')}?org={organisation.pk}"
    return f"{url}#webhook-{hook.pk}" if hook else url


@login_required
def webhooks(request: HttpRequest) -> HttpResponse:
    organisation, orgs = _organisation(request)
    form = WebhookForm(request.POST or None, organisation=organisation, initial={"unit": organisation.pk})
    if request.method == "POST":
        if form.is_valid():
            hook = form.save(commit=False)
            hook.created_by = request.user
            hook.save()
            messages.success(request, _("Robot added: %(name)s. Send it a test message.") % {"name": hook.name})
            return redirect(_list_url(organisation, hook))
        messages.error(request, _("Please correct the marked fields."))
    hooks = list(Webhook.objects.filter(unit__in=form.fields["unit"].queryset).select_related("unit", "created_by"))
    for hook in hooks:  # a handful of robots per organisation: one small query each
        hook.last = list(hook.deliveries.select_related("event").order_by("-pk")[:DELIVERIES_SHOWN])
    return render(request, "notify/webhooks.html", {
        "organisation": organisation, "orgs": orgs, "hooks": hooks, "form": form, "nav": "inbox",
    }, status=400 if form.is_bound else 200)


@login_required
def webhook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hook, organisation = _webhook_or_404(request, pk)
    form = WebhookForm(request.POST or None, instance=hook, organisation=organisation)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Robot saved: %(name)s.") % {"name": hook.name})
            return redirect(_list_url(organisation, hook))
        messages.error(request, _("Please correct the marked fields."))
    return render(request, "notify/webhook_edit.html", {
        "hook": hook, "organisation": organisation, "form": form, "nav": "inbox",
    }, status=400 if form.is_bound else 200)


@login_required
@require_POST
def webhook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    hook, organisation = _webhook_or_404(request, pk)
    Webhook.objects.filter(pk=hook.pk).update(active=not hook.active)
    text = _("Robot switched off: %(name)s.") if hook.active else _("Robot switched on: %(name)s.")
    messages.success(request, text % {"name": hook.name})
    return redirect(_list_url(organisation, hook))


@login_required
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    # sent now, in this request: whoever pressed the button waits for the answer (10 s at most)
    hook, organisation = _webhook_or_404(request, pk)
    delivery = jobs.send_trial(hook)
    if delivery.status == Status.SENT:
        messages.success(request, _("Test message delivered to %(name)s.") % {"name": hook.name})
    else:
        messages.error(request, _("The test message to %(name)s failed: %(error)s")
                       % {"name": hook.name, "error": delivery.error or delivery.http_status})
    return redirect(_list_url(organisation, hook))
