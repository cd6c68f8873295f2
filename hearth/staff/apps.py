from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "hearth.staff"
    label = "staff"

    def ready(self):
        from hearth.staff import signin  # noqa: F401 (registers its system check)
