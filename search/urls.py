from django.urls import path

from search import views

urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
]
