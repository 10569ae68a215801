from django.urls import path

from core import accounts, views

urlpatterns = [
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("nhat-ky/xuat.xlsx", views.audit_export, name="audit_export"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("he-thong/", views.system_health, name="system_health"),
    path("suc-khoe/", views.health, name="health"),
    path("doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("ma-truy-cap/", accounts.token_list, name="api_tokens"),
    path("ma-truy-cap/thu-hoi/", accounts.token_revoke, name="api_token_revoke"),
]
