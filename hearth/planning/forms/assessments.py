"""Forms of assessments (C3): choosing the instrument and the subject, then rating every
item that applies 0 to 3 with a note. They check types and choices; the rules are the
service's (hearth.planning.services.assessments), whose errors come back onto these
fields (a rating's `ratings.<item code>` onto the item's radio buttons)."""

from datetime import date

from django import forms

from hearth.core.errors import DomainError
from hearth.core.forms import DateField, UsaFormMixin
from hearth.planning.models import Assessment, Instrument
from hearth.policy.assessments import SCORE_LABELS, domain_applies

SCORE_CHOICES = [(str(s), f"{s} · {label}") for s, label in SCORE_LABELS.items()]
FAMILY = ""


class ChooseForm(UsaFormMixin, forms.Form):
    """Step one: which instrument, and whom it assesses."""

    instrument = forms.ChoiceField(label="Instrument")
    subject = forms.ChoiceField(
        label="Who is assessed",
        required=False,
        help_text="A child for the child instrument, a parent or caregiver for the family "
        "instrument; none for safety and risk (the whole family).",
    )

    def __init__(self, *args, instruments=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [("", "—")] + [
            (str(i.pk), f"{i.name} ({i.get_subject_display().lower()})") for i in instruments
        ]
        self.fields["subject"].choices = [(FAMILY, "The family (no single person)")] + [
            (str(m.person_id), f"{m.person.full_name} ({m.get_role_display().lower()})")
            for m in members
        ]


class AssessmentForm(UsaFormMixin, forms.Form):
    """Step two: the day, the reason, and a rating of every item of the domains that apply
    to the subject on the day (a domain with a minimum age only from that age)."""

    assessed_on = DateField(label="Assessed on")
    reason = forms.ChoiceField(choices=[("", "—")] + Assessment.Reason.choices)
    situation = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="What changed in the family's situation",
        help_text="Needed for every reason but the initial assessment.",
    )
    risk_level = forms.ChoiceField(
        choices=[("", "—")] + Assessment.Risk.choices, required=False, label="Risk level"
    )
    summary = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(
        self, *args, instrument: Instrument | None = None, subject=None, on=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.domains = []
        if instrument is None:
            return
        if instrument.kind != Instrument.Kind.SAFETY:
            del self.fields["risk_level"]
        else:
            self.fields["risk_level"].required = True
        age = subject.age_on(on) if subject is not None and on is not None else None
        for domain in instrument.domains.all():
            if not domain_applies(domain.min_age, age):
                continue
            rows = []
            for item in domain.items.all():
                score = forms.ChoiceField(
                    choices=SCORE_CHOICES,
                    widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                    label=item.text,
                    error_messages={"required": "Rate this item."},
                )
                note = forms.CharField(
                    required=False,
                    max_length=2000,
                    label="Note",
                    widget=forms.TextInput(attrs={"class": "usa-input"}),
                )
                self.fields[f"score_{item.code}"] = score
                self.fields[f"note_{item.code}"] = note
                rows.append((item, f"score_{item.code}", f"note_{item.code}"))
            self.domains.append((domain, rows))

    def bound_domains(self):
        """(domain, [(item, score field, note field)]) for the template."""
        return [
            (domain, [(item, self[s], self[n]) for item, s, n in rows])
            for domain, rows in self.domains
        ]

    def ratings(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"item": item.code, "score": int(data[s]), "note": data.get(n, "")}
            for _, rows in self.domains
            for item, s, n in rows
        ]

    def field_errors(self, exc: DomainError) -> DomainError:
        """The service's `ratings.<code>` named as this form's `score_<code>`."""
        return DomainError(
            {
                (f"score_{k.split('.', 1)[1]}" if k.startswith("ratings.") else k): v
                for k, v in exc.errors.items()
            }
        )


def applicable_on(raw, earliest: date, latest: date) -> date:
    """The day the posted form assesses, to choose the domains that apply to the subject
    on it; `latest` (today) when none is posted or it is not a day the service accepts
    (which it then refuses, naming `assessed_on`)."""
    try:
        day = DateField(required=False).clean(raw)
    except forms.ValidationError:
        return latest
    return day if day is not None and earliest <= day <= latest else latest
