"""How long a search takes on many tasks — beside a plain LIKE '%word%' scan and beside jieba alone.

    .venv/bin/python bench/search.py [--tasks 100000] [--runs 21] [--jobs 2] [--database URL]
    .venv/bin/python bench/search.py --database URL --existing [--reindex] [--words 农田,建设]

Without --existing it makes a throwaway database (SQLite under a temporary folder by default;
--database or DATABASE_URL for an empty PostgreSQL database) with one organisation, 40 units,
a supervisor and a handler of one unit, and N tasks whose titles and descriptions are drawn from
the phrases of real directives (高标准农田建设, 水库除险加固, …; a rare word, 盐碱地, in one task in a
thousand), inserted in bulk, then builds the search index in bulk (`luoshi.search.index.reindex`,
timed). With --existing it uses the database as it is (bench/scale.py's, say), rebuilding the
index first if it is empty or --reindex is given.

Then, for each word and for the supervisor (who sees the whole organisation) and a unit's
handler (who sees its own tasks), it prints p50 and p95 of ``--runs`` runs of:
  search  the first page (10) of tasks the user may see holding the word, as the page shows it
          (`search.query.search`: words, matches, rows, marked snippets);
  match   its matching alone (`search.query.find`: the page's ids by the full-text index);
  like    the same first page by the same visibility rule and a plain scan:
          title/description/target LIKE '%word%', newest first, LIMIT 11 (a substring match:
          it also finds 农田 inside 高标准农田, and 田建 across two words);
  jieba   cutting the query into words, which every search does first.
All three run in the same process on the same data.

Figures (100,000 tasks, 2 cores shared with other work: load average 10-13, so every figure is
several times what an idle machine gives; p50 of 21 runs, ms; match / LIKE):
  PostgreSQL 15  common word (建设)  21 / 454 (supervisor), 33 / 422 (handler)
                 rare word (盐碱地)    44 / 395, 47 / 355;  no such word (田建) 25 / 374, 56 / 337
  SQLite         common word        32 / 33, 79 / 57 (LIKE stops at its first 11 newest rows)
                 rare word          69 / 79, 51 / 645;   no such word 47 / 21, 78 / 77
The SQL of a match itself takes 0.1-8 ms (EXPLAIN ANALYZE); the rest is the ORM building the
visibility rule. jieba cuts a query in 0.01-0.06 ms. Building the index: 100,000 tasks in 206 s
(PostgreSQL) and 304 s (SQLite) with 2 processes under that load; jieba alone cuts a task in
1.2-1.6 ms on one idle core, so a million tasks take about 10-15 minutes on 2 idle cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time

VERBS = ("抓好", "推进", "加快", "落实", "完善", "强化", "做好", "开展", "深化", "统筹")
THINGS = ("高标准农田建设", "农村人居环境整治", "水库除险加固", "防汛备汛", "安全生产检查", "营商环境优化",
          "重点项目建设", "乡村振兴", "黄河流域生态保护", "煤矿安全监管", "义务教育均衡发展", "医疗保障",
          "文物保护利用", "招商引资", "数字政府建设", "老旧小区改造", "防返贫动态监测", "森林防火",
          "农产品质量安全", "交通基础设施建设", "农田水利设施管护", "城乡供水一体化")
KINDS = ("工作", "任务", "专项行动", "三年行动", "攻坚", "试点")
PLACES = ("太原市", "大同市", "朔州市", "忻州市", "吕梁市", "晋中市", "阳泉市", "长治市", "晋城市", "临汾市",
          "运城市")
ASKS = ("各地要压实责任，", "牵头单位要会同有关部门，", "要坚持问题导向，", "要加强统筹协调，")
ENDS = ("确保年底前完成", "一季度拿出方案", "按月报送进展情况", "6月底前取得阶段性成效", "形成长效机制")
RARE = "盐碱地"
WORDS = ("建设", "农田", "水库 除险", RARE, "田建")


def setup(database: str | None, var: str) -> None:
    os.environ["LUOSHI_VAR_DIR"] = var
    os.environ["DATABASE_URL"] = database or f"sqlite:///{var}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()


def make(n: int) -> None:
    from django.core.management import call_command

    from luoshi.org.models import Membership, Role, Unit, User
    from luoshi.tasks.models import State, Task

    call_command("migrate", verbosity=0)
    province = Unit.objects.create(name="山西省人民政府", is_organisation=True)
    office = Unit.objects.create(name="省政府督查室", parent=province)
    units = [Unit.objects.create(name=f"省第{i}厅", parent=province) for i in range(40)]
    sup = User.objects.create_user("supervisor", password="x")
    Membership.objects.create(user=sup, unit=office, role=Role.SUPERVISOR)
    handler = User.objects.create_user("handler", password="x")
    Membership.objects.create(user=handler, unit=units[0], role=Role.HANDLER)
    rng = random.Random(1)
    states = [s for s in State.values if s != State.DRAFT]
    batch = []
    for i in range(n):
        thing = rng.choice(THINGS)
        title = f"{rng.choice(PLACES) if rng.random() < .4 else ''}{rng.choice(VERBS)}{thing}{rng.choice(KINDS)}"
        text = f"{rng.choice(ASKS)}{rng.choice(VERBS)}{rng.choice(THINGS)}，{rng.choice(ENDS)}。"
        if i % 1000 == 500:
            text += f"统筹推进{RARE}综合利用。"
        batch.append(Task(organisation=province, title=title, description=text, lead_unit=rng.choice(units),
                          state=rng.choice(states)))
        if len(batch) == 5000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)


def index(jobs: int) -> None:
    from luoshi.search.index import reindex

    started = time.perf_counter()
    counts = reindex(jobs=jobs)
    took = time.perf_counter() - started
    print(f"index: {counts['t']:,} tasks, {counts['s']:,} sources, {counts['i']:,} items in {took:.1f} s "
          f"({counts['t'] / took:,.0f} tasks/s, {jobs} processes cutting words)")


def users():
    from luoshi.org.models import Membership, Role

    sup = Membership.objects.filter(role=Role.SUPERVISOR).select_related("user").order_by("pk").first()
    handler = Membership.objects.filter(role=Role.HANDLER, unit__led_tasks__isnull=False).select_related(
        "user").order_by("pk").first()
    return [(label, m.user) for label, m in (("supervisor", sup), ("handler", handler)) if m is not None]


def timings(fn, runs: int) -> tuple[float, float, object]:
    out = fn()  # warm: the first run reads the pages from disk
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], out


def like_page(user, words: list[str]):
    """The same first page by a substring scan: every word somewhere in the task's text."""
    from django.db.models import Q

    from luoshi.access import visible_tasks

    qs = visible_tasks(user)
    for w in words:
        qs = qs.filter(Q(title__contains=w) | Q(description__contains=w) | Q(target__contains=w))
    return list(qs.order_by("-pk").values_list("pk", flat=True)[:11])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes cutting words")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"),
                        help="a database URL (default: DATABASE_URL, else SQLite in a temporary folder)")
    parser.add_argument("--existing", action="store_true", help="use the database's data as it is")
    parser.add_argument("--reindex", action="store_true", help="with --existing: rebuild the index first")
    parser.add_argument("--words", default=",".join(WORDS), help="comma-separated queries")
    args = parser.parse_args()
    if args.existing and not args.database:
        parser.error("--existing needs --database (or DATABASE_URL)")
    with tempfile.TemporaryDirectory() as var:
        setup(args.database, var)
        from django.db import connection

        from luoshi.search.models import Entry, Kind
        from luoshi.search.query import find, search
        from luoshi.search.words import query_words

        if not args.existing:
            started = time.perf_counter()
            make(args.tasks)
            print(f"made {args.tasks:,} tasks in {time.perf_counter() - started:.1f} s")
            index(args.jobs)
        elif args.reindex or not Entry.objects.exists():
            index(args.jobs)
        print(f"{connection.vendor}; p50 / p95 of {args.runs} runs, milliseconds; hits on the first page")
        print(f"{'query':10s} {'who':10s} {'search':>15s} {'match':>15s} {'like':>15s} {'jieba':>13s}   hits s/like")
        for query in args.words.split(","):
            words, pieces = query_words(query), query.split()
            for label, user in users():
                s50, s95, page = timings(lambda q=query, u=user: search(u, q, Kind.TASK, limit=10), args.runs)
                m50, m95, _ = timings(lambda ws=words, u=user: find(u, ws, Kind.TASK, limit=10), args.runs)
                l50, l95, found = timings(lambda u=user, w=pieces: like_page(u, w), args.runs)
                j50, j95, _ = timings(lambda q=query: query_words(q), args.runs)
                more = "+" if page.more else ""
                print(f"{query:10s} {label:10s} {s50:7.1f} /{s95:6.1f} {m50:7.1f} /{m95:6.1f} {l50:7.1f} /{l95:6.1f} "
                      f"{j50:5.2f} /{j95:5.2f}   {len(page.hits)}{more}/{min(len(found), 10)}"
                      f"{'+' if len(found) > 10 else ''}  words: {' '.join(words)}")


if __name__ == "__main__":
    main()
