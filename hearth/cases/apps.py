from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hearth.cases"
    label = "cases"
