from django.apps import AppConfig

# The consolidated report's section of the leaders' waivers (reporting.extensions).
WAIVER_SECTION_KEY = "mien_lay_y_kien"
WAIVER_SECTION_TITLE = "Chính sách, đề án được miễn lấy ý kiến nhân dân trước khi ban hành"


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Lấy ý kiến dự thảo"

    def ready(self) -> None:
        # Reporting is below consultations and asks for the waivers through its registry; a
        # period without a waiver has no such section (not "Trong kỳ không có." every month).
        from consultations.policy_selectors import waivers_between
        from reporting.extensions import register_section

        register_section(WAIVER_SECTION_KEY, WAIVER_SECTION_TITLE, waivers_between,
                         omit_empty=True)
