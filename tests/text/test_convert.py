"""Script conversion: OpenCC, the aspect particle 著, and the skip for Simplified text."""

from __future__ import annotations

import pytest

from luoshi.text import convert as convert_module
from luoshi.text.convert import convert, fix_zhe, needs_t2s


def test_traditional_to_simplified() -> None:
    text, m = convert("縣委書記強調，要瞭解群眾訴求，紮實推進鄉村振興。")
    assert text == "县委书记强调，要了解群众诉求，扎实推进乡村振兴。"
    assert m.is_identity


def test_simplified_to_traditional_and_keep() -> None:
    assert convert("县委书记强调，要推进乡村振兴。", "s2t")[0] == "縣委書記強調，要推進鄉村振興。"
    assert convert("縣委書記強調", "keep")[0] == "縣委書記強調"


def test_an_unknown_script_is_refused() -> None:
    with pytest.raises(ValueError, match="script"):
        convert("会议", "t2hk")


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("這意味著工作重心轉移", "这意味着工作重心转移"),
        ("隨著經濟發展", "随着经济发展"),
        ("沿著正確方向前進", "沿着正确方向前进"),
        ("為著人民的利益", "为着人民的利益"),
        ("本著實事求是的原則", "本着实事求是的原则"),
        ("圍繞著中心工作", "围绕着中心工作"),
        ("著力推動高質量發展", "着力推动高质量发展"),
        ("成效顯著", "成效显著"),
        ("著名的專家學者", "著名的专家学者"),
        ("當地土著居民", "当地土著居民"),
        ("他編著的著作", "他编著的著作"),
    ],
)
def test_the_aspect_particle_zhe(traditional: str, simplified: str) -> None:
    assert convert(traditional)[0] == simplified


def test_zhe_is_left_alone_in_text_that_was_already_simplified() -> None:
    assert convert("要著眼长远")[0] == "要著眼长远"  # nothing Traditional: not a Taiwan-style text
    assert fix_zhe("著作和显著") == "著作和显著"


def test_simplified_text_skips_opencc() -> None:
    assert not needs_t2s("县委书记强调，要压实责任。什么是覆盖面？")
    assert needs_t2s("縣委")
    assert needs_t2s("前後")  # 後 is in GB2312, and t2s changes it
    assert needs_t2s("批覆")  # 覆 changes only inside the phrase
    assert needs_t2s("甚麼")


def test_a_conversion_that_changes_length_is_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stretch:  # a converter that writes one character as two
        def convert(self, s: str) -> str:
            return s.replace("乾", "干干")

    monkeypatch.setattr(convert_module, "_opencc", lambda config: Stretch())
    monkeypatch.setattr(convert_module, "needs_t2s", lambda text: True)
    text, m = convert("第一行\n乾淨的水\n第三行", "t2s")
    assert text == "第一行\n干干淨的水\n第三行"
    assert m.to_raw_span(4, 6) == (4, 5)
    i = text.index("第三行")
    assert m.to_raw(i) == "第一行\n乾淨的水\n第三行".index("第三行")
