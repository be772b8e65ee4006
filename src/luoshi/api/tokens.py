"""Making, finding and revoking API tokens (the only code that handles a token's secret)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.utils import timezone

from luoshi.api.models import Scope, Token

PREFIX = "ls_"  # every token starts so: a secret scanner (or a person) can tell one in a log
TOUCH_EVERY = dt.timedelta(minutes=5)  # "last used" is written at most so often: reads stay reads


class TokenError(ValueError):
    """A token that cannot be made as asked (unknown scope, no name)."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user, *, name: str, scopes: Iterable[str], days: int | None = None) -> tuple[Token, str]:
    """Make a token for ``user``; returns it and its secret, which is never stored and never shown again."""
    scopes = list(dict.fromkeys(scopes))
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise TokenError(f"unknown scope: {', '.join(unknown)} (known: {', '.join(Scope.values)})")
    if not scopes:
        raise TokenError("a token needs at least one scope")
    if not name.strip():
        raise TokenError("a token needs a name that says what uses it")
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token = Token.objects.create(user=user, name=name.strip()[:80], prefix=prefix, digest=_digest(secret),
                                 scopes=scopes, expires_at=expires)
    return token, secret


def find(secret: str) -> Token | None:
    """The live token whose secret this is, its user active (None for anything else)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    prefix = secret[len(PREFIX):].partition("_")[0]
    token = Token.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if not token.is_live(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke(token: Token) -> Token:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
