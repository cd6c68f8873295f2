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
}
