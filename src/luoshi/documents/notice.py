"""The supervision notice (督办通知单) of a task, as a Word document.

The layout offices send: the masthead in red (the issuing office's name and 督办通知单), the
document number (发文字号) over a red rule, then a ruled form: lead unit (承办单位), co-units
(协办单位), the matter (督办事项), where it comes from (事项来源), the deadline (办结时限, with
the first one where it was extended), the requirements (办理要求, standard wording with the
task's target) and whom to contact (联系方式), and under it the issuing office and the date.

Only builds the bytes: numbering, recording and journaling an issued notice is
`luoshi.documents.services.issue_notice`.
"""

from __future__ import annotations

import datetime as dt

from docx.enum.table import WD_ALIGN_VERTICAL
from docx.shared import Cm, Pt

from luoshi.documents.layout import (
    CENTER,
    ERHAO,
    HEADING_FONT,
    JUSTIFY,
    LEFT,
    RED,
    SANHAO,
    SIHAO,
    TITLE_FONT,
    chinese_date,
    new_document,
    red_rule,
    signature,
    table,
    to_bytes,
    write,
)
from luoshi.tasks.models import Priority, Task

URGENCY = {Priority.URGENT: "特急", Priority.HIGH: "加急"}  # 紧急程度, printed top left
LABEL_WIDTH, CONTENT_WIDTH = Cm(2.8), Cm(12.8)
FORM_LINE = Pt(22)  # the form in 四号 on a tighter line than the body, so that a notice fits a page


def matter_source(task: Task, organisation_name: str) -> str:
    """Where the task comes from: the titles of the documents its items were found in, and who
    gave it; the issuing office itself where neither is known."""
    sources = (task.items.select_related("source").defer("source__raw", "source__text", "source__extraction")
               .order_by("source__created_at", "source_id"))
    titles = list(dict.fromkeys(str(item.source).strip("《》") for item in sources))
    issuer = task.issuer_name or (str(task.leader) if task.leader_id else "")
    if titles:
        text = "、".join(f"《{t}》" for t in titles)
        return f"{text}（{issuer}）" if issuer else text
    return f"{issuer}交办" if issuer else f"{organisation_name}交办"


def deadline(task: Task) -> str:
    if task.due_date is None:
        return "未定时限，请按办理要求及时报送进展"
    text = f"{chinese_date(task.due_date)}前"
    if task.original_due_date and task.original_due_date != task.due_date:
        text += f"（原时限{chinese_date(task.original_due_date)}，经批准延期）"
    return text


def requirements(task: Task, *, has_co_units: bool) -> list[str]:
    """The standard wording of 办理要求, with the task's own target and the organisation's
    time to sign for it."""
    days = task.organisation.receipt_days
    items = ["请承办单位高度重视，明确分管负责同志和具体经办人员，制定工作方案，细化工作措施，确保按时保质完成。"]
    if task.target.strip():
        items.append(f"工作目标：{task.target.strip().rstrip('。')}。")
    items.append(f"请于收到本通知单之日起{days}个工作日内签收；办理期间定期报送进展情况，遇有重要情况随时报告；"
                 "办结后及时报送办理结果及佐证材料。")
    if has_co_units:
        items.append("协办单位要主动配合承办单位做好相关工作，及时反馈办理情况。")
    items.append("确需延期办理的，应在办结时限前提出申请并说明理由，经同意后方可延期。"
                 "对逾期未办结、办理不力的，将予以催办并通报。")
    return [f"{n}. {text}" for n, text in enumerate(items, 1)]


def supervision_notice(task: Task, *, number: str, issued_on: dt.date, organisation_name: str,
                       contact: str = "") -> bytes:
    """The 督办通知单 of ``task`` numbered ``number`` (发文字号, e.g. 〔2026〕12号), issued by
    ``organisation_name`` on ``issued_on``, as .docx bytes."""
    title = f"{organisation_name}督办通知单"
    doc = new_document(title=f"{title} {number}", author=organisation_name)

    if task.priority in URGENCY:
        write(doc, URGENCY[task.priority], font=HEADING_FONT, align=LEFT)
    write(doc, title, font=TITLE_FONT, size=ERHAO, color=RED, align=CENTER).paragraph_format.space_after = Cm(0.4)
    number_line = write(doc, number, align=CENTER)
    red_rule(number_line)
    number_line.paragraph_format.space_after = Pt(SANHAO)  # below the rule, not a blank line

    co_units = [str(u) for u in task.co_units.order_by("name")]
    rows = [
        ("承办单位", [str(task.lead_unit or "")]),
        ("协办单位", ["、".join(co_units) or "无"]),
        ("督办事项", [task.title, *[p.strip() for p in task.description.splitlines() if p.strip()]]),
        ("事项来源", [matter_source(task, organisation_name)]),
        ("办结时限", [deadline(task)]),
        ("办理要求", requirements(task, has_co_units=bool(co_units))),
        ("联系方式", [f"联系人：{contact}　　　　联系电话："]),  # the phone is written in by hand
    ]
    form = table(doc, len(rows), [LABEL_WIDTH, CONTENT_WIDTH])
    for row, (label, paragraphs) in zip(form.rows, rows, strict=True):
        label_cell, content_cell = row.cells
        label_cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        write(label_cell, label, font=HEADING_FONT, size=SIHAO, align=CENTER, line=FORM_LINE)
        for n, text in enumerate(paragraphs):
            write(content_cell, text, size=SIHAO, align=JUSTIFY, bold=(label == "督办事项" and n == 0), line=FORM_LINE)

    signature(doc, organisation_name, issued_on, space_before=Pt(SANHAO))
    return to_bytes(doc)
