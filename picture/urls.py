from django.urls import path

from picture import views

app_name = "picture"

urlpatterns: list = [
    path("buc-tranh/", views.picture, name="picture"),
    path("buc-tranh/xuat.xlsx", views.picture_export, name="picture_export"),
    path("buc-tranh/ho-so/", views.drill, name="drill"),
    path("buc-tranh/ho-so/xuat.xlsx", views.drill_export, name="drill_export"),
    path("buc-tranh/khoang-trong/giao/", views.gap_task, name="gap_task"),
    path("buc-tranh/tiem-an/<int:pk>/<slug:decision>/", views.latent_decide,
         name="latent_decide"),
]
