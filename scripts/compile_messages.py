"""Compile the UI translations (locale/*/LC_MESSAGES/django.po → django.mo) with polib.

GNU gettext is not on the machines Luoshi is built on, so neither `makemessages` nor
`compilemessages` can run; this script does the second, and `--check` stands in for the first:
it lists every message the code and templates use (found the way xgettext would: gettext calls
in Python, {% translate %}/{% blocktranslate %} in templates via Django's own `templatize`) that
a catalogue lacks, and the catalogue entries that are untranslated or fuzzy.

    python scripts/compile_messages.py          # write every django.mo
    python scripts/compile_messages.py --check  # exit 1 if a message lacks a translation

Both the .po and the .mo are committed: a deployment needs no tool to build them.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tokenize
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "luoshi"
LOCALE = PACKAGE / "locale"
# the pure text library has no UI strings; migrations repeat the models' strings
SKIP_DIRS = {"text", "migrations"}
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy",
           "ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}

Key = tuple[str, str]  # (context, msgid)


def _key(name: str, args: list[str]) -> Key | None:
    if not args:
        return None
    if name.startswith("np"):
        return (args[0], args[1]) if len(args) > 1 else None
    if name.startswith("p"):
        return (args[0], args[1]) if len(args) > 1 else None
    return ("", args[0])


def python_msgids(path: Path) -> set[Key]:
    found: set[Key] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT:
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            key = _key(node.func.id, args)
            if key:
                found.add(key)
    return found


def template_msgids(path: Path) -> set[Key]:
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # the template's indentation is not Python's: tokenize each line as if at the margin
    code = "\n".join(line.lstrip() for line in code.splitlines())
    found: set[Key] = set()
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or tok.string not in GETTEXT:
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        args = []
        for t in tokens[i + 2:]:
            if t.string == ")":
                break
            if t.type == tokenize.STRING:
                args.append(ast.literal_eval(t.string))
        key = _key(tok.string, args)
        if key:
            found.add(key)
    return found


def used_msgids(only: tuple[str, ...] = ()) -> set[Key]:
    """Every message the package's Python code and templates ask to translate.

    ``only``: paths under src/luoshi to look in ("tasks", "templates", "org/models.py"); all if empty.
    """
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure()
        django.setup()

    def wanted(path: Path) -> bool:
        rel = path.relative_to(PACKAGE)
        inside = any(rel.as_posix() == o or rel.as_posix().startswith(o.rstrip("/") + "/") for o in only)
        return not SKIP_DIRS & set(rel.parts) and (not only or inside)

    found: set[Key] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if wanted(path):
            found |= python_msgids(path)
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        if wanted(path):
            found |= template_msgids(path)
    return found


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def problems(po_path: Path, used: set[Key]) -> list[str]:
    po = polib.pofile(str(po_path))
    have = {(e.msgctxt or "", e.msgid) for e in po if not e.obsolete}
    out = [f"missing: {ctx + ' | ' if ctx else ''}{msgid!r}" for ctx, msgid in sorted(used - have)]
    out += [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    out += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    return out


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report missing or untranslated messages")
    args = parser.parse_args(argv)
    if args.check:
        used = used_msgids()
        bad = 0
        for po_path in catalogues():
            for line in problems(po_path, used):
                print(f"{po_path.relative_to(ROOT)}: {line}")
                bad += 1
        return 1 if bad else 0
    for mo in compile_all():
        print(f"wrote {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
