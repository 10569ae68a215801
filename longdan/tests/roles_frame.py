"""The frame of the write matrix's rows (longdan/tests/roles_rows.py, roles_rows_upper.py): the
roles, the row, and the helpers that build URLs and bodies from the test world."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse

from core.dates import local_today

OFFICE, LEADER, REPORTER, COLLABORATOR = "vanphong", "lanhdao", "an", "ctv"
EVERYONE = frozenset({OFFICE, LEADER, REPORTER, COLLABORATOR})
UNITS = frozenset({OFFICE, REPORTER})  # the office and the unit's responsible person
RECORDERS = frozenset({OFFICE, REPORTER, COLLABORATOR})  # who records opinions
OFFICE_ONLY = frozenset({OFFICE})
DIRECTORS = frozenset({OFFICE, LEADER})  # who gives directions (picture.services.can_direct)

World = dict
Given = Callable[[World, object], None]  # (world, pytest's request): adds to the world


@dataclass(frozen=True)
class Write:
    name: str  # the route's name
    url: Callable[[World], str]
    body: Callable[[World], dict]
    model: type[Model]
    allowed: frozenset[str]
    api: bool = False  # an API endpoint: a refusal is never a 200
    method: str = "post"
    files: bool = False  # an API upload: multipart, not JSON
    given: tuple[Given, ...] = ()
    case: str = ""  # tells two rows of one route apart
    count: Callable[[], int] | None = None  # what an allowed write adds, when not model rows

    @property
    def id(self) -> str:
        return f"{self.name}[{self.case}]" if self.case else self.name

    def stored(self) -> int:
        return self.count() if self.count else self.model.objects.count()


def url(name: str, *keys: str, attr: str = "pk") -> Callable[[World], str]:
    """The route ``name`` with the world's objects ``keys`` (their ``attr``) as arguments."""
    return lambda w: reverse(name, args=[getattr(w[key], attr) for key in keys])


def form_data(initial: dict, **changes) -> dict:
    """A form's initial values (plus ``changes``) as a browser would post them."""
    data = {}
    for key, value in {**initial, **changes}.items():
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Model):
            value = value.pk
        elif isinstance(value, (list, tuple, set)):
            value = [v.pk if isinstance(v, Model) else v for v in value]
        data[key] = value
    return data


def _text(_=None) -> str:
    return "Người dân phản ánh rác thải ở ngõ 5 chưa được thu gom đúng giờ."


def _today() -> str:
    return local_today().isoformat()


def _due() -> str:
    return (local_today() + dt.timedelta(days=7)).isoformat()


def last_month() -> str:
    """The month before this one: past its deadline whatever the day (the report is missing)."""
    last = local_today().replace(day=1) - dt.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def _upload(name: str, content: bytes, kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)
