"""The case managers ranked for a case, each factor explained (A2, A3, A5, A7)."""

from typing import Literal

from ninja import Field, Query, Router, Schema

from hearth.cases import access as case_access
from hearth.core.api_common import CaseRef, NamedRef, by_id, log_api_view
from hearth.core.errors import DomainError, Forbidden
from hearth.intake import access as intake_access
from hearth.intake import selectors
from hearth.intake.api.common import LimitOut, limits_out, unit_ref
from hearth.policy import assignment as rules
from hearth.staff import access as staff_access

router = Router()


# --- Schemas: recommendations ----------------------------------------------------------


class FactorOut(Schema):
    code: str = Field(..., description="a .. h as listed in A2; A3 for the previous worker")
    name: str
    points: float
    of: int
    text: str


class RecommendationOut(Schema):
    worker: NamedRef
    unit: int | None
    rank: int
    score: float
    eligible: bool
    overridable: bool = Field(
        ..., description="A2: every limit is capacity, which a program director may lift"
    )
    previous_worker: bool = Field(..., description="A3: this family's previous case manager")
    open_cases: int
    weighted_load: float
    capacity: float
    cap: str = Field(..., description="A5: the new-worker cap, in words, when one applies")
    limits: list[LimitOut]
    factors: list[FactorOut]


class RecommendationsOut(Schema):
    case: CaseRef
    unit: NamedRef | None = Field(..., description="The unit ranked; null across the agency")
    scope: str
    weight: float = Field(..., description="A2(a): how much this case counts in a caseload")
    top: int | None = Field(..., description="A7: the recommended worker's id, if any")
    workers: list[RecommendationOut]


# --- Recommendations (A2, A3, A5, A7) --------------------------------------------------


def _recommendation_out(rec: rules.Recommendation) -> dict:
    w = rec.worker
    return {
        "worker": {"id": w.id, "name": w.name},
        "unit": w.unit_id,
        "rank": rec.rank,
        "score": rec.score,
        "eligible": rec.eligible,
        "overridable": rec.overridable,
        "previous_worker": rec.previous_worker,
        "open_cases": w.open_cases,
        "weighted_load": w.weighted_load,
        "capacity": rec.capacity,
        "cap": rec.cap,
        "limits": limits_out(rec.limits),
        "factors": [
            {"code": f.code, "name": f.name, "points": f.points, "of": f.of, "text": f.text}
            for f in rec.factors
        ],
    }


@router.get(
    "/cases/{int:case_id}/recommendations",
    response=RecommendationsOut,
    summary="The case managers ranked for a case, each factor explained (A2, A3, A5, A7)",
)
def get_recommendations(
    request,
    case_id: int,
    unit: int | None = Query(None, description="Rank this unit's case managers"),
    scope: Literal["unit", "agency"] = Query(
        "unit", description="unit: the case's unit (or `unit`); agency: every unit"
    ),
):
    """Eligible workers first by score, then the ineligible with their limits. `top` is
    the system's recommendation (A7): assigning anyone else needs an override reason."""
    case = case_access.access_case(request.user, case_id)
    if not intake_access.can_see_recommendations(request.user, case):
        raise Forbidden()
    if unit is not None:
        if scope == "agency":
            raise DomainError({"unit": "Choose a unit or scope=agency, not both."})
        by_id(
            staff_access.visible_units(request.user).filter(agency_id=case.agency_id),
            unit,
            "unit",
            "unit",
        )
    found = selectors.recommendations(
        viewer=request.user, case_id=case.pk, unit_id=unit, agency_wide=scope == "agency"
    )
    log_api_view(request, case, case=case)
    return {
        "case": case,
        "unit": unit_ref(found.unit),
        "scope": scope,
        "weight": found.weight,
        "top": found.top.worker.id if found.top else None,
        "workers": [_recommendation_out(r) for r in found.ranked],
    }
