from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        from core import checks, signals  # noqa: F401  (registers checks, the login audit)
