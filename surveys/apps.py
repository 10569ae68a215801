from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Khảo sát dư luận"

    def ready(self) -> None:
        # The consolidated report names the period's surveys (reporting may not import surveys);
        # a 6-month or annual report gives their figures and headline results.
        from reporting.extensions import register_figures, register_paragraphs
        from surveys.report_figures import survey_figures
        from surveys.report_lines import survey_lines

        register_paragraphs("khao_sat", "du_luan_noi_bat", survey_lines)
        register_figures("khao_sat", survey_figures)
