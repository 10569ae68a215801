"""``longdan serve``, ``longdan worker``, ``longdan scheduler``: the web server, the background
worker and the periodic schedule."""

from __future__ import annotations

import os
import signal
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
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
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


def url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}"


def cmd_serve(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    here = str(settings.BASE_DIR)
    children: dict[str, subprocess.Popen] = {}
    children["máy chủ web"] = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "longdan.wsgi:application",
         "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers),
         "--threads", str(args.threads), "--worker-class", "gthread",
         "--timeout", "60", "--graceful-timeout", "10",
         # Browsers and load tools reuse connections; gunicorn's 2 s default races with them.
         "--keep-alive", "30"],
        cwd=here,
    )
    if not args.no_worker:
        for name, command in (("tác vụ nền", "worker"), ("lịch nhắc hạn", "scheduler")):
            children[name] = subprocess.Popen([sys.executable, "-m", "longdan.commands", command],
                                              cwd=here)
    out(f"Lòng Dân đang chạy tại {url(args.host, args.port)} — dừng bằng Ctrl+C.")
    return _supervise(children)


class _Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise _Stop


def _supervise(children: dict[str, subprocess.Popen]) -> int:
    """Wait until a signal or a child's death, then stop every child."""
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    code = 0
    try:
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    raise CliError(f"tiến trình {name} đã dừng (mã {child.returncode}).")
            time.sleep(0.5)
    except (_Stop, KeyboardInterrupt):
        out("Đang dừng…")
    except CliError as exc:
        code = fail(str(exc))
    finally:
        signal.signal(signal.SIGTERM, previous)
        _terminate(children.values())
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

    require_migrated()
    options = ["--queue-name", "*", "--interval", str(args.interval), "--no-reload"]
    if args.batch:
        options += ["--batch", "--no-startup-delay"]
    call_command("db_worker", *options)
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
    "reporting.tasks.send_reminders",
    "issues.tasks.group_items",
    "issues.tasks.detect_bursts_task",
    "intake.tasks.retrain_models",
)


def enqueue_periodic() -> list[str]:
    """Put one run of each periodic task on the queue; return the ids of those enqueued."""
    from django.utils.module_loading import import_string

    ids = []
    for path in PERIODIC_TASKS:  # a renamed task fails loudly here (and in textops' tests)
        ids.append(str(import_string(path).enqueue().id))
    return ids


def cmd_scheduler(args) -> int:
    minutes = _schedule_minutes(args.minutes)
    require_migrated()
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
