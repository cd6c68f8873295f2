"""Forms of the child's page for removals, placements, goals and schools. They check
types and choices; the rules are the services' (hearth.placements.services), whose errors
come back onto these fields."""

from django import forms

from hearth.core.forms import DateField, UsaFormMixin
from hearth.placements.models import (
    GenderAccepted,
    Need,
    PermanencyGoal,
    Placement,
    RemovalEpisode,
    ResourceParent,
    Setting,
)
from hearth.policy.placement import SETTING_LEVEL as LEVELS
from hearth.policy.placement import STATUS_SETTINGS

BLANK = [("", "—")]


class RemovalForm(UsaFormMixin, forms.Form):
    removed_on = DateField(label="Removal date")
    entered_care_on = DateField(
        label="Date entered foster care",
        required=False,
        help_text="AFCARS (F5). Leave empty if not known: the first placement's date fills it.",
    )
    legal_basis = forms.ChoiceField(choices=RemovalEpisode.LegalBasis.choices)
    removal_reasons = forms.MultipleChoiceField(
        choices=RemovalEpisode.RemovalReason.choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Select every reason that applies (Ctrl or ⌘ to pick several).",
    )
    child_needs = forms.MultipleChoiceField(
        choices=Need.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text="Needs the placement must serve.",
    )
    goal = forms.ChoiceField(
        choices=[c for c in PermanencyGoal.Goal.choices if c[0] != "remain_home"],
        initial=PermanencyGoal.Goal.REUNIFICATION,
        label="First permanency goal",
        help_text="Return home is the first choice (P4).",
    )
    goal_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Why another first goal",
    )
    school_of_origin = forms.CharField(
        required=False, label="School of origin", help_text="The school the child attends now."
    )


class PlaceForm(UsaFormMixin, forms.Form):
    choice = forms.CharField(required=False, widget=forms.HiddenInput)
    starts_on = DateField(label="Placement date")
    setting = forms.ChoiceField(
        choices=BLANK + [c for c in Setting.choices if c[0] != Setting.RELATIVE_HOME],
        required=False,
        label="Or a place not in the directory, or a status",
        help_text="Only when no option above is chosen: a hospital, detention, trial home "
        "visit, runaway (V11) or whereabouts unknown.",
    )
    provider_name = forms.CharField(required=False, label="Name of the place or provider")
    out_of_state = forms.BooleanField(
        required=False, label="Out of state (ICPC): monthly calls are required (V12)"
    )
    state = forms.CharField(required=False, max_length=2, label="State (two letters)")
    move_reason = forms.CharField(
        widget=forms.Textarea, required=False, label="Reason for the move"
    )
    departure_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Reason for choosing over a less restrictive, nearer or ICWA-preferred option",
    )
    school = forms.ChoiceField(choices=Placement.School.choices, initial=Placement.School.STAYS)
    new_school_name = forms.CharField(required=False, label="New school")
    new_school_enrolled_on = DateField(required=False, label="Enrolled in the new school on")
    best_interest_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Why changing school is in the child's best interest (P3)",
    )

    def clean(self):
        data = super().clean()
        choice = self.data.get("option", "") or data.get("choice", "")
        if choice == "other":
            choice = ""
        data["choice"] = choice
        if not choice and not data.get("setting"):
            self.add_error("setting", "Choose an option above, or a setting here.")
        if data.get("setting") in STATUS_SETTINGS:
            data["choice"] = ""
        return data


class ExitForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the removal's
    exited_on = DateField(label="Exit date")
    exit_reason = forms.ChoiceField(choices=RemovalEpisode.ExitReason.choices)
    transfer_agency = forms.ChoiceField(
        choices=BLANK + RemovalEpisode.TransferAgency.choices,
        required=False,
        label="Kind of agency (transfers only)",
    )


class EntryDateForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the removal's
    entered_care_on = DateField(label="Date the child entered foster care")


class GoalForm(UsaFormMixin, forms.Form):
    goal = forms.ChoiceField(choices=PermanencyGoal.Goal.choices)
    starts_on = DateField(label="From")
    reason = forms.CharField(widget=forms.Textarea, label="Reason for the change")


class SchoolForm(UsaFormMixin, forms.Form):
    school_name = forms.CharField(label="School of origin")
    district = forms.CharField(required=False)
    enrolled_on = DateField(required=False, label="Enrolled since")
    latitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text="Where the school is (P3: homes are ranked by their distance to it).",
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )


class EnrolmentForm(UsaFormMixin, forms.Form):
    school = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)  # the school move's
    enrolled_on = DateField(label="Enrolled in the new school on")


# --- The resource directory kept in the product (home.manage) ----------------------------


class HomeForm(UsaFormMixin, forms.Form):
    """A home's entry: its kind, capacity by age range and gender, sibling groups,
    location and manager (the licence has its own form)."""

    name = forms.CharField(max_length=200)
    setting = forms.ChoiceField(
        choices=[(v, label) for v, label in Setting.choices if v in LEVELS and v != "relative_home"]
    )
    capacity = forms.IntegerField(min_value=1, max_value=999, label="Places (capacity)")
    min_age = forms.IntegerField(min_value=0, max_value=21, initial=0, label="Youngest age taken")
    max_age = forms.IntegerField(min_value=0, max_value=21, initial=21, label="Oldest age taken")
    gender_accepted = forms.ChoiceField(
        choices=GenderAccepted.choices, initial=GenderAccepted.ANY, label="Takes"
    )
    sibling_group_max = forms.IntegerField(
        min_value=1,
        max_value=99,
        initial=1,
        label="Largest sibling group taken together",
        help_text="1 when the home takes no sibling groups.",
    )
    needs_served = forms.MultipleChoiceField(
        choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(max_length=30, required=False)
    address_line1 = forms.CharField(max_length=200, required=False, label="Address")
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(max_length=2, required=False)
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    manager = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Home's manager",
        help_text="The staff member warned of the licence, who accepts placements for the home.",
    )

    def __init__(self, *args, managers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers


class NewHomeForm(HomeForm):
    licence_number = forms.CharField(max_length=40, required=False)
    licensed_on = DateField(required=False, label="Licensed on")
    licence_expires_on = DateField(required=False, label="Licence expires on")


class EditHomeForm(HomeForm):
    active = forms.BooleanField(required=False, label="In the directory (active)")
    version = forms.IntegerField(widget=forms.HiddenInput)


class LicenceForm(UsaFormMixin, forms.Form):
    licence_number = forms.CharField(max_length=40)
    licensed_on = DateField(label="Licensed or renewed on")
    licence_expires_on = DateField(label="Licence expires on")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResourceParentForm(UsaFormMixin, forms.Form):
    person = forms.IntegerField(
        label="Person's record number", help_text="The person's number in the People pages."
    )
    role = forms.ChoiceField(choices=ResourceParent.Role.choices)
    starts_on = DateField(label="Part of the home since")


class AnswerForm(UsaFormMixin, forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.TypedChoiceField(
        choices=[("1", "Accept the child"), ("0", "Decline")], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(required=False, widget=forms.Textarea, label="Why the home declines")


class PlacementRequestForm(UsaFormMixin, forms.Form):
    """Ask a home of the ranked options (the `option` radio) to take the child: a
    managed home accepts before the placement starts."""

    starts_on = DateField(label="The child would move in on")
    note = forms.CharField(required=False, widget=forms.Textarea, label="What the home should know")

    def clean(self):
        data = super().clean()
        option = self.data.get("option", "")
        if not option.startswith("home:") or not option[5:].isdigit():
            raise forms.ValidationError("Choose a home of the directory above.")
        data["home"] = int(option[5:])
        return data
