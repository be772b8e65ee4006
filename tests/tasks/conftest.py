import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # domain tests read the refusal messages; the UI's language is tested in tests/web
    with translation.override("en"):
        yield


@pytest.fixture
def festival_rules(settings) -> None:
    """The scan's rules the tests around the 2024 Spring Festival count by hand: remind 3 and 1
    working days before; escalate 1, 5, 10 working days after the due date; silence over 14
    calendar days; behind schedule by more than 10 points."""
    settings.LUOSHI = {**settings.LUOSHI, "REMIND_BEFORE": "3wd,1wd", "ESCALATE_AFTER": "1wd,5wd,10wd",
                       "STALE_AFTER": "14d", "BEHIND_MARGIN": 10}
