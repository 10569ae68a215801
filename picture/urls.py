from django.urls import path

from picture import (
    accountability_views,
    alert_views,
    direction_views,
    geo_views,
    views,
    views_briefs,
)

app_name = "picture"

urlpatterns: list = [
    # alerts and subscriptions (picture.alert_views)
    path("theo-doi/", alert_views.follow, name="follow"),
    path("theo-doi/huy/", alert_views.unfollow, name="unfollow"),
    # The weekly brief (Bản tin dư luận): archive, on demand, page with the assessment, DOCX.
    path("ban-tin/", views_briefs.brief_list, name="brief_list"),
    path("ban-tin/moi/", views_briefs.brief_new, name="brief_new"),
    path("ban-tin/<int:pk>/", views_briefs.brief_detail, name="brief_detail"),
    path("ban-tin/<int:pk>/docx", views_briefs.brief_docx, name="brief_docx"),
    path("to-dan-pho/ranh-gioi/", geo_views.area_boundaries, name="area_boundaries"),
    path("buc-tranh/ranh-gioi.geojson", geo_views.area_shapes_geojson, name="area_shapes"),
    # Directions (ý kiến chỉ đạo), the unit's directions and its accountability page.
    path("chi-dao/", direction_views.direction_list, name="direction_list"),
    path("chi-dao/xuat.xlsx", direction_views.direction_export, name="direction_export"),
    path("chi-dao/moi/", direction_views.direction_create, name="direction_create"),
    path("chi-dao/<int:pk>/", direction_views.direction_detail, name="direction_detail"),
    path("chi-dao/<int:pk>/da-nhan/", direction_views.direction_ack, name="direction_ack"),
    path("chi-dao/<int:pk>/tien-do/", direction_views.direction_progress,
         name="direction_progress"),
    path("chi-dao/<int:pk>/trang-thai/", direction_views.direction_status,
         name="direction_status"),
    path("don-vi/<int:pk>/chi-dao/", direction_views.unit_directions, name="unit_directions"),
    path("don-vi/<int:pk>/trach-nhiem/", accountability_views.unit_accountability,
         name="unit_accountability"),
    path("don-vi/<int:pk>/trach-nhiem/xuat.xlsx", accountability_views.unit_accountability_export,
         name="unit_accountability_export"),
    path("buc-tranh/", views.picture, name="picture"),
    path("buc-tranh/xuat.xlsx", views.picture_export, name="picture_export"),
    path("buc-tranh/ho-so/", views.drill, name="drill"),
    path("buc-tranh/ho-so/xuat.xlsx", views.drill_export, name="drill_export"),
    path("buc-tranh/khoang-trong/giao/", views.gap_task, name="gap_task"),
    path("buc-tranh/tiem-an/<int:pk>/<slug:decision>/", views.latent_decide,
         name="latent_decide"),
]
