"""How often the desk's lead-unit suggestion is right, on the demo organisation's assignments.

    .venv/bin/python bench/routing.py

Loads the demo into a throwaway SQLite database, then holds out each assigned task in turn
(leave-one-out) and asks the router for the lead unit of its words, with everything else as
history: top-1 and top-3 accuracy for rules + history, rules alone, history alone, and the
baseline of always suggesting the most common lead unit.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter


def main() -> None:
    var = tempfile.mkdtemp(prefix="luoshi-bench-")
    os.environ["LUOSHI_VAR_DIR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    from luoshi.desk.routing import Router
    from luoshi.tasks.models import State, Task

    tasks = list(Task.objects.exclude(state=State.DRAFT).exclude(lead_unit=None).select_related("lead_unit"))
    majority = Counter(t.lead_unit_id for t in tasks).most_common(1)[0][0]
    print(f"{len(tasks)} assigned tasks in the demo organisation, each held out in turn")
    modes = {
        "rules + names + history": {},
        "rules alone": {"history": False, "names": False},
        "unit names alone": {"history": False, "rules": False},
        "history alone": {"rules": False, "names": False},
    }
    for label, kwargs in modes.items():
        top1 = top3 = 0
        t0 = time.perf_counter()
        for task in tasks:
            router = Router(task.organisation, exclude_tasks={task.pk}, **kwargs)
            lead_in = " ".join(i.lead_in() for i in task.items.all())
            ranked = [s.unit.pk for s in router.suggest(f"{task.title} {task.description}", lead_in=lead_in)]
            top1 += ranked[:1] == [task.lead_unit_id]
            top3 += task.lead_unit_id in ranked[:3]
        ms = (time.perf_counter() - t0) / len(tasks) * 1000
        print(f"  {label:24s} top-1 {top1 / len(tasks):5.0%}  top-3 {top3 / len(tasks):5.0%}  ({ms:.1f} ms a task)")
    hits = sum(t.lead_unit_id == majority for t in tasks)
    print(f"  {'most common unit':24s} top-1 {hits / len(tasks):5.0%}  (baseline)")


if __name__ == "__main__":
    sys.exit(main())
