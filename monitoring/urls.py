from django.urls import path

from monitoring import misinfo_views, reading_views, views

urlpatterns = [
    path("theo-doi-bao-chi/", reading_views.mention_list, name="monitoring_list"),
    path("theo-doi-bao-chi/xuat-excel/", reading_views.mention_export, name="monitoring_export"),
    path("theo-doi-bao-chi/tin/<int:pk>/", reading_views.mention_detail, name="monitoring_mention"),
    path("theo-doi-bao-chi/cau-chuyen/", reading_views.story_list, name="monitoring_stories"),
    path(
        "theo-doi-bao-chi/cau-chuyen/<int:pk>/",
        reading_views.story_detail,
        name="monitoring_story",
    ),
    path("theo-doi-bao-chi/nguon-tin/", reading_views.source_list, name="monitoring_sources"),
    path(
        "theo-doi-bao-chi/nguon-tin/<int:pk>/sua/",
        reading_views.source_edit,
        name="monitoring_source_edit",
    ),
    path(
        "theo-doi-bao-chi/nguon-tin/<int:pk>/theo-doi/",
        reading_views.source_toggle,
        name="monitoring_source_toggle",
    ),
    path("theo-doi-bao-chi/sai-su-that/", misinfo_views.finding_list, name="monitoring_findings"),
    path(
        "theo-doi-bao-chi/sai-su-that/danh-dau/",
        misinfo_views.finding_new,
        name="monitoring_finding_new",
    ),
    path(
        "theo-doi-bao-chi/sai-su-that/<int:pk>/",
        misinfo_views.finding_detail,
        name="monitoring_finding",
    ),
    path(
        "theo-doi-bao-chi/sai-su-that/<int:pk>/bo-danh-dau/",
        misinfo_views.finding_withdraw,
        name="monitoring_finding_withdraw",
    ),
    path("theo-doi-bao-chi/dan-duong-dan/", views.paste_link, name="monitoring_paste"),
    path("theo-doi-bao-chi/nhap-tep/", views.import_upload, name="monitoring_import"),
    path(
        "theo-doi-bao-chi/nhap-tep/xem-truoc/",
        views.import_preview,
        name="monitoring_import_preview",
    ),
    path("theo-doi-bao-chi/danh-sach-theo-doi/", views.watch_list, name="monitoring_watch"),
]
