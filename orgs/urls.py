from django.urls import path

from orgs import regime_views, views

urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/xuat.xlsx", views.unit_export, name="unit_export"),
    path("don-vi/moi/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("to-dan-pho/", views.area_list, name="area_list"),
    path("to-dan-pho/moi/", views.area_create, name="area_create"),
    path("to-dan-pho/<int:pk>/sua/", views.area_edit, name="area_edit"),
    path("cong-tac-vien/", views.collaborator_list, name="collaborator_list"),
    path("cong-tac-vien/xuat.xlsx", views.collaborator_export, name="collaborator_export"),
    path("cong-tac-vien/kinh-phi/", regime_views.collaborator_funding,
         name="collaborator_funding"),
    path("cong-tac-vien/kinh-phi/xuat.xlsx", regime_views.collaborator_funding_export,
         name="collaborator_funding_export"),
    path("cong-tac-vien/kinh-phi/chi/", regime_views.collaborator_payment,
         name="collaborator_payment"),
    path("don-vi/nhap/", regime_views.org_import, {"kind": "don-vi"}, name="unit_import"),
    path("don-vi/nhap/mau.xlsx", regime_views.org_import_template, {"kind": "don-vi"},
         name="unit_import_template"),
    path("cong-tac-vien/nhap/", regime_views.org_import, {"kind": "cong-tac-vien"},
         name="collaborator_import"),
    path("cong-tac-vien/nhap/mau.xlsx", regime_views.org_import_template,
         {"kind": "cong-tac-vien"}, name="collaborator_import_template"),
    path("cong-tac-vien/moi/", views.collaborator_create, name="collaborator_create"),
    path("cong-tac-vien/<int:pk>/", views.collaborator_edit, name="collaborator_edit"),
    path("nguoi-dung/dat-lai-mat-khau/", views.user_password_reset, name="user_password_reset"),
    path("nguoi-dung/dat-lai-xac-thuc/", views.user_otp_reset, name="user_otp_reset"),
    path("khoa-dang-nhap/", views.login_lockouts, name="login_lockouts"),
]
