"""Every write to cases, members, assignments and access grants: one function per action."""

from datetime import date

from django.db import transaction
from django.db.models import Max

from hearth.cases import events
from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMember
from hearth.core.errors import DomainError
from hearth.core.services import apply_changes, lock, today, validated_save
from hearth.policy.case_status import transition_problem
from hearth.staff.models import Role, StaffMember
from hearth.staff.permissions import can, roles_with

CASE_EDITABLE = {
    "county",
    "case_type",
    "court_involved",
    "out_of_county",
    "icpc",
    "complexity",
    "substance_abuse",
    "domestic_violence",
    "developmentally_delayed_parent",
    "teenager_in_home",
    "culture",
    "gender_preference",
    "address_line1",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "unit",
}
CASE_CREATE_FIELDS = CASE_EDITABLE | {"opened_on", "prior_case", "case_number"}


def _next_case_number(agency, opened_on: date) -> str:
    prefix = f"{agency.code.upper()}-{opened_on.year}-"
    last = (
        Case.objects.select_for_update()
        .filter(case_number__startswith=prefix)
        .aggregate(m=Max("case_number"))["m"]
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:06d}"


def _check_unit(case: Case) -> None:
    if case.unit_id and case.unit.agency_id != case.agency_id:
        raise DomainError({"unit": "This unit belongs to another agency."})


@transaction.atomic
def case_create(*, actor, agency, languages=(), new_case_reason: str = "", **fields) -> Case:
    """Open a case in status referred. P1: `new_case_reason` says why a new case opens
    though a member's closed case could be re-opened (intake asks for it); it is kept in
    the case's history and its creation event."""
    unknown = sorted(set(fields) - CASE_CREATE_FIELDS)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "Unknown field."))
    opened_on = fields.setdefault("opened_on", today())
    if opened_on and opened_on > today():
        raise DomainError({"opened_on": "A case cannot be opened in the future."})
    prior = fields.get("prior_case")
    if prior is not None:
        if prior.agency_id != agency.id:
            raise DomainError({"prior_case": "The prior case belongs to another agency."})
        if prior.status != Case.Status.CLOSED:
            raise DomainError({"prior_case": "Only a closed case can be re-opened (P1)."})
    if not fields.get("case_number"):
        fields["case_number"] = _next_case_number(agency, opened_on)
    case = Case(agency=agency, status=Case.Status.REFERRED, **fields)
    _check_unit(case)
    new_case_reason = (new_case_reason or "").strip()
    if new_case_reason:
        case._change_reason = new_case_reason
    validated_save(case, actor=actor)
    if languages:
        case.languages.set(languages)
    events.case_created(
        case,
        actor=actor,
        case_number=case.case_number,
        prior_case=prior.pk if prior else None,
        new_case_reason=new_case_reason,
    )
    return case


@transaction.atomic
def case_update(
    *, actor, case: Case, version: int | None = None, languages=None, **changes
) -> Case:
    case = lock(Case, case.pk)
    case.check_version(version)
    if case.is_closed:
        raise DomainError({"status": "A closed case cannot be changed."})
    changed = apply_changes(case, changes, editable=CASE_EDITABLE)
    _check_unit(case)
    if languages is not None:
        old = set(case.languages.values_list("pk", flat=True))
        new = {lang.pk for lang in languages}
        if old != new:
            changed["languages"] = [sorted(old), sorted(new)]
    if not changed:
        return case
    case.bump_version()
    validated_save(case, actor=actor)
    if languages is not None:
        case.languages.set(languages)
    events.case_updated(case, actor=actor, changes=changed)
    return case


@transaction.atomic
def case_change_status(
    *,
    actor,
    case: Case,
    status: str,
    on: date | None = None,
    version: int | None = None,
    closure_approved: bool = False,
    by_recommendation: bool = False,
) -> Case:
    """Move a case through its lifecycle (see hearth.policy.case_status). Closing ends the
    current assignments and memberships on the closing date. Only the oversight services
    pass `closure_approved` (the state approved the closure, O1) and `by_recommendation`
    (a closure recommendation submitted or withdrawn); no page or endpoint does."""
    case = lock(Case, case.pk)
    case.check_version(version)
    review_required = case.case_type in case.agency.policy.closure_review_case_types
    problem = transition_problem(
        case.status,
        status,
        review_required=review_required,
        closure_approved=closure_approved,
        by_recommendation=by_recommendation,
    )
    if problem:
        raise DomainError({"status": problem})
    if status == case.status:
        return case
    on = on or today()
    if on > today():
        raise DomainError({"on": "A status change cannot be dated in the future."})
    if (
        status in {Case.Status.OPEN, Case.Status.ASSIGNED}
        and not case.assignments.filter(ends_on__isnull=True, kind=Assignment.Kind.PRIMARY).exists()
    ):
        raise DomainError({"status": "Assign a primary case manager first."})
    old = case.status
    case.status = status
    if status == Case.Status.CLOSURE_RECOMMENDED and case.closure_recommended_on is None:
        case.closure_recommended_on = on
    if status == Case.Status.CLOSED:
        if on < case.opened_on:
            raise DomainError({"on": "A case cannot close before it opened."})
        # The apps above refuse a closing their facts forbid (a child still in care, O1).
        events.case_closing(case, on=on)
        case.closed_on = on
        for assignment in case.assignments.filter(ends_on__isnull=True):
            assignment_end(assignment, actor=actor, on=on, reason="Case closed")
        for member in case.members.filter(ends_on__isnull=True):
            member.ends_on = max(on, member.starts_on)
            validated_save(member, actor=actor)
    case.bump_version()
    validated_save(case, actor=actor)
    events.case_status_changed(case, actor=actor, old=old, new=status, on=on)
    return case


