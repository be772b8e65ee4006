"""How much of the review desk a supervisor could accept as it stands, over corpora with gold.

    .venv/bin/python bench/desk.py [CORPUS ...]     (default: ../shared/corpus/dev and local)

Each raw report is taken in through the same door as an upload (`desk.intake.take_in`) into a
throwaway database; its proposals are compared with the gold directives:
- accepted unedited: a gold directive whose proposal has its headline, its text (the span) and
  its deadline right (the gold's, or none where the gold has none; judged as the scorer judges
  it where the text never gives its year) — a supervisor accepts it without touching the card;
- spurious: a proposal that is neither a gold directive nor a gold topic (a suggestion).
Aim: at least 90 % accepted unedited, at most 5 % spurious.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT.parent / "shared" / "corpus" / "dev", ROOT.parent / "shared" / "corpus" / "local"]
SAME_ITEM = 0.6  # a proposal this alike a gold directive's text is that directive, right or not


def _clean(text: str) -> str:
    return "".join(text.split())


def _alike(a: str, b: str) -> float:
    return SequenceMatcher(None, _clean(a), _clean(b), autojunk=False).ratio()


def _same_deadline(proposal, gold: dict, year_known: bool) -> bool:
    """As the scorer judges a deadline: where the text never gives its year, month and day only
    (and 春节前 then cannot be dated at all)."""
    got = proposal.due_date.isoformat() if proposal.due_date else None
    want = gold.get("deadline")
    if got is None or want is None:
        return got == want
    if year_known:
        return got == want
    return "春节" in (gold.get("deadline_basis") or "") or got[5:] == want[5:]


def score(corpus: Path, organisation, actor) -> dict:
    from luoshi.desk.intake import take_in

    gold_n = unedited = proposals_n = spurious = 0
    misses: list[str] = []
    for raw in sorted((corpus / "raw").iterdir()):
        gold_path = corpus / "gold" / f"{raw.stem}.json"
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        got = take_in(raw.read_bytes(), name=raw.name, organisation=organisation, actor=actor)
        proposals = list(got.proposals)
        year_known = len(got.source.extraction.get("date") or "") == 10  # YYYY-MM-DD: the text gives its year
        directives = [p for p in proposals if p.kind == "directive"]
        used: set[int] = set()
        for g in gold.get("directives", []):
            gold_n += 1
            best = max(directives, key=lambda p: _alike(p.text, g["text"]), default=None)
            if best is None or _alike(best.text, g["text"]) < SAME_ITEM:
                misses.append(f"{raw.stem} #{g['ordinal']}: not proposed")
                continue
            used.add(best.pk)
            right = {
                "headline": _clean(best.headline) == _clean(g["headline"]),
                "text": _clean(best.text) == _clean(g["text"]),
                "deadline": _same_deadline(best, g, year_known),
            }
            if all(right.values()):
                unedited += 1
            else:
                misses.append(f"{raw.stem} #{g['ordinal']}: " + ", ".join(k for k, ok in right.items() if not ok))
        topics = [_clean(t) for t in gold.get("topics", [])]
        for p in proposals:
            proposals_n += 1
            is_topic = p.kind == "suggestion" and _clean(p.text) in topics
            if p.pk not in used and not is_topic:
                spurious += 1
                misses.append(f"{raw.stem}: spurious {p.kind} “{p.headline[:30]}”")
    return {"gold": gold_n, "unedited": unedited, "proposals": proposals_n, "spurious": spurious, "misses": misses}


def main(argv: list[str]) -> int:
    corpora = [Path(a) for a in argv] or CORPORA
    var = tempfile.mkdtemp(prefix="luoshi-bench-desk-")
    os.environ["LUOSHI_VAR_DIR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from luoshi.org.models import Membership, Role, Unit, User

    call_command("migrate", verbosity=0)
    province = Unit.objects.create(name="山西省人民政府", is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", parent=province, kind=Unit.Kind.OFFICE)
    actor = User.objects.create_user("supervisor", password="x")
    Membership.objects.create(user=actor, unit=office, role=Role.SUPERVISOR)
    failed = False
    print(f"{'corpus':8s} {'gold':>5s} {'unedited':>9s} {'proposals':>10s} {'spurious':>9s}")
    for corpus in corpora:
        r = score(corpus, province, actor)
        share = r["unedited"] / r["gold"] if r["gold"] else 1.0
        junk = r["spurious"] / r["proposals"] if r["proposals"] else 0.0
        print(f"{corpus.name:8s} {r['gold']:5d} {share:9.1%} {r['proposals']:10d} {junk:9.1%}")
        for miss in r["misses"]:
            print(f"         - {miss}")
        failed |= share < 0.90 or junk > 0.05
    print("aim: at least 90% accepted unedited, at most 5% spurious" + ("" if not failed else " — NOT MET"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
