from django.urls import path

from picture import alert_views

app_name = "picture"

urlpatterns: list = [
    # alerts and subscriptions (picture.alert_views)
    path("theo-doi/", alert_views.follow, name="follow"),
    path("theo-doi/huy/", alert_views.unfollow, name="unfollow"),
]
