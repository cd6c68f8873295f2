"""O2: court hearings of court-involved cases and the court reports prepared for them.

Plain data in, decisions out: each function returns the problems it finds as
{field: reason} (empty when there are none) or a plain answer, for the services of
hearth.oversight.services.court to enforce. The report's sections are written here from
plain facts (the selectors read them from the record), so the sentences are tested
without a database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

# Hearing types and statuses (hearth.oversight.models.court.Hearing), as plain values.
SCHEDULED, HELD, CONTINUED, CANCELLED = "scheduled", "held", "continued", "cancelled"
FINDINGS = ("", "made", "not_made")  # not addressed, found, not found
# A held hearing that asks for a next one schedules it as a review hearing, unless the
# caller names another type (shelter and adjudication are followed by a disposition).
NEXT_TYPE = {"shelter": "adjudication", "adjudication": "disposition"}
REVIEW = "review"

# The sections of a court report, in the order the court reads them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("family", "The family"),
    ("placements", "Placements and moves"),
    ("contacts", "Contacts in the period"),
    ("visitation", "Family visits"),
    ("plan_progress", "Case plan progress"),
    ("services", "Services"),
    ("assessments", "Assessment results"),
    ("recommendation", "Recommendation"),
)
SECTION_CODES = tuple(code for code, _ in SECTIONS)
RECOMMENDATION_PLACEHOLDER = (
    "[Write the agency's recommendation to the court here: what the child needs, whether "
    "the reasonable efforts made are enough, and what is in the child's best interest.]"
)
DRAFT = "draft"
SECTION_MAX = 20_000


# --- Hearings ------------------------------------------------------------------------------


def hearing_problems(*, court_involved: bool, child_id: int | None, children: Iterable[int]):
    """O2: a hearing is held only for a court-involved case (the child is a ward of the
    state); the child it is about, when one is named, is a child member of the case."""
    problems: dict[str, str] = {}
    if not court_involved:
        problems["case"] = "O2: hearings are recorded only for court-involved cases."
    if child_id is not None and child_id not in set(children):
        problems["child"] = "This person is not a child in this case."
    return problems


def can_change_schedule(status: str) -> dict[str, str]:
    """O2: only a scheduled hearing is moved, continued or cancelled; one held, continued
    or cancelled is the record of what happened."""
    if status != SCHEDULED:
        return {"status": f"This hearing is {status}: only a scheduled hearing changes."}
    return {}


def outcome_problems(
    *,
    status: str,
    scheduled_at: datetime,
    now: datetime,
    outcome: str,
    reasonable_efforts: str,
    best_interest: str,
    next_hearing_at: datetime | None,
) -> dict[str, str]:
    """O2: the outcome, the orders and the findings are recorded once the hearing's time
    has passed (it is then held), once; the reasonable-efforts and best-interest
    findings are each found, not found or not addressed; a next hearing comes after this
    one."""
    problems: dict[str, str] = {}
    if status != SCHEDULED:
        problems["status"] = f"This hearing is {status}: its outcome cannot be recorded now."
    if scheduled_at > now:
        problems["scheduled_at"] = (
            "O2: the outcome is recorded once the hearing has taken place; it is still ahead."
        )
    if not (outcome or "").strip():
        problems["outcome"] = "Record what the court decided."
    if reasonable_efforts not in FINDINGS:
        problems["reasonable_efforts_finding"] = "Choose found, not found or not addressed."
    if best_interest not in FINDINGS:
        problems["best_interest_finding"] = "Choose found, not found or not addressed."
    if next_hearing_at is not None and next_hearing_at <= scheduled_at:
        problems["next_hearing_at"] = "The next hearing comes after this one."
    return problems


def next_hearing_type(held_type: str, asked: str | None = None) -> str:
    """O2: the type of the hearing a held one sets: the one asked for, else the next step
    of the court's process (shelter -> adjudication -> disposition), else a review."""
    return asked or NEXT_TYPE.get(held_type, REVIEW)


def findings_gaps(reasonable_efforts: str, best_interest: str) -> list[str]:
    """O2: what the state's reviewer should know of a held hearing's findings: each of
    reasonable efforts and best interest the court did not find, or did not address."""
    gaps = []
    for label, value in (
        ("reasonable efforts", reasonable_efforts),
        ("best interest", best_interest),
    ):
        if value == "not_made":
            gaps.append(f"The court did not find {label}.")
        elif value == "":
            gaps.append(f"The court did not address {label}.")
    return gaps


