"""The full-text indexes over opinion items and issues, per database vendor.

SQLite: two FTS5 tables whose rowid is the item's or issue's id, filled and kept in sync by
triggers, so rows written by ``bulk_create``, ``update()`` or raw SQL are indexed too. The indexed
text is the folded column (``text_folded``, ``title_folded``), or the raw text when that is empty;
the ``unicode61 remove_diacritics 2`` tokeniser folds case and diacritics again and ``đ`` is
replaced in SQL, so both are matched folded.

``search_item_fts`` has a second column, ``facets``: one token per filter value of the item (unit,
author, area, channel, attitude, month received, issue status, topics), e.g. ``u12 a3 ckhudancu``.
A filtered search adds those tokens to the MATCH expression, so FTS5 intersects posting lists in C
instead of SQLite reading every matching row to test a filter (a common word matches hundreds of
thousands of the 1,000,000 rows of the benchmark). The tokens only narrow the candidates: the exact
conditions are still applied to the rows (``search.selectors``). The item table stores its content,
so a trigger re-indexes a row by rowid alone; that is what lets the topic links (another table) and
the issue's status (another row) change the facets safely.

``search_issue_fts`` (few rows) is contentless: its delete triggers hand it the exact old values.

PostgreSQL: GIN expression indexes on ``to_tsvector('simple', …)`` of the same folded text; the
``simple`` configuration only lower-cases, which suits already folded Vietnamese syllables and
needs no extension (no superuser). PostgreSQL combines that index with the filters' B-tree indexes
itself.

Django's SQLite schema editor rebuilds a table to alter it (create, copy, drop, rename), and
dropping the old table drops its triggers; :func:`ensure_index` (run after every ``migrate``)
puts them back and re-fills the index when they had gone missing.
"""

from __future__ import annotations

ITEM_TABLE = "intake_opinionitem"
TOPIC_LINKS = "intake_opinionitem_topics"  # opinionitem_id, topic_id
ISSUE_TABLE = "issues_issue"
ITEM_FTS = "search_item_fts"
ISSUE_FTS = "search_issue_fts"
ITEM_GIN = "search_item_tsv"
ISSUE_GIN = "search_issue_tsv"
TOKENIZE = "unicode61 remove_diacritics 2"

# Every Vietnamese letter with a diacritic, and its plain letter (for PostgreSQL's translate(),
# which is immutable and so allowed in an index; used only when the folded column is empty).
_VI = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
_ASCII = (
    "a" * 17
    + "e" * 11
    + "i" * 5
    + "o" * 17
    + "u" * 11
    + "y" * 5
    + "d"
    + "A" * 17
    + "E" * 11
    + "I" * 5
    + "O" * 17
    + "U" * 11
    + "Y" * 5
    + "D"
)
assert len(_VI) == len(_ASCII)


# --- the indexed text, as SQL over a row alias ("new", "old", "i") ------------------------------


def _sqlite_plain(expr: str) -> str:
    # unicode61 removes tone and shape marks itself but keeps đ, a letter of its own in Unicode.
    return f"replace(replace({expr}, 'đ', 'd'), 'Đ', 'd')"


def _pg_plain(expr: str) -> str:
    return f"translate({expr}, '{_VI}', '{_ASCII}')"


