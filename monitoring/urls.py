from django.urls import path

from monitoring import views

urlpatterns = [
    path("theo-doi-bao-chi/", views.mention_list, name="monitoring_list"),
    path("theo-doi-bao-chi/dan-duong-dan/", views.paste_link, name="monitoring_paste"),
    path("theo-doi-bao-chi/nhap-tep/", views.import_upload, name="monitoring_import"),
    path(
        "theo-doi-bao-chi/nhap-tep/xem-truoc/",
        views.import_preview,
        name="monitoring_import_preview",
    ),
    path("theo-doi-bao-chi/danh-sach-theo-doi/", views.watch_list, name="monitoring_watch"),
]
