from django.apps import AppConfig


class VisitationConfig(AppConfig):
    name = "hearth.visitation"
    label = "visitation"
