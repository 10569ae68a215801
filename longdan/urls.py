from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from longdan.home import home

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("", home, name="home"),
    path("", include("reporting.urls")),
    path("", include("reporting.urls_consolidated")),
    path("", include("flash.urls")),
    path("", include("orgs.urls")),
    path("", include("core.urls")),
    path("", include("intake.urls")),
    path("", include("issues.urls")),
    path("", include("search.urls")),
    path("", include("monitoring.urls")),
    path("", include("petitions.urls")),
    path("", include("surveys.urls")),
    path("", include("picture.urls")),
    path("", include("evaluation.urls")),
    path("", include("plans.urls")),
    path("", include("consultations.urls")),
    path("api/v1/", include("longdan.api_urls")),
]

# The database unavailable or locked answers a Vietnamese 503 (core.unavailable).
handler500 = "core.unavailable.server_error"
