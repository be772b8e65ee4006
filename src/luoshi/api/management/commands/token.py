"""`luoshi token create USER --name N --scope read [--scope act] [--days D]`, `luoshi token list [USER]`,
`luoshi token revoke PREFIX`: API tokens from the command line (an administrator's way to unlock a system)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from luoshi.api import tokens
from luoshi.api.models import Scope, Token


class Command(BaseCommand):
    help = "Make, list and revoke API tokens."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="make a token; prints it once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what will use it")
        create.add_argument("--scope", action="append", choices=Scope.values, required=True, dest="scopes")
        create.add_argument("--days", type=int, default=None, help="valid for so many days (default: until revoked)")
        listing = sub.add_parser("list", help="tokens, newest first")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix (the 8 characters after ls_)")
        revoke.add_argument("prefix")

    def handle(self, *args, verb: str, **opts) -> None:
        if verb == "create":
            user = get_user_model().objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"no user {opts['username']!r}")
            try:
                _token, secret = tokens.issue(user, name=opts["name"], scopes=opts["scopes"], days=opts["days"])
            except tokens.TokenError as err:
                raise CommandError(str(err)) from err
            self.stdout.write(secret)
        elif verb == "list":
            found = Token.objects.select_related("user").order_by("-created_at")
            if opts.get("username"):
                found = found.filter(user__username=opts["username"])
            for t in found[:1000]:
                status = "revoked" if t.revoked_at else ("live" if t.is_live() else "expired")
                self.stdout.write(f"ls_{t.prefix}_…\t{t.user.username}\t{t.name}\t{','.join(t.scopes)}\t{status}")
        else:
            token = Token.objects.filter(prefix=opts["prefix"].removeprefix("ls_").partition("_")[0]).first()
            if token is None:
                raise CommandError(f"no token {opts['prefix']!r}")
            tokens.revoke(token)
            self.stdout.write(f"revoked ls_{token.prefix}_… ({token.name})")
