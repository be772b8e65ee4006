"""Properties of normalization on arbitrary input: it never fails except with NormalizeError, and
every offset and span it returns is in range."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.text.normalize import NormalizeError, normalize
from luoshi.text.types import Normalized

# pieces of the genre and of its faults, so that random text reaches every step
PIECES = [
    "县委", "召开", "會議", "強調", "時(shí)", "調(diào)", "?shù)", "膱?bào)", "貢r(shí)", "(2024)",
    "（含10万元）",
    "<p>", "</p>", "<br/>", "&nbsp;", "&amp;", "[视频]", "\r\n", "\n", "　　", " ", ",", ":", "?", "!",
    "(", ")", "1,000", "7.0级", "意味著", "\ufffd", "a", "Li", "é",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes, script: str = "t2s") -> Normalized | None:
    try:
        n = normalize(data, script=script)
    except NormalizeError as e:
        assert str(e)  # a sentence for a person
        return None
    raw, text, m = n.raw_text, n.text, n.offsets
    assert m.raw_len == len(raw) and m.text_len == len(text)
    points = [m.to_raw(i) for i in range(len(text) + 1)]
    assert points == sorted(points) and all(0 <= p <= len(raw) for p in points)
    for i in range(len(text)):
        s, e = n.raw_span(i, i + 1)
        assert 0 <= s <= e <= len(raw)
    for r in n.repairs:
        assert r.kind in ("pinyin_annotation", "lost_character", "unrecoverable")
        assert 0 <= r.raw_span[0] <= r.raw_span[1] <= len(raw)
        assert 0 <= r.text_span[0] <= r.text_span[1] <= len(text)
        assert r.detail
    assert all(isinstance(w, str) and w for w in n.warnings)
    return n


@SETTINGS
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text.encode("utf-8"))


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=60), st.sampled_from(["t2s", "keep", "s2t"]))
def test_random_text_of_the_genre(pieces: list[str], script: str) -> None:
    n = check("".join(pieces).encode("utf-8"), script)
    if n is not None:
        assert "\r" not in n.text and "<p>" not in n.text


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(["gb18030", "utf-16", "utf-8-sig"]))
def test_random_text_in_other_encodings(pieces: list[str], encoding: str) -> None:
    text = "".join(pieces)
    check(text.encode(encoding, "replace"))


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data)


PLAIN = st.characters(blacklist_characters="(（?？\ufffd<&\r[【［", blacklist_categories=("Cs",))


@SETTINGS
@given(st.text(PLAIN, max_size=200))
def test_plain_text_keeps_its_characters(text: str) -> None:
    # without annotation marks, markup or a feed tag, normalization with the script kept changes
    # nothing but punctuation width and whitespace
    n = check(text.encode("utf-8"), "keep")
    if n is not None:
        squash = str.maketrans(",:;?!()\xa0", "，：；？！（） ")
        quotes = str.maketrans("“”", '""')  # a pair of straight quotes around Chinese turns curly
        assert ("".join(n.text.split()).translate(squash).translate(quotes)
                == "".join(text.split()).translate(squash).translate(quotes))
