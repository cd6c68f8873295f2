"""Which rules of RULES.md the code enforces, and where: pages show it, tests check it.

Each entry: rule ID -> (a short statement, the dotted paths of the functions that enforce it).
Add an entry when a rule gets code; tests/policy/test_registry.py checks that every
listed function exists, that every rule ID cited in hearth/ is a real one, and that each
listed rule is named by at least one test.
"""

RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "A1": (
        "A referral goes first to a case management unit, by current caseload sizes or by "
        "rotation (the agency's policy setting).",
        ("hearth.policy.assignment.routing.route", "hearth.intake.services.referral_route"),
    ),
    "A2": (
        "Inside the unit, the supervisor and program director pick the case manager; the "
        "system ranks the eligible ones and explains each rank by factors (a) to (h).",
        (
            "hearth.cases.access.can_assign_case",
            "hearth.policy.assignment.ranking.rank_workers",
            "hearth.intake.selectors.recommend",
        ),
    ),
    "A3": (
        "A re-opened case goes back to its previous case manager where possible, else to "
        "another case manager of the same unit.",
        (
            "hearth.policy.assignment.routing.route",
            "hearth.policy.assignment.ranking.rank_workers",
            "hearth.intake.selectors.routing_facts",
        ),
    ),
    "A4": (
        "Out-of-county and ICPC cases go to the Case Management Support unit.",
        ("hearth.policy.assignment.routing.route",),
    ),
    "A5": (
        "A new case manager holds at most 5 cases in the 30 days after pre-service training, "
        "then the cap rises step by step to a full caseload; a hard limit no one overrides.",
        (
            "hearth.policy.assignment.limits.new_worker_cap",
            "hearth.policy.assignment.limits.hard_limits",
            "hearth.intake.services.case_assign",
        ),
    ),
    "A6": (
        "Cases can be reassigned; every assignment keeps who, when, by whom and why.",
        (
            "hearth.policy.assignment.distribution.assignment_problems",
            "hearth.policy.assignment.distribution.propose_distribution",
            "hearth.intake.services.case_assign",
            "hearth.intake.services.worker_cases_reassign",
        ),
    ),
    "A7": (
        "The system recommends; a person decides. An override of the top recommendation "
        "records its reason.",
        (
            "hearth.policy.assignment.ranking.top_recommendation",
            "hearth.intake.services.case_assign",
            "hearth.intake.services.worker_cases_reassign",
        ),
    ),
    "P1": (
        "A family that returns is served on its current needs: a re-referral re-opens the "
        "closed case (a new case linked to it), or opens a new case with a reason.",
        (
            "hearth.policy.case_status.transition_problem",
            "hearth.cases.services.case_create",
            "hearth.intake.services.referral_create",
        ),
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
            "hearth.visitation.services.visit_plan_create",
        ),
    ),
    "P6": (
        "The visitation plan is made with the resource parents; every participant signs it "
        "and gets a copy (PDF in English and Spanish).",
        (
            "hearth.policy.placement.signed_by_all",
            "hearth.visitation.services.visit_plan_sign",
            "hearth.visitation.documents.visitation_plan_pdf",
        ),
    ),
    "P7": (
        "The visitation schedule of every child out of home is reviewed at every placement "
        "conference and family team meeting.",
        (
            "hearth.policy.placement.conference_review_problem",
            "hearth.visitation.services.visitation_reviews_record",
        ),
    ),
    "V11": (
        "Runaway is a status on the placement record; locate efforts are due each month.",
        (
            "hearth.policy.placement.placement_contact_flags",
            "hearth.placements.services.child_place",
            "hearth.policy.contacts.requirements",
        ),
    ),
    "V12": (
        "An out-of-state (ICPC) placement is flagged; a monthly call to the child or "
        "placement is due, in place of V2's visit.",
        (
            "hearth.policy.placement.placement_contact_flags",
            "hearth.placements.services.child_place",
            "hearth.policy.contacts.requirements",
        ),
    ),
    "V1": (
        "During an investigation every alleged victim, sibling and other child in the "
        "home is interviewed and the home is visited at least once.",
        ("hearth.policy.contacts.requirements", "hearth.contacts.selectors.case_facts"),
    ),
    "V2": (
        "A child in out-of-home care is seen in person every calendar month.",
        ("hearth.policy.contacts.requirements",),
    ),
    "V3": (
        "In-home dependency: the child and parents are seen in person in the home monthly.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.policy.contacts.meets",
        ),
    ),
    "V4": (
        "Voluntary in-home: parents in the household and children in the home are seen in "
        "person monthly.",
        ("hearth.policy.contacts.requirements",),
    ),
    "V5": (
        "Goal reunification or remain with family: every parent, alleged and living "
        "elsewhere included, is seen in person monthly.",
        ("hearth.policy.contacts.requirements",),
    ),
    "V6": (
        "Another goal: the supervisor and worker set a contact plan for parents with "
        "rights and known whereabouts.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.contacts.services.parent_contact_plan_set",
        ),
    ),
    "V7": (
        "An approved exception replaces the monthly visit by a call or letter at least "
        "every three months; while it is in force nothing else is owed.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.contacts.services.contact_exception_approve",
        ),
    ),
    "V8": (
        "A parent in prison or far away: calls and letters; whereabouts unknown: locate "
        "efforts; they are the visit's documented reason, not the visit.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.policy.contacts.reason_for",
            "hearth.contacts.services.contact_note_create",
        ),
    ),
    "V9": (
        "An attempt is never recorded or counted as a visit.",
        (
            "hearth.policy.contacts.meets",
            "hearth.contacts.services.contact_note_create",
        ),
    ),
    "V10": (
        "One note serves every requirement it meets: compliance reads whom and how, not "
        "note types.",
        (
            "hearth.policy.contacts.meets",
            "hearth.contacts.obligations.contact_obligations",
        ),
    ),
    "V13": (
        "The dashboard shows who has not been seen this month and the documented reason.",
        (
            "hearth.policy.contacts.evaluate",
            "hearth.policy.contacts.reason_for",
            "hearth.obligations.selectors.dashboard",
            "hearth.contacts.views.my_contacts",
        ),
    ),
    "F1": (
        "Monthly caseworker visits: full months in care visited in person (95%), visits "
        "in the residence (50%).",
        ("hearth.reports.federal.f1",),
    ),
}
