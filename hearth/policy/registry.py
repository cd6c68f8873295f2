"""Which rules of RULES.md the code enforces, and where: pages show it, tests check it.

Each entry: rule ID -> (a short statement, the dotted paths of the functions that enforce it).
Add an entry when a rule gets code; tests/policy/test_registry.py checks that every
listed function exists, that every rule ID cited in hearth/ is a real one, and that each
listed rule is named by at least one test.
"""

RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "A2": (
        "Inside the unit, the supervisor and program director pick the case manager.",
        ("hearth.core.access.can_assign_case",),
    ),
    "A6": (
        "Cases can be reassigned; every assignment keeps who, when, by whom and why.",
        ("hearth.policy.assignment.assignment_problems", "hearth.cases.services.case_assign"),
    ),
    "P1": (
        "A family that returns is served on its current needs: a re-referral opens a new "
        "case linked to the closed one.",
        ("hearth.policy.case_status.transition_problem", "hearth.cases.services.case_create"),
    ),
    "P2": (
        "Placement in the least restrictive setting (relative home, resource family home, "
        "group home, residential center, correctional facility), close to the parents' home; "
        "for an Indian child, the ICWA placement preferences. A departure needs a reason.",
        (
            "hearth.policy.placement.rank_options",
            "hearth.policy.placement.departures",
            "hearth.placements.services.child_place",
        ),
    ),
    "P3": (
        "The child stays in the school of origin unless not in their best interest; a new "
        "school is enrolled at once (a longer gap is flagged); distance to the school counts "
        "in the ranking.",
        (
            "hearth.policy.placement.enrolment_gap_flagged",
            "hearth.placements.services.child_place",
        ),
    ),
    "P4": (
        "Permanency planning starts with reunification unless a reason is recorded.",
        (
            "hearth.policy.placement.initial_goal_problem",
            "hearth.placements.services.child_remove",
        ),
    ),
    "P5": (
        "Out of home with a goal of reunification: contact right after placement, then weekly "
        "visits with parents and siblings; adherence is shown.",
        (
            "hearth.policy.placement.first_contact_due",
            "hearth.policy.placement.visitation_plan_problems",
            "hearth.policy.placement.visit_adherence",
            "hearth.placements.services.visit_plan_create",
        ),
    ),
    "P6": (
        "The visitation plan is made with the resource parents; every participant signs it "
        "and gets a copy (PDF in English and Spanish).",
        (
            "hearth.policy.placement.signed_by_all",
            "hearth.placements.services.visit_plan_sign",
            "hearth.placements.documents.visitation_plan_pdf",
        ),
    ),
    "P7": (
        "The visitation schedule of every child out of home is reviewed at every placement "
        "conference and family team meeting.",
        (
            "hearth.policy.placement.conference_review_problem",
            "hearth.placements.services.visitation_reviews_record",
        ),
    ),
    "V11": (
        "Runaway is a status on the placement record; locate efforts are due each month.",
        (
            "hearth.policy.placement.placement_contact_flags",
            "hearth.placements.services.child_place",
        ),
    ),
    "V12": (
        "An out-of-state (ICPC) placement is flagged; a monthly call to the child or "
        "placement is due.",
        (
            "hearth.policy.placement.placement_contact_flags",
            "hearth.placements.services.child_place",
        ),
    ),
}
