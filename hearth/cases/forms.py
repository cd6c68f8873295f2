from django import forms

from hearth.cases.models import Case, CaseMember
from hearth.people.models import Person
from hearth.reference.models import County
from hearth.web.forms import DateInput, UsaFormMixin


class CaseEditForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    case_type = forms.ChoiceField(choices=Case.Type.choices)
    county = forms.ModelChoiceField(queryset=County.objects.filter(active=True))
    complexity = forms.TypedChoiceField(choices=Case.Complexity.choices, coerce=int)
    court_involved = forms.BooleanField(required=False, label="Court-involved (ward of the state)")
    out_of_county = forms.BooleanField(required=False, label="Out-of-county case")
    icpc = forms.BooleanField(required=False, label="ICPC case")
    substance_abuse = forms.BooleanField(required=False)
    domestic_violence = forms.BooleanField(required=False)
    developmentally_delayed_parent = forms.BooleanField(required=False)
    teenager_in_home = forms.BooleanField(required=False, label="Teenager in the home")
    culture = forms.CharField(required=False, max_length=200)

    @classmethod
    def for_case(cls, case: Case, data=None):
        initial = {name: getattr(case, name) for name in cls.base_fields if name != "county"}
        initial["county"] = case.county_id
        return cls(data=data, initial=initial, prefix="edit")


class AssignForm(UsaFormMixin, forms.Form):
    worker = forms.ModelChoiceField(queryset=None, label="Case manager")
    reason = forms.CharField(
        widget=forms.Textarea, help_text="Why this worker (kept with the assignment)."
    )
    override_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Override reason",
        help_text="If you chose someone other than the recommended worker, say why.",
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["worker"].queryset = workers


class StatusForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Case.Status.choices, label="New status")
    on = forms.DateField(widget=DateInput(), label="Effective date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="status", **kwargs)


class MemberAddForm(UsaFormMixin, forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(widget=DateInput(), required=False, label="Date of birth")
    sex = forms.ChoiceField(choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    role = forms.ChoiceField(choices=CaseMember.Role.choices, label="Role in the case")
    in_household = forms.BooleanField(required=False, initial=True, label="Lives in the household")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="member", **kwargs)
