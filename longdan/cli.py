"""The ``longdan`` command: demo data, the server, the background worker, compliance, consolidation.

For IT staff and automation. It works on the same database as the app (by default the SQLite file
in ``var/``; ``--database-url`` or ``DATABASE_URL`` picks another). Every failure the user can
cause (a malformed period, an unknown unit or template, a missing folder, a database not set up)
ends with one line on stderr, ``Lỗi: …``, and exit code 2, never a traceback; set
``LONGDAN_TRACEBACK=1`` to see one for an unexpected error.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from core.errors import ServiceError
from longdan.vi_argparse import CliError
from longdan.vi_argparse import VietnameseParser as _Parser
from reporting.periods import PeriodError, PeriodKey, parse_period

EXIT_ERROR = 2
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def build_parser() -> _Parser:
    parser = _Parser(
        prog="longdan",
        description="Lòng Dân — công cụ dòng lệnh cho cán bộ kỹ thuật: dữ liệu mẫu, chạy máy"
        " chủ, tác vụ nền, tỷ lệ nộp báo cáo, báo cáo tổng hợp.",
    )
    parser.add_argument(
        "--database-url", metavar="URL",
        help="cơ sở dữ liệu cần dùng, ví dụ postgres://user@127.0.0.1:5432/longdan"
        " (mặc định: biến DATABASE_URL, hoặc tệp SQLite trong thư mục var/)",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                                     parser_class=_Parser)
    _add_demo(commands)
    _add_serve(commands)
    _add_worker(commands)
    _add_scheduler(commands)
    _add_compliance(commands)
    _add_consolidate(commands)
    # Handled before parsing (see main); listed here so that --help shows it.
    commands.add_parser(
        "text", help="phân tích văn bản: train, eval, classify, group (longdan text --help)"
    )
    commands.add_parser(
        "survey", help="khảo sát: import (XLSForm), weigh, estimate (longdan survey --help)"
    )
    return parser


def _add_demo(commands) -> None:
    demo = commands.add_parser(
        "demo", help="tạo cơ sở dữ liệu và nạp dữ liệu mẫu phường Hòa Bình",
        description="Tạo/cập nhật cấu trúc cơ sở dữ liệu, nạp dữ liệu mẫu phường Hòa Bình (nếu"
        " chưa có đơn vị nào) và in các tài khoản đăng nhập mẫu.",
    )
    demo.add_argument("--reset", action="store_true",
                      help="xóa dữ liệu mẫu cũ (báo cáo, người dùng, nhật ký) rồi nạp lại")
    demo.add_argument("--months", type=int, default=6,
                      help="số tháng báo cáo mẫu trước tháng hiện tại (mặc định: 6)")
    demo.set_defaults(handler=cmd_demo)


def _add_serve(commands) -> None:
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
    serve.set_defaults(handler=cmd_serve)


def _add_worker(commands) -> None:
    worker = commands.add_parser(
        "worker", help="chỉ chạy tiến trình tác vụ nền (thêm máy xử lý)",
        description="Chạy tiến trình xử lý tác vụ nền (django-tasks, hàng đợi trong cơ sở dữ"
        " liệu). Có thể chạy nhiều tiến trình trên nhiều máy cùng một cơ sở dữ liệu PostgreSQL.",
    )
    worker.add_argument("--batch", action="store_true",
                        help="xử lý hết các tác vụ đang chờ rồi thoát")
    worker.add_argument("--interval", type=float, default=1.0,
                        help="số giây chờ khi hàng đợi trống (mặc định: %(default)s)")
    worker.set_defaults(handler=cmd_worker)


def _add_scheduler(commands) -> None:
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
    scheduler.set_defaults(handler=cmd_scheduler)


def _add_compliance(commands) -> None:
    compliance = commands.add_parser(
        "compliance", help="tỷ lệ nộp báo cáo của một kỳ",
        description="In tỷ lệ nộp báo cáo (phải nộp, đã nộp, đúng hạn, muộn, chưa nộp) của một"
        " kỳ, nêu tên các đơn vị nộp muộn và chưa nộp.",
    )
    compliance.add_argument("--period", required=True, metavar="KỲ",
                            help="kỳ báo cáo: 2025-11 (tháng), 2025-H2 (6 tháng), 2025 (năm)")
    compliance.add_argument("--template", type=int, metavar="SỐ",
                            help="mã số mẫu báo cáo (mặc định: mẫu đang dùng của loại kỳ)")
    compliance.add_argument("--unit", metavar="MÃ",
                            help="chỉ tính đơn vị này (mã hoặc tên) và các đơn vị trực thuộc")
    compliance.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    compliance.set_defaults(handler=cmd_compliance)


def _add_consolidate(commands) -> None:
    consolidate = commands.add_parser(
        "consolidate", help="tạo báo cáo tổng hợp của Đảng ủy và xuất DOCX",
        description="Tổng hợp các báo cáo đã nộp của kỳ thành báo cáo của Đảng ủy phường (tạo"
        " mới hoặc làm lại bản nháp) và xuất tệp DOCX, tùy chọn kèm bảng biểu XLSX.",
    )
    consolidate.add_argument("--period", required=True, metavar="KỲ",
                             help="kỳ báo cáo: 2025-11, 2025-H2 hoặc 2025")
    consolidate.add_argument("--out", required=True, metavar="TỆP.docx",
                             help="tệp DOCX cần ghi")
    consolidate.add_argument("--xlsx", metavar="TỆP.xlsx", help="ghi thêm bảng biểu ra tệp XLSX")
    consolidate.set_defaults(handler=cmd_consolidate)


# --- entry point -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["text"]:
        # The text engine works on files alone: no database, no Django.
        from textengine.cli import main as text_main

        return text_main(argv[1:])
    if argv[:1] == ["survey"]:
        from surveys.cli import main as survey_main

        return survey_main(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except CliError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help prints and exits 0
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        _setup_django(args.database_url)
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (say ``| head``) went away; that is not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (CliError, ServiceError, PeriodError) as exc:
        return _fail(getattr(exc, "message", None) or str(exc))
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("LONGDAN_TRACEBACK"):
            raise
        return _fail(_describe(exc))


def _fail(message: str) -> int:
    message = " ".join(str(message).split())  # one line, whatever the message held
    print(f"Lỗi: {message}", file=sys.stderr)
    return EXIT_ERROR


def _describe(exc: Exception) -> str:
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, DatabaseError):
        return f"cơ sở dữ liệu báo lỗi: {detail}"
    if isinstance(exc, ImproperlyConfigured):
        return f"cấu hình chưa đúng: {detail}"
    if isinstance(exc, OSError):
        return f"không đọc/ghi được tệp: {detail}"
    return f"lỗi không mong đợi ({type(exc).__name__}): {detail}. Chạy lại với LONGDAN_TRACEBACK=1"


def _setup_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
    import django

    try:
        django.setup()
    except Exception as exc:  # noqa: BLE001 - settings read DATABASE_URL and the environment
        if os.environ.get("LONGDAN_TRACEBACK"):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(
            f"cấu hình không hợp lệ (kiểm tra DATABASE_URL và biến môi trường): {detail}"
        ) from exc


def _out(text: str = "") -> None:
    print(text, flush=True)


def _require_migrated() -> None:
    """Refuse to read a database whose tables are missing or out of date."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CliError(
            "cơ sở dữ liệu chưa được khởi tạo hoặc chưa cập nhật cấu trúc; hãy chạy"
            " `longdan demo` (kèm dữ liệu mẫu) hoặc `python manage.py migrate`."
        )


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- demo --------------------------------------------------------------------------------------


