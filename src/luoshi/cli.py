"""The `luoshi` command.

`luoshi extract FILE...` needs no database and imports no Django. Every other verb is a
Django management command (`luoshi migrate`, `luoshi demo`, `luoshi verify_journal`, …).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # a meeting report is kilobytes; refuse what cannot be one


def _read(path: str, limit: int) -> bytes:
    p = Path(path)
    if p.is_dir():
        raise ValueError("is a directory, not a file")
    size = p.stat().st_size
    if size > limit:
        raise ValueError(f"file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB")
    return p.read_bytes()


def _human(obj: dict) -> str:
    if obj.get("error"):
        return f"{obj['file']}: error: {obj['error']}\n"
    lines = [f"== {obj['file']} ({obj['encoding']})"]
    for key in ("title", "subtitle", "date"):
        if obj.get(key):
            lines.append(f"{key}: {obj[key]}")
    for key in ("leaders", "attendees", "speakers", "topics", "places", "methods"):
        if obj.get(key):
            lines.append(f"{key}: {'、'.join(obj[key])}")
    for d in obj["directives"]:
        due = f"  [{d['deadline']} ← {d['deadline_basis']}]" if d["deadline"] else ""
        lines.append(f"  {d['ordinal']}. ({d['issuer'] or '—'}) {d['headline']}{due}")
    for r in obj["repairs"]:
        lines.append(f"repair: {r['kind']} at {r['text_span']}: {r['detail']}")
    for w in obj["warnings"]:
        lines.append(f"warning: {w}")
    for e in obj.get("explain", []):
        lines.append(f"why: {e}")
    return "\n".join(lines) + "\n"


def cmd_extract(args: argparse.Namespace) -> int:
    from luoshi.text import NormalizeError, process

    failed = 0
    for path in args.files:
        try:
            data = _read(path, args.max_bytes)
            obj = process(data, script=args.script, name=path).as_dict(path, explain=args.explain)
        except (OSError, ValueError, NormalizeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            obj = {"file": path, "error": reason}
            failed += 1
        if args.json:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(_human(obj))
        sys.stdout.flush()
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="luoshi", description="Luoshi (落实): closed-loop tracking of government work."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="read meeting reports and print what they say (no database)")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.add_argument("--json", action="store_true", help="one JSON object per file (JSON Lines)")
    ex.add_argument("--script", choices=["t2s", "s2t", "keep"], default="t2s",
                    help="convert traditional→simplified (default), the reverse, or keep the script")
    ex.add_argument("--explain", action="store_true",
                    help="also say why each candidate list or paragraph was taken as directives or not")
    ex.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=argparse.SUPPRESS)
    ex.set_defaults(func=cmd_extract)
    return parser


TEXT_VERBS = {"extract"}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in TEXT_VERBS and not argv[0].startswith("-"):
        return django_command(argv)
    args = build_parser().parse_args(argv)
    return args.func(args)


def django_command(argv: list[str]) -> int:
    """Every other verb is a Django management command: `luoshi migrate`, `luoshi demo`, …"""
    import os

    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    execute_from_command_line(["luoshi", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
