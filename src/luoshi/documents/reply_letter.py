"""A reply letter (答复函) to a deputy's suggestion, in the layout offices send them.

关于对XX代表所提“……”建议的答复 — the salutation to the proposer, the reply's words, the class of
the result (A 已解决或采纳 / B 正在解决 / C 列入计划 / D 留作参考, with the reason of a D and the
date of the follow-up a B or C promises), the lead unit's name and the date of sending, the
co-units copied (抄送) and a contact line.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from luoshi.documents import layout
from luoshi.tasks.models import Reply, ReplyClass, Task

CLASS_SENTENCE = {
    ReplyClass.A: "您所提建议所涉问题已经解决或已被采纳（A类）。",
    ReplyClass.B: "您所提建议所涉问题正在解决（B类）。",
    ReplyClass.C: "您所提建议所涉问题已列入计划逐步解决（C类）。",
    ReplyClass.D: "您所提建议因条件限制等原因留作参考（D类）。",
}


def reply_letter(task: Task, reply: Reply, *, sent_on: dt.date | None = None) -> bytes:
    """The letter of one published reply, as .docx bytes."""
    sent_on = sent_on or (timezone.localdate(reply.published_at) if reply.published_at else timezone.localdate())
    unit = task.lead_unit.name if task.lead_unit else ""
    to = str(reply.proposer) if reply.proposer else "、".join(str(p) for p in task.proposers.order_by("pk"))
    doc = layout.new_document(title=f"关于{task.title}建议的答复", author=unit)
    kind = "补充答复" if reply.follow_up else "答复"
    layout.write(doc, f"关于对{to}代表所提“{task.title}”建议的{kind}", font=layout.TITLE_FONT, size=layout.ERHAO,
                 align=layout.CENTER, line=layout.Pt(36))
    layout.write(doc, "")
    layout.write(doc, f"尊敬的{to}代表：")
    for paragraph in [p for p in reply.text.splitlines() if p.strip()]:
        layout.write(doc, paragraph.strip(), indent=True, align=layout.JUSTIFY)
    layout.write(doc, CLASS_SENTENCE[ReplyClass(reply.category)], indent=True)
    if reply.category == ReplyClass.D and reply.reason:
        layout.write(doc, f"留作参考的原因：{reply.reason}", indent=True)
    if reply.follow_up_date:
        layout.write(doc, f"我们将于{layout.chinese_date(reply.follow_up_date)}前再次书面答复办理进展。", indent=True)
    if task.round > 1 and not reply.follow_up:
        layout.write(doc, f"此为第{reply.round}轮办理答复。", indent=True)
    layout.write(doc, "感谢您对我们工作的关心和支持。", indent=True)
    layout.signature(doc, unit, sent_on, space_before=layout.Pt(28))
    co = "、".join(u.name for u in task.co_units.order_by("name"))
    if co:
        layout.write(doc, "")
        layout.write(doc, f"抄送：{co}", size=layout.SIHAO)
    return layout.to_bytes(doc)
