#!/usr/bin/env python3
"""Build src/luoshi/text/data/t2s_phrase_chars.txt: characters that OpenCC t2s changes only in phrases.

The convert step skips OpenCC for text that t2s would leave unchanged. Characters that t2s changes on
their own are found at run time by converting them; the few that it changes only inside a phrase
(瞭 in 瞭解, 覆 in 答覆) cannot be, so they are listed here. They come from OpenCC's own phrase table,
dumped with the ``opencc_dict`` tool that ships in the opencc wheel.

usage: python3 scripts/build_t2s_phrase_chars.py
"""

import os
import subprocess
import tempfile
from pathlib import Path

import opencc

OUT = Path(__file__).resolve().parents[1] / "src" / "luoshi" / "text" / "data" / "t2s_phrase_chars.txt"


def main() -> None:
    clib = Path(opencc.__file__).parent / "clib"
    tool = clib / "bin" / "opencc_dict"
    cc = opencc.OpenCC("t2s")
    chars: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "TSPhrases.txt"
        env = dict(os.environ, LD_LIBRARY_PATH=str(clib / "lib64"))
        subprocess.run(
            [str(tool), "-i", str(clib / "share" / "opencc" / "TSPhrases.ocd2"), "-o", str(dump),
             "-f", "ocd2", "-t", "text"],
            check=True, env=env,
        )
        for line in dump.read_text(encoding="utf-8").splitlines():
            key, values = line.split("\t")
            for a, b in zip(key, values.split(" ")[0], strict=False):
                if a != b and cc.convert(a) == a:
                    chars.add(a)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(sorted(chars)) + "\n", encoding="utf-8")
    print(f"wrote {len(chars)} characters to {OUT}: {''.join(sorted(chars))}")


if __name__ == "__main__":
    main()
