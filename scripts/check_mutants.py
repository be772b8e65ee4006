"""Plant the five mutants of issue 13 one at a time in a copy of the project and check that a test
(never the docs snapshot, tests/tasks/test_diagram.py) fails for each.

    .venv/bin/python scripts/check_mutants.py

Prints one line per mutant: killed (and by which test) or SURVIVED; exits 1 if any survived.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, file, text to replace, replacement)
MUTANTS = [
    ("actor left out of the hash", "src/luoshi/tasks/journal.py", '            "actor": actor_id,\n', ""),
    ("due today is red", "src/luoshi/tasks/lights.py", '("red", before("due_date", lim.today))',
     '("red", on_or_before("due_date", lim.today))'),
    ("yellow window one day longer", "src/luoshi/tasks/lights.py",
     'warn_until=Span.parse(settings.LUOSHI["WARNING"]).apply(cal, today),',
     'warn_until=Span.parse(settings.LUOSHI["WARNING"]).apply(cal, today) + dt.timedelta(days=1),'),
    ("yellow window one day shorter", "src/luoshi/tasks/lights.py",
     'warn_until=Span.parse(settings.LUOSHI["WARNING"]).apply(cal, today),',
     'warn_until=Span.parse(settings.LUOSHI["WARNING"]).apply(cal, today) - dt.timedelta(days=1),'),
    ("the lead unit may close", "src/luoshi/tasks/workflow.py",
     'Transition("close", State.SUBMITTED, State.CLOSED, SUP,',
     'Transition("close", State.SUBMITTED, State.CLOSED, SUP | LEAD,'),
    ("a handler gets co-unit roles everywhere", "src/luoshi/tasks/roles.py",
     "        if co & handler:\n", "        if handler:\n"),
]
TESTS = ["tests/tasks", "tests/test_access.py"]


def main() -> int:
    survived = 0
    for name, path, old, new in MUTANTS:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "luoshi"
            shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.egg-info",
                                                                     "__pycache__", ".pytest_cache"))
            target = copy / path
            text = target.read_text(encoding="utf-8")
            if old not in text:
                print(f"{name}: the code to mutate was not found in {path}")
                return 2
            target.write_text(text.replace(old, new, 1), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(copy / "src"), "LUOSHI_VAR_DIR": str(copy / "var")}
            env.pop("DATABASE_URL", None)
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS,
                 "--deselect", "tests/tasks/test_diagram.py"],
                cwd=copy, env=env, capture_output=True, text=True)
            failed = re.findall(r"^FAILED (\S+)", run.stdout, re.M)
            if run.returncode != 0 and failed:
                print(f"killed    {name}: {failed[0]}")
            else:
                survived += 1
                print(f"SURVIVED  {name} (pytest exit {run.returncode})")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
