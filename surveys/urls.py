"""Survey routes: design and versions, collection (web, anonymous links, ODK Collect), analysis."""

from django.urls import include, path

urlpatterns = [
    path("", include("surveys.urls_design")),
    path("", include("surveys.urls_collect")),
    path("", include("surveys.urls_analysis")),
]
