from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        # Connects the compliance cache's invalidation signals in every process (web, worker, CLI).
        from reporting import cache, receivers  # noqa: F401

        receivers.connect()
