"""Speed of the text pipeline beside its libraries alone, on the same text, in one run.

    .venv/bin/python bench/text.py [--mb 20] [--corpus ../shared/corpus]

Builds ~N MB from the corpus raw files (seed and dev, repeated), then times:
  normalization (decode → repair → convert → typeset) and full extraction (normalize + extract),
  beside OpenCC's t2s conversion alone and jieba's cut alone on the same decoded text.
Each is run per document (how Luoshi meets text) and normalization also on one ~N MB blob
(the worst case of one huge upload); each figure is the best of three runs. Prints MB/s of
input; the ratios are what to read.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

import jieba
import opencc

from luoshi.text.decode import decode
from luoshi.text.extract import extract
from luoshi.text.normalize import normalize


def timed(fn, *args, repeat: int = 3) -> float:
    """The best of ``repeat`` runs: other work on the machine only ever adds time."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t)
    return best


def each(fn, items) -> None:
    """Run ``fn`` on every item and drop the result, as a pipeline that moves on does."""
    for x in items:
        fn(x)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    a = ap.parse_args()

    raws = sorted(a.corpus.glob("*/raw/*.txt"))
    if not raws:
        raise SystemExit(f"no raw files under {a.corpus}")
    docs = [p.read_bytes() for p in raws]
    size = sum(len(d) for d in docs)
    reps = max(1, round(a.mb * 1e6 / size))
    batch = docs * reps
    mb = sum(len(d) for d in batch) / 1e6
    texts = [decode(d).text for d in batch]  # the same text the baselines see, decoded
    blob = "\n".join(texts).encode("utf-8")
    print(f"{len(raws)} corpus files x {reps} = {len(batch)} documents, {mb:.1f} MB of input")

    cc = opencc.OpenCC("t2s")
    jieba.initialize()
    normalize(docs[0])  # load tables before timing
    extract(normalize(docs[0]).text)

    rows = []
    t_cc = timed(each, cc.convert, texts)
    rows.append(("OpenCC t2s alone (baseline)", t_cc))
    t_cut = timed(each, lambda t: sum(1 for _ in jieba.cut(t)), texts)
    rows.append(("jieba cut alone (baseline)", t_cut))
    t_norm = timed(each, normalize, batch)
    rows.append(("normalize, per document", t_norm))
    t_full = timed(each, lambda d: extract(normalize(d).text), batch)
    rows.append(("normalize + extract, per document", t_full))
    t_cc_blob = timed(cc.convert, blob.decode("utf-8"))
    rows.append(("OpenCC t2s alone, one blob (baseline)", t_cc_blob))
    t_blob = timed(normalize, blob)
    rows.append(("normalize, one blob", t_blob))

    for label, t in rows:
        print(f"  {label:40s} {mb / t:8.2f} MB/s  ({t:6.2f} s)")
    print(f"normalization / OpenCC alone:     {t_cc / t_norm:5.2f}x per document, "
          f"{t_cc_blob / t_blob:5.2f}x one blob   (aim >= 0.5x)")
    print(f"full extraction / jieba cut alone: {t_cut / t_full:5.2f}x   (aim >= 1x)")


if __name__ == "__main__":
    main()
