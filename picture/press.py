"""The press and social networks on the picture (issue 9): how many articles and posts about the
ward appeared in the period and the stories that spread widest, read through the monitoring desk's
own filters (``monitoring.page_selectors``). Only for the whole ward read by the office and the
leaders: the press writes about the ward, not about one unit's subtree, and the desk is theirs."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from monitoring.page_selectors import MentionFilters, filtered_mentions, stories_by_spread

STORIES_SHOWN = 3


def press_panel(query) -> dict | None:
    """Counts and the widest stories of the query's window, with links to the desk filtered to
    it; None when the reader or the scope does not get the panel."""
    if not query.reader.sees_everything or query.unit is not None or query.narrowed:
        return None
    window = query.window
    filters = MentionFilters(since=window.start, until=window.end)
    mentions = filtered_mentions(filters)
    count = mentions.count()
    stories = list(stories_by_spread(filters)[:STORIES_SHOWN]) if count else []
    dates = urlencode({"since": window.start.isoformat(), "until": window.end.isoformat()})
    return {
        "mentions": count,
        "sites": mentions.order_by().values("site").distinct().count() if count else 0,
        "stories": stories,
        "list_url": f"{reverse('monitoring_list')}?{dates}",
        "stories_url": f"{reverse('monitoring_stories')}?{dates}",
    }
