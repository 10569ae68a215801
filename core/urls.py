from django.urls import path

from core import views

urlpatterns = [
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("nhat-ky/xuat.xlsx", views.audit_export, name="audit_export"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("he-thong/", views.system_health, name="system_health"),
]
