"""The caseloads pages' forms (O4): giving a case's oversight to a specialist, ending a
grant, reassigning a specialist's families, a QA grant by hand. They check the input's
shape; the services check the rules (the same as the API's)."""

from django import forms

from hearth.core.forms import UsaFormMixin


def _choices(staff, blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(s.pk), s.full_name) for s in staff]


class AssignForm(UsaFormMixin, forms.Form):
    specialist = forms.ChoiceField(label="Specialist")
    reason = forms.CharField(
        widget=forms.Textarea, required=False, label="Reason", help_text="Kept on the grant."
    )
    override_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Override reason",
        help_text="Required when you choose someone other than the recommended specialist (O4).",
    )

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.specialists = {str(s.pk): s for s in specialists}
        self.fields["specialist"].choices = _choices(specialists, "Choose a specialist")


class GrantEndForm(UsaFormMixin, forms.Form):
    grant = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why the access ends", max_length=2000)


class QaGrantForm(UsaFormMixin, forms.Form):
    reviewer = forms.ChoiceField(label="QA reviewer")
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Reason")

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewers = {str(s.pk): s for s in reviewers}
        self.fields["reviewer"].choices = _choices(reviewers, "Choose a QA reviewer")


class ReassignForm(UsaFormMixin, forms.Form):
    to_specialist = forms.ChoiceField(
        label="Move the families to",
        required=False,
        help_text="Leave empty to route each family to the lightest-loaded specialist of its "
        "region.",
    )
    reason = forms.CharField(widget=forms.Textarea, label="Reason")
    override_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Override reason",
        help_text="Required when the chosen specialist is not a family's recommended one (O4).",
    )

    def __init__(self, *args, specialists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.specialists = {str(s.pk): s for s in specialists}
        self.fields["to_specialist"].choices = _choices(
            specialists, "Route each family (lightest load in its region)"
        )
