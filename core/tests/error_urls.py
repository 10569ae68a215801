"""A test URLconf: the site's routes plus views that fail in each way an error page covers."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from longdan.urls import urlpatterns as site_urlpatterns


def refused_in_vietnamese(request):
    raise PermissionDenied("Chỉ Ban Xây dựng Đảng được xem trang này.")


def refused_by_a_library(request):
    raise PermissionDenied("You do not have permission.")


def suspicious(request):
    raise SuspiciousOperation("bad input")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("loi/403/", refused_in_vietnamese),
    path("loi/403-en/", refused_by_a_library),
    path("loi/400/", suspicious),
    path("loi/500/", broken),
    *site_urlpatterns,
]
