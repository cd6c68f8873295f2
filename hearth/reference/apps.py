from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "hearth.reference"
    label = "reference"
