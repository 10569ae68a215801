from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Đánh giá, chấm điểm đơn vị"

    def ready(self) -> None:
        # The 6-month and annual reports carry the scorecards' summary and the collaborators'
        # activity (reporting is below evaluation and asks through its registry).
        from evaluation.report_figures import collaborator_figures, scorecard_figures
        from reporting.extensions import register_figures

        register_figures("danh_gia", scorecard_figures)
        register_figures("cong_tac_vien", collaborator_figures)
