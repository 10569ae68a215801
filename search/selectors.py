"""Search over opinion items and issues, scoped to the reader exactly like the lists.

The query is folded (``search.query``), so "Hòa Bình", "Hoà Bình" and "hoa binh" are one search.
The database does the matching and the ordering (relevance, then the most recent first) through
the indexes of ``search.fts``; only one page of ids comes back, and the rows of that page are then
loaded through the ORM. The total is counted up to :data:`COUNT_CAP` and shown as "more than"
beyond it, so a common word never costs a full count.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from core.models import Topic
from intake.models import OpinionItem
from issues.models import Issue
from orgs.models import User
from orgs.selectors import visible_unit_ids
from search import fts
from search.query import ParsedQuery, parse_query
from textengine.normalize import fold

COUNT_CAP = 1000
NO_ISSUE = "none"  # the status filter value for items not yet grouped into an issue
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    topic: int | None = None
    attitude: str = ""
    area: int | None = None
    channel: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""


@dataclass
class SearchPage:
    """One page of results; ``total`` is exact unless ``capped`` (then "more than total")."""

    query: ParsedQuery
    results: list = field(default_factory=list)
    total: int = 0
    capped: bool = False
    page: int = 1
    page_size: int = 25

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1


def _pk(value) -> int | None:
    if value in (None, ""):
        return None
    return int(getattr(value, "pk", value))


def _filters(topic, attitude, area, channel, date_from, date_to, status) -> Filters:
    return Filters(
        topic=_pk(topic),
        attitude=attitude or "",
        area=_pk(area),
        channel=channel or "",
        date_from=date_from,
        date_to=date_to,
        status=status or "",
    )


def _topic_ids(topic_id: int) -> list[int]:
    """The topic and its sub-topics (a search under "Môi trường" includes "Rác thải")."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Topic.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [topic_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.append(current)
            stack.extend(children.get(current, []))
    return found


def _in(column: str, values) -> tuple[str, list]:
    values = list(values)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


# --- WHERE clauses over "i" (an item) and "s" (an issue) ----------------------------------------

_TOPICS = OpinionItem.topics.through
_TOPICS_TABLE = _TOPICS._meta.db_table
_TOPICS_ITEM = _TOPICS._meta.get_field("opinionitem").column
_TOPICS_TOPIC = _TOPICS._meta.get_field("topic").column


def _item_where(user: User, f: Filters) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []

    def add(sql: str, *values) -> None:
        where.append(sql)
        params.extend(values)

    units = visible_unit_ids(user)
    if units is not None:
        # As intake's lists: the reader's units' items, and the items they filed themselves.
        unit_sql, unit_params = _in("i.unit_id", units)
        add(f"({unit_sql} OR i.created_by_id = %s)", *unit_params, user.pk)
    if f.topic is not None:
        # As intake's lists: confirmed topics, or the engine's suggestion while none is confirmed.
        topic_ids = _topic_ids(f.topic)
        sql, values = _in(f"t.{_TOPICS_TOPIC}", topic_ids)
        suggested, suggested_values = _in("i.suggested_topic_id", topic_ids)
        linked = f"SELECT 1 FROM {_TOPICS_TABLE} AS t WHERE t.{_TOPICS_ITEM} = i.id"
        add(
            f"(EXISTS ({linked} AND {sql}) OR (NOT EXISTS ({linked}) AND {suggested}))",
            *values,
            *suggested_values,
        )
    if f.attitude:
        add(
            "(i.attitude = %s OR (i.attitude = '' AND i.suggested_attitude = %s))",
            f.attitude,
            f.attitude,
        )
    if f.area is not None:
        add("i.area_id = %s", f.area)
    if f.channel:
        add("i.channel = %s", f.channel)
    if f.date_from:
        add("i.received_on >= %s", f.date_from.isoformat())
    if f.date_to:
        add("i.received_on <= %s", f.date_to.isoformat())
    if f.status == NO_ISSUE:
        add("i.issue_id IS NULL")
    elif f.status:
        add(f"i.issue_id IN (SELECT id FROM {fts.ISSUE_TABLE} WHERE status = %s)", f.status)
    return where, params


def _in_args(column: str, values) -> tuple:
    sql, params = _in(column, values)
    return (sql, *params)


