from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "hearth.placements"
    label = "placements"

    def ready(self):
        from hearth.placements import subscriptions

        subscriptions.connect()
