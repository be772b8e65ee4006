"""Place names, on sentences written in the genre (not taken from the corpus)."""

from __future__ import annotations

import pytest

from luoshi.text.extract.places import find_places


def test_provinces_and_prefectures_in_order() -> None:
    text = "省委书记先后来到黄冈市、宜昌市调研，要求湖北各地做好防汛工作，并听取湖南省有关情况汇报。"
    assert find_places(text) == ["黄冈市", "宜昌市", "湖北", "湖南省"]


def test_one_form_per_place_short_form_preferred() -> None:
    text = "新疆维吾尔自治区代表团审议时，代表们说，新疆发展稳定形势持续向好；四川省和四川各地也要支援。"
    assert find_places(text) == ["新疆", "四川"]


def test_county_short_form_needs_its_prefecture() -> None:
    assert find_places("要推进孝义、汾阳等市新型城镇化建设。") == []
    text = "吕梁市要推进孝义、汾阳等市新型城镇化建设。"
    assert find_places(text) == ["吕梁市", "孝义", "汾阳"]


def test_small_places_chained_to_a_county() -> None:
    text = "他深入红安县七里坪镇长胜街村，察看村集体经济发展情况。"
    assert find_places(text) == ["红安县", "七里坪镇", "长胜街村"]


def test_small_place_after_a_verb_of_going_and_after_de() -> None:
    text = "随后，他前往光山县西南部的文殊乡东岳村，又来到龟山镇茶叶合作社。"
    assert find_places(text) == ["光山县", "文殊乡", "东岳村", "龟山镇"]


def test_lists_of_small_places() -> None:
    assert find_places("桃花镇、柳林乡要在7月底前完成改造任务。") == ["桃花镇", "柳林乡"]
    assert find_places("要加强对漳河、沮河沿线的巡查值守。") == ["漳河", "沮河"]


def test_surname_village_and_dam_and_reservoir() -> None:
    text = "他来到龙滩水电站，又到王家湾察看险情，察看了浮桥河水库除险加固情况。"
    assert find_places(text) == ["龙滩", "王家湾", "浮桥河水库"]


def test_estate_after_a_district() -> None:
    text = "市长来到南开区阳光家园建设工地，察看保障性住房建设情况。"
    assert find_places(text) == ["南开区", "阳光家园"]


def test_regions_rivers_lakes_and_foreign_regions() -> None:
    text = "预计华北、东北降雨偏多，长江、淮河流域和洞庭湖水位上涨；要深化同东南亚、中亚国家合作。"
    assert find_places(text) == ["华北", "东北", "长江", "淮河", "洞庭湖", "东南亚", "中亚"]


@pytest.mark.parametrize(
    "text",
    [
        "以中国式现代化全面推进中华民族伟大复兴，坚持中国特色社会主义道路。",
        "要统筹城乡发展，推动全省农村、山区、库区加快发展，本市各县区要抓好落实。",
        "会议在人民大会堂举行，国务院、省农业农村厅有关负责同志出席。",
        "确保社会长治久安，推动朝阳产业发展，让群众生活幸福安康。",
        "守护好祖国北疆这道亮丽风景线，蒙古族、朝鲜族代表发言。",
        "代表李玉林、赵丽江在发言中表示赞同，刘南平出席会议。",
        "绿色是其中一大理念，各开发区要集中山区资源，在县城西南部建设园区。",
        "要坚持“十五五”规划引领，推动东中西部协调发展。",
    ],
)
def test_not_places(text: str) -> None:
    assert find_places(text) == []


def test_every_place_is_a_substring() -> None:
    text = (
        "王晓东在黄冈市调研乡村振兴工作时强调，要推进大别山革命老区振兴发展，加强长江大保护，"
        "抓好红安县七里坪镇、麻城市龟山镇等地的产业发展。"
    )
    places = find_places(text)
    assert places == ["黄冈市", "大别山", "长江", "红安县", "七里坪镇", "麻城市", "龟山镇"]
    assert all(p in text for p in places)