# Members --------------------------------------------------------------------------------


@transaction.atomic
def case_member_add(
    *,
    actor,
    case: Case,
    person,
    role: str,
    in_household: bool = True,
    starts_on: date | None = None,
) -> CaseMember:
    case = lock(Case, case.pk)
    if case.is_closed:
        raise DomainError({"case": "People cannot be added to a closed case."})
    starts_on = starts_on or today()
    if starts_on > today():
        raise DomainError({"starts_on": "A membership cannot start in the future."})
    if CaseMember.objects.filter(case=case, person=person, ends_on__isnull=True).exists():
        raise DomainError({"person": "This person is already a current member of the case."})
    member = CaseMember(
        case=case, person=person, role=role, in_household=in_household, starts_on=starts_on
    )
    validated_save(member, actor=actor)
    events.member_added(member, actor=actor)
    return member


@transaction.atomic
def case_member_update(
    *, actor, member: CaseMember, version: int | None = None, **changes
) -> CaseMember:
    member = lock(CaseMember, member.pk)
    member.check_version(version)
    if member.ends_on is not None and "ends_on" not in changes:
        raise DomainError({"ends_on": "This membership has ended and cannot be changed."})
    ends_on = changes.get("ends_on")
    if ends_on is not None and ends_on > today():
        raise DomainError({"ends_on": "A membership cannot end in the future."})
    changed = apply_changes(member, changes, editable={"role", "in_household", "ends_on"})
    if not changed:
        return member
    member.bump_version()
    validated_save(member, actor=actor)
    event = events.member_ended if "ends_on" in changed and ends_on else events.member_updated
    event(member, actor=actor, changes=changed)
    return member


# Assignments (A6) -----------------------------------------------------------------------


def assignment_end(assignment: Assignment, *, actor, on: date, reason: str) -> None:
    """End an assignment on `on` (A6: who ended it and why stay in its history); the
    caller holds the case's lock (case_assign in hearth.intake.services, a closure)."""
    assignment.ends_on = max(on, assignment.starts_on)
    assignment.end_reason = reason
    assignment.bump_version()
    validated_save(assignment, actor=actor)
    events.assignment_ended(assignment, actor=actor, reason=reason)


# Access grants (O3, O4) -----------------------------------------------------------------


@transaction.atomic
def case_grant_access(
    *,
    actor,
    granted_by,
    case: Case,
    staff,
    purpose: str,
    starts_on: date | None = None,
    reason: str = "",
    ranking: list | None = None,
    override_reason: str = "",
) -> CaseAccessGrant:
    """Give a state staff member oversight of a case (O4) or put it in their QA sample (O3).
    O4: a routed or assigned oversight grant keeps the `ranking` it was chosen from and,
    when the top-ranked was passed over, the `override_reason`."""
    needed = {
        CaseAccessGrant.Purpose.OVERSIGHT: "case.read_oversight_grant",
        CaseAccessGrant.Purpose.QA_REVIEW: "case.read_qa_grant",
    }.get(purpose)
    if needed is None:
        raise DomainError({"purpose": "Choose oversight or QA review."})
    if not can(staff, needed):
        holders = " or ".join(str(Role(r).label) for r in sorted(roles_with(needed)))
        raise DomainError({"staff": f"This staff member is not a {holders}."})
    if CaseAccessGrant.objects.filter(
        case=case, staff=staff, purpose=purpose, ends_on__isnull=True
    ).exists():
        raise DomainError({"staff": "This staff member already has this access."})
    grant = CaseAccessGrant(
        case=case,
        staff=staff,
        purpose=purpose,
        starts_on=starts_on or today(),
        granted_by=granted_by,
        reason=(reason or "").strip(),
        ranking=ranking or [],
        override_reason=(override_reason or "").strip(),
    )
    if grant.reason:  # the history's change reason holds 100 characters; the grant all
        grant._change_reason = grant.reason[:100]
    validated_save(grant, actor=actor)
    extra = {"reason": grant.reason} if grant.reason else {}
    if grant.override_reason:
        extra["override_reason"] = grant.override_reason
    events.access_granted(case, actor=actor, grant=grant, **extra)
    return grant


