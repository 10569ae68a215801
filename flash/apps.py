from django.apps import AppConfig


class FlashConfig(AppConfig):
    name = "flash"
    verbose_name = "Báo cáo nhanh, đột xuất"
