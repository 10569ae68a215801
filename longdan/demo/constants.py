"""Constants of the demo ward shared by its parts."""

from __future__ import annotations

import datetime as dt

from orgs.models import OrgUnit

PASSWORD = "longdan-demo"
SEED = 20250701  # the day the ward was formed
WARD_FORMED = dt.date(2025, 7, 1)
GRASSROOTS_KINDS = (OrgUnit.Kind.PARTY_CELL, OrgUnit.Kind.PARTY_COMMITTEE)
OPINION_WINDOW_DAYS = 90  # the demo's opinion items span this many days up to today
OFFICE_USERNAME, LEADER_USERNAME = "vanphong", "lanhdao"
