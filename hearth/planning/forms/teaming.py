"""The teaming page's forms: a family team meeting with repeated participant rows and the
visitation reviews of the children out of home (C5, P7), a supervisor conference (V13),
a diligent search effort (C6) and a tribe contact (C7). They check the input's shape; the
services check the rules (the same as the API's)."""

from django import forms
from django.core.validators import MaxLengthValidator

from hearth.core.errors import LONG_TEXT_MAX
from hearth.core.forms import DateField, UsaFormMixin
from hearth.planning.models import DiligentSearch, MeetingParticipant, TeamMeeting, TribeContact
from hearth.visitation.models import VisitationReview

PARTICIPANT_ROWS = 4  # rows shown at first; "Add rows" posts the form back with more
MORE_ROWS = 3
MAX_ROWS = 40


def _styled(field: forms.Field) -> forms.Field:
    """A field added after the form's __init__ (a participant row, a child's review):
    the USWDS classes and the maximum text length UsaFormMixin gives the declared ones."""
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = LONG_TEXT_MAX
        field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
        field.widget.attrs.update(field.widget_attrs(field.widget))
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        widget.attrs.setdefault("class", "usa-checkbox__input")
    elif isinstance(widget, forms.Select):
        widget.attrs.setdefault("class", "usa-select")
    elif isinstance(widget, forms.Textarea):
        widget.attrs.setdefault("class", "usa-textarea")
        widget.attrs.setdefault("rows", 3)
    else:
        widget.attrs.setdefault("class", "usa-input")
    return field


def _people_choices(people) -> list[tuple[str, str]]:
    return [("", "(not a person of the case)")] + [(str(p.pk), p.full_name) for p in people]


