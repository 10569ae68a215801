from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Kế hoạch thực hiện Chỉ thị 47"

    def ready(self) -> None:
        # The consolidated report carries the dissemination sessions and the inspections of its
        # period (reporting is below plans and asks for them through its registry).
        from plans.report import SECTION_KEY, SECTION_TITLE, plan_lines
        from reporting.extensions import register_section

        register_section(SECTION_KEY, SECTION_TITLE, plan_lines, omit_empty=True)
