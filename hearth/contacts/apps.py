from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "hearth.contacts"
    label = "contacts"

    def ready(self):
        from hearth.contacts.obligations import SOURCE
        from hearth.obligations.registry import register

        register(SOURCE)
