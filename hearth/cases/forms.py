"""Forms of the case page. They check the shape of the input; the services check the rules."""

from django import forms

from hearth.cases.models import Case, CaseMember
from hearth.core.forms import DateField, UsaFormMixin
from hearth.people.models import Person
from hearth.policy.case_status import TRANSITIONS, transition_problem
from hearth.reference.models import County


class CaseFactsForm(UsaFormMixin, forms.Form):
    """The facts of a case that intake records and the case page edits (A2, A4)."""

    case_type = forms.ChoiceField(choices=Case.Type.choices, label="Case type")
    county = forms.ModelChoiceField(queryset=County.objects.filter(active=True))
    complexity = forms.TypedChoiceField(choices=Case.Complexity.choices, coerce=int)
    court_involved = forms.BooleanField(required=False, label="Court-involved (ward of the state)")
    out_of_county = forms.BooleanField(required=False, label="Out-of-county case")
    icpc = forms.BooleanField(required=False, label="ICPC case")
    substance_abuse = forms.BooleanField(required=False, label="Substance abuse")
    domestic_violence = forms.BooleanField(required=False, label="Domestic violence")
    developmentally_delayed_parent = forms.BooleanField(
        required=False, label="Developmentally delayed parent"
    )
    teenager_in_home = forms.BooleanField(required=False, label="Teenager in the home")
    culture = forms.CharField(required=False, max_length=200, label="Family culture")
    gender_preference = forms.ChoiceField(
        choices=[("", "No preference stated"), *Case.GenderPreference.choices],
        required=False,
        label="Preferred gender of the case manager",
    )
    address_line1 = forms.CharField(max_length=200, required=False, label="Family's address")
    city = forms.CharField(max_length=100, required=False)
    postal_code = forms.CharField(max_length=10, required=False, label="ZIP code")


class CaseEditForm(CaseFactsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="edit", **kwargs)

    @classmethod
    def for_case(cls, case: Case, data=None):
        initial = {name: getattr(case, name) for name in cls.base_fields if name != "county"}
        initial["county"] = case.county_id
        return cls(data=data, initial=initial)


class StatusForm(UsaFormMixin, forms.Form):
    """The next statuses offered are the legal moves of hearth.policy.case_status."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Case.Status.choices, label="New status")
    on = DateField(label="Effective date", required=False, help_text="Leave empty for today.")

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {"version": case.version})
        super().__init__(*args, prefix="status", **kwargs)
        # O1: the moves a recommendation makes (closure recommended, back to open) and the
        # closing of an opened case under review are not offered: the case's page links
        # to its recommendations instead.
        review_required = case.case_type in case.agency.policy.closure_review_case_types
        self.fields["status"].choices = [
            (value, label)
            for value, label in Case.Status.choices
            if value in TRANSITIONS.get(case.status, set())
            and transition_problem(case.status, value, review_required=review_required) is None
        ]


class MemberAddForm(UsaFormMixin, forms.Form):
    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")
    date_of_birth = DateField(
        required=False, label="Date of birth", help_text="Leave empty when it is unknown."
    )
    dob_approximate = forms.BooleanField(required=False, label="The date of birth is approximate")
    sex = forms.ChoiceField(choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    role = forms.ChoiceField(choices=CaseMember.Role.choices, label="Role in the case")
    in_household = forms.BooleanField(required=False, initial=True, label="Lives in the household")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="member", **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("dob_approximate") and not data.get("date_of_birth"):
            self.add_error("date_of_birth", "Enter the approximate date of birth.")
        return data

    def person_fields(self) -> dict:
        data = self.cleaned_data
        if data["date_of_birth"] is None:
            precision = Person.DobPrecision.UNKNOWN
        elif data["dob_approximate"]:
            precision = Person.DobPrecision.APPROXIMATE
        else:
            precision = Person.DobPrecision.EXACT
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "date_of_birth": data["date_of_birth"],
            "dob_precision": precision,
            "sex": data["sex"],
        }


class RestrictionForm(UsaFormMixin, forms.Form):
    """Restrict the case, or lift the restriction: `restricted` carries the state asked
    for, so a second submit is refused rather than undoing the first."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    restricted = forms.TypedChoiceField(
        choices=[("1", "Restricted"), ("0", "Not restricted")],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea, label="Why", help_text="Kept in the history."
    )

    def __init__(self, *args, case: Case, **kwargs):
        initial = {"version": case.version, "restricted": "0" if case.restricted else "1"}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, prefix="restrict", **kwargs)


class NamedStaffForm(UsaFormMixin, forms.Form):
    """Name a staff member on a restricted case, or remove one: `staff` offers the
    queryset the view gives (those who may be named, or those named)."""

    staff = forms.ModelChoiceField(queryset=None, label="Staff member")
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea, label="Why", help_text="Kept in the history."
    )

    def __init__(self, *args, staff, prefix: str, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["staff"].queryset = staff
