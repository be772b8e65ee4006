"""Reports of the genre for the source and desk page tests, and helpers to put them on the desk."""

from __future__ import annotations

import opencc
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.desk import services as desk
from luoshi.desk.models import Proposal, RoutingRule
from luoshi.sources.models import Source
from luoshi.sources.services import ingest

# a flood-season meeting: two suggestions (topics of the deputies) and three directives, two with deadlines
REPORT = (
    "市政府召开防汛工作专题会议\n"
    "2024年5月20日下午，市长周文华主持召开防汛工作专题会议，副市长孙立出席会议。\n"
    "会上，吴刚、郑敏等代表先后发言，围绕城区排涝、山洪灾害防御等提出意见建议。\n"
    "周文华强调，一要抓紧修复水毁工程，确保6月底前全部完工。二要落实水库安全度汛责任，汛前完成隐患排查。"
    "三要加强农田灌溉设施管护，年底前完成渠系配套改造。\n"
)
HEADLINES = ["城区排涝", "山洪灾害防御", "抓紧修复水毁工程，确保6月底前全部完工", "落实水库安全度汛责任，汛前完成隐患排查",
             "加强农田灌溉设施管护，年底前完成渠系配套改造"]

# another meeting that repeats the reservoir directive (多头交办) and adds one about schools
REPEAT = (
    "省政府召开安全度汛调度会\n"
    "2024年6月3日，副省长王海主持召开安全度汛调度会。\n"
    "会议要求，一要落实水库安全度汛责任，汛前完成隐患排查，严防垮坝。二要做好中小学校舍安全检查。\n"
)

# a leaders' meeting where nothing concerns unit A: its tasks go to the water department
WATER = (
    "省水利厅召开专题会议\n"
    "2024年4月2日，厅长马力主持召开专题会议。\n"
    "会议要求，一要加快水库除险加固，确保汛前完工。二要开展河道清障，9月底前完成。三要做好防汛物资储备。\n"
)


def encoded(text: str, encoding: str) -> bytes:
    """The report's bytes in ``encoding`` (Big5 holds traditional characters only)."""
    if encoding == "big5":
        return opencc.OpenCC("s2t").convert(text).encode("big5")
    return text.encode(encoding)


def upload(name: str, data: bytes, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def rules(org) -> None:
    RoutingRule.objects.create(organisation=org.province, phrase="水库", unit=org.unit_c)
    RoutingRule.objects.create(organisation=org.province, phrase="农田", unit=org.unit_a)


def on_desk(org, text: str = REPORT, name: str = "防汛会议.txt") -> tuple[Source, list[Proposal]]:
    """Ingest ``text`` as the supervisor and put its proposals on the desk."""
    source, _created = ingest(text.encode("utf-8"), name=name, organisation=org.province, actor=org.supervisor)
    return source, desk.propose(source)


def card(proposals: list[Proposal], headline: str) -> Proposal:
    p = next(p for p in proposals if p.headline == headline)
    p.refresh_from_db()
    return p


def card_data(p: Proposal, **changes) -> dict:
    """What the card of ``p`` posts when sent unchanged (plus ``changes``, without the prefix)."""
    data = {
        "version": p.version, "headline": p.headline, "text": p.text, "kind": p.kind,
        "issuer_name": p.issuer_name, "lead_unit": p.lead_unit_id or "", "due_date": p.due_date or "",
        "due_basis": p.due_basis, "co_units": [u.pk for u in p.co_units.all()], "reason": "",
    }
    data.update(changes)
    return {f"p{p.pk}-{k}": v for k, v in data.items()}
