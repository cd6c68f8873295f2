from django import forms

from hearth.core.forms import DateField, UsaFormMixin
from hearth.people.models import Person
from hearth.reference.models import County


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
    icwa_inquiry_made = forms.BooleanField(required=False, label="ICWA inquiry made")
    icwa_membership = forms.ChoiceField(
        choices=Person.IcwaMembership.choices, label="Tribal membership"
    )
    icwa_applies = forms.ChoiceField(choices=Person.IcwaApplies.choices, label="ICWA applies")
    tribe_notified_on = DateField(required=False, label="Tribe notified on")

    @classmethod
    def for_person(cls, person: Person, data=None):
        initial = {name: getattr(person, name) for name in cls.base_fields if name != "county"}
        initial["county"] = person.county_id
        return cls(data=data, initial=initial)
