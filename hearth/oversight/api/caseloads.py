"""Oversight endpoints of the caseloads area (O4): the specialists and their loads, a
specialist's families, the ranking of the specialists for a case, assigning, ending and
reassigning oversight, a case's oversight and QA grants, QA grants by hand.

Thin: each endpoint checks access (the case's scope, then oversight.assign: the state
oversight supervisor) and the input's shape, and calls one service in
hearth.oversight.services.caseloads, which checks the rules. A refusal is a 4xx naming
the field; nothing is stored. Reads log what they disclose."""

from datetime import date, datetime

from ninja import Field, Schema, Status

from hearth.cases import access as case_access
from hearth.cases.models import CaseAccessGrant
from hearth.core import audit
from hearth.core.api_common import CaseRef, InputSchema, LongText, NamedRef, by_id, log_api_view
from hearth.oversight import access
from hearth.oversight.api.router import router
from hearth.oversight.selectors import caseloads as selectors
from hearth.oversight.services import caseloads as services
from hearth.policy import oversight_caseloads as rules
from hearth.staff import access as staff_access
from hearth.staff.models import StaffMember

MAX_CASES = 500


def _named(staff) -> dict | None:
    return {"id": staff.pk, "name": staff.full_name} if staff else None


# --- Schemas ---------------------------------------------------------------------------


class SpecialistLoadOut(Schema):
    specialist: NamedRef
    status: str
    region: str = Field(..., description="Their office county's region; empty when none")
    families: int = Field(..., description="Open cases they hold a current oversight grant on")
    capacity: int = Field(..., description="O4: the oversight_caseload setting")
    load_percent: int
    over_capacity: bool = Field(..., description="More families than the setting")
    explanation: str = Field(..., description='"42 of 80 families (53% full)"')


class FamilyOut(Schema):
    case: CaseRef
    family_name: str
    county: str
    court_involved: bool
    status: str
    granted_on: date | None
    next_hearing_at: datetime | None


class SpecialistFamiliesOut(Schema):
    specialist: SpecialistLoadOut
    families: list[FamilyOut]


class RankFactorOut(Schema):
    code: str = Field(..., description="load or region")
    name: str
    text: str


class SpecialistRankOut(Schema):
    specialist: NamedRef
    rank: int
    families: int
    capacity: int
    load_percent: int
    region: str
    same_region: bool
    over_capacity: bool = Field(..., description="Taking this family puts them past O4's setting")
    explanation: str
    factors: list[RankFactorOut]


class RankingOut(Schema):
    case: CaseRef
    scope: str = Field(..., description="region, or statewide (see note)")
    note: str = Field(..., description="Why the ranking is statewide; empty otherwise")
    capacity: int
    current: NamedRef | None = Field(..., description="Who oversees the case now (not ranked)")
    top: int | None = Field(..., description="O4: the recommended specialist's id, if any")
    specialists: list[SpecialistRankOut]


class GrantOut(Schema):
    id: int
    case: int = Field(..., alias="case_id")
    staff: NamedRef
    purpose: str
    starts_on: date
    ends_on: date | None
    granted_by: NamedRef | None = Field(..., description="null: routed by the system (O4)")
    reason: str
    override_reason: str
    end_reason: str
    ranking: list[dict] = Field(..., description="O4: the ranking the grant was chosen from")
    version: int

    @staticmethod
    def resolve_staff(obj):
        return _named(obj.staff)

    @staticmethod
    def resolve_granted_by(obj):
        return _named(obj.granted_by)


class AssignIn(InputSchema):
    specialist: int = Field(..., description="A state oversight specialist's staff id")
    reason: LongText = ""
    override_reason: LongText = Field(
        "", description="O4: why, when the specialist is not the top-ranked"
    )


class GrantEndIn(InputSchema):
    reason: LongText = Field(..., min_length=1)