def _issue_where(user: User, f: Filters) -> tuple[list[str], list]:
    where: list[str] = ["s.merged_into_id IS NULL"]  # an alias leads to the issue it joined
    params: list = []

    def add(sql: str, *values) -> None:
        where.append(sql)
        params.extend(values)

    units = visible_unit_ids(user)
    if units is not None:
        owner_sql, owner_params = _in("s.owner_unit_id", units)
        item_sql, item_params = _in("x.unit_id", units)
        add(
            f"({owner_sql} OR EXISTS (SELECT 1 FROM {fts.ITEM_TABLE} AS x "
            f"WHERE x.issue_id = s.id AND {item_sql}))",
            *owner_params,
            *item_params,
        )
    if f.topic is not None:
        add(*_in_args("s.topic_id", _topic_ids(f.topic)))
    if f.area is not None:
        add("s.area_id = %s", f.area)
    if f.status and f.status != NO_ISSUE:
        add("s.status = %s", f.status)
    if f.date_from:
        add("s.last_seen_on >= %s", f.date_from.isoformat())
    if f.date_to:
        add("s.first_seen_on <= %s", f.date_to.isoformat())
    for column, value in (("attitude", f.attitude), ("channel", f.channel)):
        if value:
            add(
                f"EXISTS (SELECT 1 FROM {fts.ITEM_TABLE} AS y WHERE y.issue_id = s.id "
                f"AND y.{column} = %s)",
                value,
            )
    return where, params


# --- the vendor-specific match, order and count -------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    source: str  # FROM … (with the match condition's joins)
    match: str  # the match condition
    order: str
    match_params: tuple
    order_params: tuple


def _item_plan(query: ParsedQuery) -> _Plan:
    return _pg_plan(query, fts.pg_item_vector("i"), fts.ITEM_TABLE, "i", "received_on")


MAX_MONTHS_PREFILTER = 36  # a longer date range is checked on the rows only


