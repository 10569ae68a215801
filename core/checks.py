"""System checks of the installation itself."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from documents.pdf import INSTALL_HINT, PdfError, find_converter


@register(Tags.security, deploy=True)
def check_default_secret_key(app_configs, **kwargs):
    """``check --deploy`` fails on the key the repository once shipped (issue 16, finding 5)."""
    default = getattr(settings, "DEFAULT_SECRET_KEY", None)
    if default and settings.SECRET_KEY == default:
        return [Error(
            "SECRET_KEY đang là khóa mặc định công khai trong mã nguồn.",
            hint="Đặt biến SECRET_KEY hoặc SECRET_KEY_FILE, hoặc xóa biến để ứng dụng tự sinh"
            " khóa ngẫu nhiên trong thư mục var/.",
            id="longdan.E001",
        )]
    return []


@register(deploy=True)
def check_pdf_converter(app_configs, **kwargs):
    """``check --deploy`` says when the PDF downloads cannot work (no LibreOffice); not an error:
    everything else works, and the PDF links say so to whoever clicks them."""
    try:
        find_converter(settings.LONGDAN_SOFFICE)
    except PdfError:
        return [Warning(
            f"Không tìm thấy LibreOffice (lệnh “{settings.LONGDAN_SOFFICE}”): các liên kết tải"
            " bản PDF sẽ báo chưa tạo được PDF.",
            hint=INSTALL_HINT,
            id="longdan.W020",
        )]
    return []
