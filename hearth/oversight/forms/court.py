"""The court pages' forms (O2): schedule or edit a hearing, continue or cancel it, record
its outcome, generate a court report, edit a draft's sections. They check the input's
shape; the services check the rules (the same as the API's)."""

from django import forms

from hearth.core.forms import DateField, UsaFormMixin
from hearth.oversight.models import Hearing
from hearth.policy.court import SECTIONS

BLANK = [("", "—")]
FINDING_CHOICES = [("", "Not addressed"), ("made", "Found"), ("not_made", "Not found")]


def _when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"],
    )


def _choices(records) -> list[tuple[str, str]]:
    return [(str(r.pk), r.full_name) for r in records]


class _People:
    """The choices of a child of the case and of a state staff member."""

    def _people(self, children, state_staff):
        self.children = {str(c.pk): c for c in children}
        self.state_staff = {str(s.pk): s for s in state_staff}
        if "child" in self.fields:
            self.fields["child"].choices = [("", "Every child of the case")] + _choices(children)
        self.fields["state_attendee"].choices = [("", "No one")] + _choices(state_staff)


class HearingForm(_People, UsaFormMixin, forms.Form):
    type = forms.ChoiceField(choices=BLANK + Hearing.Type.choices, label="Type of hearing")
    scheduled_at = _when("Date and time")
    court = forms.CharField(max_length=200)
    judge = forms.CharField(max_length=200, required=False)
    child = forms.ChoiceField(required=False, label="The hearing is about")
    state_attendee = forms.ChoiceField(required=False, label="Attends for the state")
    state_testifies = forms.BooleanField(required=False, label="The state's staff testifies")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, children=(), state_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._people(children, state_staff)

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "type": d["type"],
            "scheduled_at": d["scheduled_at"],
            "court": d["court"],
            "judge": d["judge"],
            "child": self.children.get(d["child"] or ""),
            "state_attendee": self.state_staff.get(d["state_attendee"] or ""),
            "state_testifies": d["state_testifies"],
        }


class HearingEditForm(HearingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContinueForm(UsaFormMixin, forms.Form):
    scheduled_at = _when("Continued to")
    version = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(_People, UsaFormMixin, forms.Form):
    outcome = forms.CharField(widget=forms.Textarea, help_text="What the court decided.")
    orders = forms.CharField(widget=forms.Textarea, required=False, label="Orders")
    reasonable_efforts_finding = forms.ChoiceField(
        choices=FINDING_CHOICES, required=False, label="Reasonable efforts finding (O2)"
    )
    best_interest_finding = forms.ChoiceField(
        choices=FINDING_CHOICES, required=False, label="Best interest finding (O2)"
    )
    state_attendee = forms.ChoiceField(required=False, label="Attended for the state")
    state_testifies = forms.BooleanField(required=False, label="The state's staff testified")
    next_hearing_at = _when(
        "Next hearing",
        required=False,
        help_text="Schedules the next hearing (a review unless the process names another).",
    )
    next_hearing_type = forms.ChoiceField(
        choices=[("", "The next step of the process")] + Hearing.Type.choices,
        required=False,
        label="Type of the next hearing",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, state_staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._people((), state_staff)


class ReportForm(UsaFormMixin, forms.Form):
    period_start = DateField(label="Period from")
    period_end = DateField(label="Period to")
    hearing = forms.ChoiceField(required=False, label="For the hearing")

    def __init__(self, *args, hearings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hearings = {str(h.pk): h for h in hearings}
        self.fields["hearing"].choices = [("", "No hearing named")] + [
            (str(h.pk), f"{h.get_type_display()}, {h.scheduled_at:%Y-%m-%d}") for h in hearings
        ]


class SectionsForm(UsaFormMixin, forms.Form):
    """Each section of a court report's draft, a textarea (fields added below)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data[code] for code, _ in SECTIONS}


for _code, _title in SECTIONS:
    SectionsForm.base_fields[_code] = forms.CharField(
        label=_title, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