class ReassignFamiliesIn(InputSchema):
    to_specialist: int | None = Field(
        None, description="null: route each family to the top-ranked specialist of its region"
    )
    cases: list[int] | None = Field(
        None, max_length=MAX_CASES, description="Only these families (default: all)"
    )
    reason: LongText = Field(..., min_length=1)
    override_reason: LongText = Field(
        "", description="O4: why, when a family's top-ranked specialist is someone else"
    )


class QaGrantIn(InputSchema):
    reviewer: int = Field(..., description="A QA reviewer's staff id")
    reason: LongText = ""


# --- Helpers ---------------------------------------------------------------------------


def _load_out(staff: StaffMember, capacity: int) -> dict:
    region = staff.office_county.region if staff.office_county else None
    return {
        "specialist": _named(staff),
        "status": staff.status,
        "region": region.name if region else "",
        "families": staff.families,
        "capacity": capacity,
        "load_percent": round(100 * staff.families / capacity) if capacity else 100,
        "over_capacity": staff.families > capacity,
        "explanation": rules.families_text(staff.families, capacity),
    }


def _rank_out(r: rules.SpecialistRank) -> dict:
    return {
        "specialist": {"id": r.specialist.id, "name": r.specialist.name},
        "rank": r.rank,
        "families": r.specialist.families,
        "capacity": r.capacity,
        "load_percent": r.load_percent,
        "region": r.specialist.region_name,
        "same_region": r.same_region,
        "over_capacity": r.over_capacity,
        "explanation": r.explanation,
        "factors": [{"code": f.code, "name": f.name, "text": f.text} for f in r.factors],
    }


def _supervising(request) -> StaffMember:
    access.require_assign_oversight(request.user)
    return staff_access.staff_for(request.user)


def _specialist_in(request, pk: int, field: str) -> StaffMember:
    found = by_id(selectors.specialists(), pk, field, "state oversight specialist")
    return found


def _grant(pk: int) -> CaseAccessGrant:
    return CaseAccessGrant.objects.select_related("staff", "granted_by").get(pk=pk)


# --- Specialists and their loads -------------------------------------------------------


@router.get(
    "/oversight/specialists",
    response=list[SpecialistLoadOut],
    summary="The state oversight specialists and their loads against the setting (O4)",
)
def list_specialists(request):
    """For the state oversight supervisor: each specialist (not departed) with the
    families they carry against `oversight_caseload` (one aggregate query)."""
    access.require_assign_oversight(request.user)
    capacity = selectors.capacity()
    return [_load_out(s, capacity) for s in selectors.specialists()]


@router.get(
    "/oversight/specialists/{int:staff_id}/families",
    response=SpecialistFamiliesOut,
    summary="The families a specialist carries, with the next hearing (O4)",
)
def specialist_families(request, staff_id: int):
    """The supervisor reads any specialist's; a specialist reads their own."""
    specialist = access.access_specialist(request.user, staff_id)
    rows = list(selectors.families(specialist))
    audit.log_access(request, audit.LIST, rows)
    return {
        "specialist": _load_out(specialist, selectors.capacity()),
        "families": [
            {
                "case": c,
                "family_name": selectors.family_name(c),
                "county": c.county.name,
                "court_involved": c.court_involved,
                "status": c.status,
                "granted_on": c.granted_on,
                "next_hearing_at": c.next_hearing_at,
            }
            for c in rows
        ],
    }


@router.post(
    "/oversight/specialists/{int:staff_id}/reassign",
    response=list[GrantOut],
    summary="Reassign a specialist's families to one specialist, or route each (O4)",
)
def reassign_families(request, staff_id: int, payload: ReassignFamiliesIn):
    """Like the contractor's reassignment: each move ends the old grant and keeps the
    ranking on the new one; a chosen specialist who is not a family's top-ranked needs
    `override_reason`."""
    supervisor = _supervising(request)
    from_specialist = access.access_specialist(request.user, staff_id)
    to = None
    if payload.to_specialist is not None:
        to = _specialist_in(request, payload.to_specialist, "to_specialist")
    grants = services.reassign_specialist_families(
        actor=request.user,
        assigned_by=supervisor,
        from_specialist=from_specialist,
        to_specialist=to,
        reason=payload.reason,
        override_reason=payload.override_reason,
        case_ids=payload.cases,
    )
    return [_grant(g.pk) for g in grants]


