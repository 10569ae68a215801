"""``longdan data-key``: the key that encrypts residents' contact details (core.datakey, issue 10);
``longdan audit verify``: the audit log's hash chain (core.auditchain).

``new`` prints a new key (nothing is stored: put it in the file ``LONGDAN_DATA_KEY_FILE`` names,
first line, keeping the old key below it); ``status`` says where the key in use comes from and
checks it reads the stored data; ``rotate`` encrypts every stored value again with the first key,
after which the old key can be dropped.
"""

from __future__ import annotations

import json

from longdan.commands.parser import CliError, group, out


def register(commands) -> None:
    family = group(commands, "data-key")
    new = family.add_parser(
        "new", help="in ra một khóa mã hóa dữ liệu cá nhân mới",
        description="In ra một khóa Fernet mới. Không lưu gì: hãy đặt khóa vào dòng đầu của tệp"
        " LONGDAN_DATA_KEY_FILE (giữ khóa cũ ở dòng dưới), rồi chạy `longdan data-key rotate`.",
    )
    new.set_defaults(handler=cmd_new, needs_django=False)
    status = family.add_parser(
        "status", help="cho biết khóa đang dùng lấy từ đâu và có đọc được dữ liệu đã lưu",
        description="Cho biết khóa mã hóa dữ liệu cá nhân lấy từ đâu và thử giải mã dữ liệu đã"
        " lưu.",
    )
    status.set_defaults(handler=cmd_status, needs_django=True)
    rotate = family.add_parser(
        "rotate", help="mã hóa lại mọi dữ liệu cá nhân bằng khóa đứng đầu",
        description="Mã hóa lại mọi giá trị đã mã hóa bằng khóa đứng đầu danh sách khóa; sau đó"
        " có thể bỏ khóa cũ.",
    )
    rotate.set_defaults(handler=cmd_rotate, needs_django=True)
    verify = group(commands, "audit").add_parser(
        "verify", help="kiểm tra chuỗi mã băm của nhật ký hệ thống",
        description="Đi lần lượt mọi dòng nhật ký, kiểm tra mã băm của từng dòng và mối nối với"
        " dòng trước; báo dòng đầu tiên bị sửa, bị xóa hoặc bị chèn thêm. Mã thoát 0: nguyên"
        " vẹn; 1: chuỗi bị đứt. In kèm mã băm cuối cùng: chép nó ra ngoài (sổ, bản in) để lần"
        " sau đối chiếu.",
    )
    verify.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    verify.set_defaults(handler=cmd_audit_verify, needs_django=True)


def cmd_new(args) -> int:
    from core.datakey import new_key

    out(new_key())
    return 0


def _key_error(exc) -> CliError:
    return CliError(exc.message)


def cmd_status(args) -> int:
    from core import datakey

    datakey.reset()  # the key file as it is now
    try:
        source = datakey.ensure_ready()
    except datakey.DataKeyError as exc:
        raise _key_error(exc) from exc
    out(f"Khóa mã hóa dữ liệu cá nhân: {source} (khóa đầu dùng để mã hóa; đọc được dữ liệu"
        " đã lưu).")
    return 0


def cmd_rotate(args) -> int:
    from core import datakey

    datakey.reset()  # the key file as it is now, the new key first
    try:
        datakey.ensure_ready()
        changed = datakey.rotate_all()
    except datakey.DataKeyError as exc:
        raise _key_error(exc) from exc
    out(f"Đã mã hóa lại {changed} giá trị bằng khóa đứng đầu.")
    return 0


def cmd_audit_verify(args) -> int:
    from core import auditchain

    report = auditchain.verify()
    if args.json:
        out(json.dumps(report.as_dict(), ensure_ascii=False))
    elif report.broken is None:
        out(f"Nhật ký nguyên vẹn: {report.rows} dòng, mã băm cuối {report.last_hash}.")
    else:
        out(f"Nhật ký KHÔNG nguyên vẹn: {report.broken.message}")
    return 0 if report.broken is None else 1
