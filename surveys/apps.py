from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Khảo sát dư luận"

    def ready(self) -> None:
        # The consolidated report names the period's surveys (reporting may not import surveys).
        from reporting.extensions import register_paragraphs
        from surveys.report_lines import survey_lines

        register_paragraphs("khao_sat", "du_luan_noi_bat", survey_lines)
