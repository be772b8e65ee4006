"""The bar chart of a bulletin: closed, overdue, returned and urged per unit, as a PNG.

Drawn with matplotlib's Agg canvas (no pyplot, so no global figure state between requests).
Unit names need a Chinese font: the first of the usual ones the machine has (Noto Sans CJK,
WenQuanYi, SimHei, Microsoft YaHei, PingFang). Without one, Chinese would print as empty
boxes, so the bars are labelled with numbers and plain-ASCII series names instead, and the
bulletin prints which number is which unit (`Chart.numbered`).
"""

from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass

from luoshi.ledgers.periods import UnitActivity

# family names as matplotlib's font manager reports them, best first
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK JP",
                "Source Han Sans CN", "Droid Sans Fallback")
# file names of the same fonts, for one installed after matplotlib cached its list of fonts
CJK_FILES = ("notosanscjk", "sourcehansans", "wqy-microhei", "wqy-zenhei", "simhei", "msyh", "pingfang",
             "droidsansfallback")

SERIES = (  # (field, Chinese name, plain name without a Chinese font, colour)
    ("closed", "办结", "Closed", "#2e7d32"),
    ("overdue", "逾期", "Overdue", "#c62828"),
    ("returned", "退回", "Returned", "#ef6c00"),
    ("urged", "催办", "Urged", "#1565c0"),
)
MAX_UNITS = 20  # more bars than this are unreadable on a page: the most active units are drawn
DPI = 150


@dataclass(frozen=True)
class Chart:
    png: bytes
    units: list[UnitActivity]  # the rows drawn, top to bottom
    numbered: bool  # True: no Chinese font, bars labelled 1, 2, … for `units` in order
    font: str | None
    shown_of: int | None = None  # how many units there were, when only the most active are drawn


@functools.cache
def cjk_font() -> str | None:
    """The family name of a Chinese font matplotlib can draw with, or None."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FAMILIES if n in names), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if os.path.basename(path).lower().replace(" ", "").startswith(CJK_FILES):
                font_manager.fontManager.addfont(path)
        found = known()
    return found


def activity(row: UnitActivity) -> int:
    return row.closed + row.overdue + row.returned + row.urged


def activity_chart(rows: list[UnitActivity]) -> Chart:
    """Horizontal grouped bars, one group per unit (the most active first), with their figures."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    drawn = sorted(rows, key=lambda r: (-activity(r), r.unit.name if r.unit else ""))[:MAX_UNITS]
    family = cjk_font()
    font = FontProperties(family=family, size=8) if family else FontProperties(size=8)
    labels = [str(r.unit) for r in drawn] if family else [str(n) for n in range(1, len(drawn) + 1)]

    n = max(len(drawn), 1)
    fig = Figure(figsize=(6.3, 1.3 + 0.34 * n), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    height = 0.8 / len(SERIES)
    for k, (field, chinese, plain, colour) in enumerate(SERIES):
        positions = [i + (k - (len(SERIES) - 1) / 2) * height for i in range(len(drawn))]
        values = [getattr(r, field) for r in drawn]
        bars = ax.barh(positions, values, height=height, color=colour, label=chinese if family else plain)
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=6)
    ax.set_yticks(range(len(drawn)), labels)
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(font)
    ax.set_ylim(len(drawn) - 0.5, -0.5)  # the most active unit at the top, no empty band
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", linewidth=0.4, alpha=0.5)
    ax.set_axisbelow(True)
    ax.margins(x=0.08)
    ax.legend(prop=font, ncols=len(SERIES), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return Chart(png=out.getvalue(), units=drawn, numbered=family is None, font=family,
                 shown_of=len(rows) if len(rows) > len(drawn) else None)
