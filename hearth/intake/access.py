"""Referral and routing powers (A1, A2): who records referrals, works the intake queue and
sends a referral to another unit. The roles come from the one permission map
(`hearth.staff.permissions`); case scoping is `hearth.cases.access`."""

from hearth.staff.access import staff_for
from hearth.staff.permissions import can


def can_record_referrals(user) -> bool:
    """Intake: the intake coordinator and the program director record referrals."""
    return can(staff_for(user), "referral.record")


def can_route(user, case) -> bool:
    """A1: a program director may send a referral to another unit than the rules chose."""
    staff = staff_for(user)
    return staff is not None and staff.agency_id == case.agency_id and can(staff, "referral.route")
