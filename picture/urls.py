from django.urls import path

from picture import geo_views

app_name = "picture"

urlpatterns: list = [
    path("to-dan-pho/ranh-gioi/", geo_views.area_boundaries, name="area_boundaries"),
    path("buc-tranh/ranh-gioi.geojson", geo_views.area_shapes_geojson, name="area_shapes"),
]