def _months(start: dt.date | None, end: dt.date | None) -> list[str]:
    if not (start and end) or start > end:
        return []
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    if count > MAX_MONTHS_PREFILTER:
        return []
    months, year, month = [], start.year, start.month
    for _ in range(count):
        months.append(f"{year}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _item_facets(user: User, f: Filters) -> list[list[str]]:
    """Facet tokens the rows must have, one group per filter (any token of a group will do)."""
    groups: list[list[str]] = []
    units = visible_unit_ids(user)
    if units is not None:
        groups.append([fts.facet("u", pk) for pk in sorted(units)] + [fts.facet("b", user.pk)])
    if f.topic is not None:
        groups.append([fts.facet("p", pk) for pk in _topic_ids(f.topic)])
    for prefix, value in (("t", f.attitude), ("c", f.channel), ("s", f.status)):
        if value:
            groups.append([fts.facet(prefix, value)])
    if f.area is not None:
        groups.append([fts.facet("a", f.area)])
    months = _months(f.date_from, f.date_to)
    if months:
        groups.append([fts.facet("m", month) for month in months])
    return groups


def _sqlite_item_search(user: User, query: ParsedQuery, f: Filters, page: int, size: int):
    """(ids of the page, total up to COUNT_CAP + 1) from SQLite's FTS5 index.

    The matching rows are read newest first (rowid order, which FTS5 gives without sorting) and
    only the first COUNT_CAP + 1 are kept, then ranked by relevance (``ParsedQuery.scorer``
    on their folded text), then recency. FTS5's own bm25() is not used: its first call counts
    every document holding each word, a tenth of a second per common word at 1,000,000 items.
    A search with more than COUNT_CAP matches is shown as "more than 1,000" and asks for more
    words, so only the newest thousand can be paged through anyway.
    """
    match = [f"body : ({query.fts5(boost=False)})"] + [
        "facets : (" + " OR ".join(f'"{token}"' for token in group) + ")"
        for group in _item_facets(user, f)
    ]
    where, params = _item_where(user, f)  # the exact conditions; the facets only narrow
    conditions = " AND ".join([f"{fts.ITEM_FTS} MATCH %s", *where])
    with connection.cursor() as cursor:
        # CROSS JOIN keeps SQLite from starting at the items table: the index drives.
        cursor.execute(
            f"SELECT i.id, i.received_on, i.text_folded, "
            f"CASE WHEN i.text_folded = '' THEN i.text END "
            f"FROM {fts.ITEM_FTS} AS f CROSS JOIN {fts.ITEM_TABLE} AS i ON i.id = f.rowid "
            f"WHERE {conditions} ORDER BY f.rowid DESC LIMIT %s",
            [" AND ".join(match), *params, COUNT_CAP + 1],
        )
        rows = cursor.fetchall()
    score = query.scorer()
    ranked = sorted(
        rows, key=lambda row: (score(row[2] or fold(row[3])), str(row[1]), row[0]), reverse=True
    )
    start = (page - 1) * size
    return [row[0] for row in ranked[start : start + size]], len(rows)


def _pg_plan(query: ParsedQuery, vector: str, table: str, alias: str, recency: str) -> _Plan:
    tsquery = "to_tsquery('simple'::regconfig, %s)"
    boost = query.boost_tsquery()
    # The phrase first (as the loose words' phrase boost in FTS5), then ts_rank, then recency.
    order = [f"({vector} @@ {tsquery}) DESC"] if boost else []
    order += [
        f"ts_rank({vector}, {tsquery}) DESC",
        f"{alias}.{recency} DESC NULLS LAST",
        f"{alias}.id DESC",
    ]
    return _Plan(
        source=f"{table} AS {alias}",
        match=f"{vector} @@ {tsquery}",
        order=", ".join(order),
        match_params=(query.tsquery(),),
        order_params=((boost,) if boost else ()) + (query.tsquery(),),
    )


def _issue_plan(query: ParsedQuery) -> _Plan:
    if connection.vendor == "sqlite":
        return _Plan(
            source=f"{fts.ISSUE_FTS} AS f CROSS JOIN {fts.ISSUE_TABLE} AS s ON s.id = f.rowid",
            match=f"{fts.ISSUE_FTS} MATCH %s",
            # The title says what the issue is: a word there weighs three times one in the summary.
            order=f"bm25({fts.ISSUE_FTS}, 3.0, 1.0), s.last_seen_on DESC, s.id DESC",
            match_params=(query.fts5(),),
            order_params=(),
        )
    return _pg_plan(query, fts.pg_issue_vector("s"), fts.ISSUE_TABLE, "s", "last_seen_on")


def _run_search(plan: _Plan, alias: str, where: list[str], params: list, page: int, size: int):
    """(ids of the page, total up to COUNT_CAP + 1)."""
    conditions = " AND ".join([plan.match, *where])
    base = f"FROM {plan.source} WHERE {conditions}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {alias}.id {base} ORDER BY {plan.order} LIMIT %s OFFSET %s",
            [*plan.match_params, *params, *plan.order_params, size, (page - 1) * size],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if page == 1 and len(ids) < size:
            return ids, len(ids)  # the whole result fits on the first page: no count needed
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) AS capped",
            [*plan.match_params, *params, COUNT_CAP + 1],
        )
        return ids, cursor.fetchone()[0]


def _has_index() -> bool:
    return connection.vendor in ("sqlite", "postgresql")


def _page_args(page, page_size) -> tuple[int, int]:
    size = max(1, min(int(page_size or 25), MAX_PAGE_SIZE))
    last = math.ceil(COUNT_CAP / size)  # pages past the counted results are not offered
    return max(1, min(int(page or 1), last)), size


def _ordered(rows, ids: list[int]) -> list:
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def _finish(query, ids, total, rows, page, size) -> SearchPage:
    return SearchPage(
        query=query,
        results=_ordered(rows, ids),
        total=min(total, COUNT_CAP),
        capped=total > COUNT_CAP,
        page=page,
        page_size=size,
    )


# --- public ---------------------------------------------------------------------------------


