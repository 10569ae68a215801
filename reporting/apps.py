from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        # Connects the compliance cache's invalidation signals in every process (web, worker, CLI).
        from reporting import cache, receivers  # noqa: F401

        receivers.connect()
        # The office's own figures of a 6-month or annual report, from the floors below
        # reporting; the apps above register theirs the same way (reporting.figures).
        from reporting.extensions import register_figures
        from reporting.review_figures import PROVIDERS

        for key, provider in PROVIDERS.items():
            register_figures(key, provider)
