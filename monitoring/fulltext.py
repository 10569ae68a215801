"""The full-text index of the mentions' folded search documents (``Mention.folded``), per
database vendor, so the monitoring page's search reads an index instead of every stored text.

SQLite: an FTS5 table over the ``folded`` column (external content: the text is not stored
twice), kept in step by triggers, so rows written by ``bulk_create``, ``update()`` or raw SQL
are indexed too. PostgreSQL: a GIN index on ``to_tsvector('simple', folded)`` (``simple`` only
lower-cases, which suits folded syllables, and needs no extension). Any other vendor: a
whole-word ``LIKE`` on the column.

The ``search`` app's index covers opinion items and issues and sits above this app in the
layers, so the mentions have their own, built the same way. Django's SQLite schema editor
rebuilds a table to alter it and the old table's triggers go with it: :func:`ensure_index`
(after every ``migrate``, ``MonitoringConfig.ready``) puts them back and re-fills the index.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "monitoring_mention"
FTS = "monitoring_mention_fts"
GIN = "monitoring_mention_tsv"
TRIGGERS = {f"{FTS}_ai", f"{FTS}_ad", f"{FTS}_au"}


def _sqlite_create() -> list[str]:
    delete = f"INSERT INTO {FTS}({FTS}, rowid, folded) VALUES ('delete', old.id, old.folded);"
    insert = f"INSERT INTO {FTS}(rowid, folded) VALUES (new.id, new.folded);"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(folded, content='{TABLE}',"
        " content_rowid='id', tokenize='unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF folded ON {TABLE} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    ]


def _pg_create() -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} "
        "USING gin (to_tsvector('simple'::regconfig, folded))"
    ]


def _run(conn, statements: list[str]) -> None:
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create_index(conn) -> None:
    if conn.vendor == "sqlite":
        _run(conn, _sqlite_create())
    elif conn.vendor == "postgresql":
        _run(conn, _pg_create())


def drop_index(conn) -> None:
    if conn.vendor == "sqlite":
        _run(conn, [f"DROP TRIGGER IF EXISTS {name}" for name in sorted(TRIGGERS)])
        _run(conn, [f"DROP TABLE IF EXISTS {FTS}"])
    elif conn.vendor == "postgresql":
        _run(conn, [f"DROP INDEX IF EXISTS {GIN}"])


def ensure_index(conn) -> bool:
    """Put back what a table rebuild removed (once the migration made the index); True when
    something had to be repaired."""
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE %s", [f"{FTS}%"])
        found = {name for _type, name in cursor.fetchall()}
    if FTS not in found or TRIGGERS <= found:
        return False
    _run(conn, _sqlite_create())  # the triggers, and the index filled again
    return True


def matching(words: list[str]) -> Q:
    """The mentions whose folded document holds every one of ``words`` (folded syllables:
    letters and digits only, so each is a plain string in the index's query language)."""
    if not words:
        return Q()
    if connection.vendor == "sqlite":
        expr = " AND ".join(f'"{word}"' for word in words)
        found = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
        return Q(pk__in=RawSQL(found, [expr]))
    if connection.vendor == "postgresql":
        query = " & ".join(f"'{word}'" for word in words)
        found = (
            f"SELECT id FROM {TABLE} WHERE to_tsvector('simple'::regconfig, folded)"
            " @@ to_tsquery('simple'::regconfig, %s)"
        )
        return Q(pk__in=RawSQL(found, [query]))
    condition = Q()
    for word in words:
        condition &= Q(folded__contains=f" {word} ")
    return condition
