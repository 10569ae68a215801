from django.apps import AppConfig


class TextopsConfig(AppConfig):
    name = "textops"
    verbose_name = "Xử lý văn bản"
