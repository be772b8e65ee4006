"""The workflow drawn from the transition table: a Mermaid state diagram and a role table."""

from __future__ import annotations

from luoshi.access import PERMISSIONS
from luoshi.tasks.models import State
from luoshi.tasks.workflow import TRANSITIONS


def markdown() -> str:
    lines = [
        "# The task workflow",
        "",
        "Generated from `luoshi.tasks.workflow.TRANSITIONS` by `luoshi workflow`; do not edit by hand.",
        "",
        "```mermaid",
        "stateDiagram-v2",
        f"    [*] --> {State.DRAFT}",
    ]
    for t in TRANSITIONS:
        lines.append(f"    {t.source} --> {t.target}: {t.action}")
    lines += ["```", "", "| action | from | to | who may | needs |", "|---|---|---|---|---|"]
    for t in TRANSITIONS:
        who = ", ".join(sorted(t.roles))
        guard = "" if not t.guard else " (on a monitoring alert's task)" if "system" in t.roles else \
            " (when the organisation's setting allows)"
        lines.append(f"| {t.action} | {t.source} | {t.target} | {who}{guard} | {', '.join(t.needs) or '—'} |")
    lines += ["", "Actions that do not move the state (`luoshi.access.PERMISSIONS`):", "",
              "| action | who may | in states |", "|---|---|---|"]
    for action, perm in PERMISSIONS.items():
        for roles, states in ((perm.roles, perm.states), *perm.also):
            shown = ", ".join(sorted(states)) if states else "any"
            if perm.kinds:
                shown += f" (tasks of kind {', '.join(sorted(perm.kinds))})"
            lines.append(f"| {action} | {', '.join(sorted(roles))} | {shown} |")
    lines += ["", "States: " + ", ".join(f"`{s.value}` ({s.label})" for s in State), ""]
    return "\n".join(lines)
