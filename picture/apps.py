from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "picture"
    verbose_name = "Bức tranh dư luận"

    def ready(self) -> None:
        # Rollups follow the writes of the floors below (they may not import picture).
        from picture import receivers

        receivers.connect()
        self._register_report_sections()

    @staticmethod
    def _register_report_sections() -> None:
        # The consolidated report carries the Standing Committee's directions (reporting is
        # below picture and asks for them through its registry).
        from picture import rising_report
        from picture.direction_report import SECTION_KEY, SECTION_TITLE, direction_lines
        from reporting.extensions import register_paragraphs, register_section

        register_section(SECTION_KEY, SECTION_TITLE, direction_lines)
        register_paragraphs(rising_report.PARAGRAPHS_KEY, rising_report.SECTION_KEY,
                            rising_report.rising_lines)
