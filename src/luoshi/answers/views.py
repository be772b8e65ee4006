"""The page that keeps an organisation's answer templates: list, add, edit, delete. Who may is
`access.answer_organisations`; anyone else gets 403 (the list) or 404 (a template)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi import access
from luoshi.answers import services
from luoshi.answers.forms import AnswerTemplateForm
from luoshi.answers.models import AnswerTemplate


def _list_url(organisation_id: int) -> str:
    return f"{reverse('answers:list')}?org={organisation_id}"


@login_required
def answer_list(request: HttpRequest) -> HttpResponse:
    orgs = access.answer_organisations(request.user)
    if not orgs:
        raise PermissionDenied
    chosen = request.POST.get("organisation") or request.GET.get("org")
    organisation = next((o for o in orgs if str(o.pk) == chosen), orgs[0])
    form = AnswerTemplateForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        if form.is_valid():
            answer = form.save(commit=False)
            answer.organisation, answer.updated_by = organisation, request.user
            answer.save()
            messages.success(request, _("Template added: %(title)s.") % {"title": answer.title})
            return redirect(_list_url(organisation.pk))
        status, error = 400, _("Please correct the marked fields.")
    return render(request, "answers/list.html", {
        "organisation": organisation, "orgs": orgs, "answers": services.kept(organisation), "form": form,
        "error": error, "nav": "answers",
    }, status=status)


def _answer_or_404(request: HttpRequest, pk: int) -> AnswerTemplate:
    found = AnswerTemplate.objects.select_related("organisation").filter(pk=pk).first()
    if found is None or not access.can_keep_answers(request.user, found.organisation):
        raise Http404
    return found


@login_required
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _answer_or_404(request, pk)
    form = AnswerTemplateForm(request.POST or None, instance=found)
    status, error = 200, ""
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            saved.updated_by = request.user
            saved.save()
            messages.success(request, _("Template saved: %(title)s.") % {"title": saved.title})
            return redirect(_list_url(found.organisation_id))
        status, error = 400, _("Please correct the marked fields.")
    return render(request, "answers/edit.html", {"answer": found, "form": form, "error": error,
                                                 "nav": "answers"}, status=status)


@login_required
@require_POST
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = _answer_or_404(request, pk)
    found.delete()
    messages.success(request, _("Template deleted: %(title)s.") % {"title": found.title})
    return redirect(_list_url(found.organisation_id))
