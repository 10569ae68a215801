from django.urls import path

from picture import accountability_views, direction_views

app_name = "picture"

urlpatterns: list = [
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
]
