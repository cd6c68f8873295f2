"""Jurisdiction policy settings: the numbers in the policies, with the policies' values
as defaults. An agency overrides any of them in one place (its `policy_overrides`).
"""

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

# A1: the ways an agency may route a referral to a unit.
ROUTING_STRATEGIES = ("caseload", "rotation")
# The case types (hearth.cases.models.Case.Type; tests/policy checks that they agree).
CASE_TYPES = (
    "investigation",
    "in_home_non_court",
    "in_home_dependency",
    "out_of_home",
    "voluntary_in_home",
)


@dataclass(frozen=True)
class PolicySettings:
    # A5: a new case manager holds at most this many cases ...
    new_worker_case_cap: int = 5
    # ... during this many days after completing pre-service training.
    new_worker_cap_days: int = 30
    # A5: after those days the cap rises step by step: (first day after training, cap)
    # pairs, "from day 31 at most 8 cases", ...; the last step reaches the full caseload,
    # from which capacity alone applies. Validated: it rises and leaves no gap.
    new_worker_cap_ramp: tuple[tuple[int, int], ...] = ((31, 8), (61, 11), (91, 13), (121, 15))
    # A2(a): a full caseload for an experienced case manager (weighted cases).
    full_caseload: int = 15
    # A2(a): the weight of a case, in percent, by complexity: low, moderate, high, very high.
    case_weight_percent: tuple[int, int, int, int] = (75, 100, 150, 200)
    # A2(h): above this share of out-of-home cases (percent) a worker's capacity is lowered,
    # linearly, by up to `out_of_home_capacity_reduction` percent when all cases are out of home.
    out_of_home_share_threshold: int = 50
    out_of_home_capacity_reduction: int = 20
    # A1: "caseload" (the unit with the lightest weighted load against its capacity) or
    # "rotation" (the next unit in turn, remembered across referrals).
    unit_routing: str = "caseload"
    # A2: the weight of each factor in a case manager's score (points at a perfect fit).
    weight_caseload: int = 30
    weight_complexity: int = 20
    weight_supervision: int = 10
    weight_skills: int = 15
    weight_family_needs: int = 5
    weight_diversity: int = 10
    weight_distance: int = 10
    weight_out_of_home: int = 10
    # A2(g): at this distance (km) from the family the distance factor scores nothing.
    distance_reference_km: int = 100
    # A2(f): the agency's working language, which every worker is taken to speak.
    working_language: str = "en"
    # O4: families per state oversight specialist.
    oversight_caseload: int = 80
    # O1: the case types whose closure needs the state's approval of a closure
    # recommendation (default: every case under contract).
    closure_review_case_types: tuple[str, ...] = CASE_TYPES
    # O1, O2: 1 when the contractor's supervisor approves a recommendation before it goes
    # to the state, 0 when it goes straight to the state.
    recommendation_supervisor_approval: int = 0
    # O1, O2: the state reviews a recommendation within N business days of its submission.
    recommendation_review_business_days: int = 5
    # O3: cases drawn in a period's QA sample; a review is finalized within N days of the draw.
    qa_sample_size: int = 50
    qa_review_days: int = 30
    # O3, P9: an item whose compliance (percent of yes among yes and no) falls below this
    # opens a corrective action, due N days later.
    qa_item_threshold_percent: int = 80
    corrective_action_days: int = 60
    # C1: case plan written within N days of placement, reviewed every M days.
    case_plan_due_days: int = 30
    case_plan_review_days: int = 90
    # C7: tribe collaboration within N days of assignment or opening.
    tribe_contact_days: int = 3
    # C3: a change in the family's situation (a move, a new household member, a return
    # home) prompts a reassessment within N days.
    reassessment_days: int = 30
    # C5: the first family team meeting within N days of a removal (or of the opening of
    # an in-home case), then one at least every M days while the case is open.
    team_meeting_first_days: int = 30
    team_meeting_interval_days: int = 90
    # C2: a youth of at least this age takes part in the plan and signs it.
    youth_signs_age: int = 14
    # C2, P9: an adopted plan's signatures (parents, youth, worker) are awaited within N
    # days of its adoption (a signature or a recorded decline answers one).
    plan_signature_days: int = 7
    # P9: the daily digest lists what falls due within N days.
    digest_horizon_days: int = 7
    # V7: an approved exception needs a call or letter at least every N months.
    exception_contact_months: int = 3
    # V2 to V12: a requirement applies in a month when its facts hold on at least this
    # many of the month's days (docs/adr/0005).
    contact_partial_month_days: int = 7
    # V1: a household member under this age is an "other child in the home".
    adult_age: int = 18
    # Intake (issue 15): a referral's response priority, immediate, urgent or routine, is
    # answered (the family seen) within this many hours of the report.
    response_immediate_hours: int = 4
    response_urgent_hours: int = 24
    response_routine_hours: int = 72
    # P5: weekly family visits; first contact within N days of placement.
    family_visit_interval_days: int = 7
    first_family_contact_days: int = 3
    # P3: a child who changes school is enrolled at once; a longer gap (days) is flagged.
    # The policy says "immediate"; 3 days lets a weekend pass (docs/adr/0004).
    school_enrolment_max_gap_days: int = 3
    # P5: visit adherence is measured over this many recent days.
    visit_adherence_days: int = 28
    # P2: a shelter is a restrictive, temporary setting; a child in one longer than this
    # many days is flagged on the case manager's home. The policy gives no number: 30 days
    # is the jurisdiction's choice.
    shelter_stay_days: int = 30

    # Resource homes: the placing workers and the home's manager are warned this many
    # days before a home's licence expires (P2: a licensed resource family home).
    licence_warning_days: int = 60

    def merged(self, overrides: dict[str, Any] | None) -> "PolicySettings":
        """Return these settings with an agency's overrides applied.

        Unknown keys are refused so a misspelt setting is not silently ignored.
        """
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"Unknown policy settings: {', '.join(unknown)}")
        # JSON has no tuples: lists of numbers (and of pairs) become tuples again.
        values = {
            key: tuple(tuple(v) if isinstance(v, list) else v for v in value)
            if isinstance(value, list)
            else value
            for key, value in overrides.items()
        }
        return replace(self, **values)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS = PolicySettings()


