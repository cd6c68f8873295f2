from django.apps import AppConfig


class VisitationConfig(AppConfig):
    name = "hearth.visitation"
    label = "visitation"

    def ready(self):
        from hearth.cases.events import CareEnded
        from hearth.core.events import subscribe
        from hearth.obligations.registry import register
        from hearth.visitation.obligations import SOURCE
        from hearth.visitation.services import visit_plan_end_with_care

        register(SOURCE)
        subscribe(CareEnded, visit_plan_end_with_care)
