from django.urls import path

from core import accounts, twofactor_views, views

urlpatterns = [
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("nhat-ky/xuat.xlsx", views.audit_export, name="audit_export"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("he-thong/", views.system_health, name="system_health"),
    path("suc-khoe/", views.health, name="health"),
    path("doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("ma-truy-cap/", accounts.token_list, name="api_tokens"),
    path("ma-truy-cap/thu-hoi/", accounts.token_revoke, name="api_token_revoke"),
    path("xac-thuc/", twofactor_views.otp_verify, name="otp_verify"),
    path("xac-thuc/thiet-lap/", twofactor_views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/", twofactor_views.otp_manage, name="otp_manage"),
    path("xac-thuc-hai-buoc/ma-du-phong/", twofactor_views.otp_recovery_codes,
         name="otp_recovery_codes"),
    path("xac-thuc-hai-buoc/tat/", twofactor_views.otp_disable, name="otp_disable"),
]