class TeamMeetingForm(UsaFormMixin, forms.Form):
    held_on = DateField(label="Held on")
    type = forms.ChoiceField(choices=TeamMeeting.Type.choices, label="Type of meeting")
    facilitator_name = forms.CharField(max_length=200, label="Facilitator")
    location = forms.CharField(max_length=200, required=False)
    decisions = forms.CharField(widget=forms.Textarea, help_text="What the team decided (C5).")
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ROWS)

    def __init__(self, *args, people=(), children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.children = list(children)
        try:
            rows = int(self.data.get("rows", PARTICIPANT_ROWS)) if self.is_bound else 0
        except (TypeError, ValueError):
            rows = PARTICIPANT_ROWS
        rows = max(1, min(MAX_ROWS, rows or PARTICIPANT_ROWS))
        if self.is_bound and "add_rows" in self.data:
            rows = min(MAX_ROWS, rows + MORE_ROWS)
            data = self.data.copy()
            data["rows"] = rows
            self.data = data
        self.row_count = rows
        self.initial.setdefault("rows", rows)
        for i in range(rows):
            self.fields[f"p{i}_name"] = _styled(
                forms.CharField(max_length=200, required=False, label=f"Participant {i + 1}: name")
            )
            self.fields[f"p{i}_person"] = _styled(
                forms.ChoiceField(
                    choices=_people_choices(people), required=False, label="Or a person of the case"
                )
            )
            self.fields[f"p{i}_role"] = _styled(
                forms.ChoiceField(
                    choices=[("", "(choose)"), *MeetingParticipant.Role.choices],
                    required=False,
                    label="Role",
                )
            )
            self.fields[f"p{i}_attended"] = _styled(
                forms.BooleanField(required=False, initial=True, label="Attended")
            )
            self.fields[f"p{i}_input"] = _styled(
                forms.CharField(
                    widget=forms.Textarea,
                    required=False,
                    label="Their input, in their words (C5)",
                )
            )
        for child in self.children:
            self.fields[f"decision_{child.pk}"] = _styled(
                forms.ChoiceField(
                    choices=VisitationReview.Decision.choices,
                    label=f"Visitation schedule of {child.full_name} (P7)",
                )
            )
            self.fields[f"obstacles_{child.pk}"] = _styled(
                forms.CharField(
                    widget=forms.Textarea, required=False, label="Obstacles to the contacts"
                )
            )
            self.fields[f"plan_{child.pk}"] = _styled(
                forms.CharField(
                    widget=forms.Textarea, required=False, label="Plan to overcome them"
                )
            )

    def head_fields(self):
        return [self[n] for n in ("held_on", "type", "facilitator_name", "location", "rows")]

    def participant_rows(self):
        fields = ("name", "person", "role", "attended", "input")
        return [[self[f"p{i}_{f}"] for f in fields] for i in range(self.row_count)]

    def review_fields(self):
        return [
            self[f"{prefix}_{c.pk}"]
            for c in self.children
            for prefix in ("decision", "obstacles", "plan")
        ]

    def participants(self) -> tuple[list[dict], list[int]]:
        """The rows filled in (a name or a person), and each one's row number."""
        data = self.cleaned_data
        out, rows = [], []
        for i in range(self.row_count):
            person = self.people.get(data.get(f"p{i}_person") or "")
            name = (data.get(f"p{i}_name") or "").strip()
            if not name and person is None:
                continue
            out.append(
                {
                    "name": name,
                    "person": person,
                    "role": data.get(f"p{i}_role") or "",
                    "attended": bool(data.get(f"p{i}_attended")),
                    "input": data.get(f"p{i}_input") or "",
                }
            )
            rows.append(i)
        return out, rows

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


class ConferenceForm(UsaFormMixin, forms.Form):
    held_on = DateField(label="Held on")
    worker = forms.ChoiceField(required=False, label="With the worker")
    discussed = forms.CharField(widget=forms.Textarea, label="What was discussed")
    decisions = forms.CharField(widget=forms.Textarea)
    next_steps = forms.CharField(widget=forms.Textarea, required=False, label="Next steps")
    not_seen = forms.ChoiceField(required=False, label="A child or parent not being seen (V13)")
    not_seen_reason = forms.CharField(
        widget=forms.Textarea, required=False, label="The documented reason they are not seen"
    )

    def __init__(self, *args, people=(), workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.workers = {str(w.pk): w for w in workers}
        self.fields["not_seen"].choices = [("", "(no one)")] + [
            (k, p.full_name) for k, p in self.people.items()
        ]
        self.fields["worker"].choices = [("", "(not named)")] + [
            (k, w.full_name) for k, w in self.workers.items()
        ]


class SearchForm(UsaFormMixin, forms.Form):
    sought_for = forms.ChoiceField(choices=DiligentSearch.SoughtFor.choices, label="Searching for")
    sought_name = forms.CharField(max_length=200, label="Who is sought, as known")
    method = forms.ChoiceField(choices=DiligentSearch.Method.choices)
    searched_on = DateField(label="Searched on")
    result = forms.ChoiceField(choices=DiligentSearch.Result.choices)
    child = forms.ChoiceField(required=False, label="Related to the child (when found)")
    found_first_name = forms.CharField(max_length=100, required=False, label="Found: first name")
    found_last_name = forms.CharField(max_length=100, required=False, label="Found: last name")
    relative_kind = forms.CharField(
        max_length=60, required=False, label="How related (extended family: aunt, grandfather...)"
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c.pk): c for c in children}
        self.fields["child"].choices = [("", "(choose)")] + [
            (k, c.full_name) for k, c in self.children.items()
        ]

    def new_person(self) -> dict | None:
        data = self.cleaned_data
        first, last = data["found_first_name"].strip(), data["found_last_name"].strip()
        if not first and not last:
            return None
        return {"first_name": first, "last_name": last}


class TribeContactForm(UsaFormMixin, forms.Form):
    child = forms.ChoiceField(label="Child")
    tribe = forms.ChoiceField(label="Tribe (one of the child's)")
    contacted_on = DateField(label="Contacted on")
    method = forms.ChoiceField(choices=TribeContact.Method.choices)
    tribe_contact_name = forms.CharField(max_length=200, required=False, label="Whom at the tribe")
    response = forms.CharField(widget=forms.Textarea, required=False, label="The tribe's response")
    active_efforts = forms.CharField(
        widget=forms.Textarea, required=False, label="Active efforts the tribe defined"
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c["child"].pk): c["child"] for c in children}
        self.tribes = {str(t.pk): t for c in children for t in c["tribes"]}
        self.fields["child"].choices = [(k, c.full_name) for k, c in self.children.items()]
        self.fields["tribe"].choices = [("", "(choose)")] + [
            (k, t.name) for k, t in self.tribes.items()
        ]