def item_body(ref: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"coalesce(nullif({ref}.text_folded, ''), {_pg_plain(f'{ref}.text')})"
    return _sqlite_plain(f"coalesce(nullif({ref}.text_folded, ''), {ref}.text)")


def issue_title(ref: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"coalesce(nullif({ref}.title_folded, ''), {_pg_plain(f'{ref}.title')})"
    return _sqlite_plain(f"coalesce(nullif({ref}.title_folded, ''), {ref}.title)")


def issue_summary(ref: str, vendor: str) -> str:
    if vendor == "postgresql":
        return _pg_plain(f"coalesce({ref}.summary, '')")
    return _sqlite_plain(f"coalesce({ref}.summary, '')")


def pg_item_vector(ref: str) -> str:
    """The indexed expression; a query must repeat it exactly for PostgreSQL to use the index."""
    return f"to_tsvector('simple'::regconfig, {item_body(ref, 'postgresql')})"


def pg_issue_vector(ref: str) -> str:
    title = f"to_tsvector('simple'::regconfig, {issue_title(ref, 'postgresql')})"
    summary = f"to_tsvector('simple'::regconfig, {issue_summary(ref, 'postgresql')})"
    return f"(setweight({title}, 'A') || setweight({summary}, 'B'))"


# --- SQLite -------------------------------------------------------------------------------------


def _token(prefix: str, expr: str) -> str:
    # Facet values become one alphanumeric token each: "khu_dan_cu" -> "ckhudancu".
    return f"'{prefix}' || replace(coalesce({expr}, ''), '_', '')"


def item_facets(ref: str) -> str:
    """The ``facets`` column of item ``ref`` (SQLite): see the module docstring."""
    parts = [
        _token("u", f"{ref}.unit_id"),
        _token("b", f"{ref}.created_by_id"),
        _token("a", f"{ref}.area_id"),
        _token("c", f"{ref}.channel"),
        _token("t", f"coalesce(nullif({ref}.attitude, ''), {ref}.suggested_attitude)"),
        _token("m", f"substr(replace({ref}.received_on, '-', ''), 1, 6)"),
        _token(
            "s",
            f"coalesce((SELECT x.status FROM {ISSUE_TABLE} AS x WHERE x.id = {ref}.issue_id),"
            " 'none')",
        ),
    ]
    # Confirmed topics, or the suggested one while none is confirmed (as the lists filter).
    topics = (
        f"coalesce((SELECT group_concat('p' || l.topic_id, ' ') FROM {TOPIC_LINKS} AS l "
        f"WHERE l.opinionitem_id = {ref}.id), 'p' || {ref}.suggested_topic_id, '')"
    )
    return " || ' ' || ".join(parts + [topics])


def facet(prefix: str, value) -> str:
    """The token a filter value has in ``facets`` (the same rule as :func:`_token`)."""
    return prefix + "".join(ch for ch in str(value).lower() if ch.isascii() and ch.isalnum())


# Item columns whose change changes the indexed document.
_ITEM_INDEXED = (
    "id text text_folded unit_id created_by_id area_id channel attitude suggested_attitude "
    "received_on issue_id suggested_topic_id"
).split()


def _reindex_item(ref_id: str) -> str:
    return (
        f"DELETE FROM {ITEM_FTS} WHERE rowid = {ref_id}; "
        f"INSERT INTO {ITEM_FTS}(rowid, body, facets) SELECT i.id, {item_body('i', 'sqlite')}, "
        f"{item_facets('i')} FROM {ITEM_TABLE} AS i WHERE i.id = {ref_id};"
    )


def _sqlite_item_triggers() -> list[str]:
    insert = (
        f"INSERT INTO {ITEM_FTS}(rowid, body, facets) "
        f"VALUES (new.id, {item_body('new', 'sqlite')}, {item_facets('new')});"
    )
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _ITEM_INDEXED)
    return [
        f"CREATE TRIGGER IF NOT EXISTS search_item_ai AFTER INSERT ON {ITEM_TABLE} "
        f"BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS search_item_ad AFTER DELETE ON {ITEM_TABLE} "
        f"BEGIN DELETE FROM {ITEM_FTS} WHERE rowid = old.id; END",
        # Django's save() writes every column; only a change of what is indexed re-indexes.
        f"CREATE TRIGGER IF NOT EXISTS search_item_au AFTER UPDATE ON {ITEM_TABLE} "
        f"WHEN {changed} BEGIN DELETE FROM {ITEM_FTS} WHERE rowid = old.id; {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS search_item_topic_ai AFTER INSERT ON {TOPIC_LINKS} "
        f"BEGIN {_reindex_item('new.opinionitem_id')} END",
        f"CREATE TRIGGER IF NOT EXISTS search_item_topic_ad AFTER DELETE ON {TOPIC_LINKS} "
        f"BEGIN {_reindex_item('old.opinionitem_id')} END",
        f"CREATE TRIGGER IF NOT EXISTS search_item_topic_au AFTER UPDATE ON {TOPIC_LINKS} "
        f"BEGIN {_reindex_item('old.opinionitem_id')} {_reindex_item('new.opinionitem_id')} END",
        # The issue's status is a facet of its items.
        f"CREATE TRIGGER IF NOT EXISTS search_item_status_au AFTER UPDATE OF status "
        f"ON {ISSUE_TABLE} WHEN old.status IS NOT new.status BEGIN "
        f"DELETE FROM {ITEM_FTS} WHERE rowid IN "
        f"(SELECT id FROM {ITEM_TABLE} WHERE issue_id = new.id); "
        f"INSERT INTO {ITEM_FTS}(rowid, body, facets) SELECT i.id, {item_body('i', 'sqlite')}, "
        f"{item_facets('i')} FROM {ITEM_TABLE} AS i WHERE i.issue_id = new.id; END",
    ]


def _sqlite_issue_triggers() -> list[str]:
    values = {
        ref: f"{ref}.id, {issue_title(ref, 'sqlite')}, {issue_summary(ref, 'sqlite')}"
        for ref in ("new", "old")
    }
    insert = f"INSERT INTO {ISSUE_FTS}(rowid, title, summary) VALUES ({values['new']});"
    delete = (
        f"INSERT INTO {ISSUE_FTS}({ISSUE_FTS}, rowid, title, summary) "
        f"VALUES ('delete', {values['old']});"
    )
    changed = (
        f"old.id <> new.id OR {issue_title('old', 'sqlite')} IS NOT {issue_title('new', 'sqlite')}"
        f" OR {issue_summary('old', 'sqlite')} IS NOT {issue_summary('new', 'sqlite')}"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS search_issue_ai AFTER INSERT ON {ISSUE_TABLE} "
        f"BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS search_issue_ad AFTER DELETE ON {ISSUE_TABLE} "
        f"BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS search_issue_au AFTER UPDATE OF id, title, title_folded, "
        f"summary ON {ISSUE_TABLE} WHEN {changed} BEGIN {delete} {insert} END",
    ]


SQLITE_TRIGGERS = {
    "search_item_ai",
    "search_item_ad",
    "search_item_au",
    "search_issue_ai",
    "search_issue_ad",
    "search_issue_au",
}


def _sqlite_fill() -> list[str]:
    return [
        f"DELETE FROM {ITEM_FTS}",
        f"INSERT INTO {ITEM_FTS}(rowid, body, facets) SELECT i.id, {item_body('i', 'sqlite')}, "
        f"{item_facets('i')} FROM {ITEM_TABLE} AS i",
        f"INSERT INTO {ISSUE_FTS}({ISSUE_FTS}) VALUES ('delete-all')",
        f"INSERT INTO {ISSUE_FTS}(rowid, title, summary) SELECT s.id, "
        f"{issue_title('s', 'sqlite')}, {issue_summary('s', 'sqlite')} FROM {ISSUE_TABLE} AS s",
    ]


def _sqlite_create() -> list[str]:
    return [
        # Stores its content, so a row is re-indexed or removed by its rowid alone.
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {ITEM_FTS} USING fts5("
        f"body, facets, tokenize='{TOKENIZE}')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {ISSUE_FTS} USING fts5("
        f"title, summary, content='', tokenize='{TOKENIZE}')",
    ]


def _sqlite_drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in sorted(SQLITE_TRIGGERS)] + [
        f"DROP TABLE IF EXISTS {ITEM_FTS}",
        f"DROP TABLE IF EXISTS {ISSUE_FTS}",
    ]


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_create() -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {ITEM_GIN} ON {ITEM_TABLE} "
        f"USING gin ({pg_item_vector(ITEM_TABLE)})",
        f"CREATE INDEX IF NOT EXISTS {ISSUE_GIN} ON {ISSUE_TABLE} "
        f"USING gin ({pg_issue_vector(ISSUE_TABLE)})",
    ]


