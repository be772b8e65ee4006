"""The mapping suggested from the headers offices write, and a header row known again."""

from __future__ import annotations

from luoshi.imports import fields


def test_suggested_mapping_for_headers_written_by_hand() -> None:
    headers = ["序号", "督办事项", "责任单位（牵头单位）", "责任单位（配合单位）", "完成时限", "工作目标", "紧急程度", "备注"]
    assert fields.suggest(headers) == ["", "title", "lead_unit", "co_units", "due_date", "target", "priority",
                                       "description"]
    headers = ["编号", "任务名称", "主办单位", "协办单位", "办结时限", "目标", "责任领导", "交办人", "办理状态",
               "事项类型", "具体措施", "完成情况"]
    assert fields.suggest(headers) == ["", "title", "lead_unit", "co_units", "due_date", "target", "leader",
                                       "issuer_name", "state", "kind", "description", ""]
    headers = ["事项名称", "牵头单位", "配合单位", "时间节点", "牵头领导", "备注"]
    assert fields.suggest(headers) == ["title", "lead_unit", "co_units", "due_date", "leader", "description"]
    headers = ["工作任务", "责任单位", "责任单位（配合）", "完成 时限", "优先级"]
    assert fields.suggest(headers) == ["title", "lead_unit", "co_units", "due_date", "priority"]


def test_a_field_of_one_column_goes_to_the_first_that_asks() -> None:
    # two title-like columns: the second is left out; the description gathers both of its columns
    assert fields.suggest(["重点任务", "工作任务", "工作措施", "备注", ""]) == [
        "title", "", "description", "description", ""]


def test_signature_ignores_spaces_but_not_order() -> None:
    a = fields.signature(["督办事项", "牵头单位"])
    assert a == fields.signature([" 督办 事项", "牵头单位\n"])
    assert a != fields.signature(["牵头单位", "督办事项"])
    assert len(a) == 64


def test_stored_mapping_only_fits_its_headers() -> None:
    stored = fields.as_json(["督办事项", "牵头单位"], ["title", "lead_unit"])
    assert stored == [{"column": "A", "header": "督办事项", "field": "title"},
                      {"column": "B", "header": "牵头单位", "field": "lead_unit"}]
    assert fields.from_json(stored, ["督办事项", "牵头单位"]) == ["title", "lead_unit"]
    assert fields.from_json(stored, ["督办事项", "配合单位"]) is None
    assert fields.from_json(stored, ["督办事项"]) is None
