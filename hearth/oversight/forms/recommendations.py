"""The recommendation pages' forms (O1, O2, P1): recommending a closure, a case plan or a
court report; the state's review with its findings (yes or no, the records cited, an
explanation) and its decision; the revision; the presentation to the court. They check
the input's shape; the services check the rules (the same as the API's)."""

from django import forms

from hearth.core.forms import DateField, UsaFormMixin
from hearth.oversight.models import Finding, Recommendation
from hearth.oversight.selectors.recommendations import EVIDENCE_LABELS
from hearth.policy import recommendations as rules

FINDING_LABELS = dict(Finding.Code.choices)
FINDING_HINTS = {
    "reasonable_efforts": "Reasonable efforts were made for the child to remain with the family.",
    "threats_mitigated": "The safety threats that brought the family in are eliminated or "
    "mitigated.",
    "aftercare": "Aftercare services are available to the family.",
    "best_interest": "Closing (or this recommendation) is in the child's best interest.",
}


class RecommendForm(UsaFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Recommend")
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Reasons",
        help_text="P1 (closure): why the family no longer needs protection and the parents "
        f"can care for the child, in {rules.CLOSURE_REASONS_MIN} characters or more. O2: "
        "what you recommend to the court.",
    )
    plan = forms.ChoiceField(required=False, label="Case plan (a case plan recommendation)")
    court_report = forms.ChoiceField(
        required=False, label="Court report (a court report recommendation)"
    )

    def __init__(self, *args, case, plans=(), reports=(), **kwargs):
        super().__init__(*args, prefix="recommend", **kwargs)
        kinds = Recommendation.Kind.choices
        if not case.court_involved:
            kinds = [(k, label) for k, label in kinds if k not in rules.COURT_KINDS]
        self.fields["kind"].choices = kinds
        self.plans = {str(p.pk): p for p in plans}
        self.reports = {str(r.pk): r for r in reports}
        if case.court_involved:
            self.fields["plan"].choices = [("", "(none)")] + [
                (k, f"Version {p.number}, {p.get_status_display().lower()}")
                for k, p in self.plans.items()
            ]
            self.fields["court_report"].choices = [("", "(none)")] + [
                (
                    k,
                    f"{r.period_start:%Y-%m-%d} to {r.period_end:%Y-%m-%d}, "
                    f"{r.get_status_display().lower()}",
                )
                for k, r in self.reports.items()
            ]
        else:
            del self.fields["plan"]
            del self.fields["court_report"]


class VersionedForm(UsaFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResubmitForm(VersionedForm):
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Revised reasons",
        help_text="Answer the reviewer's reasons; P1 for a closure.",
    )


class PresentedForm(VersionedForm):
    hearing = forms.ChoiceField(label="Hearing")
    on = DateField(label="Presented on")

    def __init__(self, *args, hearings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hearings = {str(h.pk): h for h in hearings}
        self.fields["hearing"].choices = [
            (k, f"{h.get_type_display()} hearing, {h.scheduled_at:%Y-%m-%d}")
            for k, h in self.hearings.items()
        ]


class ReviewForm(VersionedForm):
    """O1, O2: one yes/no, a set of records and an explanation per required finding
    (fields `<code>_met`, `<code>_evidence`, `<code>_explanation`), the decision and the
    return's reasons."""

    decision = forms.ChoiceField(
        choices=[(rules.APPROVE, "Approve"), (rules.RETURN, "Return with reasons")],
        widget=forms.RadioSelect,
        label="Decision",
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Reasons for returning it",
        help_text="Required to return: what to revise.",
    )

    def __init__(self, *args, codes=(), evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = list(codes)
        evidence = evidence or {}
        choices = [
            (EVIDENCE_LABELS[kind], [(f"{kind}:{pk}", label) for pk, label in items])
            for kind, items in evidence.items()
            if items
        ]
        for code in self.codes:
            self.fields[f"{code}_met"] = forms.ChoiceField(
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                label=FINDING_LABELS[code],
                help_text=FINDING_HINTS[code],
                required=False,
            )
            self.fields[f"{code}_evidence"] = forms.MultipleChoiceField(
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label="Records cited",
            )
            self.fields[f"{code}_explanation"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
                required=False,
                label="Explanation",
            )

    def finding_rows(self):
        """(code, label, met field, evidence field, explanation field) per finding."""
        return [
            (
                code,
                FINDING_LABELS[code],
                self[f"{code}_met"],
                self[f"{code}_evidence"],
                self[f"{code}_explanation"],
            )
            for code in self.codes
        ]

    def findings(self) -> list[dict]:
        """The findings answered, in the service's shape; a finding left unanswered is
        left out (the service names it when approval needs it)."""
        out = []
        for code in self.codes:
            met = self.cleaned_data.get(f"{code}_met")
            evidence = self.cleaned_data.get(f"{code}_evidence") or []
            explanation = self.cleaned_data.get(f"{code}_explanation") or ""
            if not met and not evidence and not explanation.strip():
                continue
            out.append(
                {
                    "code": code,
                    "met": {"yes": True, "no": False}.get(met),
                    "explanation": explanation,
                    "evidence": [
                        {"type": ref.split(":")[0], "id": int(ref.split(":")[1])}
                        for ref in evidence
                    ],
                }
            )
        return out