def validate_overrides(overrides: Any) -> list[str]:
    """Problems with an agency's overrides, in words; empty when they are valid."""
    if overrides in (None, {}):
        return []
    if not isinstance(overrides, dict):
        return ["Policy overrides must be an object of setting names to numbers."]
    return [f"{key}: {problem}" for key, problem in problems_by_setting(overrides).items()]


def problems_by_setting(overrides: dict[str, Any]) -> dict[str, str]:
    """Each setting's problem, in words (the API joins them; the settings page shows each
    by its field); empty when the overrides are valid."""
    problems = {}
    for key, value in overrides.items():
        problem = _problem(key, value)
        if problem:
            problems[key] = problem
    if not problems:
        problem = ramp_problem(DEFAULTS.merged(overrides))
        if problem:
            problems["new_worker_cap_ramp"] = problem
    return problems


def ramp_problem(s: PolicySettings) -> str | None:
    """A5: the ramp from the new-worker cap to a full caseload rises and leaves no gap: its
    first step starts by the day after the first days (day 31), no step falls (below the
    one before, or below the first days' cap), and the last reaches the full caseload."""
    ramp = s.new_worker_cap_ramp
    after_first_days = s.new_worker_cap_days + 1
    if not ramp:
        return (
            f"give at least one step; the last must reach the full caseload "
            f"({s.full_caseload} cases)"
        )
    days = [first for first, _ in ramp]
    caps = [cap for _, cap in ramp]
    if days != sorted(set(days)) or caps != sorted(caps):
        return "days must increase and caps must not fall"
    if caps[0] < s.new_worker_case_cap:
        return (
            f"the first step ({caps[0]} cases) falls below the {s.new_worker_case_cap} cases of "
            f"the first {s.new_worker_cap_days} days; caps must not fall"
        )
    if days[0] > after_first_days:
        return (
            f"the first step starts on day {days[0]}, leaving a gap after the first "
            f"{s.new_worker_cap_days} days: it must start on day {after_first_days} or earlier"
        )
    if caps[-1] < s.full_caseload:
        return (
            f"the last step ({caps[-1]} cases from day {days[-1]}) must reach the full "
            f"caseload ({s.full_caseload} cases)"
        )
    return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _problem(key: str, value: Any) -> str | None:
    known = {f.name for f in fields(PolicySettings)}
    if key not in known:
        return "not a policy setting"
    if key == "unit_routing":
        if value not in ROUTING_STRATEGIES:
            return f"must be one of {', '.join(ROUTING_STRATEGIES)}"
    elif key == "working_language":
        if not isinstance(value, str) or not value.strip():
            return "must be a language code"
    elif key == "case_weight_percent":
        if not (isinstance(value, list | tuple) and len(value) == 4 and all(map(_whole, value))):
            return "must be four whole numbers: low, moderate, high, very high"
    elif key == "closure_review_case_types":
        if not (isinstance(value, list | tuple) and set(value) <= set(CASE_TYPES)):
            return f"must be a list of case types, of {', '.join(CASE_TYPES)}"
    elif key == "new_worker_cap_ramp":
        pairs = value if isinstance(value, list | tuple) else None
        if pairs is None or not all(
            isinstance(p, list | tuple) and len(p) == 2 and all(map(_whole, p)) for p in pairs
        ):
            return "must be a list of [first day after training, case cap] pairs"
    elif not _whole(value):
        return "must be a whole number, zero or more"
    elif key == "recommendation_supervisor_approval" and value > 1:
        return "must be 0 (straight to the state) or 1 (the supervisor approves first)"
    elif (
        key
        in {
            "out_of_home_share_threshold",
            "out_of_home_capacity_reduction",
            "qa_item_threshold_percent",
        }
        and value > 100
    ):
        return "must be a percentage, 0 to 100"
    return None
