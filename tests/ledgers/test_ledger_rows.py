"""A ledger's rows as a page writes them (`ledger_rows`): checked against rows written out by hand."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from luoshi.ledgers.definitions import Column
from luoshi.ledgers.templatetags.ledgers import ledger_rows

COLUMNS = (
    Column("title", "事项", "text", lambda r: r["title"], link=lambda r: f"/tasks/{r['pk']}/?a=1&b=2"),
    Column("due", "时限", "date", lambda r: r["due"]),
    Column("rate", "按期率", "percent", lambda r: r["rate"]),
    Column("urged", "催办", "int", lambda r: r["urged"], link=lambda r: "/tasks/?urged=1"),
)


def test_rows_and_total_as_written_by_hand() -> None:
    rows = [
        {"pk": 7, "title": '<i>"稳"&进</i>', "due": dt.date(2026, 3, 5), "rate": 87.5, "urged": 2},
        {"pk": 8, "title": "", "due": None, "rate": 0, "urged": 0},  # nothing to link to, nothing shown
    ]
    total = {"pk": 0, "title": "合计", "due": None, "rate": 43.8, "urged": 2}
    with translation.override("zh-hans"):
        html = ledger_rows(COLUMNS, rows, total)
    assert html.splitlines() == [
        '<tr><td class="k-text"><a href="/tasks/7/?a=1&amp;b=2">&lt;i&gt;&quot;稳&quot;&amp;进&lt;/i&gt;</a></td>'
        '<td class="k-date">2026年3月5日</td><td class="k-percent">87.5%</td>'
        '<td class="k-int"><a href="/tasks/?urged=1">2</a></td></tr>',
        '<tr><td class="k-text">—</td><td class="k-date">—</td><td class="k-percent">0%</td>'
        '<td class="k-int">0</td></tr>',
        # the total row links nowhere
        '<tr class="total"><td class="k-text">合计</td><td class="k-date">—</td><td class="k-percent">43.8%</td>'
        '<td class="k-int">2</td></tr>',
    ]


def test_dates_in_english_and_no_total() -> None:
    rows = [{"pk": 1, "title": "a", "due": dt.date(2026, 12, 1), "rate": 1, "urged": 0}] * 2
    with translation.override("en"):
        html = ledger_rows(COLUMNS, rows)
    assert html.count('<td class="k-date">Dec. 1, 2026</td>') == 2 and "total" not in html
