from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "hearth.staff"
    label = "staff"
