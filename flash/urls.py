from django.urls import path

from flash import views

urlpatterns: list = [
    path("bao-cao-nhanh/", views.flash_list, name="flash_list"),
    path("bao-cao-nhanh/moi/", views.flash_create, name="flash_create"),
    path("bao-cao-nhanh/<int:pk>/", views.flash_detail, name="flash_detail"),
    path("bao-cao-nhanh/<int:pk>/xuat.xlsx", views.flash_export, name="flash_export"),
]
