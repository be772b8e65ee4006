"""The parts of the desk pages that are not pages: where a text may be split, what a card
changes, which files the upload takes, and who keeps the routing rules."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi import access
from luoshi.desk import services as desk
from luoshi.desk.forms import ProposalForm, cut_points
from luoshi.org.models import units_of
from luoshi.sources.services import ingest, refusal

REPORT = (
    "县政府召开春耕生产调度会\n"
    "2024年3月2日，县长李文主持召开春耕生产调度会。\n"
    "会议要求，一要抓好农资储备，确保3月底前全部到位。二要做好耕地撂荒整治。三要加强农机检修，开展安全培训。\n"
)


def test_cut_points_are_sentence_ends_or_else_clause_ends() -> None:
    assert cut_points("一要做好防汛准备。二要加强值守。") == [(9, "一要做好防汛准备。", "二要加强值守。")]
    assert cut_points("加强农机检修，开展安全培训，落实责任。") == [
        (7, "加强农机检修，", "开展安全培训，落实责任。"), (14, "加强农机检修，开展安全培训，", "落实责任。")]
    assert cut_points("做好耕地撂荒整治。") == []
    assert cut_points("城区排涝") == []


@pytest.fixture
def proposals(org):
    source, _ = ingest(REPORT.encode(), name="春耕.txt", organisation=org.province, actor=org.supervisor)
    return desk.propose(source)


def _form(p, units, **typed):
    data = {"version": p.version, "headline": p.headline, "text": p.text, "kind": p.kind,
            "issuer_name": p.issuer_name, "lead_unit": p.lead_unit_id or "", "due_date": p.due_date or "",
            "due_basis": p.due_basis, "co_units": [u.pk for u in p.co_units.all()]}
    data.update(typed)
    form = ProposalForm({f"p{p.pk}-{k}": v for k, v in data.items()}, proposal=p, units=units)
    assert form.is_valid(), form.errors
    return form


def test_a_card_sent_unchanged_changes_nothing(org, proposals) -> None:
    units = units_of(org.province)
    assert _form(proposals[0], units).changes() == ({}, None)


def test_a_typed_date_drops_the_words_it_came_from(org, proposals) -> None:
    units = units_of(org.province)
    first = proposals[0]
    assert (first.due_basis, first.due_date) == ("3月底前", dt.date(2024, 3, 31))
    changes, co = _form(first, units, due_date="2024-03-20", headline=" 抓好农资储备 ").changes()
    assert changes == {"due_date": dt.date(2024, 3, 20), "due_basis": "", "headline": "抓好农资储备"}
    assert co is None
    # typed words with the date: kept as typed
    changes, _ = _form(first, units, due_date="2024-03-20", due_basis="3月20日前").changes()
    assert changes["due_basis"] == "3月20日前"


def test_co_units_never_include_the_lead_unit(org, proposals) -> None:
    units = units_of(org.province)
    changes, co = _form(proposals[1], units, lead_unit=org.unit_a.pk,
                        co_units=[org.unit_a.pk, org.unit_b.pk]).changes()
    assert changes["lead_unit"] == org.unit_a and co == [org.unit_b]


@pytest.mark.parametrize(("name", "head", "says"), [
    ("纪要.txt", b"\xe4\xbc\x9a", None), ("纪要.HTML", b"<html>", None), ("纪要", b"\xe4", None),
    # the documents the text library reads, when they begin as their format does
    ("纪要.docx", b"PK\x03\x04", None), ("纪要.ofd", b"PK\x03\x04", None), ("纪要.pdf", b"%PDF-1.7", None),
    ("纪要.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None), ("纪要.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None),
    # … and when they do not: damaged, or something else renamed
    ("纪要.docx", b"%PDF-1.7", "Word"), ("纪要.pdf", b"PK\x03\x04", "PDF"), ("纪要.wps", b"GIF89a", "WPS"),
    # what is not a report
    ("纪要.xlsx", b"PK\x03\x04", "Excel"), ("纪要.rtf", b"{\\rtf1", "RTF"), ("纪要.txt", b"{\\rtf1", "RTF"),
    ("纪要.png", b"\x89PNG", "reports are taken as"),
])
def test_which_files_the_upload_takes(name, head, says) -> None:
    why = refusal(name, head)
    if says is None:
        assert why is None
    else:
        assert says in why and name in why


def test_who_keeps_the_routing_rules(org) -> None:
    keeps = {who for who, user in org.users().items() if access.routing_organisations(user)}
    assert keeps == {"supervisor", "admin", "other_supervisor"}
    assert access.can_edit_routing(org.admin, org.province) and not access.can_edit_routing(org.admin, org.other_org)
    assert [o.pk for o in access.routing_organisations(org.other_supervisor)] == [org.other_org.pk]
