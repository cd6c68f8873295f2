"""Referral and routing powers (A1, A2): who records referrals, works the intake queue,
sees the ranked recommendations for a case and sends a referral to another unit. The
roles come from the one permission map (`hearth.staff.permissions`); case scoping is
`hearth.cases.access`."""

from hearth.cases.access import can_assign_case
from hearth.staff.access import staff_for
from hearth.staff.permissions import can


def can_record_referrals(user) -> bool:
    """Intake: the intake coordinator and the program director record referrals."""
    return can(staff_for(user), "referral.record")


def can_work_queue(user) -> bool:
    """The intake queue: the program director, the intake coordinator and a supervisor."""
    return can(staff_for(user), "referral.queue")


def assigns_referrals(user) -> bool:
    """A2: the supervisor and the program director open a referral to assign it."""
    staff = staff_for(user)
    return can(staff, "case.assign_agency") or can(staff, "case.assign_unit")


def can_see_recommendations(user, case) -> bool:
    """A2: those who may assign the case, and the intake coordinator or program director
    of its agency."""
    if can_assign_case(user, case):
        return True
    staff = staff_for(user)
    return (
        staff is not None
        and staff.agency_id == case.agency_id
        and can(staff, "referral.see_recommendations")
    )


def can_route(user, case) -> bool:
    """A1: a program director may send a referral to another unit than the rules chose."""
    staff = staff_for(user)
    return staff is not None and staff.agency_id == case.agency_id and can(staff, "referral.route")
