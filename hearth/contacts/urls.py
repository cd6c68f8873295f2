"""The contacts app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.contacts import views as contacts

urlpatterns = [
    path("cases/<int:pk>/notes/new/", contacts.note_new, name="note_new"),
    path("cases/<int:pk>/contact-exceptions/new/", contacts.exception_new, name="exception_new"),
    path(
        "cases/<int:pk>/parent-contact-plans/new/",
        contacts.contact_plan_new,
        name="contact_plan_new",
    ),
    path("notes/<int:pk>/", contacts.note_detail, name="note_detail"),
    path("notes/<int:pk>/finalize/", contacts.note_finalize, name="note_finalize"),
    path("notes/<int:pk>/amend/", contacts.note_amend, name="note_amend"),
    path("contacts/", contacts.my_contacts, name="my_contacts"),
    path("contacts/dashboard/", contacts.dashboard, name="contacts_dashboard"),
]
