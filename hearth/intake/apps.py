from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "hearth.intake"
    label = "intake"