# --- A case's oversight ----------------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/oversight/ranking",
    response=RankingOut,
    summary="The specialists ranked for a case, each explained (O4)",
)
def case_ranking(request, case_id: int):
    """Lightest load in the case's region first; statewide when the region has no active
    specialist (`note` says so). The specialist overseeing it now is not ranked."""
    case = case_access.access_case(request.user, case_id)
    access.require_assign_oversight(request.user)
    ranking = selectors.ranking_for(case)
    current = selectors.current_oversight(case)
    log_api_view(request, case, case=case)
    return {
        "case": case,
        "scope": ranking.scope,
        "note": ranking.note,
        "capacity": ranking.capacity,
        "current": _named(current.staff) if current else None,
        "top": ranking.top.specialist.id if ranking.top else None,
        "specialists": [_rank_out(r) for r in ranking.ranked],
    }


@router.post(
    "/cases/{int:case_id}/oversight",
    response={201: GrantOut},
    summary="Give a case's oversight to a specialist; the current grant ends (O4)",
)
def assign_oversight(request, case_id: int, payload: AssignIn):
    case = case_access.access_case(request.user, case_id)
    supervisor = _supervising(request)
    specialist = _specialist_in(request, payload.specialist, "specialist")
    grant = services.oversight_assign(
        actor=request.user,
        assigned_by=supervisor,
        case=case,
        specialist=specialist,
        reason=payload.reason,
        override_reason=payload.override_reason,
    )
    return Status(201, _grant(grant.pk))


@router.get(
    "/cases/{int:case_id}/grants",
    response=list[GrantOut],
    summary="A case's oversight and QA grants, current and past (O3, O4)",
)
def case_grants(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    access.require_assign_oversight(request.user)
    grants = list(selectors.case_grants(case))
    audit.log_access(request, audit.LIST, grants, case=case)
    return grants


@router.post(
    "/cases/{int:case_id}/qa-grants",
    response={201: GrantOut},
    summary="Put a case in a QA reviewer's sample by hand (O3)",
)
def grant_qa(request, case_id: int, payload: QaGrantIn):
    """Only a case the supervisor sees (no one grants more than they may read), only to
    a QA reviewer."""
    case = case_access.access_case(request.user, case_id)
    supervisor = _supervising(request)
    reviewer = by_id(
        staff_access.visible_staff(request.user).filter(roles__role__in=selectors.QA_ROLES),
        payload.reviewer,
        "reviewer",
        "QA reviewer",
    )
    grant = services.qa_grant(
        actor=request.user,
        granted_by=supervisor,
        case=case,
        reviewer=reviewer,
        reason=payload.reason,
    )
    return Status(201, _grant(grant.pk))


# --- Grants ----------------------------------------------------------------------------


@router.get(
    "/oversight/grants/{int:grant_id}",
    response=GrantOut,
    summary="Read an oversight or QA grant, with the ranking it was chosen from (O4)",
)
def get_grant(request, grant_id: int):
    grant = access.access_grant(request.user, grant_id)
    log_api_view(request, grant, case=grant.case)
    return grant


@router.post(
    "/oversight/grants/{int:grant_id}/end",
    response=GrantOut,
    summary="End an oversight or QA grant, with a reason (O3, O4)",
)
def end_grant(request, grant_id: int, payload: GrantEndIn):
    grant = access.access_grant(request.user, grant_id)
    supervisor = _supervising(request)
    services.oversight_end(
        actor=request.user, ended_by=supervisor, grant=grant, reason=payload.reason
    )
    return _grant(grant.pk)
