"""``longdan survey import``: check an XLSForm, or load it as a new version of a survey.

``longdan survey import FILE.xlsx [--json]`` validates a questionnaire on the file alone (no
database): it prints every error and warning with its sheet, row and column, in Vietnamese, and
exits 1 when the form has errors, 0 otherwise. With ``--survey SLUG --user USERNAME`` it also
stores the file as a new version of that survey (this needs the database, set up only then).
``weigh`` and ``estimate`` live in :mod:`longdan.commands.surveystats`. Usage errors (a missing
file, a bad option, an unknown survey) print one line ``Lỗi: …`` on stderr and exit 2 through
:func:`longdan.commands.main`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from longdan.commands.database import setup_django
from longdan.commands.parser import CliError, group, read_file

EXIT_OK, EXIT_INVALID = 0, 1

def register(commands) -> None:
    imp = group(commands, "survey").add_parser(
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
    # SUPPRESS: when not given here, ``longdan --database-url URL survey import …`` keeps URL.
    imp.add_argument("--database-url", default=argparse.SUPPRESS,
                     help="cơ sở dữ liệu (mặc định: DATABASE_URL)")
    imp.set_defaults(handler=cmd_import, needs_django=False)


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
    content = read_file(args.file)
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
    setup_django(args.database_url)
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
