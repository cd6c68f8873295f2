"""Intake and assignment endpoints, one module per resource: referrals and the intake
queue (`referrals`), what a referral reports (`report`), routing to a unit
(`routing`: A1, A3, A4), the ranked
recommendations for a case (`recommendations`: A2, A3, A5, A7), a unit's balance
(`balance`) and a worker's reassignment proposal and its confirmation (`reassignment`: A6).

Thin by design: each endpoint checks access (hearth.cases.access, hearth.intake.access)
and the shape of the input, resolves every id among the records the caller may see (an id
outside that scope is a 422 naming the field, never a hint that it exists), then calls one
selector or service of hearth.intake, which applies the rules of hearth.policy.assignment.
Operation ids stay `hearth_intake_api_<function>` (hearth.api.openapi.HearthAPI).
"""

from ninja import Router

from hearth.intake.api import (
    balance,
    reassignment,
    recommendations,
    referrals,
    report,
    routing,
)

router = Router(tags=["intake"])
for module in (referrals, report, routing, recommendations, balance, reassignment):
    router.add_router("", module.router)