# --- Court reports ------------------------------------------------------------------------


def period_problems(start: date | None, end: date | None, today: date) -> dict[str, str]:
    """O2: a court report covers a period that has ended: its end not before its start,
    not in the future."""
    problems: dict[str, str] = {}
    if start is None:
        problems["period_start"] = "Enter the first day of the period."
    if end is None:
        problems["period_end"] = "Enter the last day of the period."
    if problems:
        return problems
    if end < start:
        problems["period_end"] = "The period ends on or after its first day."
    elif end > today:
        problems["period_end"] = "The period cannot end in the future."
    return problems


def report_editable(status: str) -> dict[str, str]:
    """O2: a court report is edited only as a draft; once submitted for the state's review
    (or approved) it changes only when the reviewer returns it."""
    if status != DRAFT:
        return {"status": f"This report is {status}: only a draft is edited."}
    return {}


def sections_problems(sections: Mapping[str, str]) -> dict[str, str]:
    """The sections given are the report's own, each text within the length limit."""
    problems: dict[str, str] = {}
    for code, text in sections.items():
        if code not in SECTION_CODES:
            problems[f"sections.{code}"] = "Not a section of a court report."
        elif not isinstance(text, str):
            problems[f"sections.{code}"] = "Write the section as text."
        elif len(text) > SECTION_MAX:
            problems[f"sections.{code}"] = f"At most {SECTION_MAX} characters."
    return problems


# --- Writing the report from the record ---------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # its label
    in_household: bool


@dataclass(frozen=True)
class PlacementFact:
    child: str
    setting: str  # its label
    where: str
    starts_on: date
    ends_on: date | None
    move_reason: str


@dataclass(frozen=True)
class RemovalFact:
    child: str
    removed_on: date
    exited_on: date | None


@dataclass(frozen=True)
class ContactFact:
    """One person seen or spoken to in one contact (a contact note with several people is
    one fact each)."""

    note: int
    person: str
    method: str  # its label
    on: date


@dataclass(frozen=True)
class VisitFact:
    child: str
    status: str  # held, missed, cancelled
    on: date


@dataclass(frozen=True)
class StepFact:
    goal: str
    step: str
    due_on: date
    state: str  # done, late, open


@dataclass(frozen=True)
class ServiceFact:
    person: str
    service: str
    provider: str
    status: str  # its label
    referred_on: date
    progress: str = ""  # the latest progress report in the period, its label
    reported_on: date | None = None


@dataclass(frozen=True)
class AssessmentFact:
    instrument: str
    subject: str  # "the family" when none
    assessed_on: date
    risk: str  # its label, or ""
    top_needs: tuple[str, ...] = ()


@dataclass
class ReportFacts:
    start: date
    end: date
    members: list[Member] = field(default_factory=list)
    removals: list[RemovalFact] = field(default_factory=list)
    placements: list[PlacementFact] = field(default_factory=list)
    contacts: list[ContactFact] = field(default_factory=list)
    locate_efforts: int = 0
    visits: list[VisitFact] = field(default_factory=list)
    plan_number: int | None = None
    plan_status: str = ""
    steps: list[StepFact] = field(default_factory=list)
    services: list[ServiceFact] = field(default_factory=list)
    assessments: list[AssessmentFact] = field(default_factory=list)


def _d(day: date) -> str:
    return day.strftime("%Y-%m-%d")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _family(f: ReportFacts) -> str:
    if not f.members:
        return "No family members are recorded on the case."
    lines = ["The family on the case:"]
    for m in f.members:
        where = "in the household" if m.in_household else "outside the household"
        lines.append(f"- {m.name}, {m.role.lower()}, {where}.")
    return "\n".join(lines)


def _placements(f: ReportFacts) -> str:
    lines = []
    for r in f.removals:
        text = f"{r.child} was removed from the home on {_d(r.removed_on)}"
        text += f" and left care on {_d(r.exited_on)}." if r.exited_on else " and remains in care."
        lines.append(text)
    if not f.placements:
        lines.append("No placement was in effect during the period.")
    by_child: dict[str, list[PlacementFact]] = {}
    for p in f.placements:
        by_child.setdefault(p.child, []).append(p)
    for child, rows in by_child.items():
        moves = sum(1 for p in rows if f.start <= p.starts_on <= f.end)
        lines.append(
            f"{child}: {_plural(len(rows), 'placement')} in the period, {_plural(moves, 'move')}."
        )
        for p in rows:
            until = f"until {_d(p.ends_on)}" if p.ends_on else "continuing"
            where = f" ({p.where})" if p.where else ""
            text = f"- {p.setting}{where}, from {_d(p.starts_on)}, {until}."
            if p.move_reason and p.starts_on >= f.start:
                text += f" Reason for the move: {p.move_reason}"
            lines.append(text)
    return "\n".join(lines)


