"""The demo ward: phường Hòa Bình, thành phố Hải Phòng, with 18 months of reports and opinions.

``load_demo`` builds the ward into an empty database so that every screen shows something true on
first start: 55 grassroots Party organisations (one merged mid-window, one opened later), the
agencies and mass organisations, ~65 residential groups holding 47,168 residents, responsible
persons (three units deliberately without one), collaborators, the monthly reports of the
``months`` months before ``today`` (18 by default, 1 to 24) plus the current month so far (mostly
on time, some late, some missing, a few returned for revision), and the opinion items of every
channel over the same months (at least the last 90 days), grouped into issues and followed up.

The opinion history is what the picture (``/buc-tranh/``) reads: a few to a few dozen items a week
with seasons (flooding May–October, school fees in August, dengue July–October, prices before
Tết); one topic rising in the last three weeks, mostly aggrieved; two residential groups silent
for the last ten weeks (no item, no report stream); a latent worry growing over the last four
weeks with no issue followed and a few report streams flagged latent; the issues, answers and the
burst alert as before. ``history`` schedules the items (pure, testable alone); ``story`` reads
back where the leader should look first (``DemoSummary.leader_line``, printed by ``longdan
demo``).

Reports and items go through the services (``reporting.services``, ``intake.services``,
``issues.services``: masking, versions and audit entries exist exactly as in real use); the
timestamps those services stamp with "now" are then moved back to when the event is supposed to
have happened. Everything is drawn from seeded ``random.Random`` generators: the same ``today``
and ``months`` give the same ward, the same people, reports and opinions.

Only the grassroots organisations are assigned the monthly template (expected = 55, as in the
plan); the agencies and mass organisations exist in the tree, without reports of their own.

The picture's steps (``builder._picture_steps``, after the surveys): ``shapes`` (boundaries
generated for the invented areas, marked as such), ``directions`` (directions and gap tasks in
every state, by the leader) and ``briefs`` (the weekly briefs of the last eight weeks).

The package, by subject: ``loading`` (the entry points: load, drop, is it loaded), ``builder``
(the order of the build, the picture's steps, the summary), ``world`` (units, residential groups),
``people`` (users, responsible persons, collaborators), ``reports`` (the monthly reports and what
they say), ``history`` (the schedule of the opinion items), ``opinions`` (opinion items, issues,
answers and alerts), ``press`` (the monitoring desk: sources and their health, the press's
articles and the ward group's posts fetched and imported through ``monitoring``'s services,
stories, issue links, a spreading story's alert, the watch-list, a rumour marked false; its
invented data in ``press_data``), ``story`` (where the leader should look first), ``surveys``
(two survey rounds and their responses), ``summary`` (what was loaded, the logins),
``constants``; the invented data lives in ``names`` and ``opinion_data``.
"""

from longdan.demo.constants import (
    GRASSROOTS_KINDS,
    LEADER_USERNAME,
    OFFICE_USERNAME,
    OPINION_WINDOW_DAYS,
    PASSWORD,
    SEED,
    WARD_FORMED,
)
from longdan.demo.loading import DEFAULT_MONTHS, drop_demo, is_loaded, load_demo
from longdan.demo.story import DemoStory, current_story
from longdan.demo.summary import DemoLogin, DemoSummary, current_logins

__all__ = [
    "DEFAULT_MONTHS",
    "GRASSROOTS_KINDS",
    "LEADER_USERNAME",
    "OFFICE_USERNAME",
    "OPINION_WINDOW_DAYS",
    "PASSWORD",
    "SEED",
    "WARD_FORMED",
    "DemoLogin",
    "DemoStory",
    "DemoSummary",
    "current_logins",
    "current_story",
    "drop_demo",
    "is_loaded",
    "load_demo",
]
