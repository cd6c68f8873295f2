from django import forms

from hearth.core.forms import DateField, UsaFormMixin
from hearth.people.models import Person
from hearth.reference.models import County, Tribe


class IcwaInquirySelect(forms.NullBooleanSelect):
    """C7: whether the ICWA inquiry was made, unknown until asked (never a default no)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", "Not yet asked"),
            ("true", "Asked (inquiry made)"),
            ("false", "Recorded as not made"),
        ]


class PersonEditForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    first_name = forms.CharField(max_length=100)
    middle_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100)
    date_of_birth = DateField(required=False)
    dob_precision = forms.ChoiceField(choices=Person.DobPrecision.choices, label="Date of birth is")
    sex = forms.ChoiceField(choices=Person.Sex.choices)
    gender_identity = forms.CharField(max_length=60, required=False)
    address_line1 = forms.CharField(max_length=200, required=False, label="Address")
    city = forms.CharField(max_length=100, required=False)
    postal_code = forms.CharField(max_length=10, required=False, label="ZIP code")
    county = forms.ModelChoiceField(queryset=County.objects.filter(active=True), required=False)
    whereabouts_known = forms.BooleanField(required=False)
    incarcerated = forms.BooleanField(required=False)
    icwa_inquiry_made = forms.NullBooleanField(
        required=False, label="ICWA inquiry", widget=IcwaInquirySelect
    )
    icwa_inquiry_date = DateField(required=False, label="ICWA inquiry made on")
    icwa_membership = forms.ChoiceField(
        choices=Person.IcwaMembership.choices, label="Tribal membership"
    )
    icwa_applies = forms.ChoiceField(choices=Person.IcwaApplies.choices, label="ICWA applies")
    tribes = forms.ModelMultipleChoiceField(
        queryset=Tribe.objects.filter(active=True),
        required=False,
        label="Tribes (C7: the worker contacts each within days of the case's opening)",
    )
    tribe_notified_on = DateField(required=False, label="Tribe notified on")

    @classmethod
    def for_person(cls, person: Person, data=None):
        initial = {
            name: getattr(person, name)
            for name in cls.base_fields
            if name not in ("county", "tribes")
        }
        initial["county"] = person.county_id
        initial["tribes"] = [t.pk for t in person.tribes.all()] if person.pk else []
        return cls(data=data, initial=initial)
