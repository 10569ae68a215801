from django.urls import path

from picture import alert_views, geo_views, views_briefs

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
]
