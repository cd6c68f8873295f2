"""The contact note form: quick to fill, the rules are the service's."""

from django import forms
from django.utils import timezone

from hearth.contacts.models import (
    Collateral,
    ContactNote,
    ParentContactException,
    ParentContactPlan,
)
from hearth.core.forms import DateField, UsaFormMixin
from hearth.core.services import now

BLANK = [("", "—")]


class NoteForm(UsaFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=ContactNote.Kind.choices,
        initial=ContactNote.Kind.CONTACT,
        widget=forms.RadioSelect,
        label="Kind of note",
    )
    occurred_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"],
    )
    method = forms.ChoiceField(
        choices=BLANK + ContactNote.Method.choices,
        required=False,
        help_text="An attempt is never a visit: whoever was not seen is not counted (V9).",
    )
    location = forms.ChoiceField(choices=BLANK + ContactNote.Location.choices, required=False)
    contact_with = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Contact with (tick only who was actually seen or spoken to)",
    )
    collateral_kind = forms.ChoiceField(
        choices=BLANK + Collateral.Kind.choices,
        required=False,
        label="Also with (collateral contact)",
    )
    collateral_name = forms.CharField(required=False, max_length=200, label="Their name")
    locate_subject = forms.ChoiceField(required=False, label="Locate effort for (V8, V11)")
    locate_method = forms.ChoiceField(
        choices=BLANK + ContactNote.LocateMethod.choices,
        required=False,
        label="How you tried to locate them",
    )
    purpose = forms.CharField(required=False, max_length=200)
    narrative = forms.CharField(widget=forms.Textarea)
    finalize = forms.BooleanField(
        required=False,
        initial=True,
        label="Finalize now (a final note counts toward the requirements and is only amended)",
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in members}
        self.fields["contact_with"].choices = [(str(p.pk), p.full_name) for p in members]
        self.fields["locate_subject"].choices = BLANK + self.fields["contact_with"].choices
        self.fields["kind"].widget.attrs.pop("class", None)
        self.fields["contact_with"].widget.attrs.pop("class", None)
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime(now()).replace(second=0, microsecond=0)
            )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        collaterals = []
        if d["collateral_kind"]:
            collaterals.append({"kind": d["collateral_kind"], "name": d["collateral_name"]})
        return {
            "kind": d["kind"],
            "occurred_at": d["occurred_at"],
            "method": d["method"],
            "location": d["location"],
            "contact_with": [self.people[p] for p in d["contact_with"]],
            "collaterals": collaterals,
            "locate_subject": self.people.get(d["locate_subject"] or ""),
            "locate_method": d["locate_method"],
            "purpose": d["purpose"],
            "narrative": d["narrative"],
            "finalize": d["finalize"],
        }


class AmendForm(UsaFormMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea, label="Amendment")


class ExceptionForm(UsaFormMixin, forms.Form):
    person = forms.ChoiceField(label="Parent")
    kind = forms.ChoiceField(choices=ParentContactException.Kind.choices)
    reason = forms.CharField(widget=forms.Textarea)
    starts_on = DateField(label="From")
    ends_on = DateField(required=False, label="Until (the day after the last day)")

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in parents}
        self.fields["person"].choices = [(str(p.pk), p.full_name) for p in parents]

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["person"] = self.people[d["person"]]
        return d


class ContactPlanForm(ExceptionForm):
    kind = None
    reason = None
    need = forms.ChoiceField(choices=ParentContactPlan.Need.choices)
    every_months = forms.IntegerField(min_value=1, max_value=12, initial=1, label="Every N months")
    notes = forms.CharField(widget=forms.Textarea, required=False)
