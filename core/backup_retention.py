"""Which backups to keep: 7 daily, 4 weekly and 12 monthly copies (issue 10). Pure, no Django.

Each rule on its own, the kept set their union (as restic's ``forget --keep-daily 7
--keep-weekly 4 --keep-monthly 12``):

- *daily*: the newest backup of each of the 7 most recent days that have a backup;
- *weekly*: the newest of each of the 4 most recent ISO weeks (Monday to Sunday) that have one;
- *monthly*: the newest of each of the 12 most recent calendar months that have one.

"Days that have a backup", not calendar days: when backups stop for a while, the last ones are
still kept rather than aged out one by one. The newest backup is always kept (it is the newest of
its day). Pruning after every backup keeps exactly what pruning once at the end would keep,
since backups arrive in time order (a property test holds it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

NAME = re.compile(r"^longdan-(\d{8})-(\d{6})\.tar\.gz(\.enc)?$")


@dataclass(frozen=True)
class Policy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def _day(moment: dt.datetime) -> Hashable:
    return moment.date()


def _week(moment: dt.datetime) -> Hashable:
    return moment.isocalendar()[:2]


def _month(moment: dt.datetime) -> Hashable:
    return (moment.year, moment.month)


def _newest_per_bucket(moments: list[dt.datetime], bucket: Callable[[dt.datetime], Hashable],
                       count: int) -> set[dt.datetime]:
    """The newest moment of each of the ``count`` most recent buckets (moments newest first)."""
    kept, seen = set(), set()
    for moment in moments:
        if len(seen) >= count:
            break
        key = bucket(moment)
        if key not in seen:
            seen.add(key)
            kept.add(moment)
    return kept


def keep(moments: Iterable[dt.datetime], policy: Policy = Policy()) -> set[dt.datetime]:
    """The moments to keep; the others may be deleted. Moments are compared as given (pass them
    all in one time zone: the calendar day of a backup is the day in that zone)."""
    ordered = sorted(set(moments), reverse=True)
    return (_newest_per_bucket(ordered, _day, policy.daily)
            | _newest_per_bucket(ordered, _week, policy.weekly)
            | _newest_per_bucket(ordered, _month, policy.monthly))


def moment_of(name: str) -> dt.datetime | None:
    """The UTC moment in a backup's file name (``longdan-YYYYMMDD-HHMMSS.tar.gz[.enc]``); None
    for any other name, which pruning never touches."""
    match = NAME.match(name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
