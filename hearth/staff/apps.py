from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "hearth.staff"
    label = "staff"

    def ready(self):
        from hearth.core import audit
        from hearth.staff import signin  # noqa: F401 (registers its system check)
        from hearth.staff.access import viewer_roles

        audit.register_viewer_roles(viewer_roles)