def search_items(
    user: User,
    query: str,
    *,
    topic=None,
    attitude: str = "",
    area=None,
    channel: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str = "",
    page: int = 1,
    page_size: int = 25,
) -> SearchPage:
    """Items the reader may see whose text contains every word of ``query`` (folded)."""
    parsed = parse_query(query)
    page, size = _page_args(page, page_size)
    if not parsed:
        return SearchPage(query=parsed, page=page, page_size=size)
    f = _filters(topic, attitude, area, channel, date_from, date_to, status)
    if not _has_index():
        return _fallback_items(user, parsed, f, page, size)
    if connection.vendor == "sqlite":
        ids, total = _sqlite_item_search(user, parsed, f, page, size)
    else:
        where, params = _item_where(user, f)
        ids, total = _run_search(_item_plan(parsed), "i", where, params, page, size)
    rows = (
        OpinionItem.objects.filter(pk__in=ids)
        .select_related("area", "unit", "issue")
        .prefetch_related("topics")
    )
    return _finish(parsed, ids, total, rows, page, size)


def search_issues(
    user: User,
    query: str,
    *,
    topic=None,
    attitude: str = "",
    area=None,
    channel: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str = "",
    page: int = 1,
    page_size: int = 25,
) -> SearchPage:
    """Issues the reader may see whose title or summary contains every word of ``query``.

    An issue is visible when it is owned by one of the reader's units or holds one of their
    items; ``attitude`` and ``channel`` keep issues with at least one such item; the date range
    keeps issues seen within it.
    """
    parsed = parse_query(query)
    page, size = _page_args(page, page_size)
    if not parsed:
        return SearchPage(query=parsed, page=page, page_size=size)
    f = _filters(topic, attitude, area, channel, date_from, date_to, status)
    if not _has_index():
        return _fallback_issues(user, parsed, f, page, size)
    where, params = _issue_where(user, f)
    ids, total = _run_search(_issue_plan(parsed), "s", where, params, page, size)
    rows = Issue.objects.filter(pk__in=ids).select_related("topic", "area", "owner_unit")
    return _finish(parsed, ids, total, rows, page, size)


# --- databases without a full-text index here: plain LIKE over the folded columns --------------


def _words_q(query: ParsedQuery, *columns: str) -> Q:
    condition = Q()
    for term in query.terms:
        text = " ".join(term.words)
        either = Q()
        for column in columns:
            either |= Q(**{f"{column}__contains": text})
        condition &= either
    return condition


def _fallback_items(user, parsed, f: Filters, page, size) -> SearchPage:
    items = OpinionItem.objects.filter(_words_q(parsed, "text_folded"))
    units = visible_unit_ids(user)
    if units is not None:
        items = items.filter(Q(unit_id__in=units) | Q(created_by=user))
    if f.topic is not None:
        ids = _topic_ids(f.topic)
        items = items.filter(Q(topics__in=ids) | Q(topics__isnull=True, suggested_topic_id__in=ids))
    if f.attitude:
        items = items.filter(Q(attitude=f.attitude) | Q(attitude="", suggested_attitude=f.attitude))
    lookups = {
        "area_id": f.area,
        "channel": f.channel or None,
        "received_on__gte": f.date_from,
        "received_on__lte": f.date_to,
        "issue__isnull": True if f.status == NO_ISSUE else None,
        "issue__status": f.status if f.status and f.status != NO_ISSUE else None,
    }
    items = items.filter(**{k: v for k, v in lookups.items() if v is not None}).distinct()
    return _slice(parsed, items.order_by("-received_on", "-id"), page, size)


def _fallback_issues(user, parsed, f: Filters, page, size) -> SearchPage:
    issues = Issue.objects.filter(_words_q(parsed, "title_folded", "summary"), merged_into=None)
    units = visible_unit_ids(user)
    if units is not None:
        issues = issues.filter(Q(owner_unit_id__in=units) | Q(items__unit_id__in=units))
    lookups = {
        "topic_id__in": _topic_ids(f.topic) if f.topic is not None else None,
        "area_id": f.area,
        "status": f.status if f.status != NO_ISSUE else None,
        "last_seen_on__gte": f.date_from,
        "first_seen_on__lte": f.date_to,
        "items__attitude": f.attitude or None,
        "items__channel": f.channel or None,
    }
    issues = issues.filter(**{k: v for k, v in lookups.items() if v is not None}).distinct()
    return _slice(parsed, issues.order_by("-last_seen_on", "-id"), page, size)


def _slice(parsed, queryset, page, size) -> SearchPage:
    start = (page - 1) * size
    rows = list(queryset[start : start + size])
    total = queryset[: COUNT_CAP + 1].count()
    return _finish(parsed, [r.pk for r in rows], total, rows, page, size)