@transaction.atomic
def case_end_access(*, actor, grant: CaseAccessGrant, reason: str) -> CaseAccessGrant:
    """End a current oversight or QA grant today (O3, O4), with a reason kept in its
    history and the case's timeline. A named grant ends through case_unname_staff."""
    grant = lock(CaseAccessGrant, grant.pk)
    reason = _reason(reason, "end this access")
    if grant.purpose == CaseAccessGrant.Purpose.NAMED:
        raise DomainError({"grant": "A named grant ends by removing the staff member's name."})
    if grant.ends_on is not None:
        raise DomainError({"grant": "This access has already ended."})
    _end_grant(grant, actor=actor, reason=reason)
    return grant


# Restricted cases (docs/adr/0010-restricted-cases.md) -----------------------------------


def _reason(reason: str | None, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": f"Say why you {what}."})
    return reason


def _end_grant(grant: CaseAccessGrant, *, actor, reason: str) -> None:
    grant.ends_on = max(today(), grant.starts_on)
    grant.end_reason = reason
    grant.bump_version()
    grant._change_reason = reason[:100]  # the history's column; the grant keeps it all
    validated_save(grant, actor=actor)
    events.access_ended(grant, actor=actor, reason=reason)


@transaction.atomic
def case_set_restricted(
    *, actor, case: Case, restricted: bool, reason: str, version: int | None = None
) -> Case:
    """Restrict a case (a staff member's own family, a high-profile case) or lift the
    restriction, with a reason kept in the history and the timeline. Lifting it ends the
    staff named on it, so a later restriction starts from an empty list."""
    case = lock(Case, case.pk)
    case.check_version(version)
    reason = _reason(reason, "restrict the case" if restricted else "lift the restriction")
    if case.restricted == restricted:
        state = "already restricted" if restricted else "not restricted"
        raise DomainError({"restricted": f"The case is {state}."})
    if not restricted:
        named = case.access_grants.select_for_update().filter(
            purpose=CaseAccessGrant.Purpose.NAMED, ends_on__isnull=True
        )
        for grant in named.select_related("case").order_by("pk"):
            _end_grant(grant, actor=actor, reason=f"Restriction lifted: {reason}")
    case.restricted = restricted
    case.bump_version()
    case._change_reason = reason
    validated_save(case, actor=actor)
    events.case_restricted(case, actor=actor, restricted=restricted, reason=reason)
    return case


@transaction.atomic
def case_name_staff(*, actor, named_by, case: Case, staff, reason: str) -> CaseAccessGrant:
    """Name an active staff member of the case's agency on a restricted case: they may
    open it (read-only) while it is restricted."""
    case = lock(Case, case.pk)
    reason = _reason(reason, "name this staff member")
    if not case.restricted:
        raise DomainError({"case": "Only a restricted case has named staff: restrict it first."})
    if staff.agency_id != case.agency_id:
        raise DomainError({"staff": "Named staff must be of the case's agency."})
    if staff.status != StaffMember.Status.ACTIVE:
        raise DomainError({"staff": "Named staff must be active."})
    if case.access_grants.filter(
        staff=staff, purpose=CaseAccessGrant.Purpose.NAMED, ends_on__isnull=True
    ).exists():
        raise DomainError({"staff": "This staff member is already named on the case."})
    grant = CaseAccessGrant(
        case=case,
        staff=staff,
        purpose=CaseAccessGrant.Purpose.NAMED,
        starts_on=today(),
        granted_by=named_by,
        reason=reason,
    )
    grant._change_reason = reason
    validated_save(grant, actor=actor)
    events.access_granted(case, actor=actor, grant=grant, reason=reason)
    return grant


@transaction.atomic
def case_unname_staff(*, actor, case: Case, staff, reason: str) -> CaseAccessGrant:
    """End a staff member's naming on a restricted case, with a reason."""
    reason = _reason(reason, "remove this staff member")
    grant = (
        case.access_grants.select_for_update()
        .select_related("case")
        .filter(staff=staff, purpose=CaseAccessGrant.Purpose.NAMED, ends_on__isnull=True)
        .first()
    )
    if grant is None:
        raise DomainError({"staff": "This staff member is not named on the case."})
    _end_grant(grant, actor=actor, reason=reason)
    return grant
