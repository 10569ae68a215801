from django.urls import path

from picture.views import accountability, alerts, briefs, directions, geo
from picture.views import picture as picture_views

app_name = "picture"

urlpatterns: list = [
    # alerts and subscriptions (picture.views.alerts)
    path("theo-doi/", alerts.follow, name="follow"),
    path("theo-doi/huy/", alerts.unfollow, name="unfollow"),
    # The weekly brief (Bản tin dư luận): archive, on demand, page with the assessment, DOCX, PDF.
    path("ban-tin/", briefs.brief_list, name="brief_list"),
    path("ban-tin/moi/", briefs.brief_new, name="brief_new"),
    path("ban-tin/<int:pk>/", briefs.brief_detail, name="brief_detail"),
    path("ban-tin/<int:pk>/docx", briefs.brief_docx, name="brief_docx"),
    path("ban-tin/<int:pk>/pdf", briefs.brief_pdf, name="brief_pdf"),
    path("to-dan-pho/ranh-gioi/", geo.area_boundaries, name="area_boundaries"),
    path("buc-tranh/ranh-gioi.geojson", geo.area_shapes_geojson, name="area_shapes"),
    # Directions (ý kiến chỉ đạo), the unit's directions and its accountability page.
    path("chi-dao/", directions.direction_list, name="direction_list"),
    path("chi-dao/xuat.xlsx", directions.direction_export, name="direction_export"),
    path("chi-dao/moi/", directions.direction_create, name="direction_create"),
    path("chi-dao/<int:pk>/", directions.direction_detail, name="direction_detail"),
    path("chi-dao/<int:pk>/da-nhan/", directions.direction_ack, name="direction_ack"),
    path("chi-dao/<int:pk>/tien-do/", directions.direction_progress,
         name="direction_progress"),
    path("chi-dao/<int:pk>/trang-thai/", directions.direction_status,
         name="direction_status"),
    path("don-vi/<int:pk>/chi-dao/", directions.unit_directions, name="unit_directions"),
    path("don-vi/<int:pk>/trach-nhiem/", accountability.unit_accountability,
         name="unit_accountability"),
    path("don-vi/<int:pk>/trach-nhiem/xuat.xlsx", accountability.unit_accountability_export,
         name="unit_accountability_export"),
    path("buc-tranh/", picture_views.picture, name="picture"),
    path("buc-tranh/xuat.xlsx", picture_views.picture_export, name="picture_export"),
    path("buc-tranh/ho-so/", picture_views.drill, name="drill"),
    path("buc-tranh/ho-so/xuat.xlsx", picture_views.drill_export, name="drill_export"),
    path("buc-tranh/khoang-trong/giao/", picture_views.gap_task, name="gap_task"),
    path("buc-tranh/tiem-an/<int:pk>/<slug:decision>/", picture_views.latent_decide,
         name="latent_decide"),
]
