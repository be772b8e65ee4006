#!/usr/bin/env python3
"""Build src/luoshi/text/data/common_chars.txt: the most frequent Chinese characters, both scripts.

The decoder scores a GB18030 reading against a Big5 reading of the same bytes by how many of the
decoded characters are common; a wrong reading yields mostly rare characters. Frequencies come from
jieba's word list (a character counts the frequency of every word it occurs in); the Traditional
forms come from OpenCC converting those words (s2t, s2tw, s2hk), so each script has its own ranking.

usage: python3 scripts/build_common_chars.py [--top 3000]
"""

import argparse
import collections
import importlib.util
from pathlib import Path

import opencc

OUT = Path(__file__).resolve().parents[1] / "src" / "luoshi" / "text" / "data" / "common_chars.txt"


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=3000, help="characters kept per script")
    a = ap.parse_args()
    spec = importlib.util.find_spec("jieba")
    dict_path = Path(spec.origin).parent / "dict.txt"
    words = []
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words.append((parts[0], int(parts[1])))
    words.sort(key=lambda wf: -wf[1])
    words = words[:100_000]
    simp = collections.Counter()
    for w, f in words:
        for ch in w:
            if is_cjk(ch):
                simp[ch] += f
    trad = collections.Counter()
    joined = "\n".join(w for w, _ in words)
    for config in ("s2t", "s2tw", "s2hk"):
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        for (_, f), tw in zip(words, converted, strict=True):
            for ch in tw:
                if is_cjk(ch):
                    trad[ch] += f
    keep = {ch for ch, _ in simp.most_common(a.top)} | {ch for ch, _ in trad.most_common(a.top)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"wrote {len(keep)} characters to {OUT}")


if __name__ == "__main__":
    main()
