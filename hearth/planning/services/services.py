"""Writes of the provider directory and of service referrals (P8, C9): one function per
user action, each in a transaction; a refusal raises DomainError naming the field, and
nothing is stored.

P8: services come from community providers: program directors (provider.manage) keep the
directory. C9: a referral is linked to identified needs (actionable needs of the case's
latest assessments) and tells the provider, in words, the specific needs to meet.

Which needs a referral may name (C9): the case's actionable needs (rated 2 or 3 in its
latest assessments, hearth.planning.selectors.assessments.actionable_needs) that belong
to the person served: a need of an assessment of that person, or of a family assessment
(one without a subject). A need found in another person's assessment is that person's:
refer them for it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from hearth.cases import access as case_access
from hearth.cases import events
from hearth.cases.models import Case, CaseMember
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import (
    apply_changes,
    errors_from_validation,
    lock,
    not_future,
    validated_save,
)
from hearth.people.models import Person
from hearth.planning.models import (
    CasePlan,
    ProgressReport,
    Provider,
    ServiceReferral,
    ServiceType,
)
from hearth.planning.selectors.assessments import actionable_needs
from hearth.policy import service_referrals as rules
from hearth.staff.access import viewer_can

# --- The provider directory (P8) ----------------------------------------------------------

PROVIDER_FIELDS = {"name", "county", "address", "phone", "email", "contact_name", "active"}


def _check_manager(actor) -> None:
    """P8: the directory is kept by those who hold provider.manage."""
    if not viewer_can(actor, "provider.manage"):
        raise Forbidden()


def _provider_problems(provider: Provider, services) -> dict[str, str]:
    problems = {}
    provider.name = provider.name.strip()
    if not provider.name:
        problems["name"] = "Give the provider's name."
    if services is not None and not list(services):
        problems["services"] = "Choose at least one service the provider offers (P8)."
    if services is not None and any(not s.active for s in services):
        problems["services"] = "A service no longer offered cannot be chosen."
    phone = rules.phone_problem(provider.phone)
    if phone:
        problems["phone"] = phone
    provider.phone = provider.phone.strip()
    provider.email = provider.email.strip()
    return problems


def _save_provider(provider, *, actor, services, languages, problems) -> None:
    """Save after every check: a refusal names each bad field (the rules' and the
    model's, the email among them) and stores nothing."""
    if problems:
        try:
            provider.full_clean(validate_constraints=False)
        except ValidationError as exc:
            problems = errors_from_validation(exc) | problems
        raise DomainError(problems)
    validated_save(provider, actor=actor)
    if services is not None:
        provider.services.set(services)
    if languages is not None:
        provider.languages.set(languages)


@transaction.atomic
def provider_create(
    *,
    actor,
    name: str,
    services: list[ServiceType],
    languages=(),
    county=None,
    address: str = "",
    phone: str = "",
    email: str = "",
    contact_name: str = "",
) -> Provider:
    """P8: a community provider joins the directory with the services it offers."""
    _check_manager(actor)
    services = list(services or [])
    provider = Provider(
        name=name,
        county=county,
        address=address.strip(),
        phone=phone,
        email=email,
        contact_name=contact_name.strip(),
    )
    problems = _provider_problems(provider, services)
    _save_provider(provider, actor=actor, services=services, languages=languages, problems=problems)
    return provider


@transaction.atomic
def provider_update(
    *,
    actor,
    provider: Provider,
    version: int | None = None,
    services: list[ServiceType] | None = None,
    languages=None,
    **changes,
) -> Provider:
    """P8: change a provider's entry (`version`: the one read; 409 when it changed since).
    `services` and `languages`, when given, replace the lists."""
    _check_manager(actor)
    provider = lock(Provider, provider.pk)
    provider.check_version(version)
    changed = bool(apply_changes(provider, changes, editable=PROVIDER_FIELDS))
    if services is not None:
        services = list(services)
        changed |= {s.pk for s in services} != _ids(provider.services)
    if languages is not None:
        languages = list(languages)
        changed |= {x.pk for x in languages} != _ids(provider.languages)
    problems = _provider_problems(provider, services)
    if not changed and not problems:
        return provider
    provider.bump_version()
    _save_provider(provider, actor=actor, services=services, languages=languages, problems=problems)
    return provider


def _ids(manager) -> set[int]:
    return set(manager.values_list("pk", flat=True))


def provider_deactivate(*, actor, provider: Provider, version: int | None = None) -> Provider:
    """P8: a provider that no longer takes referrals leaves the directory's active list;
    its referrals stay as they are (and may run their course)."""
    return provider_update(actor=actor, provider=provider, version=version, active=False)


# --- Service referrals (C9) -----------------------------------------------------------------


def _check_case(actor, case: Case) -> None:
    if not case_access.can_edit_case(actor, case):
        raise Forbidden()
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})


