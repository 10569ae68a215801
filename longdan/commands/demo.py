"""``longdan demo``: the database structure, the demo ward's data and its logins."""

from __future__ import annotations

import sys

from core.errors import ServiceError
from longdan.commands.database import migrate
from longdan.commands.parser import CliError, out, refusing


def register(commands) -> None:
    demo = commands.add_parser(
        "demo", help="tạo cơ sở dữ liệu và nạp dữ liệu mẫu phường Hòa Bình",
        description="Tạo/cập nhật cấu trúc cơ sở dữ liệu, nạp dữ liệu mẫu phường Hòa Bình (nếu"
        " chưa có đơn vị nào) và in các tài khoản đăng nhập mẫu.",
    )
    demo.add_argument("--reset", action="store_true",
                      help="xóa dữ liệu mẫu cũ (báo cáo, người dùng, nhật ký) rồi nạp lại")
    demo.add_argument("--months", type=int, default=None,
                      help="số tháng báo cáo và ý kiến mẫu trước tháng hiện tại, từ 1 đến 24"
                      " (mặc định: 18)")
    demo.set_defaults(handler=cmd_demo, needs_django=True)


@refusing(ServiceError)
def cmd_demo(args) -> int:
    from longdan import demo
    from orgs.models import OrgUnit

    migrate()
    if demo.is_loaded() and not args.reset:
        out("Dữ liệu mẫu phường Hòa Bình đã được nạp trước đó; giữ nguyên"
            " (dùng `longdan demo --reset` để nạp lại từ đầu).")
    elif OrgUnit.objects.exists() and not demo.is_loaded():
        raise CliError("cơ sở dữ liệu đã có đơn vị không thuộc dữ liệu mẫu; không nạp dữ liệu mẫu.")
    else:
        out("Đang nạp dữ liệu mẫu phường Hòa Bình, thành phố Hải Phòng…")
        months = demo.DEFAULT_MONTHS if args.months is None else args.months
        summary = demo.load_demo(reset=args.reset, months=months, stdout=sys.stdout)
        _print_summary(summary)
    _print_mail_place()
    # The accounts at the end (no e-mail printed after them), then the one line saying where the
    # leader should look first.
    _print_logins(demo.current_logins(), demo.PASSWORD)
    out()
    out(demo.current_story().leader_line())
    return 0


def _print_mail_place() -> None:
    from django.conf import settings

    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        out(f"Thư điện tử (nhắc hạn, cảnh báo) được ghi vào thư mục {settings.EMAIL_FILE_PATH}.")


def _print_summary(summary) -> None:
    outcomes = summary.outcomes
    on_time = outcomes.get("on_time", 0) + outcomes.get("on_time+resubmitted", 0)
    late = outcomes.get("late", 0) + outcomes.get("late+resubmitted", 0)
    out(f"Đã nạp trong {summary.seconds:.1f} giây: {summary.units} đơn vị"
        f" ({summary.grassroots_open} tổ chức cơ sở đảng đang hoạt động), {summary.areas} tổ dân"
        f" phố, {_number(summary.population)} nhân khẩu, {summary.collaborators} cộng tác viên.")
    out(f"Báo cáo tháng {summary.months[0]} … {summary.months[-1]} và tháng hiện tại:"
        f" {summary.reports} báo cáo ({on_time} đúng hạn, {late} muộn,"
        f" {outcomes.get('returned', 0)} đang bị trả lại, {outcomes.get('draft', 0)} bản nháp),"
        f" {summary.streams} luồng ý kiến.")
    out(summary.opinion_line())
    out(summary.survey_line())


def _print_logins(logins, password: str) -> None:
    from django.conf import settings

    out()
    out(f"Mở {settings.LONGDAN_SITE_URL} và đăng nhập (mật khẩu chung: {password}):")
    if not logins:
        out("  (chưa có tài khoản nào)")
    width = max((len(login.username) for login in logins), default=8)
    for login in logins:
        out(f"  {login.username:<{width}}  {login.full_name} — {login.role}, {login.unit}")
    if settings.LONGDAN_2FA_ROLES:
        out("Ban Xây dựng Đảng và lãnh đạo đăng nhập hai bước: lần đầu, sau mật khẩu, quét mã QR"
            " bằng ứng dụng xác thực trên điện thoại (Google Authenticator, FreeOTP…) rồi nhập mã"
            " 6 chữ số; thử không cần điện thoại: chạy máy chủ với LONGDAN_2FA_ROLES= (để trống).")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")