def cmd_demo(args) -> int:
    from longdan import demo
    from orgs.models import OrgUnit

    _migrate()
    if demo.is_loaded() and not args.reset:
        _out("Dữ liệu mẫu phường Hòa Bình đã được nạp trước đó; giữ nguyên"
             " (dùng `longdan demo --reset` để nạp lại từ đầu).")
    elif OrgUnit.objects.exists() and not demo.is_loaded():
        raise CliError("cơ sở dữ liệu đã có đơn vị không thuộc dữ liệu mẫu; không nạp dữ liệu mẫu.")
    else:
        _out("Đang nạp dữ liệu mẫu phường Hòa Bình, thành phố Hải Phòng…")
        summary = demo.load_demo(reset=args.reset, months=args.months, stdout=sys.stdout)
        _print_summary(summary)
    _print_logins(demo.current_logins(), demo.PASSWORD)
    return 0


def _print_summary(summary) -> None:
    outcomes = summary.outcomes
    on_time = outcomes.get("on_time", 0) + outcomes.get("on_time+resubmitted", 0)
    late = outcomes.get("late", 0) + outcomes.get("late+resubmitted", 0)
    _out(f"Đã nạp trong {summary.seconds:.1f} giây: {summary.units} đơn vị"
         f" ({summary.grassroots_open} tổ chức cơ sở đảng đang hoạt động), {summary.areas} tổ dân"
         f" phố, {_number(summary.population)} nhân khẩu, {summary.collaborators} cộng tác viên.")
    _out(f"Báo cáo tháng {summary.months[0]} … {summary.months[-1]} và tháng hiện tại:"
         f" {summary.reports} báo cáo ({on_time} đúng hạn, {late} muộn,"
         f" {outcomes.get('returned', 0)} đang bị trả lại, {outcomes.get('draft', 0)} bản nháp),"
         f" {summary.streams} luồng ý kiến.")
    _out(summary.opinion_line())
    _out(summary.survey_line())


