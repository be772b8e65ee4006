"""The fields a column can be imported into, and the mapping suggested from a header's words.

A mapping is one field key per column ("" for a column left out). A field takes one column,
except the description, which gathers every column given to it (备注, 工作措施 …), each under its
header. A header row is known again by its signature, so that the mapping chosen for it is
proposed the next time the same ledger comes in.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IGNORE = ""


@dataclass(frozen=True)
class Field:
    key: str
    label: str | Promise
    required: bool = False
    several: bool = False  # may take several columns


FIELDS: tuple[Field, ...] = (
    Field("title", _("Title"), required=True),
    Field("description", _("Description"), several=True),
    Field("kind", _("Kind")),
    Field("lead_unit", _("Lead unit")),
    Field("co_units", _("Co-units")),
    Field("due_date", _("Due date")),
    Field("target", _("Target (目标)")),
    Field("priority", _("Priority")),
    Field("leader", _("Leader")),
    Field("issuer_name", _("Issued by (name as written)")),
    Field("state", _("State to create in")),
)
BY_KEY = {f.key: f for f in FIELDS}

# Header words → field, the first rule that matches wins, so the more particular come first:
# 牵头领导 is a leader before 牵头 makes it the lead unit; 责任单位（配合） is a co-unit column
# before 责任单位 makes it the lead; 目标任务 is a target before 任务 makes it the title.
# A header matches a word it contains.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (IGNORE, ("序号", "编号", "完成情况", "进展情况", "办理情况", "进展")),
    ("leader", ("领导",)),
    ("co_units", ("配合", "协办", "协同", "协助", "参与单位", "参加单位")),
    ("lead_unit", ("牵头", "主办", "主责", "责任单位", "责任部门", "承办单位", "承办部门", "负责单位", "负责部门",
                   "落实单位", "实施单位")),
    ("issuer_name", ("交办人", "批示人", "下达人", "提出人", "交办者")),
    ("due_date", ("时限", "时间节点", "完成时间", "截止", "办结时间", "期限", "完成日期", "时间要求", "完成时间节点")),
    ("target", ("目标", "预期成效", "完成标准", "预期效果")),
    ("priority", ("优先级", "紧急程度", "重要程度", "缓急", "等级")),
    ("state", ("状态",)),
    ("kind", ("类型", "类别", "性质")),
    ("title", ("任务名称", "督办事项", "事项名称", "工作任务", "重点任务", "任务事项", "工作事项", "事项", "任务",
               "名称", "标题")),
    ("description", ("备注", "内容", "措施", "说明", "要求", "描述", "详情", "具体")),
)

_SPACE = re.compile(r"\s+")


def normalise(header: str) -> str:
    """A header as compared: full-width letters and digits made plain, spaces and line breaks gone."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", header or ""))


def suggest_one(header: str) -> str:
    text = normalise(header)
    if not text:
        return IGNORE
    for key, words in RULES:
        if any(w in text for w in words):
            return key
    return IGNORE


def suggest(headers: list[str]) -> list[str]:
    """The field each column probably holds; a field that takes one column goes to the first that asks."""
    taken: set[str] = set()
    out = []
    for header in headers:
        key = suggest_one(header)
        if key and not BY_KEY[key].several and key in taken:
            key = IGNORE
        taken.add(key)
        out.append(key)
    return out


def signature(headers: list[str]) -> str:
    """What identifies a header row: its columns' headers in order, as compared."""
    body = json.dumps([normalise(h) for h in headers], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def as_json(headers: list[str], fields: list[str]) -> list[dict]:
    """A mapping as stored: a row per column, with its letter and header for whoever reads it."""
    from openpyxl.utils import get_column_letter

    return [{"column": get_column_letter(i + 1), "header": h, "field": f}
            for i, (h, f) in enumerate(zip(headers, fields, strict=True))]


def from_json(stored: list, headers: list[str]) -> list[str] | None:
    """The fields of a stored mapping, if it was made for these headers (None otherwise)."""
    if not isinstance(stored, list) or len(stored) != len(headers):
        return None
    out = []
    for entry, header in zip(stored, headers, strict=True):
        if not isinstance(entry, dict) or normalise(str(entry.get("header", ""))) != normalise(header):
            return None
        key = entry.get("field", IGNORE)
        out.append(key if key in BY_KEY else IGNORE)
    return out
