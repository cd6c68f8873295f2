"""Writes of assessments (C3): recording a dated assessment with one instrument, and
configuring an instrument (instruments are data, not code). Each function checks its
rules and writes atomically: bad input raises DomainError naming the field (a rating as
`ratings.<item code>`) and nothing is stored."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Q

from hearth.cases import access as case_access
from hearth.cases import events
from hearth.cases.models import Case, CaseMember
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import lock, today, validated_save
from hearth.planning.models import Assessment, Instrument, InstrumentDomain, InstrumentItem, Rating
from hearth.policy import assessments as rules
from hearth.staff.access import staff_for
from hearth.staff.permissions import can

CHILD_ROLES = (CaseMember.Role.CHILD, CaseMember.Role.SIBLING)
CAREGIVER_ROLES = (CaseMember.Role.PARENT, CaseMember.Role.CAREGIVER)
SUBJECT_ROLES = {
    Instrument.Subject.CHILD: CHILD_ROLES,
    Instrument.Subject.CAREGIVER: CAREGIVER_ROLES,
}


# C8: the fidelity instrument is for quality assurance reviews (O3), never a family's
# assessment: recording one with it is refused with this reason.
FIDELITY_REFUSED = (
    "C8: the fidelity instrument is for quality assurance reviews, not for assessing a family."
)


def usable_instruments(case: Case):
    """C3: the active instruments of a case's agency: the shared ones and its agency's own
    (the quality assurance ones too, C8: see `assessable_instruments`)."""
    return Instrument.objects.filter(Q(agency__isnull=True) | Q(agency_id=case.agency_id)).filter(
        active=True
    )


def assessable_instruments(case: Case):
    """C3, C8: the instruments a case may be assessed with: the usable ones but the
    fidelity (quality assurance) instruments."""
    return usable_instruments(case).exclude(kind=Instrument.Kind.FIDELITY)


def quality_assurance_instruments(case: Case):
    """C8: the usable fidelity instruments, listed (not offered) beside an assessment."""
    return usable_instruments(case).filter(kind=Instrument.Kind.FIDELITY)


def subject_members(case: Case, subject_kind: str, on: date | None = None):
    """The case's members who may be the subject of an instrument for `subject_kind`
    (a child: a child or sibling; a caregiver: a parent or caregiver), members on `on`
    (default: current)."""
    roles = SUBJECT_ROLES.get(subject_kind)
    if roles is None:
        return CaseMember.objects.none()
    members = CaseMember.objects.filter(case=case, role__in=roles)
    if on is None:
        return members.filter(ends_on__isnull=True)
    return members.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def _ratings_input(ratings) -> list[tuple[str, object, str]]:
    """(item code, score, note) from a list of {"item", "score", "note"} or a mapping
    code -> score or code -> {"score", "note"}."""
    out = []
    if isinstance(ratings, Mapping):
        ratings = [
            {"item": code, **(v if isinstance(v, Mapping) else {"score": v})}
            for code, v in ratings.items()
        ]
    for r in ratings or ():
        out.append((str(r.get("item", "")), r.get("score"), str(r.get("note") or "")))
    return out


@transaction.atomic
def assessment_record(
    *,
    actor,
    case: Case,
    instrument: Instrument,
    subject=None,
    assessed_on: date,
    reason: str,
    situation: str = "",
    risk_level: str = "",
    summary: str = "",
    ratings: Iterable[Mapping] | Mapping,
) -> Assessment:
    """C3: record an assessment of `subject` (a child, a caregiver, or None for the
    family) with `instrument` on `assessed_on`. Every item that applies is rated exactly
    once, 0 (no need) to 3 (act now); a domain with a minimum age applies only to a
    subject of that age on the day. A reason other than the initial assessment says what
    changed (`situation`). A safety instrument records the risk level; no other does.
    The assessment goes on the case's timeline and may meet a reassessment due (C3).
    C8: a fidelity instrument is refused: it is for quality assurance reviews."""
    if not case_access.can_edit_case(actor, case):
        raise Forbidden()
    case = lock(Case, case.pk)
    if case.is_closed:
        raise DomainError({"case": "A closed case cannot be assessed."})
    staff = staff_for(actor)
    if staff is None:
        raise DomainError({"assessed_by": "Only a staff member records an assessment."})
    errors: dict[str, str] = {}

    fidelity = instrument is not None and instrument.kind == Instrument.Kind.FIDELITY
    usable = (
        not fidelity
        and instrument is not None
        and usable_instruments(case).filter(pk=instrument.pk).exists()
    )
    if fidelity:
        errors["instrument"] = FIDELITY_REFUSED
    elif not usable:
        errors["instrument"] = "Choose an active instrument of this agency."

    if assessed_on is None:
        errors["assessed_on"] = "Give the day of the assessment."
    elif assessed_on > today():
        errors["assessed_on"] = "An assessment cannot be dated in the future."
    elif assessed_on < case.opened_on:
        errors["assessed_on"] = "An assessment cannot be dated before the case opened."

    if reason not in Assessment.Reason.values:
        errors["reason"] = "Choose a reason from the list."
    elif reason != Assessment.Reason.INITIAL and not (situation or "").strip():
        errors["situation"] = "Say what changed in the family's situation."

    if usable:
        if instrument.kind == Instrument.Kind.SAFETY:
            if risk_level not in Assessment.Risk.values:
                errors["risk_level"] = "Give the risk level (low, moderate, high, very high)."
        elif risk_level:
            errors["risk_level"] = "Only a safety and risk assessment records a risk level."
        _check_subject(case, instrument, subject, assessed_on, errors)

    if errors:
        raise DomainError(errors)

    items = list(
        InstrumentItem.objects.filter(domain__instrument=instrument).select_related("domain")
    )
    age = subject.age_on(assessed_on) if subject is not None else None
    given = _ratings_input(ratings)
    problems = rules.rating_problems(
        [rules.ItemRule(i.code, rules.domain_applies(i.domain.min_age, age)) for i in items],
        [(code, score) for code, score, _ in given],
    )
    if problems:
        raise DomainError(problems)

    assessment = Assessment(
        case=case,
        instrument=instrument,
        subject=subject,
        assessed_on=assessed_on,
        assessed_by=staff,
        reason=reason,
        situation=(situation or "").strip(),
        risk_level=risk_level or "",
        summary=(summary or "").strip(),
        recorded_by=actor,
    )
    validated_save(assessment, actor=actor)
    by_code = {i.code: i for i in items}
    Rating.objects.bulk_create(
        [
            Rating(assessment=assessment, item=by_code[code], score=score, note=note.strip())
            for code, score, note in given
        ]
    )
    events.assessment_recorded(assessment, actor=actor)
    return assessment


def _check_subject(case, instrument, subject, assessed_on, errors) -> None:
    if instrument.subject == Instrument.Subject.FAMILY:
        if subject is not None:
            errors["subject"] = "A family assessment has no single subject."
        return
    if subject is None:
        errors["subject"] = (
            "Choose the child assessed."
            if instrument.subject == Instrument.Subject.CHILD
            else "Choose the parent or caregiver assessed."
        )
        return
    on = assessed_on if isinstance(assessed_on, date) else None
    if not subject_members(case, instrument.subject, on).filter(person=subject).exists():
        errors["subject"] = (
            "The subject must be a child in the case on the day of the assessment."
            if instrument.subject == Instrument.Subject.CHILD
            else "The subject must be a parent or caregiver in the case on the day of the "
            "assessment."
        )


# Instruments ------------------------------------------------------------------------------


@transaction.atomic
def instrument_create(
    *,
    actor,
    code: str,
    name: str,
    subject: str,
    kind: str,
    description: str = "",
    domains: list[Mapping],
) -> Instrument:
    """C3: configure an instrument: the administrator makes one shared by every agency,
    a program director one of their agency (capability instrument.manage). Codes are
    unique (the instrument's among the ones its agencies see, each domain's and each
    item's within the instrument); there is at least one domain, each with items.
    C8: a fidelity instrument rates the case's practice, and only it does."""
    staff = staff_for(actor)
    if not can(staff, "instrument.manage"):
        raise Forbidden()
    agency = None if can(staff, "agency.manage_all") else staff.agency
    errors: dict[str, str] = {}
    code = (code or "").strip()
    if (
        code
        and Instrument.objects.filter(code=code)
        .filter(Q(agency__isnull=True) | Q(agency=agency) if agency else Q())
        .exists()
    ):
        errors["code"] = "An instrument with this code already exists."
    if (kind == Instrument.Kind.FIDELITY) != (subject == Instrument.Subject.CASE):
        errors["subject"] = (
            "C8: a fidelity instrument rates the case's practice; only it does."
            if kind == Instrument.Kind.FIDELITY
            else "Only a fidelity instrument rates the case's practice (C8)."
        )
    if not domains:
        errors["domains"] = "An instrument has at least one domain."
    domain_codes: set[str] = set()
    item_codes: set[str] = set()
    for d_i, d in enumerate(domains or ()):
        d_code = (d.get("code") or "").strip()
        if d_code in domain_codes:
            errors[f"domains.{d_i}.code"] = "Each domain has its own code."
        domain_codes.add(d_code)
        if not d.get("items"):
            errors[f"domains.{d_i}.items"] = "A domain has at least one item."
        for i_i, item in enumerate(d.get("items") or ()):
            i_code = (item.get("code") or "").strip()
            if i_code in item_codes:
                errors[f"domains.{d_i}.items.{i_i}.code"] = (
                    "Each item has its own code in the instrument."
                )
            item_codes.add(i_code)
    if errors:
        raise DomainError(errors)
    instrument = Instrument(
        code=code,
        name=(name or "").strip(),
        subject=subject,
        kind=kind,
        description=(description or "").strip(),
        agency=agency,
    )
    validated_save(instrument, actor=actor)
    for d_i, d in enumerate(domains):
        domain = InstrumentDomain(
            instrument=instrument,
            code=(d.get("code") or "").strip(),
            name=(d.get("name") or "").strip(),
            order=d_i,
            min_age=d.get("min_age"),
        )
        _save_part(domain, actor, f"domains.{d_i}")
        for i_i, item in enumerate(d["items"]):
            _save_part(
                InstrumentItem(
                    domain=domain,
                    code=(item.get("code") or "").strip(),
                    text=(item.get("text") or "").strip(),
                    kind=item.get("kind") or InstrumentItem.Kind.NEED,
                    trauma=bool(item.get("trauma", False)),
                    order=i_i,
                ),
                actor,
                f"domains.{d_i}.items.{i_i}",
            )
    return instrument


def _save_part(record, actor, prefix: str) -> None:
    """Save a domain or item, naming its fields under `prefix` when refused."""
    validated_save(record, actor=actor, prefix=prefix)
