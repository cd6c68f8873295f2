from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "hearth.obligations"
    label = "obligations"
