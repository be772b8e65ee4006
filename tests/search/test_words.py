"""Words, not substrings: what the index holds and what a query asks for (no database)."""

from __future__ import annotations

from luoshi.search.words import index_words, query_words


def test_a_long_word_also_stands_as_its_shorter_words() -> None:
    words = index_words("抓好高标准农田建设").split()
    assert {"抓好", "高标准", "农田", "建设"} <= set(words)


def test_a_query_is_cut_into_whole_words() -> None:
    assert query_words("高标准农田") == ["高标准", "农田"]
    assert query_words("  农田 农田 ") == ["农田"]  # each word once


def test_punctuation_is_no_word_and_latin_letters_are_lower_case() -> None:
    assert index_words("5G网络，建设！") == "5g 网络 建设"
    assert query_words("，。！") == []


def test_characters_across_two_words_are_not_a_word_of_the_text() -> None:
    words = set(index_words("抓好高标准农田建设").split())
    for piece in query_words("田建") + query_words("标农"):
        assert piece not in words
