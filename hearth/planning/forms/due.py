"""Planning forms: the due list's horizon (P9)."""

from django import forms

from hearth.planning.selectors.due import MAX_HORIZON_DAYS


class HorizonForm(forms.Form):
    horizon = forms.IntegerField(
        label="Show what falls due in the next (days)",
        min_value=1,
        max_value=MAX_HORIZON_DAYS,
        required=False,
    )
