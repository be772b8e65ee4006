"""Which provincial departments the demo sends each piece of the seed to.

Plain keyword rules, first match wins: enough for demo data. The review desk and its
rules edited by an administrator replace this (issue 4).
"""

from __future__ import annotations

# (keyword in the item's words, lead department for suggestions, co-units)
RULES: list[tuple[str, str, list[str]]] = [
    ("高标准农田", "省农业农村厅", ["省自然资源厅"]),
    ("金融服务乡村振兴", "省地方金融监督管理局", ["省农业农村厅"]),
    ("专业镇", "省工业和信息化厅", ["省商务厅"]),
    ("矿山", "省应急管理厅", ["省能源局", "省自然资源厅"]),
    ("转型升级", "省工业和信息化厅", ["省发展和改革委员会"]),
    ("高质量发展", "省发展和改革委员会", ["省工业和信息化厅"]),
    ("经济运行", "省发展和改革委员会", ["省能源局"]),
    ("产业转型", "省工业和信息化厅", ["省发展和改革委员会"]),
    ("项目建设", "省发展和改革委员会", ["省自然资源厅"]),
    ("巩固衔接", "省农业农村厅", ["省民政厅"]),
    ("民生保障", "省人力资源和社会保障厅", ["省民政厅"]),
    ("安全生产", "省应急管理厅", ["省能源局"]),
]


def route(words: str) -> tuple[str, list[str]] | None:
    for keyword, lead, co in RULES:
        if keyword in words:
            return lead, co
    return None
