"""Contact endpoints, a module per resource, on one router: contact notes and locate
efforts (`notes`), supervisor exceptions and parent contact plans (`plans`), a case's
contact requirements with their compliance, the dashboard figures and "my obligations"
(`figures`)."""

from hearth.contacts.api import figures, notes, plans
from hearth.contacts.api.common import router

__all__ = ["figures", "notes", "plans", "router"]
