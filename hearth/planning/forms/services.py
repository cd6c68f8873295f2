"""Forms of the provider directory and of service referrals (P8, C9). They check types
and choices; the rules are the services' (hearth.planning.services.services), whose
errors come back onto these fields."""

from django import forms

from hearth.core.forms import DateField, UsaFormMixin
from hearth.planning.models import ProgressReport, ServiceReferral
from hearth.policy.assessments import SCORE_LABELS

BLANK = [("", "—")]
ANY = [("", "Any")]


def _codes(items) -> list[tuple[str, str]]:
    return [(i.code, i.name) for i in items]


class ProviderFilterForm(UsaFormMixin, forms.Form):
    """P8: search the directory by name, service, language and county."""

    q = forms.CharField(required=False, max_length=200, label="Name")
    service = forms.ChoiceField(required=False)
    language = forms.ChoiceField(required=False)
    county = forms.ChoiceField(required=False)
    inactive = forms.BooleanField(required=False, label="Include providers no longer active")

    def __init__(self, *args, service_types=(), languages=(), counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = ANY + _codes(service_types)
        self.fields["language"].choices = ANY + _codes(languages)
        self.fields["county"].choices = ANY + _codes(counties)


class ProviderForm(UsaFormMixin, forms.Form):
    """P8: a provider's entry: name and at least one service (the service checks)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=200)
    services = forms.MultipleChoiceField(
        required=False,  # the service refuses none, naming P8
        widget=forms.CheckboxSelectMultiple,
        label="Services offered (at least one)",
    )
    languages = forms.MultipleChoiceField(
        required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    county = forms.ChoiceField(required=False)
    address = forms.CharField(required=False, max_length=300)
    phone = forms.CharField(required=False, max_length=40)
    email = forms.CharField(required=False, max_length=254)
    contact_name = forms.CharField(required=False, max_length=200, label="Contact person")

    def __init__(self, *args, service_types=(), languages=(), counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = _codes(service_types)
        self.fields["languages"].choices = _codes(languages)
        self.fields["county"].choices = BLANK + _codes(counties)
        self.service_types = {s.code: s for s in service_types}
        self.language_rows = {x.code: x for x in languages}
        self.county_rows = {c.code: c for c in counties}

    def values(self) -> dict:
        """The service's keyword arguments (without the version)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "services": [self.service_types[c] for c in data["services"]],
            "languages": [self.language_rows[c] for c in data["languages"]],
            "county": self.county_rows.get(data["county"] or ""),
            "address": data["address"],
            "phone": data["phone"],
            "email": data["email"],
            "contact_name": data["contact_name"],
        }


def need_label(rating) -> str:
    """A need as the page names it: whose, the item, its rating, trauma named as such."""
    a = rating.assessment
    whose = a.subject.full_name if a.subject_id else "Family"
    trauma = " (trauma)" if rating.item.trauma else ""
    return (
        f"{whose}: {rating.item.text}{trauma}, rated {rating.score} "
        f"({SCORE_LABELS.get(rating.score, '')}) in {a.instrument.name} of {a.assessed_on:%Y-%m-%d}"
    )


def provider_label(provider) -> str:
    """A provider as the referral form offers it: its name, languages and county (read
    with hearth.planning.selectors.services.with_lists)."""
    details = [", ".join(x.name for x in provider.languages.all())]
    details.append(provider.county.name if provider.county_id else "")
    details = [d for d in details if d]
    return f"{provider.name} ({'; '.join(details)})" if details else provider.name


class ReferralForm(UsaFormMixin, forms.Form):
    """C9: refer a person of the case to a provider for a service, for actionable needs,
    with the specific needs the provider must meet."""

    person = forms.ChoiceField(label="Who is served")
    service = forms.ChoiceField()
    provider = forms.ChoiceField(help_text="Providers offering the chosen service.")
    needs = forms.MultipleChoiceField(
        required=False,  # the service refuses none, naming C9
        widget=forms.CheckboxSelectMultiple,
        label="The identified needs this service meets (C9)",
        help_text="The case's actionable needs: the person's own, or the family's.",
    )
    specific_needs = forms.CharField(
        widget=forms.Textarea,
        label="What the provider must work on, specifically (C9)",
        help_text="In behavioural words: what should change, for whom, and how you will know.",
    )
    referred_on = DateField(label="Referred on")
    plan = forms.ChoiceField(required=False, label="From case plan version")

    def __init__(
        self, *args, people=(), service_types=(), providers=(), needs=(), plans=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = BLANK + [(str(p.pk), p.full_name) for p in people]
        self.fields["service"].choices = BLANK + _codes(service_types)
        offered = [(str(p.pk), provider_label(p)) for p in providers]
        self.fields["provider"].choices = BLANK + offered
        self.fields["needs"].choices = [(str(n.pk), need_label(n)) for n in needs]
        self.fields["plan"].choices = BLANK + [(str(p.pk), str(p)) for p in plans]
        self.people = {str(p.pk): p for p in people}
        self.service_types = {s.code: s for s in service_types}
        self.providers = {str(p.pk): p for p in providers}
        self.plans = {str(p.pk): p for p in plans}

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "person": self.people[data["person"]],
            "service": self.service_types[data["service"]],
            "provider": self.providers[data["provider"]],
            "needs": [int(n) for n in data["needs"]],
            "specific_needs": data["specific_needs"],
            "referred_on": data["referred_on"],
            "plan": self.plans.get(data["plan"] or ""),
        }


STATUS_CHOICES = [
    (s.value, s.label) for s in ServiceReferral.Status if s != ServiceReferral.Status.SENT
]


class StatusForm(UsaFormMixin, forms.Form):
    """P8: the referral's next status (accepted, started, completed, or ended early)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=STATUS_CHOICES, label="New status")
    on = DateField(label="On")
    reason = forms.CharField(
        widget=forms.Textarea, required=False, label="Why it ended early (only then)"
    )


class ReportForm(UsaFormMixin, forms.Form):
    """P8: the provider's progress report, in the provider's words."""

    reported_on = DateField(label="Reported on")
    reporter = forms.CharField(max_length=200, label="Reported by (at the provider)")
    progress = forms.ChoiceField(choices=ProgressReport.Progress.choices)
    attendance = forms.CharField(required=False, max_length=300)
    narrative = forms.CharField(widget=forms.Textarea, label="What the provider reports")
