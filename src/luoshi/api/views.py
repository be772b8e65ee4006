"""The page where a user makes and revokes their own API tokens (a token is shown once)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.api import tokens
from luoshi.api.forms import TokenForm
from luoshi.api.models import Token

SHOWN_ONCE = "luoshi_new_token"


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, secret = tokens.issue(request.user, name=form.cleaned_data["name"],
                                      scopes=form.cleaned_data["scopes"], days=form.cleaned_data["days"])
        request.session[SHOWN_ONCE] = secret
        return redirect("api_tokens")
    mine = Token.objects.filter(user=request.user).order_by("-created_at")[:100]
    return render(request, "api/tokens.html", {
        "form": form, "tokens": mine, "secret": request.session.pop(SHOWN_ONCE, None), "nav": "tokens",
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = Token.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    tokens.revoke(token)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens")
