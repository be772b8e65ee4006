"""The demo organisation's routing rules and its supervisor's choices of co-units.

RULES become `RoutingRule` rows (an administrator keeps them on the routing page); the
review desk suggests each item's lead unit from them. CO_UNITS are what the demo's
supervisor adds on the desk, keyed by a phrase of the item.
"""

from __future__ import annotations

# (phrase, lead unit, weight)
RULES: list[tuple[str, str, float]] = [
    ("高标准农田", "省农业农村厅", 1.0),
    ("农田", "省农业农村厅", 1.0),
    ("乡村振兴", "省农业农村厅", 1.0),
    ("防返贫", "省农业农村厅", 1.0),
    ("金融", "省地方金融监督管理局", 2.5),
    ("专业镇", "省工业和信息化厅", 1.0),
    ("产业转型", "省工业和信息化厅", 1.0),
    ("转型升级", "省工业和信息化厅", 1.0),
    ("新型工业化", "省工业和信息化厅", 1.0),
    ("矿山", "省应急管理厅", 1.0),
    ("安全生产", "省应急管理厅", 1.0),
    ("高质量发展", "省发展和改革委员会", 1.0),
    ("经济运行", "省发展和改革委员会", 1.0),
    ("项目建设", "省发展和改革委员会", 1.0),
    ("就业", "省人力资源和社会保障厅", 1.0),
    ("社保", "省人力资源和社会保障厅", 1.0),
    ("社会救助", "省民政厅", 1.0),
    ("能源", "省能源局", 0.5),
]

# (phrase of the item, co-units the supervisor adds)
CO_UNITS: list[tuple[str, list[str]]] = [
    ("高标准农田", ["省自然资源厅"]),
    ("金融服务乡村振兴", ["省农业农村厅"]),
    ("专业镇", ["省商务厅"]),
    ("矿山", ["省能源局", "省自然资源厅"]),
    ("转型升级", ["省发展和改革委员会"]),
    ("推进高质量发展", ["省工业和信息化厅"]),
    ("经济运行", ["省发展和改革委员会", "省能源局"]),
    ("产业转型", ["省工业和信息化厅", "省商务厅"]),
    ("项目建设", ["省发展和改革委员会", "省自然资源厅"]),
    ("巩固衔接", ["省农业农村厅", "省民政厅"]),
    ("民生保障", ["省人力资源和社会保障厅", "省民政厅"]),
    ("安全生产", ["省应急管理厅", "省能源局"]),
]


def co_units_for(headline: str) -> list[str]:
    for phrase, units in CO_UNITS:
        if phrase in headline:
            return units
    return []
