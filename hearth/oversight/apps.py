from django.apps import AppConfig


class OversightConfig(AppConfig):
    """State oversight (O1 to O4, C8, P9): the contractor's recommendations and the state's
    reviews of them, oversight caseloads, court hearings and reports, quality assurance
    reviews and corrective action."""

    name = "hearth.oversight"
    label = "oversight"

    def ready(self):
        from hearth.oversight import subscriptions

        subscriptions.connect()
