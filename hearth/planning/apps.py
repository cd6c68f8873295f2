from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """Case planning and teaming (C1 to C9, P7 to P9): assessments, case plans, services,
    safety plans, family team meetings, diligent search, the tribe, and the due list."""

    name = "hearth.planning"
    label = "planning"

    def ready(self):
        from hearth.planning import subscriptions

        subscriptions.connect()
