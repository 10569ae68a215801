"""OpenRosa submissions at a sustained rate against the real server (gunicorn), none lost.

Sets up a fresh database (SQLite in a temporary folder, or the PostgreSQL database given with
``--database-url``, which is emptied first): an office user, a collaborator with an ODK login, an
open survey with the standard questionnaire. Starts ``longdan serve`` and drives it from this
separate process the way ODK Collect does: each sender thread gets the Digest challenge once,
sends a HEAD to ``/odk/submission`` and then multipart POSTs with ``xml_submission_file``, with
credentials sent proactively. Submissions are scheduled open-loop at ``--rate`` per second for
``--seconds`` seconds (a late response does not slow the schedule down); ``--duplicates`` of them
(5 % by default) resend an earlier instance, as a phone does when it missed the answer; some
carry a small photo. Afterwards it counts the stored responses: every unique instance stored
exactly once, every duplicate answered 202 and not stored.

Run: ``.venv/bin/python bench/bench_openrosa.py [--rate 50] [--seconds 60] [--port 8766]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import requests
from _setup import ROOT, git_revision, machine

from odk.openrosa import parse_digest  # pure: no Django needed in the load process

BIN = Path(sys.executable).parent

SETUP = r"""
import datetime as dt, json, sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from orgs.models import Collaborator, OrgUnit, User, Area
from surveys.design import services
from surveys.collect import services as services_collect
from surveys.models import Survey
from odk.tests import builder
ward = OrgUnit.objects.create(code="dang-uy", name="Đảng ủy phường", kind="dang_uy")
office_unit = OrgUnit.objects.create(code="ban-xdd", name="Ban Xây dựng Đảng", kind="ban_xdd",
                                     parent=ward)
cell = OrgUnit.objects.create(code="chi-bo-1", name="Chi bộ 1", kind="chi_bo", parent=ward)
office = User.objects.create_user("vanphong", password="x", role="office", unit=office_unit)
ctv = User.objects.create_user("ctv_bench", password="x", role="collaborator", unit=cell)
Collaborator.objects.create(full_name="Cộng tác viên", user=ctv, unit=cell,
                            started_on=dt.date(2025, 10, 1))
for i, population in enumerate((820, 640, 540), start=1):
    Area.objects.create(name=f"Tổ dân phố {i}", population=population)
survey = services.create_survey(user=office, data=services.SurveyInput(
    title="Khảo sát đo tải OpenRosa", sample_size=3000, allow_public_link=False,
    form_id="khao_sat_chuan"))
services.upload_form_version(user=office, survey=survey,
    content=builder.standard_xlsx(form_id="khao_sat_chuan", version="2026010101"),
    filename="khao_sat_chuan.xlsx")
services.set_survey_status(user=office, survey=survey, status=Survey.Status.OPEN)
_, password = services_collect.issue_odk_credential(user=ctv, by=office)
print(json.dumps({"username": "ctv_bench", "password": password}))
"""

COUNT = r"""
import json, django
django.setup()
from django.db.models import Count
from surveys.models import Attachment, Response
ids = list(Response.objects.values_list("instance_id", flat=True))
print(json.dumps({"stored": len(ids), "distinct": len(set(ids)),
                  "attachments": Attachment.objects.count(),
                  "sources": dict(Response.objects.values_list("source").annotate(n=Count("id")))}))
