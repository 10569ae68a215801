"""Survey routes: design and versions, collection (web, anonymous links, ODK Collect), analysis."""

from django.urls import include, path

urlpatterns = [
    path("", include("surveys.design.urls")),
    path("", include("surveys.collect.urls")),
    path("", include("surveys.analysis.urls")),
]
