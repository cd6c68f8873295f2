from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "hearth.obligations"
    label = "obligations"

    def ready(self):
        from hearth.cases.events import CaseChanged, CaseStaffed
        from hearth.core.events import subscribe
        from hearth.obligations import engine

        subscribe(CaseChanged, engine.changed)
        subscribe(CaseStaffed, engine.staffed)
