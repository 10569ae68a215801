"""``longdan serve``, ``longdan worker``, ``longdan scheduler``: the web server, the background
worker and the periodic schedule."""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time

from longdan.commands.database import migrate, require_migrated
from longdan.commands.parser import EXIT_ERROR, CliError, fail, out

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def register(commands) -> None:
    serve = commands.add_parser(
        "serve", help="chạy máy chủ web (gunicorn), tác vụ nền và lịch nhắc hạn",
        description="Cập nhật cấu trúc cơ sở dữ liệu, gom tệp tĩnh, rồi chạy máy chủ web"
        " gunicorn cùng tiến trình tác vụ nền và lịch nhắc hạn. Dừng bằng Ctrl+C.",
    )
    serve.add_argument("--host", default=DEFAULT_HOST,
                       help="địa chỉ lắng nghe (mặc định: %(default)s)")
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                       help="cổng (mặc định: %(default)s)")
    serve.add_argument("--workers", type=int, default=2,
                       help="số tiến trình gunicorn (mặc định: %(default)s)")
    serve.add_argument("--threads", type=int, default=8,
                       help="số luồng mỗi tiến trình (mặc định: %(default)s)")
    serve.add_argument("--no-worker", action="store_true",
                       help="không chạy tác vụ nền và lịch nhắc hạn (khi chúng chạy ở máy khác)")
    serve.set_defaults(handler=cmd_serve, needs_django=True)

    worker = commands.add_parser(
        "worker", help="chỉ chạy tiến trình tác vụ nền (thêm máy xử lý)",
        description="Chạy tiến trình xử lý tác vụ nền (django-tasks, hàng đợi trong cơ sở dữ"
        " liệu). Có thể chạy nhiều tiến trình trên nhiều máy cùng một cơ sở dữ liệu PostgreSQL.",
    )
    worker.add_argument("--batch", action="store_true",
                        help="xử lý hết các tác vụ đang chờ rồi thoát")
    worker.add_argument("--interval", type=float, default=1.0,
                        help="số giây chờ khi hàng đợi trống (mặc định: %(default)s)")
    worker.set_defaults(handler=cmd_worker, needs_django=True)

    scheduler = commands.add_parser(
        "scheduler", help="chỉ chạy lịch định kỳ đưa tác vụ nhắc hạn vào hàng đợi",
        description="Cứ mỗi N phút (mặc định: biến LONGDAN_SCHEDULE_MINUTES hoặc 60) đưa tác vụ"
        " gửi nhắc hạn báo cáo vào hàng đợi; tác vụ không gửi trùng nên chạy thường xuyên vẫn an"
        " toàn.",
    )
    scheduler.add_argument("--minutes", type=float, default=None,
                           help="chu kỳ tính bằng phút")
    scheduler.add_argument("--once", action="store_true",
                           help="chỉ đưa tác vụ vào hàng đợi một lần rồi thoát")
    scheduler.set_defaults(handler=cmd_scheduler, needs_django=True)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"cổng '{text}' không hợp lệ: cần một số nguyên từ 1 đến 65535")
    return port


def url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_secret_key(host: str) -> None:
    """Refuse to serve other machines with the key published in the repository (finding 5)."""
    from django.conf import settings

    if is_loopback(host) or settings.SECRET_KEY != getattr(settings, "DEFAULT_SECRET_KEY", None):
        return
    raise CliError(
        f"không chạy máy chủ tại {host} với khóa bí mật mặc định công khai trong mã nguồn: ai"
        " cũng giả được phiên đăng nhập. Đặt biến SECRET_KEY (hoặc SECRET_KEY_FILE), hoặc bỏ biến"
        " SECRET_KEY để ứng dụng tự sinh khóa trong thư mục var/, hoặc chỉ chạy tại 127.0.0.1."
    )


