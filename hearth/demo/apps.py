from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hearth.demo"
    label = "demo"
