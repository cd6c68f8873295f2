"""Forms of the QA pages (O3, C8, P9). They check types and choices; the rules are the
services' (hearth.oversight.services.qa), whose errors come back onto these fields (an
answer's `answers.<item code>` onto the item's radio buttons)."""

from django import forms

from hearth.core.errors import LONG_TEXT_MAX
from hearth.core.forms import DateField, UsaFormMixin
from hearth.oversight.models import QaAnswer, QaReview
from hearth.oversight.services.qa import MAX_SAMPLE, MAX_SEED
from hearth.staff.models import Agency, StaffMember

ANSWER_CHOICES = QaAnswer.Answer.choices
GROUP_CHOICES = [("agency", "Contractor"), ("unit", "Unit"), ("item", "Item"), ("month", "Month")]


class SampleForm(UsaFormMixin, forms.Form):
    """O3: the period, the size, the seed (empty: a random one), one contractor or all,
    and the QA reviewers who take the cases in turn."""

    period_start = DateField(label="Period from")
    period_end = DateField(label="Period to")
    size = forms.IntegerField(
        min_value=1, max_value=MAX_SAMPLE, required=False, help_text="Empty: the setting."
    )
    seed = forms.IntegerField(
        min_value=0,
        max_value=MAX_SEED,
        required=False,
        help_text="Empty: a random seed, kept with the sample. The same seed on the same "
        "cases draws the same sample.",
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Every contractor",
        label="Contractor",
    )
    reviewers = forms.ModelMultipleChoiceField(
        queryset=StaffMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="QA reviewers",
    )

    def __init__(self, *args, agencies=None, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        if reviewers is not None:
            self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].widget.attrs["class"] = "usa-checkbox__input"


class ReviewForm(UsaFormMixin, forms.Form):
    """C8: every item of the instrument answered yes, no or not applicable, with a
    comment; grouped by domain (`rows`). Saving keeps a draft; finalizing needs every
    item answered and a comment on each no (the service's rule)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        for d in domains:
            for row in d.items:
                code = row.item.code
                self.fields[f"answer_{code}"] = forms.ChoiceField(
                    choices=ANSWER_CHOICES,
                    widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                    required=False,
                    label=row.item.text,
                    initial=row.answer or None,
                )
                self.fields[f"comment_{code}"] = forms.CharField(
                    max_length=LONG_TEXT_MAX,
                    widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 2}),
                    required=False,
                    label="Comment",
                    initial=row.comment,
                )

    def rows(self):
        """(domain, [(item, answer field, comment field)]) for the template."""
        return [
            (
                d.domain,
                [
                    (r.item, self[f"answer_{r.item.code}"], self[f"comment_{r.item.code}"])
                    for r in d.items
                ],
            )
            for d in self.domains
        ]

    def answers(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "item": r.item.code,
                "answer": data.get(f"answer_{r.item.code}"),
                "comment": data.get(f"comment_{r.item.code}", ""),
            }
            for d in self.domains
            for r in d.items
            if data.get(f"answer_{r.item.code}")
        ]

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            code = key.removeprefix("answers.")
            field = f"answer_{code}"
            self.add_error(field if field in self.fields else None, message)


class ResponseForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.CharField(widget=forms.Textarea, label="The contractor's response")


class ComplianceForm(UsaFormMixin, forms.Form):
    start = DateField(label="From")
    end = DateField(label="To")
    by = forms.MultipleChoiceField(
        choices=GROUP_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        label="Group by",
        required=False,
    )


class ActionForm(UsaFormMixin, forms.Form):
    """P9: the owner, the due date and the plan of an open corrective action (the
    contractor writes only the plan)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(queryset=StaffMember.objects.none(), required=False)
    due_on = DateField(label="Due on", required=False)
    plan = forms.CharField(widget=forms.Textarea, required=False, label="Plan")

    def __init__(self, *args, owners=None, state: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        if not state:
            del self.fields["owner"]
            del self.fields["due_on"]


class FollowUpForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    review = forms.ModelChoiceField(queryset=QaReview.objects.none(), label="Follow-up review")

    def __init__(self, *args, reviews=None, **kwargs):
        super().__init__(*args, **kwargs)
        if reviews is not None:
            self.fields["review"].queryset = reviews


class CloseForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closing_note = forms.CharField(widget=forms.Textarea, required=False, label="Closing note")
    no_follow_up_reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Why there is no follow-up review",
        help_text="Only when no follow-up review is linked.",
    )
