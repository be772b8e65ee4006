"""Write src/luoshi/text/data/festivals.json: Gregorian dates of lunar festivals, 1990-2060.

Run offline once (`pip install lunardate && python scripts/build_festivals.py`); the table is
committed so that Luoshi needs no lunar-calendar library at run time. 春节 (Spring Festival)
is lunar 1/1, 元宵 1/15, 端午 5/5, 中秋 8/15.
"""

import json
from pathlib import Path

from lunardate import LunarDate

FESTIVALS = {"春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "中秋": (8, 15)}


def main() -> None:
    table = {
        name: {str(y): LunarDate(y, m, d).to_solar_date().isoformat() for y in range(1990, 2061)}
        for name, (m, d) in FESTIVALS.items()
    }
    out = Path(__file__).resolve().parent.parent / "src/luoshi/text/data/festivals.json"
    out.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
