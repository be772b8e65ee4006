"""How alike two pieces of Chinese text are: character-bigram TF-IDF and cosine.

Bigrams need no word segmentation and catch the shared terms of official writing
(高标准农田, 农田建设) well; IDF, fitted on the texts being compared against, keeps the
genre's ubiquitous words (推进, 加强, 工作) from making everything look alike.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_HAN = re.compile(r"[\u3400-\u9fff]+")
# words every directive uses: they say nothing about which task this is
_STOP = frozenset(
    "要求 加强 推进 推动 坚持 做好 抓好 工作 切实 进一步 全面 深入 有关 部门 建设 发展 实现 确保 提高 提升"
    " 完善 健全".split()
)


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of the Chinese runs of ``text`` (single characters for one-character runs)."""
    grams: Counter[str] = Counter()
    for run in _HAN.findall(text):
        if len(run) == 1:
            grams[run] += 1
            continue
        for i in range(len(run) - 1):
            g = run[i : i + 2]
            if g not in _STOP:
                grams[g] += 1
    return grams


@dataclass
class Index:
    """Texts to compare against, vectorised once; `similar()` ranks them for a query."""

    keys: list
    vectors: list[dict[str, float]]
    idf: dict[str, float]

    @classmethod
    def build(cls, items: Iterable[tuple[object, str]]) -> Index:
        keys, counts = [], []
        for key, text in items:
            keys.append(key)
            counts.append(bigrams(text))
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(counts)
        idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
        default = math.log(1 + n) + 1.0
        vectors = [_weigh(c, idf, default) for c in counts]
        return cls(keys, vectors, idf)

    def vector(self, text: str) -> dict[str, float]:
        return _weigh(bigrams(text), self.idf, math.log(1 + len(self.keys)) + 1.0)

    def similar(self, text: str, *, limit: int = 5, floor: float = 0.0) -> list[tuple[object, float]]:
        """The keys whose texts are most like ``text``, best first, with their cosine."""
        q = self.vector(text)
        if not q:
            return []
        scored = []
        for key, v in zip(self.keys, self.vectors, strict=True):
            s = cosine(q, v)
            if s > floor:
                scored.append((key, s))
        scored.sort(key=lambda kv: -kv[1])
        return scored[:limit]


def _weigh(counts: Counter[str], idf: dict[str, float], default: float) -> dict[str, float]:
    v = {g: (1 + math.log(c)) * idf.get(g, default) for g, c in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {g: x / norm for g, x in v.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(g, 0.0) for g, x in a.items())


def similarity(a: str, b: str, corpus: Sequence[str] = ()) -> float:
    """Cosine of two texts, IDF fitted on ``corpus`` (and the two texts)."""
    index = Index.build(enumerate([*corpus, b]))
    return cosine(index.vector(a), index.vectors[-1])
