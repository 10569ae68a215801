"""The demo ward: phường Hòa Bình, thành phố Hải Phòng, with six months of monthly reports.

``load_demo`` builds the ward into an empty database so that every screen shows something true on
first start: 55 grassroots Party organisations (one merged mid-window, one opened later), the
agencies and mass organisations, ~65 residential groups holding 47,168 residents, responsible
persons (three units deliberately without one), collaborators, and the monthly reports of the six
months before ``today`` plus the current month so far: mostly on time, some late, some missing, a
few returned for revision.

Reports go through ``reporting.services`` (so versions and audit entries exist exactly as in real
use); the timestamps those services stamp with "now" are then moved back to when the event is
supposed to have happened. Everything is drawn from one seeded ``random.Random``: the same ``today``
gives the same ward, the same people and the same reports.

Only the grassroots organisations are assigned the monthly template (expected = 55, as in the
plan); the agencies and mass organisations exist in the tree, without reports of their own.

The package, by subject: ``loading`` (the entry points: load, drop, is it loaded), ``builder``
(the order of the build and its summary), ``world`` (units, residential groups), ``people``
(users, responsible persons, collaborators), ``reports`` (six months of monthly reports and what
they say), ``opinions`` (opinion items, issues, answers and alerts of the last three months),
``surveys`` (two survey rounds and their responses), ``summary`` (what was loaded, the logins),
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
from longdan.demo.loading import drop_demo, is_loaded, load_demo
from longdan.demo.summary import DemoLogin, DemoSummary, current_logins

__all__ = [
    "GRASSROOTS_KINDS",
    "LEADER_USERNAME",
    "OFFICE_USERNAME",
    "OPINION_WINDOW_DAYS",
    "PASSWORD",
    "SEED",
    "WARD_FORMED",
    "DemoLogin",
    "DemoSummary",
    "current_logins",
    "drop_demo",
    "is_loaded",
    "load_demo",
]
