"""Forms of visitation plans (on the child's page), signatures, family visits and
placement conferences. They check types and choices; the rules are the services'
(hearth.visitation.services), whose errors come back onto these fields."""

from django import forms
from django.utils.translation import gettext_lazy

from hearth.core.forms import DateField, UsaFormMixin
from hearth.visitation.models import (
    FamilyVisit,
    PlanParticipant,
    VisitArrangement,
    VisitationPlan,
    VisitationReview,
)

BLANK = [("", "—")]


class PlanForm(UsaFormMixin, forms.Form):
    made_at = forms.ChoiceField(choices=VisitationPlan.MadeAt.choices, label="Made at")
    made_on = DateField(label="Made on")
    less_than_weekly_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Why fewer than weekly visits with parents or siblings (P5)",
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)


class ArrangementForm(UsaFormMixin, forms.Form):
    visitor = forms.ChoiceField(required=False, label="Who visits")
    visitor_name = forms.CharField(
        required=False, label="Or name (another interested party)", max_length=200
    )
    visitor_role = forms.ChoiceField(
        choices=VisitArrangement.VisitorRole.choices, required=False, label="As"
    )
    frequency = forms.ChoiceField(
        choices=VisitArrangement.Frequency.choices, initial="weekly", required=False
    )
    place = forms.ChoiceField(
        choices=BLANK + VisitArrangement.Place.choices, required=False, label="Where"
    )
    location = forms.CharField(required=False, max_length=200, label="Address or name of the place")
    supervised = forms.BooleanField(required=False, initial=True)
    supervised_by = forms.ChoiceField(
        choices=BLANK + VisitArrangement.SupervisedBy.choices,
        required=False,
        label="Supervised by",
    )
    transport = forms.ChoiceField(choices=VisitArrangement.Transport.choices, required=False)
    day = forms.ChoiceField(choices=BLANK + VisitArrangement.Day.choices, required=False)
    starts_at = forms.TimeField(required=False, label="From (HH:MM)")
    ends_at = forms.TimeField(required=False, label="To (HH:MM)")
    evenings_weekends = forms.BooleanField(required=False, label="Evenings or weekends")
    times = forms.CharField(
        required=False,
        max_length=200,
        label="Other times",
        help_text="Printed as written on the family's copy: write it in their language.",
    )

    def __init__(self, *args, visitors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].choices = BLANK + [(str(p.pk), p.full_name) for p in visitors]
        self.people = {str(p.pk): p for p in visitors}

    def arrangement(self) -> dict | None:
        """The row as VisitArrangement fields; None for a blank row."""
        data = self.cleaned_data
        person = self.people.get(data.get("visitor") or "")
        name = person.full_name if person else data.get("visitor_name", "").strip()
        if not name:
            return None
        return {
            "visitor": person,
            "visitor_name": name,
            "visitor_role": data.get("visitor_role") or "",
            "frequency": data.get("frequency") or "",
            "place": data.get("place") or "",
            "location": data.get("location", ""),
            "supervised": data.get("supervised", False),
            "supervised_by": data.get("supervised_by") or "",
            "transport": data.get("transport") or "none",
            "day": data.get("day") or "",
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
            "evenings_weekends": data.get("evenings_weekends", False),
            "times": data.get("times", ""),
        }


class ParticipantForm(UsaFormMixin, forms.Form):
    name = forms.CharField(required=False, max_length=200)
    role = forms.ChoiceField(choices=BLANK + PlanParticipant.Role.choices, required=False)

    def participant(self) -> dict | None:
        name = self.cleaned_data.get("name", "").strip()
        if not name:
            return None
        return {"name": name, "role": self.cleaned_data.get("role") or ""}


ArrangementFormSet = forms.formset_factory(ArrangementForm, extra=3)

ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=1)


class SignForm(UsaFormMixin, forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)  # the plan's
    # A family member may sign on the plan's page in Spanish: the labels are translated.
    method = forms.ChoiceField(choices=PlanParticipant.Method.choices, label=gettext_lazy("Method"))
    signed_as = forms.CharField(
        required=False,
        label=gettext_lazy("Type your full name to sign electronically"),
        max_length=200,
    )
    signed_on = DateField(label=gettext_lazy("Signed on"))
    copy_given = forms.BooleanField(
        required=False, label=gettext_lazy("A copy was given on that day")
    )


class VisitForm(UsaFormMixin, forms.Form):
    visit_on = DateField(label="Date")
    status = forms.ChoiceField(choices=FamilyVisit.Status.choices)
    reason = forms.CharField(
        widget=forms.Textarea, required=False, label="Reason (when missed or cancelled)"
    )
    visitors = forms.MultipleChoiceField(
        required=False, widget=forms.SelectMultiple(attrs={"size": 4}), label="Who visited"
    )
    location = forms.CharField(required=False, max_length=200)
    supervised = forms.BooleanField(required=False)

    def __init__(self, *args, visitors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].choices = [(str(p.pk), p.full_name) for p in visitors]
        self.people = {str(p.pk): p for p in visitors}

    def chosen_visitors(self):
        return [self.people[v] for v in self.cleaned_data["visitors"]]


class ConferenceForm(UsaFormMixin, forms.Form):
    held_on = DateField(label="Held on")
    participants = forms.CharField(
        widget=forms.Textarea, help_text="Who took part, one per line, with their role."
    )
    decisions = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        for child in self.children:
            self.fields[f"decision_{child.pk}"] = forms.ChoiceField(
                choices=VisitationReview.Decision.choices,
                label=f"Visitation schedule of {child.full_name} (P7)",
            )
            self.fields[f"obstacles_{child.pk}"] = forms.CharField(
                widget=forms.Textarea, required=False, label="Obstacles to the contacts"
            )
            self.fields[f"plan_{child.pk}"] = forms.CharField(
                widget=forms.Textarea, required=False, label="Plan to overcome them"
            )

    def reviews(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "child": c,
                "decision": data[f"decision_{c.pk}"],
                "obstacles": data[f"obstacles_{c.pk}"],
                "plan_to_overcome": data[f"plan_{c.pk}"],
            }
            for c in self.children
        ]
