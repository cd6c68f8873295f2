"""Planning's reference data in the Django admin (ADR 0008: reference data yes, case data
through the services only)."""

from django.contrib import admin

from hearth.planning.models import ServiceType
from hearth.reference.admin import ReferenceAdmin

# P8: the kinds of service providers offer (the directory itself is kept on its pages).
admin.site.register(ServiceType, ReferenceAdmin)
