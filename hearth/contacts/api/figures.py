"""A case's contact requirements for a month with their compliance (V1 to V13), the
dashboard figures, who is not seen and why, and "my obligations" (V13)."""

from datetime import date
from typing import Literal

from ninja import Field, Query, Schema
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.contacts import selectors
from hearth.contacts.api.common import MONTH_HELP, month_of, router, staff_or_403
from hearth.core import audit
from hearth.core.api_common import CaseRef, LoggedPages, NamedRef, log_api_view
from hearth.core.services import today
from hearth.obligations import selectors as obligations
from hearth.people.models import Person
from hearth.policy import contacts as rules

# --- Schemas ---------------------------------------------------------------------------


class RequirementOut(Schema):
    rule: str
    person: NamedRef | None = Field(..., description="Null: the family as a whole (V1)")
    need: str
    text: str
    start: date = Field(..., description="Evidence counts from this day ...")
    due: date = Field(..., description="... to this day, inclusive")
    state: Literal["met", "open", "missed", "upcoming"]
    evidence: int | None = Field(None, description="The id of the note that meets it")
    days_left: int
    reason: str = Field(..., description="The documented reason it is not met")
    attempts: list[int] = Field(..., description="Ids of the attempts and locate efforts")


class RequirementsOut(Schema):
    case: int
    month: str
    requirements: list[RequirementOut]


class Counts(Schema):
    total: int
    met: int
    due: int = Field(
        ...,
        description="Not met, still in time (with or without a documented reason)",
    )
    overdue: int = Field(
        ...,
        description="Not met, the due date passed (with or without a documented reason: "
        "overdue = the overdue part of not_seen_with_reason + overdue_unexplained)",
    )
    upcoming: int
    percent: int | None = Field(None, description="The share met, in percent")
    not_seen_with_reason: int = Field(
        ...,
        description="V13: not seen (a visit or interview is needed) and not met, due or "
        "overdue, with a documented reason: on runaway (V11), a parent incarcerated, far "
        "away or not found (V8), an attempt (V9)",
    )
    due_unexplained: int = Field(
        ..., description="Not met, still in time, with no documented reason"
    )
    overdue_unexplained: int = Field(
        ...,
        description="Not met, the due date passed, with no documented reason (a missed "
        "call, letter or locate effort is never explained by the status that asks for it)",
    )


class DashboardRow(Counts):
    key: int | None = Field(None, description="The agency, unit or staff id")
    label: str | None


class DashboardOut(Schema):
    month: str
    group: str
    rows: list[DashboardRow]
    totals: Counts


class ObligationOut(Schema):
    id: int
    source: str
    rule: str
    case: CaseRef
    person: NamedRef | None
    need: str
    description: str
    month: date
    starts_on: date
    due_on: date
    state: str
    met_on: date | None
    evidence_type: str
    evidence_id: int | None
    reason: str
    excused_reason: str
    responsible: int | None = Field(None, alias="responsible_id")
    unit: int | None = Field(None, alias="unit_id")

    @staticmethod
    def resolve_case(obj):
        return {"id": obj.case_id, "case_number": obj.case.case_number}

    @staticmethod
    def resolve_person(obj):
        if obj.person_id is None:
            return None
        return {"id": obj.person_id, "name": obj.person.full_name}


# --- Requirements and compliance -------------------------------------------------------


@router.get(
    "/cases/{int:case_id}/contact-requirements",
    response=RequirementsOut,
    summary="Who must be contacted in a month, how, and whether it is met (V1 to V13)",
)
def contact_requirements(
    request, case_id: int, month: str | None = Query(None, max_length=7, description=MONTH_HELP)
):
    """Computed live from the case's facts and its final notes. One note may meet several
    requirements (V10); an attempt meets none (V9) but is given as the reason."""
    case = case_access.access_case(request.user, case_id)
    first = month_of(month)
    policy = case.agency.policy
    reqs = rules.requirements(
        selectors.case_facts(case),
        first,
        min_days=policy.contact_partial_month_days,
        exception_months=policy.exception_contact_months,
        adult_age=policy.adult_age,
    )
    contacts = (
        selectors.final_contacts(case, min(r.start for r in reqs), max(r.end for r in reqs))
        if reqs
        else []
    )
    names = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in={r.person_id for r in reqs if r.person_id})
    }
    now = today()
    out = []
    for r in reqs:
        o = rules.evaluate(r, contacts, today=now)
        out.append(
            {
                "rule": r.rule,
                "person": (
                    {"id": r.person_id, "name": names.get(r.person_id, "")}
                    if r.person_id is not None
                    else None
                ),
                "need": r.need,
                "text": r.text,
                "start": r.start,
                "due": r.end,
                "state": o.state,
                "evidence": o.evidence,
                "days_left": o.days_left,
                "reason": o.reason,
                "attempts": list(o.attempts),
            }
        )
    log_api_view(request, case, case=case)
    return {"case": case.pk, "month": f"{first:%Y-%m}", "requirements": out}


# --- Dashboard figures and my obligations ----------------------------------------------


@router.get(
    "/contacts/dashboard",
    response=DashboardOut,
    summary="How many contact requirements are met, due and overdue, by group (V13)",
)
def contacts_dashboard(
    request,
    month: str | None = Query(None, max_length=7, description=MONTH_HELP),
    group: Literal["agency", "unit", "worker"] | None = Query(
        None, description="Default: by agency for the state, by unit for directors, else worker"
    ),
    agency: int | None = None,
    unit: int | None = None,
    worker: int | None = Query(None, description="Staff id of the responsible worker"),
):
    """Counts only, no names, over what the caller may report on: the state every
    agency, a director their agency, a supervisor their unit, a case manager their own."""
    staff_or_403(request)
    first = month_of(month)
    group = group or obligations.default_group(request.user)
    filters = {
        k: v for k, v in (("agency", agency), ("unit", unit), ("worker", worker)) if v is not None
    }
    rows = obligations.dashboard(viewer=request.user, month=first, group=group, filters=filters)
    totals = obligations.dashboard_totals(rows)
    return {"month": f"{first:%Y-%m}", "group": group, "rows": rows, "totals": totals}


@router.get(
    "/contacts/unmet",
    response=list[ObligationOut],
    summary="Who is not seen yet in a month, and why, in the cases you may see (V13)",
)
@paginate(LoggedPages)
def contacts_unmet(
    request,
    month: str | None = Query(None, max_length=7, description=MONTH_HELP),
    agency: int | None = None,
    unit: int | None = None,
    worker: int | None = Query(None, description="Staff id of the responsible worker"),
):
    staff_or_403(request)
    first = month_of(month)
    filters = {
        k: v for k, v in (("agency", agency), ("unit", unit), ("worker", worker)) if v is not None
    }
    return obligations.unmet(viewer=request.user, month=first, filters=filters)


@router.get(
    "/obligations/mine",
    response=list[ObligationOut],
    summary="What you are responsible for in a month, most urgent first (V13)",
)
def my_obligations(request, month: str | None = Query(None, max_length=7, description=MONTH_HELP)):
    staff_or_403(request)
    first = month_of(month)
    rows = obligations.my_obligations(viewer=request.user, month=first)
    audit.log_access(request, audit.LIST, rows)
    return rows
