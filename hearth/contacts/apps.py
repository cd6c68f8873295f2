from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "hearth.contacts"
    label = "contacts"
