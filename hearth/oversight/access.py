"""Who reads and changes oversight records. A record of a case is read and written through
the case's scope (hearth.cases.access, where O1 keeps a non-court case's content from the
state until its closure is recommended); the capabilities of the permission map
(hearth.staff.permissions: recommendation.*, oversight.assign, hearing.record_state,
qa.*) say who may do what beyond that. One section per area."""

from hearth.planning.access import case_of

__all__ = ["case_of"]


# caseloads ----------------------------------------------------------------------------
# O4: the state oversight supervisor (oversight.assign) routes, grants, ends and balances
# oversight and QA access; a grant is read through its case's scope, by the supervisor
# or the staff member it grants; a specialist reads their own families.


def can_assign_oversight(user) -> bool:
    """O4: the holder of oversight.assign (the state oversight supervisor)."""
    from hearth.staff.access import viewer_can

    return viewer_can(user, "oversight.assign")


def require_assign_oversight(user) -> None:
    from hearth.core.errors import Forbidden

    if not can_assign_oversight(user):
        raise Forbidden()


def access_grant(user, grant_id):
    """An oversight or QA grant, through its case's scope (NotFound when the case is
    unseen or the grant missing); Forbidden unless the viewer assigns oversight or is the
    grant's staff member."""
    from hearth.cases.models import CaseAccessGrant
    from hearth.core.errors import Forbidden, NotFound
    from hearth.oversight.selectors.caseloads import MANUAL_PURPOSES
    from hearth.staff.access import staff_for

    if not _is_id(grant_id):
        raise NotFound()
    grant, _ = case_of(user, CaseAccessGrant, int(grant_id), related=("staff", "granted_by"))
    if grant.purpose not in MANUAL_PURPOSES:
        raise NotFound()
    staff = staff_for(user)
    if not can_assign_oversight(user) and (staff is None or grant.staff_id != staff.pk):
        raise Forbidden()
    return grant


def _is_id(value) -> bool:
    try:
        return 0 < int(value) < 2**63
    except (TypeError, ValueError):
        return False


def access_specialist(user, staff_id):
    """A state oversight specialist (departed ones too) whose families the viewer reads:
    any of them for the supervisor, only themself for a specialist; NotFound otherwise."""
    from hearth.core.errors import NotFound
    from hearth.oversight.selectors.caseloads import specialists
    from hearth.staff.access import staff_for

    if not _is_id(staff_id):
        raise NotFound()
    viewer = staff_for(user)
    found = specialists(include_departed=True).filter(pk=int(staff_id)).first()
    if found is None or viewer is None:
        raise NotFound()
    if not can_assign_oversight(user) and found.pk != viewer.pk:
        raise NotFound()
    return found


# court ----------------------------------------------------------------------------------


def can_record_hearing(user, case) -> bool:
    """O2: hearings are scheduled and recorded by the case's writers (hearth.cases.access
    editable scope) and by the state staff overseeing the case (hearing.record_state; they
    see the case through their grant, which the caller's access_case has checked)."""
    from hearth.cases import access as case_access
    from hearth.staff.access import viewer_can

    return case_access.can_edit_case(user, case) or viewer_can(user, "hearing.record_state")


def hearing_case(user, case_id, *, for_edit: bool = False):
    """The case for reading its hearings (NotFound when unseen) or, `for_edit`, for
    recording them (Forbidden when seen but not one of can_record_hearing's)."""
    from hearth.cases import access as case_access
    from hearth.core.errors import Forbidden

    case = case_access.access_case(user, case_id)
    if for_edit and not can_record_hearing(user, case):
        raise Forbidden()
    return case


# recommendations ----------------------------------------------------------------------


def can_review_recommendation(user, recommendation) -> bool:
    """O1, O2: the state specialist the recommendation was routed to reviews it (and marks
    it presented to the court); a holder of recommendation.review_any (the state oversight
    supervisor) reviews any it sees."""
    from hearth.staff import access as staff_access
    from hearth.staff.permissions import can

    staff = staff_access.staff_for(user)
    if staff is None or not can(staff, "recommendation.review"):
        return False
    return recommendation.reviewer_id == staff.pk or can(staff, "recommendation.review_any")


def can_approve_recommendation(user, case) -> bool:
    """O1, O2: the contractor's supervisor or program director who may change the case
    approves its recommendation before it goes to the state (when the agency's settings
    say so)."""
    from hearth.cases import access as case_access
    from hearth.staff import access as staff_access

    return staff_access.viewer_can(user, "recommendation.approve_contractor") and (
        case_access.can_edit_case(user, case)
    )
