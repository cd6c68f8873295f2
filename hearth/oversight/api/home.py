"""The state oversight home (issue 13) in the API: the reviews due to the viewer, the
hearings of their cases this week and the families they carry (O4), each section read by
one function of hearth.oversight.selectors.home."""

from datetime import date, datetime

from ninja import Field, Schema

from hearth.core import audit
from hearth.core.api_common import CaseRef
from hearth.core.errors import Forbidden
from hearth.oversight.api.router import router
from hearth.oversight.selectors import home
from hearth.staff import access as staff_access


class ReviewDueOut(Schema):
    id: int
    case: CaseRef
    kind: str
    status: str
    due_on: date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj):
        return bool(getattr(obj, "overdue", False))


class HearingThisWeekOut(Schema):
    id: int
    case: CaseRef
    type: str
    scheduled_at: datetime
    court: str


class HomeFamilyOut(Schema):
    case: CaseRef
    family_name: str
    county: str
    court_involved: bool
    status: str
    next_hearing_at: datetime | None


class OversightHomeOut(Schema):
    reviews_due: list[ReviewDueOut] = Field(..., description="O1, O2: by due date")
    hearings_this_week: list[HearingThisWeekOut] = Field(..., description="O2: Monday to Sunday")
    families: list[HomeFamilyOut] = Field(..., description="O4: the families the viewer carries")


def _family_out(case) -> dict:
    return {
        "case": case,
        "family_name": case.family_name,
        "county": case.county.name,
        "court_involved": case.court_involved,
        "status": case.status,
        "next_hearing_at": case.next_hearing_at,
    }


@router.get(
    "/oversight/home",
    response=OversightHomeOut,
    summary="The state oversight home: reviews due, hearings this week, families (O1-O4)",
)
def oversight_home(request):
    """For the state oversight specialist and supervisor (case.read_oversight_grant)."""
    if not staff_access.viewer_can(request.user, "case.read_oversight_grant"):
        raise Forbidden()
    reviews = home.reviews_due(viewer=request.user)
    hearings = home.hearings_this_week(viewer=request.user)
    families = home.families(viewer=request.user)
    audit.log_access(request, audit.LIST, [*reviews, *hearings, *families])
    return {
        "reviews_due": reviews,
        "hearings_this_week": hearings,
        "families": [_family_out(c) for c in families],
    }
