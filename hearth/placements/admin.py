"""The resource directory is managed by administrators here; case data is not."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hearth.placements.models import Need, ResourceHome


class ResourceHomeForm(forms.ModelForm):
    needs_served = forms.MultipleChoiceField(
        choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ResourceHome
        fields = [
            "name",
            "agency",
            "setting",
            "licence_number",
            "licence_expires_on",
            "capacity",
            "min_age",
            "max_age",
            "needs_served",
            "languages",
            "tribes_approving",
            "indian_operated",
            "address_line1",
            "city",
            "state",
            "county",
            "latitude",
            "longitude",
            "active",
        ]


@admin.register(ResourceHome)
class ResourceHomeAdmin(SimpleHistoryAdmin):
    form = ResourceHomeForm
    list_display = ["name", "setting", "county", "capacity", "licence_expires_on", "active"]
    list_filter = ["setting", "active", "county"]
    search_fields = ["name", "licence_number"]
    filter_horizontal = ["languages", "tribes_approving"]
