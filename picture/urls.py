app_name = "picture"

urlpatterns: list = []