def _print_logins(logins, password: str) -> None:
    _out()
    _out(f"Mở {_url(DEFAULT_HOST, DEFAULT_PORT)} và đăng nhập (mật khẩu chung: {password}):")
    if not logins:
        _out("  (chưa có tài khoản nào)")
    width = max((len(login.username) for login in logins), default=8)
    for login in logins:
        _out(f"  {login.username:<{width}}  {login.full_name} — {login.role}, {login.unit}")


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# --- serve, worker, scheduler ------------------------------------------------------------------


def cmd_serve(args) -> int:
    from django.conf import settings
    from django.core.management import call_command

    _migrate()
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
            children[name] = subprocess.Popen([sys.executable, "-m", "longdan.cli", command],
                                              cwd=here)
    _out(f"Lòng Dân đang chạy tại {_url(args.host, args.port)} — dừng bằng Ctrl+C.")
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
        _out("Đang dừng…")
    except CliError as exc:
        code = _fail(str(exc))
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

    _require_migrated()
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
    _require_migrated()
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        while True:
            ids = enqueue_periodic()
            _out(f"Đã đưa {len(ids)} tác vụ định kỳ vào hàng đợi.")
            if args.once:
                return 0 if ids else EXIT_ERROR
            time.sleep(minutes * 60)
    except (_Stop, KeyboardInterrupt):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


# --- compliance --------------------------------------------------------------------------------


def _template_for(key: PeriodKey, template_id: int | None):
    from reporting.models import ReportTemplate
    from reporting.selectors import default_template

    if template_id is None:
        template = default_template(key.kind)
        if template is None:
            raise CliError(f"không có mẫu báo cáo đang dùng cho kỳ {key.label.lower()}.")
        return template
    template = ReportTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise CliError(f"không tìm thấy mẫu báo cáo số {template_id}.")
    if template.period_kind != key.kind:
        raise CliError(
            f"mẫu '{template.name}' dùng cho kỳ {template.get_period_kind_display().lower()},"
            f" không dùng cho {key.label}."
        )
    return template


def _reader_for(unit_ref: str | None):
    """An unsaved reader: the office (all units), or one unit and the units below it."""
    from core.text import fold
    from orgs.models import OrgUnit, User

    if not unit_ref:
        return User(username="longdan-cli", role=User.Role.OFFICE)
    unit = (OrgUnit.objects.filter(code=unit_ref).first()
            or OrgUnit.objects.filter(name_folded=fold(unit_ref)).first())
    if unit is None:
        raise CliError(f"không tìm thấy đơn vị '{unit_ref}' (theo mã hoặc tên).")
    return User(username="longdan-cli", role=User.Role.REPORTER, unit=unit)