def check_port_free(host: str, port: int) -> None:
    """Bind the address once, before anything starts: a taken port is refused up front."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CliError(f"không nhận ra địa chỉ lắng nghe '{host}'.") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except PermissionError as exc:
            raise CliError(f"không có quyền dùng cổng {port} (cổng dưới 1024 cần quyền quản"
                           " trị); hãy chọn cổng khác, ví dụ --port 8000.") from exc
        except OSError as exc:
            raise CliError(f"cổng {port} tại {host} đang được chương trình khác dùng (hoặc địa"
                           " chỉ không thuộc máy này); hãy dừng chương trình đó hoặc chọn cổng"
                           " khác bằng --port.") from exc


_APP_LOCK = []  # kept for the process's life: the kernel drops the lock when it ends


def hold_app_lock() -> None:
    """A shared lock on VAR_DIR while this part of the app runs, so ``longdan restore`` refuses;
    refused itself while a restore runs (core.runlock)."""
    from django.conf import settings

    from core import runlock
    from core.errors import BackupError

    try:
        _APP_LOCK.append(runlock.hold_shared(settings.VAR_DIR))
    except BackupError as exc:
        raise CliError(exc.message) from exc


def check_data_key() -> None:
    """Refuse to start when residents' contact details are encrypted in the database and the key
    that reads them is missing or another one (core.datakey): never a second key, never clear
    text."""
    from core import datakey

    try:
        datakey.ensure_ready()
    except datakey.DataKeyError as exc:
        raise CliError(exc.message) from exc
    os.environ[datakey.CHECKED_ENV] = "1"  # the web processes started below need not check again


def cmd_serve(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    check_secret_key(args.host)
    check_port_free(args.host, args.port)
    hold_app_lock()
    check_data_key()
    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    here = str(settings.BASE_DIR)
    web = [sys.executable, "-m", "gunicorn", "longdan.wsgi:application",
           "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers),
           "--threads", str(args.threads), "--worker-class", "gthread",
           "--timeout", "60", "--graceful-timeout", "10",
           # Browsers and load tools reuse connections; gunicorn's 2 s default races with them.
           "--keep-alive", "30"]
    children = [_Child("máy chủ web", web, here, essential=True)]
    if not args.no_worker:
        for name, command in (("tác vụ nền", "worker"), ("lịch nhắc hạn", "scheduler")):
            children.append(_Child(name, [sys.executable, "-m", "longdan.commands", command],
                                   here))
    for child in children:
        child.start()
    out(f"Lòng Dân đang chạy tại {url(args.host, args.port)} — dừng bằng Ctrl+C.")
    return _supervise(children)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop


# Back-off between restarts of a dead worker or scheduler: 1, 2, 4, ... seconds, at most a
# minute; a child that then ran for a while (STABLE_SECONDS) starts again from one second.
BACKOFF_FIRST, BACKOFF_MAX, STABLE_SECONDS = 1.0, 60.0, 60.0


class _Child:
    """One supervised process. The web server is essential: when it dies, ``serve`` stops (its
    own arbiter already restarts gunicorn workers). A dead worker or scheduler is restarted."""

    def __init__(self, name: str, command: list[str], cwd: str, essential: bool = False):
        self.name, self.command, self.cwd, self.essential = name, command, cwd, essential
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = BACKOFF_FIRST
        self.restart_at: float | None = None
        self.restarts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=self.cwd)
        self.started_at = time.monotonic()
        self.restart_at = None

    def tend(self, now: float) -> None:
        """Notice a death and schedule or perform the restart."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                out(f"Khởi động lại tiến trình {self.name} (lần {self.restarts}).")
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        if self.essential:
            raise CliError(f"tiến trình {self.name} đã dừng (mã {code}).")
        if now - self.started_at >= STABLE_SECONDS:
            self.delay = BACKOFF_FIRST
        out(f"Tiến trình {self.name} đã dừng (mã {code}); khởi động lại sau"
            f" {self.delay:g} giây.")
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, BACKOFF_MAX)


def _supervise(children: list[_Child]) -> int:
    """Restart dead workers and schedulers until a signal or the web server's death."""
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    code = 0
    try:
        while True:
            now = time.monotonic()
            for child in children:
                child.tend(now)
            time.sleep(0.5)
    except (_Stop, KeyboardInterrupt):
        out("Đang dừng…")
    except CliError as exc:
        code = fail(str(exc))
    finally:
        signal.signal(signal.SIGTERM, previous)
        _terminate([c.process for c in children if c.process is not None])
    return code


