"""The import graph: no module imports itself back through others, and the apps build on each
other in one direction (org ← workdays ← sources ← tasks ← answers ← notify ← search ← desk ← jobs ← demo), so each can be read on its own."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import luoshi

PACKAGE = Path(luoshi.__file__).parent
APPS = ("org", "workdays", "sources", "tasks", "answers", "notify", "search", "desk", "imports", "monitoring",
        "ledgers", "documents", "projects", "assessment", "dashboard", "jobs", "api", "demo")
# the order the apps build on: an app may import only those before it
ORDER = {app: n for n, app in enumerate(APPS)}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # lazy imports count too
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from package import submodule" depends on the submodule; anything else on the module
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            for t in targets:
                if t in modules and t != name:
                    graph[name].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def test_no_module_imports_itself_back() -> None:
    assert _cycles(_graph()) == []


def test_the_apps_build_on_each_other_in_one_direction() -> None:
    wrong = []
    for module, targets in _graph().items():
        parts = module.split(".")
        app = parts[1] if len(parts) > 1 and parts[1] in ORDER else None
        for t in targets:
            tparts = t.split(".")
            other = tparts[1] if len(tparts) > 1 and tparts[1] in ORDER else None
            if app and other and ORDER[other] > ORDER[app]:
                wrong.append(f"{module} imports {t}")
    assert wrong == []


def test_the_text_library_imports_no_django() -> None:
    for path in (PACKAGE / "text").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n == "django" or n.startswith("django.") for n in names), path
