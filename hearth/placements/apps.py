from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "hearth.placements"
    label = "placements"

    def ready(self):
        from hearth.obligations.registry import register
        from hearth.placements.obligations import SOURCE

        register(SOURCE)
