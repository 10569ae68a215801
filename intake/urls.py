from django.urls import path

from intake import views

urlpatterns: list = [
    path("y-kien/", views.item_list, name="item_list"),
    path("y-kien/xuat.xlsx", views.item_export, name="item_export"),
    path("y-kien/nhanh/", views.item_quick, name="item_quick"),
    path("y-kien/goi-y/", views.item_suggest, name="item_suggest"),
    path("y-kien/<int:pk>/", views.item_detail, name="item_detail"),
    path("y-kien/<int:pk>/sua/", views.item_edit, name="item_edit"),
    path("y-kien/nhap/", views.import_upload, name="import_upload"),
    path("y-kien/nhap/<int:pk>/", views.import_map, name="import_map"),
    path("y-kien/nhap/<int:pk>/ket-qua/", views.import_result, name="import_result"),
    path("y-kien/yeu-cau-xoa/", views.erasure_requests, name="erasure_requests"),
    path("y-kien/yeu-cau-xoa/<int:pk>/xoa/", views.erasure_request_complete,
         name="erasure_request_complete"),
    path("tiep-xuc/", views.meeting_list, name="meeting_list"),
    path("tiep-xuc/moi/", views.meeting_create, name="meeting_create"),
    path("tiep-xuc/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("gop-y/", views.public_feedback, name="public_feedback"),
    path("mo-hinh/", views.model_status, name="model_status"),
]
