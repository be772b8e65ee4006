"""The full-text structures each database keeps beside `search_entry` (see models.py).

Kept here, not in the migration alone, because a bulk rebuild sets them aside and puts them back
(`luoshi search reindex`): filling an FTS5 table once, or building a GIN index once, is several
times faster than keeping them current row by row.
"""

from __future__ import annotations

SQLITE_TABLE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, content='search_entry', content_rowid='id', tokenize='unicode61')",
]
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP_TRIGGERS = ["DROP TRIGGER IF EXISTS search_entry_ai", "DROP TRIGGER IF EXISTS search_entry_ad",
                        "DROP TRIGGER IF EXISTS search_entry_au"]

PG_COLUMN = [
    "ALTER TABLE search_entry ADD COLUMN IF NOT EXISTS document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'B')) STORED",
    # the planner's sample of words: wide enough that a rare word is known to be rare, so it is
    # looked up in the GIN index, and a common one walked newest first until a page is full
    # (with the default sample an absent word was walked through every entry: 150 ms on 100,000)
    "ALTER TABLE search_entry ALTER COLUMN document SET STATISTICS 2000",
]
PG_INDEX = ["CREATE INDEX IF NOT EXISTS search_entry_document ON search_entry USING GIN (document)"]
PG_DROP_INDEX = ["DROP INDEX IF EXISTS search_entry_document"]


def run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        run(connection, SQLITE_TABLE + SQLITE_TRIGGERS)
    elif connection.vendor == "postgresql":
        run(connection, PG_COLUMN + PG_INDEX)


def drop(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        run(connection, [*SQLITE_DROP_TRIGGERS, "DROP TABLE IF EXISTS search_fts"])
    elif connection.vendor == "postgresql":
        run(connection, [*PG_DROP_INDEX, "ALTER TABLE search_entry DROP COLUMN IF EXISTS document"])


def set_aside(connection) -> None:
    """Before a bulk rebuild: stop keeping the full-text structure row by row."""
    if connection.vendor == "sqlite":
        run(connection, SQLITE_DROP_TRIGGERS)
    elif connection.vendor == "postgresql":
        run(connection, PG_DROP_INDEX)


def put_back(connection) -> None:
    """After a bulk rebuild: build the full-text structure once and keep it current again."""
    if connection.vendor == "sqlite":
        run(connection, ["INSERT INTO search_fts(search_fts) VALUES ('rebuild')", *SQLITE_TRIGGERS,
                         "ANALYZE search_entry"])
    elif connection.vendor == "postgresql":
        run(connection, [*PG_INDEX, "ANALYZE search_entry"])
