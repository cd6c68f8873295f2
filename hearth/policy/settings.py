"""Jurisdiction policy settings: the numbers in the policies, with the policies' values
as defaults. An agency overrides any of them in one place (its `policy_overrides`).
"""

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class PolicySettings:
    # A5: a new case manager holds at most this many cases ...
    new_worker_case_cap: int = 5
    # ... during this many days after completing pre-service training.
    new_worker_cap_days: int = 30
    # A2(a): a full caseload for an experienced case manager (weighted cases).
    full_caseload: int = 15
    # O4: cases per state oversight worker.
    oversight_caseload: int = 80
    # C1: case plan written within N days of placement, reviewed every M days.
    case_plan_due_days: int = 30
    case_plan_review_days: int = 90
    # C7: tribe collaboration within N days of assignment or opening.
    tribe_contact_days: int = 3
    # V7: an approved exception needs a call or letter at least every N months.
    exception_contact_months: int = 3
    # V2 to V12: a requirement applies in a month when its facts hold on at least this
    # many of the month's days (docs/adr/0005).
    contact_partial_month_days: int = 7
    # P5: weekly family visits; first contact within N days of placement.
    family_visit_interval_days: int = 7
    first_family_contact_days: int = 3
    # P3: a child who changes school is enrolled at once; a longer gap (days) is flagged.
    # The policy says "immediate"; 3 days lets a weekend pass (docs/adr/0004).
    school_enrolment_max_gap_days: int = 3
    # P5: visit adherence is measured over this many recent days.
    visit_adherence_days: int = 28

    def merged(self, overrides: dict[str, Any] | None) -> "PolicySettings":
        """Return these settings with an agency's overrides applied.

        Unknown keys are refused so a misspelt setting is not silently ignored.
        """
        if not overrides:
            return self
        known = {f.name: f.type for f in fields(self)}
        unknown = sorted(set(overrides) - set(known))
        if unknown:
            raise ValueError(f"Unknown policy settings: {', '.join(unknown)}")
        return replace(self, **overrides)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS = PolicySettings()


def validate_overrides(overrides: Any) -> list[str]:
    """Problems with an agency's overrides, in words; empty when they are valid."""
    if overrides in (None, {}):
        return []
    if not isinstance(overrides, dict):
        return ["Policy overrides must be an object of setting names to numbers."]
    problems = []
    known = {f.name for f in fields(PolicySettings)}
    for key, value in overrides.items():
        if key not in known:
            problems.append(f"{key}: not a policy setting")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{key}: must be a whole number, zero or more")
    return problems