def _contacts(f: ReportFacts) -> str:
    if not f.contacts and not f.locate_efforts:
        return "No contact was recorded in the period."
    lines = []
    count = len({c.note for c in f.contacts})
    lines.append(f"{_plural(count, 'contact')} with the family were recorded in the period:")
    by_person: dict[str, dict[str, list[date]]] = {}
    for c in f.contacts:
        by_person.setdefault(c.person, {}).setdefault(c.method, []).append(c.on)
    for person, methods in by_person.items():
        parts = [
            f"{method.lower()}: {len(days)} ({', '.join(_d(d) for d in sorted(days))})"
            for method, days in methods.items()
        ]
        lines.append(f"- {person}: {'; '.join(parts)}.")
    if f.locate_efforts:
        lines.append(f"{_plural(f.locate_efforts, 'locate effort')} to find a family member.")
    return "\n".join(lines)


def _visitation(f: ReportFacts) -> str:
    if not f.visits:
        return "No family visit was recorded in the period."
    lines = []
    by_child: dict[str, list[VisitFact]] = {}
    for v in f.visits:
        by_child.setdefault(v.child, []).append(v)
    for child, rows in by_child.items():
        held = [v for v in rows if v.status == HELD]
        other = [v for v in rows if v.status != HELD]
        text = f"{child}: {_plural(len(held), 'family visit')} held"
        if held:
            text += f" ({', '.join(_d(v.on) for v in sorted(held, key=lambda v: v.on))})"
        if other:
            text += f"; {_plural(len(other), 'visit')} missed or cancelled"
            days = ", ".join(f"{_d(v.on)} {v.status}" for v in sorted(other, key=lambda v: v.on))
            text += f" ({days})"
        lines.append(text + ".")
    return "\n".join(lines)


def _plan_progress(f: ReportFacts) -> str:
    if f.plan_number is None:
        return "The case has no adopted case plan."
    done = sum(1 for s in f.steps if s.state == "done")
    late = [s for s in f.steps if s.state == "late"]
    lines = [
        f"Case plan version {f.plan_number} ({f.plan_status.lower()}): "
        f"{_plural(len(f.steps), 'action step')}, {done} done, {len(late)} late."
    ]
    goals: dict[str, list[StepFact]] = {}
    for s in f.steps:
        goals.setdefault(s.goal, []).append(s)
    for goal, steps in goals.items():
        lines.append(f"Goal: {goal}")
        for s in steps:
            lines.append(f"- {s.step} (by {_d(s.due_on)}): {s.state}.")
    return "\n".join(lines)


def _services(f: ReportFacts) -> str:
    if not f.services:
        return "No service referral was open during the period."
    lines = []
    for s in f.services:
        text = (
            f"- {s.service} with {s.provider} for {s.person}, referred {_d(s.referred_on)}: "
            f"{s.status.lower()}."
        )
        if s.reported_on:
            text += f" The provider reported on {_d(s.reported_on)}: {s.progress.lower()}."
        lines.append(text)
    return "\n".join(lines)


def _assessments(f: ReportFacts) -> str:
    if not f.assessments:
        return "No assessment is recorded on the case."
    lines = []
    for a in f.assessments:
        text = f"- {a.instrument}, {a.subject}, {_d(a.assessed_on)}"
        if a.risk:
            text += f": risk {a.risk.lower()}"
        text += "."
        if a.top_needs:
            text += f" Needs to act on: {'; '.join(a.top_needs)}."
        lines.append(text)
    return "\n".join(lines)


def report_sections(facts: ReportFacts) -> dict[str, str]:
    """O2: the court report's sections, written in plain sentences from the record of the
    period; the recommendation is left for the worker to write."""
    return {
        "family": _family(facts),
        "placements": _placements(facts),
        "contacts": _contacts(facts),
        "visitation": _visitation(facts),
        "plan_progress": _plan_progress(facts),
        "services": _services(facts),
        "assessments": _assessments(facts),
        "recommendation": RECOMMENDATION_PLACEHOLDER,
    }