def _pg_drop() -> list[str]:
    return [f"DROP INDEX IF EXISTS {ITEM_GIN}", f"DROP INDEX IF EXISTS {ISSUE_GIN}"]


# --- entry points (migration and post_migrate) --------------------------------------------------


def _run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def create_index(connection) -> None:
    """Create and fill the index for this connection's vendor (other vendors: nothing to do)."""
    if connection.vendor == "sqlite":
        _run(connection, _sqlite_create() + _sqlite_item_triggers() + _sqlite_issue_triggers())
        _run(connection, _sqlite_fill())
    elif connection.vendor == "postgresql":
        _run(connection, _pg_create())


def drop_index(connection) -> None:
    if connection.vendor == "sqlite":
        _run(connection, _sqlite_drop())
    elif connection.vendor == "postgresql":
        _run(connection, _pg_drop())


def _sqlite_names(connection, kind: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
        return {row[0] for row in cursor.fetchall()}


def ensure_index(connection) -> bool:
    """Recreate what a table rebuild removed; return True when something had to be repaired.

    Only acts once this app's migration has created the index (the FTS table exists).
    """
    if connection.vendor == "sqlite":
        if ITEM_FTS not in _sqlite_names(connection, "table"):
            return False
        if SQLITE_TRIGGERS <= _sqlite_names(connection, "trigger"):
            return False
        # Rows may have changed while the triggers were missing: index everything again.
        _run(connection, _sqlite_item_triggers() + _sqlite_issue_triggers() + _sqlite_fill())
        return True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname IN (%s, %s)", [ITEM_GIN, ISSUE_GIN]
            )
            present = cursor.fetchone()[0]
        if present == 2:
            return False
        _run(connection, _pg_create())
        return True
    return False