def cmd_compliance(args) -> int:
    key = parse_period(args.period)
    _require_migrated()
    from reporting.selectors import compliance_for

    template = _template_for(key, args.template)
    view = compliance_for(_reader_for(args.unit), template=template, period=key)
    if args.json:
        _out(json.dumps(view.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_compliance(view.as_dict())
    return 0


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _print_compliance(data: dict) -> None:
    deadline = "/".join(reversed(data["deadline"].split("-")))
    _out(f"TỶ LỆ NỘP BÁO CÁO — {data['label'].upper()} (hạn nộp {deadline})")
    _out(f"Mẫu: {data['template']}")
    _out()
    rows = [
        ("Phải nộp", data["expected"]),
        ("Đã nộp", data["submitted"]),
        ("  trong đó đúng hạn", data["on_time"]),
        ("  trong đó nộp muộn", data["late"]),
        ("Bị trả lại, chờ nộp lại", data["returned"]),
        ("Đang soạn / chưa bắt đầu (chưa đến hạn)", data["draft"] + data["not_started"]),
        ("Chưa nộp (quá hạn)", data["missing"]),
    ]
    for label, value in rows:
        _out(f"  {label:<42}{value:>6}")
    _out(f"  {'Tỷ lệ nộp':<42}{_rate(data['reporting_rate']):>6}")
    _out(f"  {'Tỷ lệ đúng hạn':<42}{_rate(data['on_time_rate']):>6}")
    if len(data["by_parent"]) > 1:
        _out()
        _out(f"  {'Theo đơn vị cấp trên':<42}{'phải nộp':>9}{'đã nộp':>8}{'đúng hạn':>10}")
        for row in data["by_parent"]:
            _out(f"  {row['parent'][:41]:<42}{row['expected']:>9}{row['submitted']:>8}"
                 f"{_rate(row['on_time_rate']):>10}")
    for title, key in (("Đơn vị nộp muộn", "late_units"), ("Đơn vị chưa nộp", "missing_units"),
                       ("Đơn vị bị trả lại báo cáo", "returned_units")):
        names = data[key]
        _out()
        _out(f"{title} ({len(names)}):" + ("" if names else " không có"))
        for name in names:
            _out(f"  - {name}")


# --- consolidate -------------------------------------------------------------------------------


def _output_path(value: str, suffix: str, option: str) -> Path:
    path = Path(value).expanduser()
    if path.suffix.lower() != suffix:
        raise CliError(f"tệp {option} '{value}' phải có đuôi {suffix}.")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CliError(f"thư mục '{folder}' không tồn tại (tệp {option} '{value}').")
    return path


def cmd_consolidate(args) -> int:
    key = parse_period(args.period)
    docx_path = _output_path(args.out, ".docx", "--out")
    xlsx_path = _output_path(args.xlsx, ".xlsx", "--xlsx") if args.xlsx else None
    _require_migrated()
    try:
        from reporting import consolidation_services as consolidation
    except ImportError as exc:
        raise CliError("chức năng tổng hợp báo cáo chưa được cài đặt trong phiên bản này.") from exc
    consolidated = consolidation.generate_consolidated(user=None, period=key)
    consolidation.export_docx(user=None, consolidated=consolidated, out=docx_path)
    _out(f"Đã ghi báo cáo tổng hợp {consolidated.period} vào {docx_path}")
    if xlsx_path is not None:
        export_xlsx = getattr(consolidation, "export_xlsx", None)
        if export_xlsx is None:
            raise CliError("phiên bản này chưa hỗ trợ xuất bảng biểu XLSX.")
        export_xlsx(user=None, consolidated=consolidated, out=xlsx_path)
        _out(f"Đã ghi bảng biểu vào {xlsx_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
