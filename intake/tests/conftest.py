"""Fixtures of the intake tests: a collaborator, a second area, a private models folder."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import signing
from django.test import Client

from core.models import Channel, Topic
from intake import services
from intake.forms import PUBLIC_FORM_SALT
from orgs.models import Area, User

# Personal numbers as people write them; none may reach the stored text or the audit log.
PERSONAL = {
    "phone": [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "(+84) 912345678",
        "84912345678",
        "0243 825 1234",
    ],
    "cccd": ["001203004567", "001 203 004 567"],
    "cmnd": ["123456789"],
    "email": ["nguyen.van.a@gmail.com"],
    "stk": ["STK 0123456789 Vietcombank", "số tài khoản: 1903 5555 6666 77"],
    "plate": ["29H1-123.45", "15A-678.90"],
}
DIGITS = [
    "0912345678",
    "912345678",
    "001203004567",
    "123456789",
    "8251234",
    "0123456789",
    "19035555666677",
    "12345",
    "67890",
]


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@pytest.fixture
def collab(cell_a) -> User:
    user = User(username="ctv", role=User.Role.COLLABORATOR, unit=cell_a, full_name="Đỗ Thị Cúc")
    user.set_password("longdan-test")
    user.save()
    return user


@pytest.fixture
def area_2(cell_b) -> Area:
    return Area.objects.create(name="Tổ dân phố 2", population=640, unit=cell_b)


@pytest.fixture
def env_topic(db) -> Topic:
    return Topic.objects.get(name="Môi trường")


@pytest.fixture(autouse=True)
def private_var_dir(settings, tmp_path):
    """Each test gets its own VAR_DIR, so text models trained in one test stay there."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def old_stamp(seconds: float = 30) -> str:
    return signing.dumps(time.time() - seconds, salt=PUBLIC_FORM_SALT)


def file(user, text="Rác thải ùn ứ ở chợ, dân bức xúc.", **kwargs):
    defaults = dict(
        channel=Channel.RESIDENTIAL,
        received_on=dt.date.today() - dt.timedelta(days=1),
        area=None,
        unit=None,
    )
    defaults.update(kwargs)
    return services.file_item(user=user, text=text, **defaults)