def _terminate(children) -> None:
    alive = [child for child in children if child.poll() is None]
    for child in alive:
        child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in alive:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def cmd_worker(args) -> int:
    from django.core.management import call_command

    from core.worker import Heartbeat, beat, new_worker_id, release_stale_claims

    hold_app_lock()
    require_migrated()
    check_data_key()
    worker_id = new_worker_id()
    beat(worker_id)  # before the first claim, so no reaper mistakes this worker for a dead one
    release_stale_claims()
    heartbeat = Heartbeat(worker_id)
    heartbeat.start()
    options = ["--queue-name", "*", "--interval", str(args.interval), "--no-reload",
               "--worker-id", worker_id]
    if args.batch:
        options += ["--batch", "--no-startup-delay"]
    try:
        call_command("db_worker", *options)
    finally:
        heartbeat.stop()
    return 0


def _schedule_minutes(value: float | None) -> float:
    if value is None:
        raw = os.environ.get("LONGDAN_SCHEDULE_MINUTES", "60")
        try:
            value = float(raw)
        except ValueError as exc:
            raise CliError(f"LONGDAN_SCHEDULE_MINUTES='{raw}' không phải là số phút.") from exc
    if value <= 0:
        raise CliError("chu kỳ lịch nhắc hạn phải lớn hơn 0 phút.")
    return value


# Work the scheduler puts on the queue every tick. Each task is idempotent (a reminder, an alert
# or a grouping is claimed by a database row), so a repeated or duplicated tick does no harm.
PERIODIC_TASKS = (
    "core.tasks.housekeeping",
    "core.tasks.send_outbox",
    "core.tasks.nightly_backup",  # does nothing until the night's backup hour (core.backup_runs)
    "reporting.tasks.send_reminders",
    "issues.tasks.group_items",
    "issues.tasks.detect_bursts_task",
    "intake.tasks.retrain_models",
    # Residents' contact details whose retention has ended (issue 10, docs/PRIVACY.md).
    "intake.tasks.erase_expired_contacts",
    # The press and social networks: each source on its own interval (issue 9).
    "monitoring.tasks.fetch_due_sources",
    "monitoring.tasks.process_mentions",  # into issues, watch-list, spreading stories
    "picture.rollup_tasks.refresh_rollups",  # first: what the others read
    # picture: alerts, reminders and escalation (after the burst detector, so a tick's bursts
    # are usually told in the same tick)
    "picture.tasks.alert_bursts",
    "picture.tasks.alert_rising",
    "picture.tasks.propose_latent",
    "picture.tasks.alert_overdue",
    "picture.tasks.remind_due",
    "picture.tasks.send_digests",
    "picture.brief_tasks.draft_weekly_brief",
)


def enqueue_periodic() -> list[str]:
    """Put one run of each periodic task on the queue; return the ids of those enqueued."""
    from django.utils.module_loading import import_string

    ids = []
    for path in PERIODIC_TASKS:  # a renamed task fails loudly here (and in textops' tests)
        ids.append(str(import_string(path).enqueue().id))
    return ids


def cmd_scheduler(args) -> int:
    from core.worker import Heartbeat, beat, new_worker_id

    minutes = _schedule_minutes(args.minutes)
    hold_app_lock()
    require_migrated()
    scheduler_id = new_worker_id()
    beat(scheduler_id, kind="scheduler")
    heartbeat = Heartbeat(scheduler_id, kind="scheduler", chores=False)
    heartbeat.start()
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        while True:
            ids = enqueue_periodic()
            out(f"Đã đưa {len(ids)} tác vụ định kỳ vào hàng đợi.")
            if args.once:
                return 0 if ids else EXIT_ERROR
            time.sleep(minutes * 60)
    except (_Stop, KeyboardInterrupt):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        heartbeat.stop()
