from django.apps import AppConfig


class VisitationConfig(AppConfig):
    name = "hearth.visitation"
    label = "visitation"

    def ready(self):
        from hearth.obligations.registry import register
        from hearth.visitation.obligations import SOURCE

        register(SOURCE)
