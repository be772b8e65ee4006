"""ID and phone numbers: masked for whoever does not need them, unmasked views journaled."""

from __future__ import annotations

import pytest
from django.test import Client

from luoshi import access
from luoshi.monitoring.masking import mask_id, mask_phone
from luoshi.monitoring.models import Unmasking
from tests.monitoring.helpers import subject

pytestmark = pytest.mark.django_db

ID, PHONE = "142301199001011234", "13812345678"
MASKED_ID, MASKED_PHONE = "1423**********1234", "138****5678"

# role → (sees the subject of unit B, may unmask it), written out from the table of the brief:
# the office and the unit in charge need the numbers; a leader and an administrator see masked.
EXPECTED = {
    "supervisor": (True, True),
    "handler_b": (True, True),
    "head_b": (True, True),
    "leader": (True, False),
    "admin": (True, False),
    "handler_a": (False, False),  # another unit's handler
    "deputy": (False, False),
    "other_supervisor": (False, False),
}


def test_masks() -> None:
    assert mask_id(ID) == MASKED_ID
    assert mask_phone(PHONE) == MASKED_PHONE
    assert (mask_id(""), mask_phone("")) == ("", "")
    assert mask_phone("12345") == "*****"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)  # sign-in itself is tested in tests/org (throttled, with a request)
    return c


@pytest.mark.parametrize("who", list(EXPECTED))
def test_masking_per_role(org, who) -> None:
    s = subject(org, "LL-100", unit=org.unit_b, id_number=ID, phone=PHONE)
    user = getattr(org, who)
    sees, unmasks = EXPECTED[who]
    assert (access.can_monitor(user, "see", s), access.can_monitor(user, "unmask", s)) == (sees, unmasks)
    c = _client(user)
    page = c.get(f"/monitoring/subjects/{s.pk}/")
    if not sees:
        assert page.status_code == 404
        assert c.post(f"/monitoring/subjects/{s.pk}/").status_code == 404
        return
    html = page.content.decode()
    assert MASKED_ID in html and MASKED_PHONE in html and ID not in html and PHONE not in html
    assert ('id="unmask"' in html) is unmasks
    shown = c.post(f"/monitoring/subjects/{s.pk}/")
    if unmasks:
        assert shown.status_code == 200
        assert ID in shown.content.decode() and PHONE in shown.content.decode()
        log = Unmasking.objects.get()
        assert (log.user, log.subject, log.what) == (user, s, "page")
    else:
        assert shown.status_code == 403
        assert Unmasking.objects.count() == 0


def test_export_is_masked_unless_asked_by_who_may(org) -> None:
    subject(org, "LL-101", unit=org.unit_b, id_number=ID, phone=PHONE)
    leader = _client(org.leader)
    body = b"".join(leader.get("/monitoring/subjects.csv").streaming_content).decode("utf-8-sig")
    assert MASKED_ID in body and ID not in body
    assert leader.get("/monitoring/subjects.csv?unmasked=1").status_code == 403
    sup = _client(org.supervisor)
    body = b"".join(sup.get("/monitoring/subjects.csv?unmasked=1").streaming_content).decode("utf-8-sig")
    assert ID in body and PHONE in body
    log = Unmasking.objects.get()
    assert (log.user, log.subject, log.what) == (org.supervisor, None, "export")


def test_a_unit_sees_the_subjects_of_the_units_under_it_and_no_others(org) -> None:
    from luoshi.org.models import Unit

    county = Unit.objects.create(name="离石区人民政府", parent=org.unit_b)
    below_city = subject(org, "LL-102", unit=county)
    elsewhere = subject(org, "LL-103", unit=org.unit_c)
    assert set(access.visible_subjects(org.handler_b)) == {below_city}
    assert access.can_monitor(org.handler_b, "unmask", below_city)
    assert not access.can_monitor(org.handler_b, "see", elsewhere)
    assert set(access.visible_subjects(org.leader)) == {below_city, elsewhere}
