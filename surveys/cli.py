"""``longdan survey …``: check or load an XLSForm; weigh and estimate (delegated to surveystats).

``longdan survey import FILE.xlsx [--json]`` validates a questionnaire on the file alone (no
database): it prints every error and warning with its sheet, row and column, in Vietnamese, and
exits 1 when the form has errors, 0 otherwise. With ``--survey SLUG --user USERNAME`` it also
stores the file as a new version of that survey (this needs the database, set up only then).
``weigh`` and ``estimate`` are ``surveystats.cli``'s. Usage errors (a missing file, a bad
option, an unknown survey) print one line ``Lỗi: …`` on stderr and exit 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from longdan.vi_argparse import CliError
from longdan.vi_argparse import VietnameseParser as _Parser

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2

def build_parser() -> _Parser:
    parser = _Parser(
        prog="longdan survey",
        description="Khảo sát dư luận: kiểm tra/nạp bảng hỏi XLSForm, tính trọng số, ước lượng.",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                                     parser_class=_Parser)
    imp = commands.add_parser(
        "import", help="kiểm tra một tệp XLSForm (.xlsx/.xls), in lỗi và cảnh báo",
        description="Kiểm tra tệp XLSForm bằng pyxform: mỗi lỗi, cảnh báo ghi rõ trang, dòng,"
        " cột. Mã thoát 1 nếu biểu mẫu có lỗi. Với --survey: lưu thành phiên bản mới của cuộc"
        " khảo sát đó.",
    )
    imp.add_argument("file", metavar="TỆP", help="tệp XLSForm .xlsx hoặc .xls")
    imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    imp.add_argument("--survey", metavar="MÃ", help="mã (slug) cuộc khảo sát để lưu phiên bản")
    imp.add_argument("--user", metavar="TÊN", help="tài khoản Ban Xây dựng Đảng thực hiện "
                     "(bắt buộc khi có --survey)")
    imp.add_argument("--database-url", help="cơ sở dữ liệu (mặc định: DATABASE_URL)")
    # Listed for --help; handled by surveystats.cli before parsing.
    commands.add_parser("weigh", help="tính trọng số theo cơ cấu dân số (longdan survey weigh "
                        "--help)", add_help=False)
    commands.add_parser("estimate", help="ước lượng tỷ lệ có trọng số, sai số, khoảng tin cậy "
                        "(longdan survey estimate --help)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["weigh"], ["estimate"]):
        from surveystats.cli import main as stats_main

        return stats_main(argv)
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        if args.command is None:
            build_parser().print_help()
            return EXIT_OK
        return cmd_import(args)
    except CliError as exc:
        print(f"Lỗi: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        raise CliError(f"không tìm thấy tệp '{path}'.")
    if file.is_dir():
        raise CliError(f"'{path}' là thư mục, không phải tệp.")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CliError(f"không đọc được tệp '{path}': {exc.strerror or exc}.") from exc


def _print_text(name: str, result: dict) -> None:
    from odk.issues import Issue

    if result["ok"]:
        langs = ", ".join(result["languages"]) or "một ngôn ngữ"
        print(f"Tệp {name}: form_id '{result['form_id']}', phiên bản '{result['version']}', "
              f"tiêu đề “{result['title']}”, {len(result['questions'])} câu hỏi, ngôn ngữ: "
              f"{langs}.")
    for item in result["errors"] + result["warnings"]:
        issue = Issue(**item)
        print(issue.line())
        if issue.original and issue.original != issue.message:
            print(f"    (gốc: {issue.original})")
    n_err, n_warn = len(result["errors"]), len(result["warnings"])
    if n_err:
        print(f"Kết quả: {n_err} lỗi, {n_warn} cảnh báo — biểu mẫu chưa dùng được.")
    else:
        print(f"Kết quả: hợp lệ, {n_warn} cảnh báo.")


def cmd_import(args) -> int:
    from odk import xlsform

    if args.survey and not args.user:
        raise CliError("cần --user (tài khoản Ban Xây dựng Đảng) khi lưu vào cuộc khảo sát.")
    content = _read(args.file)
    name = Path(args.file).name
    result = xlsform.check(content, name)
    stored = None
    if result["ok"] and args.survey:
        stored, refused = _store(args, content, name)
        if refused is not None:
            result["ok"] = False
            result["errors"] = refused
    if args.json:
        if stored is not None:
            result["stored"] = stored
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_text(name, result)
        if stored is not None:
            print(f"Đã lưu phiên bản '{stored['version']}' vào cuộc khảo sát '{stored['survey']}'"
                  f" ({stored['questions']} câu hỏi).")
    return EXIT_OK if result["ok"] else EXIT_INVALID


def _store(args, content: bytes, name: str) -> tuple[dict | None, list[dict] | None]:
    """Store as a new version; (stored summary, None) or (None, the refusal as issues)."""
    if not _django_ready():
        from longdan.cli import CliError as LongdanCliError
        from longdan.cli import _setup_django

        try:
            _setup_django(args.database_url)
        except LongdanCliError as exc:
            raise CliError(str(exc)) from exc
    from core.errors import ServiceError
    from orgs.models import User
    from surveys.design import services
    from surveys.models import Survey

    try:
        survey = Survey.objects.get(slug=args.survey)
    except Survey.DoesNotExist as exc:
        raise CliError(f"không có cuộc khảo sát mã '{args.survey}'.") from exc
    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        raise CliError(f"không có tài khoản '{args.user}' (hoặc tài khoản đã khóa).")
    if not user.is_office:
        raise CliError(f"tài khoản '{args.user}' không thuộc Ban Xây dựng Đảng.")
    try:
        version = services.upload_form_version(
            user=user, survey=survey, content=content, filename=name
        )
    except services.XLSFormRejected as exc:
        return None, [issue.as_dict() for issue in exc.issues]
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    return {
        "survey": survey.slug,
        "version": version.version,
        "id": version.pk,
        "questions": version.questions.count(),
    }, None


def _django_ready() -> bool:
    try:
        from django.apps import apps

        return apps.ready
    except ImportError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
