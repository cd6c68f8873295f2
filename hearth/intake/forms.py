"""Forms of intake and assignment. They check the shape of the input; the services check
the rules (hearth.intake.services, hearth.intake.services.case_assign)."""

from django import forms

from hearth.cases.forms import CaseFactsForm
from hearth.cases.models import Case, CaseMember
from hearth.core.errors import LONG_TEXT_MAX
from hearth.core.forms import DateField, UsaFormMixin
from hearth.intake.models import Allegation, Report
from hearth.intake.selectors import priority_hours
from hearth.people.models import Person
from hearth.policy.settings import DEFAULTS, PolicySettings
from hearth.reference.models import Language
from hearth.staff.models import Unit


class FindForm(UsaFormMixin, forms.Form):
    """Search before create: find the family's people before anyone is recorded."""

    first_name = forms.CharField(max_length=100, required=False, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")
    date_of_birth = DateField(required=False, label="Date of birth")


class ClosedCaseField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        closed = f", closed {obj.closed_on:%Y-%m-%d}" if obj.closed_on else ""
        return f"Re-open {obj.case_number}{closed}"


class ReferralForm(CaseFactsForm):
    """The referral's case facts, its languages, and a closed case it may re-open (P1)."""

    field_order = ["county", "address_line1", "city", "postal_code", "case_type", "complexity"]
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.filter(active=True), required=False, label="Languages spoken"
    )
    prior_case = ClosedCaseField(
        queryset=Case.objects.none(),
        required=False,
        empty_label="No: a new case (say why below)",
        label="Re-open a closed case of this family (P1)",
    )
    new_case_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        label="Why a new case and not a re-opening",
        help_text="Needed when someone in the referral was in a closed case of the agency and "
        "you open a new case instead of re-opening it (P1). Kept in the case's history.",
    )

    def __init__(self, *args, prior_cases=None, **kwargs):
        super().__init__(*args, prefix="referral", **kwargs)
        self.fields["complexity"].initial = Case.Complexity.MODERATE
        field = self.fields["prior_case"]
        if prior_cases is not None:
            field.queryset = prior_cases
        else:
            field.widget = forms.HiddenInput()


class ReportForm(UsaFormMixin, forms.Form):
    """What was reported (issue 15): the reporter, the narrative, the response priority
    and the safety determination with its threats. The service checks the rest (an
    anonymous reporter's contact, threats against the determination)."""

    reporter_role = forms.ChoiceField(choices=Report.ReporterRole.choices, label="Reporter")
    reporter_anonymous = forms.BooleanField(
        required=False,
        label="The reporter asked to stay anonymous",
        help_text="Then no name or contact is recorded.",
    )
    reporter_name = forms.CharField(max_length=200, required=False, label="Reporter's name")
    reporter_phone = forms.CharField(max_length=30, required=False, label="Reporter's phone")
    reporter_email = forms.EmailField(max_length=200, required=False, label="Reporter's email")
    narrative = forms.CharField(
        widget=forms.Textarea, max_length=LONG_TEXT_MAX, label="What was reported"
    )
    response_priority = forms.ChoiceField(
        choices=Report.Priority.choices, label="Response priority"
    )
    safety_determination = forms.ChoiceField(
        choices=Report.Determination.choices, label="Safety determination"
    )
    safety_threats = forms.MultipleChoiceField(
        choices=Report.Threat.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Safety threats identified",
        help_text="None when the child is safe; at least one otherwise.",
    )

    def __init__(self, *args, policy: PolicySettings = DEFAULTS, **kwargs):
        super().__init__(*args, prefix="report", **kwargs)
        hours = priority_hours(policy)
        self.fields["response_priority"].choices = [
            (value, f"{label}: within {hours[value]} hours")
            for value, label in Report.Priority.choices
        ]


class AllegationForm(UsaFormMixin, forms.Form):
    """A maltreatment alleged of a child of the referral, and by whom. The people are
    those of the referral: found (`found-<id>`) or new (`new-<row>`)."""

    child = forms.ChoiceField(required=False, label="Child")
    maltreatment_type = forms.ChoiceField(
        choices=[("", "Choose"), *Allegation.Type.choices], required=False, label="Maltreatment"
    )
    alleged_perpetrator = forms.ChoiceField(required=False, label="Alleged perpetrator")

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "Choose"), *people]
        self.fields["alleged_perpetrator"].choices = [("", "Not known"), *people]

    def clean(self):
        data = super().clean()
        if data.get("child") and not data.get("maltreatment_type"):
            self.add_error("maltreatment_type", "Choose what is alleged.")
        if data.get("maltreatment_type") and not data.get("child"):
            self.add_error("child", "Choose the child.")
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("child")


Allegations = forms.formset_factory(AllegationForm, extra=3, max_num=20)


class NewPersonForm(UsaFormMixin, forms.Form):
    """A person of the family who was not found by the search."""

    first_name = forms.CharField(max_length=100, required=False, label="First name")
    last_name = forms.CharField(max_length=100, required=False, label="Last name")
    date_of_birth = DateField(required=False, label="Date of birth")
    sex = forms.ChoiceField(choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    role = forms.ChoiceField(choices=CaseMember.Role.choices, label="Role in the case")

    def clean(self):
        data = super().clean()
        if (data.get("first_name") or data.get("date_of_birth")) and not data.get("last_name"):
            self.add_error("last_name", "Enter the last name, or leave the row empty.")
        return data

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("first_name") or self.cleaned_data.get("last_name"))

    def person_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "date_of_birth": data["date_of_birth"],
            "dob_precision": (
                Person.DobPrecision.EXACT if data["date_of_birth"] else Person.DobPrecision.UNKNOWN
            ),
            "sex": data["sex"],
        }


NewPeople = forms.formset_factory(NewPersonForm, extra=3, max_num=10)


class AssignForm(UsaFormMixin, forms.Form):
    """Confirm the recommendation or pick another eligible case manager (A2, A7). A program
    director may pick a worker at capacity, with a reason (A2); no one assigns above A5."""

    version = forms.IntegerField(widget=forms.HiddenInput)  # the case's
    worker = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Case manager")
    reason = forms.CharField(
        widget=forms.Textarea, max_length=2000,
        help_text="Why this case is assigned (kept with the assignment, A6).",
    )  # fmt: skip
    override_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        label="Why not the recommended case manager",
        help_text="Needed when you pick someone other than the top recommendation (A7).",
    )
    limit_override_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        label="Why assign above capacity (program director)",
        help_text="Only a program director may assign a case manager above capacity (A2); "
        "no one above a new worker's cap (A5).",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["worker"].choices = choices


class SendForm(UsaFormMixin, forms.Form):
    """A program director sends a referral to another unit (A1), saying why."""

    version = forms.IntegerField(widget=forms.HiddenInput)  # the case's
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="Send to unit")
    reason = forms.CharField(widget=forms.Textarea, max_length=2000)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, prefix="send", **kwargs)
        self.fields["unit"].queryset = units


class ReassignForm(UsaFormMixin, forms.Form):
    """Confirm the proposal for a worker's cases, adjusted or not (A6, A7)."""

    reason = forms.CharField(
        widget=forms.Textarea, max_length=2000,
        help_text="Why these cases move (kept with every assignment, A6).",
    )  # fmt: skip
    adjust_reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        label="Why you changed the proposal",
        help_text="Needed when a case goes to someone other than proposed (A7).",
    )
