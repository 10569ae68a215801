"""Deadline-day burst (issue 2): 55 units submit within one minute while 50 people read the
compliance page. Driven by bench/bench_deadline_burst.py, which starts the demo server.

Environment: BURST_REPORTERS ("username:unit_id" pairs), BURST_REPORTER_LOGINS ("sessionid|csrf"
per pair, in the same order, when they logged in before the measured minute; empty: they log in
inside it), BURST_SESSIONS (session keys of readers already logged in), BURST_PASSWORD,
BURST_PERIOD (YYYY-MM), BURST_TEMPLATE, BURST_TOPIC, BURST_SPREAD_S, BURST_READER_WAIT.
"""

from __future__ import annotations

import itertools
import os
import random

import gevent
from locust import HttpUser, between, constant, task

# "username:unit_id" pairs
REPORTERS = [pair.split(":") for pair in os.environ.get("BURST_REPORTERS", "").split(",") if pair]
# Sessions of the responsible persons, who logged in through the login page before the minute.
LOGINS = [
    item.split("|") for item in os.environ.get("BURST_REPORTER_LOGINS", "").split(",") if item
]
# Readers were logged in before the deadline day: their sessions are made by the driver script.
SESSIONS = [key for key in os.environ.get("BURST_SESSIONS", "").split(",") if key]
PASSWORD = os.environ.get("BURST_PASSWORD", "longdan-demo")
PERIOD = os.environ.get("BURST_PERIOD", "")
TEMPLATE = int(os.environ.get("BURST_TEMPLATE", "1"))
TOPIC = int(os.environ.get("BURST_TOPIC", "1"))
SPREAD = float(os.environ.get("BURST_SPREAD_S", "55"))
_next_reporter = itertools.count()
_next_reader = itertools.count()
SECTIONS = {
    "tu_tuong": "Tư tưởng cán bộ, đảng viên và nhân dân ổn định, tin tưởng vào sự lãnh đạo.",
    "du_luan_noi_bat": "Nhân dân quan tâm tiến độ giải phóng mặt bằng đường ven sông.",
    "du_luan_tiem_an": "Một số hộ băn khoăn về mức bồi thường, cần theo dõi.",
    "kien_nghi": "Đề nghị UBND phường công khai phương án bồi thường.",
}


def login(user: HttpUser, username: str) -> str:
    user.client.get("/dang-nhap/", name="GET /dang-nhap/")
    token = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        "/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": user.host + "/dang-nhap/"},
        name="POST /dang-nhap/",
        catch_response=True,
        allow_redirects=False,
    ) as response:
        if response.status_code != 302:
            response.failure(f"đăng nhập {username} thất bại: {response.status_code}")
    return user.client.cookies.get("csrftoken", "")


class Submitter(HttpUser):
    """One unit's responsible person: log in, draft, submit, once."""

    fixed_count = len(REPORTERS)
    wait_time = constant(3600)

    def on_start(self) -> None:
        index = next(_next_reporter) % len(REPORTERS)
        self.username, self.unit_id = REPORTERS[index]
        gevent.sleep(random.uniform(0, SPREAD))  # arrivals spread over the minute
        if LOGINS:
            session, self.csrf = LOGINS[index]
            self.client.cookies.set("sessionid", session)
            self.client.cookies.set("csrftoken", self.csrf)
        else:
            self.csrf = login(self, self.username)

    def _api(self, method: str, path: str, payload: dict, name: str) -> dict:
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + "/"}
        with self.client.request(
            method, path, json=payload, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code >= 400:
                response.failure(f"{self.username}: {response.status_code} {response.text[:200]}")
                return {}
            return response.json()

    @task
    def submit_once(self) -> None:
        if getattr(self, "done", False):
            return
        stream = {
            "topic": TOPIC,
            "summary": "Ý kiến về rác thải ở chợ.",
            "attitude": "buc_xuc",
            "reach": "nhieu_y_kien",
            "channel": "khu_dan_cu",
        }
        report = self._api(
            "POST",
            "/api/v1/reports/",
            {
                "template": TEMPLATE,
                "period": PERIOD,
                "unit": int(self.unit_id),
                "sections": SECTIONS,
                "streams": [stream],
            },
            "POST /api/v1/reports/",
        )
        if report:
            self._api(
                "POST",
                f"/api/v1/reports/{report['id']}/submit/",
                {"version": report["version"]},
                "POST /api/v1/reports/{id}/submit/",
            )
        self.done = True


class Reader(HttpUser):
    """Someone in the office or the leadership watching the compliance page on deadline day."""

    fixed_count = 50
    # Seconds between two page loads of one reader (BURST_READER_WAIT="low,high").
    wait_time = between(*map(float, os.environ.get("BURST_READER_WAIT", "0.5,1.5").split(",")))

    def on_start(self) -> None:
        session = SESSIONS[next(_next_reader) % len(SESSIONS)]
        self.client.cookies.set("sessionid", session)

    @task(5)
    def compliance(self) -> None:
        self.client.get(f"/ty-le-nop/?period={PERIOD}", name="GET /ty-le-nop/")

    @task(1)
    def login_page(self) -> None:
        # The baseline in the same run: the lightest page the server renders.
        self.client.get("/dang-nhap/", name="GET /dang-nhap/ (mốc so sánh)")