def _member_on(case: Case, person: Person, on: date) -> bool:
    return (
        CaseMember.objects.filter(case=case, person=person, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .exists()
    )


def _referral_needs(case: Case, person: Person, need_ids) -> list:
    """C9: the actionable needs of the case that this referral is meant to meet."""
    wanted = list(dict.fromkeys(int(pk) for pk in need_ids))
    if not wanted:
        raise DomainError({"needs": "Link the service to at least one identified need (C9)."})
    found = {n.pk: n for n in actionable_needs(case).filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError(
            {
                "needs": "Choose among the case's actionable needs (rated 2 or 3 in its "
                "latest assessments) (C9)."
            }
        )
    others = [n for n in found.values() if n.assessment.subject_id not in (None, person.pk)]
    if others:
        raise DomainError(
            {
                "needs": "These needs are another person's assessment: refer that person for "
                f"them ({', '.join(n.item.text for n in others)})."
            }
        )
    return [found[pk] for pk in wanted]


@transaction.atomic
def service_referral_create(
    *,
    actor,
    case: Case,
    person: Person,
    provider: Provider,
    service: ServiceType,
    needs,
    specific_needs: str,
    referred_on: date,
    plan: CasePlan | None = None,
) -> ServiceReferral:
    """C9, P8: refer `person` to `provider` for `service`, linked to `needs` (ids of the
    case's actionable needs) with the specific needs the provider must meet."""
    _check_case(actor, case)
    not_future("referred_on", referred_on, "A referral")
    if referred_on < case.opened_on:
        raise DomainError({"referred_on": "A referral cannot predate the case's opening."})
    if not _member_on(case, person, referred_on):
        raise DomainError({"person": "The person served is a member of this case."})
    provider = lock(Provider, provider.pk)
    if not provider.active:
        raise DomainError({"provider": "This provider no longer takes referrals."})
    if not service.active or not provider.services.filter(pk=service.pk).exists():
        raise DomainError({"service": f"{provider.name} does not offer this service (P8)."})
    problem = rules.specific_needs_problem(specific_needs)
    if problem:
        raise DomainError({"specific_needs": problem})
    if plan is not None and plan.case_id != case.pk:
        raise DomainError({"plan": "The plan is a version of this case's plan."})
    linked = _referral_needs(case, person, needs)
    referral = ServiceReferral(
        case=case,
        plan=plan,
        person=person,
        provider=provider,
        service=service,
        specific_needs=specific_needs.strip(),
        referred_on=referred_on,
        status=ServiceReferral.Status.SENT,
        status_on=referred_on,
        referred_by=actor,
    )
    validated_save(referral, actor=actor)
    referral.needs.set(linked)
    events.service_referral_sent(referral, actor=actor)
    return referral


@transaction.atomic
def service_referral_status(
    *,
    actor,
    referral: ServiceReferral,
    status: str,
    on: date,
    reason: str = "",
    version: int | None = None,
) -> ServiceReferral:
    """P8 (the worker monitors): sent -> accepted -> started -> completed, or ended early
    with the reason from any open status; dated on or after the referral and the status
    before it, never in the future; nothing changes once completed or ended."""
    referral = lock(ServiceReferral, referral.pk)
    referral.check_version(version)
    _check_case(actor, Case.objects.select_related("agency").get(pk=referral.case_id))
    problems = rules.transition_problem(referral.status, status, reason)
    if problems:
        raise DomainError(problems)
    not_future("on", on, "A status change")
    if on < referral.status_on:
        raise DomainError(
            {
                "on": f"This change cannot predate the referral's last status "
                f"({referral.get_status_display().lower()} on {referral.status_on:%Y-%m-%d})."
            }
        )
    old = referral.status
    referral.status = status
    referral.status_on = on
    referral.ended_reason = reason.strip()
    referral.bump_version()
    validated_save(referral, actor=actor)
    events.service_referral_status_changed(referral, actor=actor, old=old, reason=reason.strip())
    return referral


@transaction.atomic
def progress_report_record(
    *,
    actor,
    referral: ServiceReferral,
    reported_on: date,
    reporter: str,
    progress: str,
    attendance: str = "",
    narrative: str,
) -> ProgressReport:
    """P8 (the worker monitors): the provider's report on a referral it accepted, in the
    provider's words, dated between the referral and today."""
    referral = lock(ServiceReferral, referral.pk)
    case = Case.objects.select_related("agency").get(pk=referral.case_id)
    _check_case(actor, case)
    if referral.status == ServiceReferral.Status.SENT:
        raise DomainError({"referral": "The provider reports once it has accepted the referral."})
    not_future("reported_on", reported_on, "A report")
    if reported_on < referral.referred_on:
        raise DomainError({"reported_on": "A report cannot predate the referral."})
    if not reporter.strip():
        raise DomainError({"reporter": "Name who reported (the provider's staff member)."})
    if not narrative.strip():
        raise DomainError({"narrative": "Write what the provider reported."})
    report = ProgressReport(
        referral=referral,
        reported_on=reported_on,
        reporter=reporter.strip(),
        progress=progress,
        attendance=attendance.strip(),
        narrative=narrative.strip(),
        recorded_by=actor,
    )
    validated_save(report, actor=actor)
    events.progress_report_recorded(report, actor=actor, case=case)
    return report