"""

AREAS = ["to_1", "to_2", "to_3"]
AGES = ["18_29", "30_44", "45_59", "60+"]
OPINIONS = [
    "Đề nghị sửa đèn đường ngõ 5, liên hệ 0912 345 678.",
    "Vỉa hè mới lát đẹp nhưng thi công kéo dài, bụi nhiều.",
    "Cần công khai dự toán trước khi làm.",
    "",
]
PHOTO = b"\xff\xd8\xff\xe0" + bytes(random.Random(1).getrandbits(8) for _ in range(20_000))


def instance_xml(instance_id: str, rng: random.Random) -> bytes:
    members = "".join(
        f"<thanh_vien><ten_thanh_vien>TV{i}</ten_thanh_vien>"
        f"<tuoi_thanh_vien>{rng.randint(1, 90)}</tuoi_thanh_vien></thanh_vien>"
        for i in range(rng.randint(0, 3))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<data xmlns:jr="http://openrosa.org/javarosa" id="khao_sat_chuan" version="2026010101">'
        f"<gioi_thieu/><thong_tin><khu_vuc>{rng.choice(AREAS)}</khu_vuc>"
        f"<gioi_tinh>{rng.choice(['nam', 'nu'])}</gioi_tinh>"
        f"<nhom_tuoi>{rng.choice(AGES)}</nhom_tuoi><so_nhan_khau>{rng.randint(1, 8)}"
        "</so_nhan_khau><ngay_phong_van>2026-01-10</ngay_phong_van></thong_tin>"
        "<hai_long_chung>hai_long</hai_long_chung><biet_chu_truong>co</biet_chu_truong>"
        "<kenh_thong_tin>loa</kenh_thong_tin><van_de>rac_thai giao_thong</van_de>"
        f"<van_de_other/><y_kien_khac>{rng.choice(OPINIONS)}</y_kien_khac>"
        "<dong_y_1>dong_y</dong_y_1><dong_y_2>chua_ro</dong_y_2><dong_y_3>dong_y</dong_y_3>"
        f"{members}<so_van_de>2</so_van_de>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


class DigestSession:
    """One phone: a keep-alive connection, the Digest challenge answered once, then proactive."""

    def __init__(self, host: str, username: str, password: str):
        self.host = host
        self.username = username
        self.password = password
        self.http = requests.Session()
        self.http.headers["X-OpenRosa-Version"] = "1.0"
        self.challenge: dict | None = None
        self.nc = 0

    def _authorization(self, method: str, uri: str) -> str:
        c = self.challenge
        self.nc += 1
        nc = f"{self.nc:08x}"
        cnonce = secrets.token_hex(8)
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731, S324
        ha1 = md5(f"{self.username}:{c['realm']}:{self.password}")
        response = md5(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{md5(f'{method}:{uri}')}")
        return (
            f'Digest username="{self.username}", realm="{c["realm"]}", nonce="{c["nonce"]}",'
            f' uri="{uri}", qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}"'
        )

    def request(self, method: str, uri: str, **kwargs) -> requests.Response:
        for _ in range(3):
            headers = {"Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())}
            if self.challenge:
                headers["Authorization"] = self._authorization(method, uri)
            response = self.http.request(method, self.host + uri, headers=headers, timeout=60,
                                         **kwargs)
            if response.status_code != 401:
                return response
            self.challenge = parse_digest(response.headers["WWW-Authenticate"])
            self.nc = 0
        return response


def drive(host: str, login: dict, rate: float, seconds: float, duplicates: float,
          senders: int) -> dict:
    rng = random.Random(20260110)
    total = int(rate * seconds)
    jobs: list[tuple[float, str, bool, bool]] = []  # (due, instance id, is duplicate, photo)
    sent_ids: list[str] = []
    for i in range(total):
        if sent_ids and rng.random() < duplicates:
            jobs.append((i / rate, rng.choice(sent_ids[-200:]), True, False))
        else:
            instance_id = f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
            sent_ids.append(instance_id)
            jobs.append((i / rate, instance_id, False, rng.random() < 0.1))
    work: queue.Queue = queue.Queue()
    results: list[dict] = []
    lock = threading.Lock()
    uri = "/odk/submission?deviceID=collect%3Abench"

    def sender(number: int) -> None:
        phone = DigestSession(host, login["username"], login["password"])
        head = phone.request("HEAD", uri)
        assert head.status_code == 204, head.status_code
        local_rng = random.Random(number)
        while True:
            job = work.get()
            if job is None:
                return
            due, instance_id, duplicate, photo, start_at = job
            files = {"xml_submission_file": ("phieu.xml", instance_xml(instance_id, local_rng),
                                             "text/xml")}
            if photo:
                files["anh.jpg"] = ("anh.jpg", PHOTO, "image/jpeg")
            started = time.perf_counter()
            try:
                status = phone.request("POST", uri, files=files).status_code
            except requests.RequestException as exc:
                status = f"lỗi: {type(exc).__name__}"
            finished = time.perf_counter()
            with lock:
                results.append({
                    "status": status, "duplicate": duplicate, "id": instance_id,
                    "latency": finished - started, "lag": started - (start_at + due),
                    "done": finished - start_at,
                })

    threads = [threading.Thread(target=sender, args=(n,), daemon=True) for n in range(senders)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # every sender has its challenge and HEAD behind it
    start_at = time.perf_counter()
    for due, instance_id, duplicate, photo in jobs:
        delay = start_at + due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        work.put((due, instance_id, duplicate, photo, start_at))
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join(timeout=300)
    elapsed = max(r["done"] for r in results)
    latencies = sorted(r["latency"] for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
    unique_ids = {j[1] for j in jobs}

    def pct(values, q):
        return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)

    return {
        "scheduled": total,
        "unique_instances": len(unique_ids),
        "duplicates_sent": sum(1 for j in jobs if j[2]),
        "with_photo": sum(1 for j in jobs if j[3]),
        "answered": len(results),
        "statuses": statuses,
        "created_201": sum(1 for r in results if r["status"] == 201),
        "duplicate_202": sum(1 for r in results if r["status"] == 202),
        "wrong_status": sum(1 for r in results if r["status"] not in (201, 202)),
        # Each instance must be created exactly once, whichever of its sends came first.
        "instances_not_created_once": sum(
            1 for count in created_per_id(results, unique_ids).values() if count != 1
        ),
        "achieved_per_second": round(len(results) / elapsed, 1),
        "schedule_lag_p95_ms": pct(sorted(r["lag"] for r in results), 0.95),
        "latency_ms": {
            "p50": pct(latencies, 0.50), "p95": pct(latencies, 0.95),
            "p99": pct(latencies, 0.99), "max": round(latencies[-1] * 1000, 1),
            "mean": round(statistics.mean(latencies) * 1000, 1),
        },
        "unique_ids": unique_ids,
    }


def created_per_id(results: list[dict], unique_ids: set[str]) -> dict[str, int]:
    counts = dict.fromkeys(unique_ids, 0)
    for r in results:
        if r["status"] == 201:
            counts[r["id"]] = counts.get(r["id"], 0) + 1
    return counts


def wait_until_up(url: str, seconds: float = 400) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Máy chủ không khởi động được tại {url}")


def reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--duplicates", type=float, default=0.05)
    parser.add_argument("--senders", type=int, default=24, help="concurrent phones")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL database to use (EMPTIED first); SQLite if not given")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="longdan-openrosa-"))
    env = {
        **os.environ,
        "LONGDAN_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "longdan.settings",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    if args.database_url:
        reset_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    login = json.loads(subprocess.run(
        [str(BIN / "python"), "-c", SETUP], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip().splitlines()[-1])
    server = subprocess.Popen(
        [str(BIN / "longdan"), "serve", "--port", str(args.port), "--no-worker",
         "--workers", str(args.workers), "--threads", str(args.threads)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()
    try:
        wait_until_up(host + "/dang-nhap/")
        outcome = drive(host, login, args.rate, args.seconds, args.duplicates, args.senders)
    finally:
        load_after = os.getloadavg()
        server.terminate()
        server.wait(timeout=30)
    counted = json.loads(subprocess.run(
        [str(BIN / "python"), "-c", COUNT], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip().splitlines()[-1])
    unique_ids = outcome.pop("unique_ids")
    lost = len(unique_ids) - counted["distinct"]
    result = {
        "benchmark": f"OpenRosa submissions at {args.rate:g}/s for {args.seconds:g} s"
        f" ({args.duplicates:.0%} resent), {args.senders} phones",
        "machine": machine(),
        "load_average_before_after": [round(x, 2) for x in (*load_before[:1], *load_after[:1])],
        "revision": git_revision(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "server": f"gunicorn (longdan serve) {args.workers}×{args.threads},"
        f" {'PostgreSQL' if args.database_url else 'SQLite WAL'}",
        **outcome,
        "stored": counted["stored"],
        "stored_distinct": counted["distinct"],
        "attachments_stored": counted["attachments"],
        "lost": lost,
        "duplicated_in_db": counted["stored"] - counted["distinct"],
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    ok = (
        lost == 0 and result["duplicated_in_db"] == 0 and result["wrong_status"] == 0
        and counted["stored"] == len(unique_ids) and result["instances_not_created_once"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
