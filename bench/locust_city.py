"""The city's deadline hour (issue 10), driven by bench/bench_city_load.py.

Environment: CITY_SUBMITTERS, CITY_READERS and CITY_WARD_READERS ("unit_id:session_key", signed in
before the window),
CITY_PERIOD, CITY_TEMPLATE, CITY_TOPIC, CITY_SPREAD_S (submissions spread over these seconds),
CITY_READER_WAIT ("low,high" seconds between a reader's page loads).
"""

from __future__ import annotations

import itertools
import os
import random
import string

import gevent
from locust import HttpUser, between, constant, task
from locustfile import SECTIONS


def _pairs(name: str) -> list[list[str]]:
    return [pair.split(":") for pair in os.environ.get(name, "").split(",") if pair]


SUBMITTERS = _pairs("CITY_SUBMITTERS")
CITY_READERS = _pairs("CITY_READERS")
WARD_READERS = _pairs("CITY_WARD_READERS")
READER_WAIT = tuple(map(float, os.environ.get("CITY_READER_WAIT", "10,30").split(",")))
PERIOD = os.environ.get("CITY_PERIOD", "")
TEMPLATE = int(os.environ.get("CITY_TEMPLATE", "1"))
TOPIC = int(os.environ.get("CITY_TOPIC", "1"))
SPREAD = float(os.environ.get("CITY_SPREAD_S", "3570"))
_next_submitter = itertools.count()
_next_city_reader = itertools.count()
_next_ward_reader = itertools.count()


def _signed_in(user: HttpUser, pairs: list[list[str]], counter) -> str:
    unit_id, session = pairs[next(counter) % len(pairs)]
    user.client.cookies.set("sessionid", session)
    return unit_id


class Submitter(HttpUser):
    """A chi bộ's responsible person: draft and submit next month's report, once."""

    fixed_count = len(SUBMITTERS)
    wait_time = constant(36000)

    def on_start(self) -> None:
        self.unit_id = _signed_in(self, SUBMITTERS, _next_submitter)
        gevent.sleep(random.uniform(0, SPREAD))
        # Django's CSRF check compares the cookie with the header: any 32 letters will do.
        self.csrf = "".join(random.choices(string.ascii_letters + string.digits, k=32))
        self.client.cookies.set("csrftoken", self.csrf)
        self.client.get("/", name="GET / (trang chủ)")

    def _api(self, path: str, payload: dict, name: str) -> dict:
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + "/"}
        with self.client.post(path, json=payload, headers=headers, name=name,
                              catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{self.unit_id}: {response.status_code} {response.text[:200]}")
                return {}
            return response.json()

    @task
    def submit_once(self) -> None:
        if getattr(self, "done", False):
            return
        self.done = True
        stream = {"topic": TOPIC, "summary": "Ý kiến về rác thải ở chợ.", "attitude": "buc_xuc",
                  "reach": "nhieu_y_kien", "channel": "khu_dan_cu"}
        report = self._api("/api/v1/reports/", {
            "template": TEMPLATE, "period": PERIOD, "unit": int(self.unit_id),
            "sections": SECTIONS, "streams": [stream],
        }, "POST /api/v1/reports/")
        if report:
            self._api(f"/api/v1/reports/{report['id']}/submit/", {"version": report["version"]},
                      "POST /api/v1/reports/{id}/submit/")


class CityReader(HttpUser):
    """The city's office and leaders on deadline day: the compliance page and the city picture."""

    fixed_count = len(CITY_READERS)
    wait_time = between(*READER_WAIT)

    def on_start(self) -> None:
        _signed_in(self, CITY_READERS, _next_city_reader)
        gevent.sleep(random.uniform(0, 10))  # not all in the same second

    @task(3)
    def compliance(self) -> None:
        self.client.get(f"/ty-le-nop/?period={PERIOD}", name="GET /ty-le-nop/")

    @task(2)
    def picture(self) -> None:
        self.client.get("/buc-tranh/", name="GET /buc-tranh/ (thành phố)")

    @task(1)
    def login_page(self) -> None:
        # The baseline in the same run: the lightest page the server renders.
        self.client.get("/dang-nhap/", name="GET /dang-nhap/ (mốc so sánh)")


class WardReader(HttpUser):
    """A ward committee's reporter: the ward's picture and the reports of its chi bộ (the
    compliance page is the office's and the leaders')."""

    fixed_count = len(WARD_READERS)
    wait_time = between(*READER_WAIT)

    def on_start(self) -> None:
        _signed_in(self, WARD_READERS, _next_ward_reader)
        gevent.sleep(random.uniform(0, 10))

    @task(2)
    def picture(self) -> None:
        self.client.get("/buc-tranh/", name="GET /buc-tranh/ (phường)")

    @task(1)
    def reports(self) -> None:
        self.client.get(f"/bao-cao/?period={PERIOD}", name="GET /bao-cao/ (phường)")
