"""Cutting text into the words the index holds and a query asks for (no Django here).

A document is cut in jieba's search mode: 高标准农田建设 stands as 高标准农田建设's words and the
shorter dictionary words inside them (高标准, 标准, 农田, 建设), so a query for any of them finds
it. A query is cut in the accurate mode and every word of it must be found. A run of characters
that is not a word (田建) finds nothing: the search is by word, not by substring.
"""

from __future__ import annotations

import re
import threading

_WORD = re.compile(r"[^\W_]+")  # letters and digits (Han characters included), no punctuation
_lock = threading.Lock()
_jieba = None


def _cutter():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def _clean(tokens) -> list[str]:
    # a token is kept as its runs of letters and digits, lower case: what both databases'
    # tokenizers (FTS5 unicode61, PostgreSQL's 'simple') read back as the same words
    out = []
    for t in tokens:
        out.extend(_WORD.findall(t.lower()))
    return out


def index_words(text: str) -> str:
    """The words of ``text`` for the index, space-joined (search mode; repeats kept for ranking)."""
    if not text:
        return ""
    return " ".join(_clean(_cutter().cut_for_search(text)))


def query_words(query: str, limit: int = 12) -> list[str]:
    """The words a query asks for, each once, in order (accurate mode), at most ``limit``."""
    words = list(dict.fromkeys(_clean(_cutter().cut(query.strip()[:200]))))
    return words[:limit]
