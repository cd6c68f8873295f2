"""Choosing a placement and keeping the child connected (P2 to P7, V11, V12, ICWA).

Pure functions over plain data: no ORM, no clock. The database layer describes the
child and the options; these functions rank them, say what a choice must justify, and
what a placement, a visitation plan or a conference still lacks.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

# --- Settings and their restrictiveness (P2) ---------------------------------------


class Level(IntEnum):
    """P2: least restrictive first."""

    RELATIVE = 1
    RESOURCE_FAMILY = 2
    GROUP = 3
    RESIDENTIAL = 4
    CORRECTIONAL = 5


LEVEL_LABELS = {
    Level.RELATIVE: "Relative home",
    Level.RESOURCE_FAMILY: "Resource family home",
    Level.GROUP: "Group home",
    Level.RESIDENTIAL: "Residential center",
    Level.CORRECTIONAL: "Correctional facility",
}

# Setting -> P2 level. Settings that are a status rather than a chosen home (trial home
# visit, runaway, whereabouts unknown) have no level and are never ranked.
SETTING_LEVEL = {
    "relative_home": Level.RELATIVE,
    "resource_family_home": Level.RESOURCE_FAMILY,
    "therapeutic_foster_home": Level.RESOURCE_FAMILY,
    "pre_adoptive_home": Level.RESOURCE_FAMILY,
    "supervised_independent_living": Level.GROUP,
    "group_home": Level.GROUP,
    "shelter": Level.GROUP,
    "residential_treatment": Level.RESIDENTIAL,
    "qrtp": Level.RESIDENTIAL,
    "medical_psychiatric": Level.RESIDENTIAL,
    "juvenile_justice": Level.CORRECTIONAL,
}
STATUS_SETTINGS = {"trial_home_visit", "runaway", "whereabouts_unknown"}


def setting_level(setting: str) -> Level | None:
    """P2: the restrictiveness level of a setting, None for a status like runaway."""
    return SETTING_LEVEL.get(setting)


# --- ICWA placement preferences (25 U.S.C. 1915(b)) ----------------------------------


class IcwaCategory(IntEnum):
    EXTENDED_FAMILY = 1
    TRIBE_HOME = 2
    INDIAN_HOME = 3
    TRIBAL_INSTITUTION = 4
    OTHER = 5


ICWA_LABELS = {
    IcwaCategory.EXTENDED_FAMILY: "a member of the child's extended family",
    IcwaCategory.TRIBE_HOME: "a foster home licensed, approved or specified by the child's tribe",
    IcwaCategory.INDIAN_HOME: "an Indian foster home approved by another authority",
    IcwaCategory.TRIBAL_INSTITUTION: "an institution approved by a tribe or run by an Indian "
    "organization",
    IcwaCategory.OTHER: "another placement (outside the ICWA preferences)",
}
DEFAULT_ICWA_ORDER = tuple(IcwaCategory)


def icwa_category(option: "PlacementOption", child_tribes: frozenset[str]) -> IcwaCategory:
    level = setting_level(option.setting)
    if option.relative_of_child:
        return IcwaCategory.EXTENDED_FAMILY
    family_home = level in (Level.RELATIVE, Level.RESOURCE_FAMILY)
    if family_home and option.tribes_approving & child_tribes:
        return IcwaCategory.TRIBE_HOME
    if family_home and option.indian_operated:
        return IcwaCategory.INDIAN_HOME
    if not family_home and (option.tribes_approving or option.indian_operated):
        return IcwaCategory.TRIBAL_INSTITUTION
    return IcwaCategory.OTHER


def icwa_order(tribe_order: Sequence[int] | None) -> tuple[IcwaCategory, ...]:
    """The tribe's own order when recorded (categories it leaves out follow in the
    statute's order), else the statute's order."""
    if not tribe_order:
        return DEFAULT_ICWA_ORDER
    first = [IcwaCategory(c) for c in dict.fromkeys(tribe_order)]
    return tuple(first + [c for c in DEFAULT_ICWA_ORDER if c not in first])


# --- Ranking options (P2, P3, ICWA) --------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class PlacementOption:
    key: str  # "home:<id>" for the resource directory, "relative:<person id>" for kin
    name: str
    setting: str
    location: Point | None = None
    capacity: int | None = None  # None: not a licensed home (a relative's own home)
    occupancy: int = 0
    min_age: int | None = None
    max_age: int | None = None
    needs_served: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    tribes_approving: frozenset[str] = frozenset()
    indian_operated: bool = False
    relative_of_child: bool = False
    gender_accepted: str = "any"  # "any", "female", "male"
    sibling_group_max: int = 1  # the largest sibling group the home takes together
    siblings_here: int = 0  # the child's siblings living there now (P5)


@dataclass(frozen=True)
class ChildFacts:
    age: int | None
    sex: str = "unknown"
    # P5: the child and the siblings in care who are not yet placed together.
    sibling_group: int = 1
    needs: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    parents_home: Point | None = None
    school: Point | None = None
    icwa: bool = False  # ICWA applies, or there is reason to know (25 CFR 23.107(b))
    tribes: frozenset[str] = frozenset()
    tribe_order: tuple[int, ...] | None = None


@dataclass(frozen=True)
class RankedOption:
    option: PlacementOption
    level: Level
    icwa: IcwaCategory | None
    icwa_rank: int  # position in the ICWA order that applies; 0 when ICWA does not apply
    km_parents: float | None
    km_school: float | None
    available: bool
    full: bool
    notes: tuple[str, ...] = field(default=())  # fit, in words
    problems: tuple[str, ...] = field(default=())  # why it does not fit
    siblings: int = 2  # P5: 0 a sibling lives there, 1 takes the whole group, 2 neither

    @property
    def km(self) -> float | None:
        """P2 and P3: the mean of the distances to the parents' home and the school."""
        known = [d for d in (self.km_parents, self.km_school) if d is not None]
        return round(sum(known) / len(known), 1) if known else None


def distance_km(a: Point | None, b: Point | None) -> float | None:
    """Great-circle distance in kilometres."""
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _assess(
    child: ChildFacts, option: PlacementOption, order: dict[IcwaCategory, int]
) -> RankedOption | None:
    level = setting_level(option.setting)
    if level is None:
        return None
    notes, problems = [], []
    full = option.capacity is not None and option.occupancy >= option.capacity
    if full:
        problems.append(f"full ({option.occupancy} of {option.capacity} places taken)")
    elif option.capacity is not None:
        notes.append(f"{option.capacity - option.occupancy} of {option.capacity} places free")
    if child.age is not None:
        if option.min_age is not None and child.age < option.min_age:
            problems.append(f"serves ages {option.min_age} and up")
        if option.max_age is not None and child.age > option.max_age:
            problems.append(f"serves ages up to {option.max_age}")
    missing = sorted(child.needs - option.needs_served)
    if missing and option.capacity is not None:
        problems.append("does not serve: " + ", ".join(n.replace("_", " ") for n in missing))
    elif child.needs and option.capacity is not None:
        notes.append("serves the child's needs")
    shared = sorted(child.languages & option.languages)
    if shared:
        notes.append("speaks " + ", ".join(shared))
    if option.relative_of_child:
        notes.append("relative of the child")
    if option.capacity is not None and not gender_fits(option.gender_accepted, child.sex):
        problems.append(GENDER_LABELS.get(option.gender_accepted, option.gender_accepted))
    siblings = sibling_fit(child, option)
    if siblings == SIBLINGS_THERE:
        notes.append(
            "a sibling lives here"
            if option.siblings_here == 1
            else f"{option.siblings_here} siblings live here"
        )
    elif siblings == SIBLINGS_TOGETHER:
        notes.append(f"takes the sibling group of {child.sibling_group} together")
    icwa = icwa_category(option, child.tribes) if child.icwa else None
    return RankedOption(
        option=option,
        level=level,
        icwa=icwa,
        icwa_rank=order[icwa] if icwa is not None else 0,
        km_parents=_round(distance_km(child.parents_home, option.location)),
        km_school=school_distance_km(child.school, option.location),
        available=not problems,
        full=full,
        notes=tuple(notes),
        problems=tuple(problems),
        siblings=siblings,
    )


GENDER_LABELS = {"female": "takes girls only", "male": "takes boys only"}


def gender_fits(gender_accepted: str, sex: str) -> bool:
    """Whether a home that takes `gender_accepted` ("any", "female", "male") takes a child
    of this sex; a child whose sex is not recorded as the other one fits."""
    if gender_accepted == "any":
        return True
    return sex not in ("female", "male") or sex == gender_accepted


SIBLINGS_THERE, SIBLINGS_TOGETHER, SIBLINGS_APART = 0, 1, 2


def sibling_fit(child: ChildFacts, option: PlacementOption) -> int:
    """P5: keep siblings connected: a home where a sibling already lives comes first
    (SIBLINGS_THERE), then a home that takes the child's whole sibling group in care
    together, with room for it (SIBLINGS_TOGETHER); otherwise SIBLINGS_APART. A child
    with no sibling in care is SIBLINGS_APART everywhere (no preference)."""
    if option.siblings_here > 0:
        return SIBLINGS_THERE
    if child.sibling_group > 1 and option.capacity is not None:
        room = option.capacity - option.occupancy
        if option.sibling_group_max >= child.sibling_group and room >= child.sibling_group:
            return SIBLINGS_TOGETHER
    return SIBLINGS_APART


def _round(km: float | None) -> float | None:
    return None if km is None else round(km, 1)


def rank_options(child: ChildFacts, options: Iterable[PlacementOption]) -> list[RankedOption]:
    """P2, P3, P5 and ICWA: available options first; among them (and then among the
    rest), for an Indian child the ICWA preference order (the tribe's own if recorded),
    then the least restrictive level (P2), then siblings together (P5: a home where a
    sibling lives, then one that takes the whole sibling group), then the nearest to the
    parents' home (P2) and the school of origin (P3)."""
    order = {cat: i for i, cat in enumerate(icwa_order(child.tribe_order))}
    assessed = [r for r in (_assess(child, o, order) for o in options) if r is not None]

    def key(r: RankedOption):
        km = r.km
        return (
            not r.available,
            r.icwa_rank,
            r.level,
            r.siblings,
            km is None,
            km or 0.0,
            r.option.name,
        )

    return sorted(assessed, key=key)


def departures(chosen: RankedOption, ranked: Sequence[RankedOption]) -> list[str]:
    """What choosing `chosen` over the available options must justify with a recorded
    reason: departing from the ICWA order, a more restrictive level (P2), a farther home
    at the same level (P2, P3), or a home that does not fit the child."""
    reasons = []
    if not chosen.available:
        reasons.append("The chosen option does not fit the child: " + "; ".join(chosen.problems))
    better = [r for r in ranked if r.available and r.option.key != chosen.option.key]
    if chosen.icwa is not None:
        preferred = [r for r in better if r.icwa_rank < chosen.icwa_rank]
        if preferred:
            reasons.append(
                "ICWA: an available option is higher in the placement preferences ("
                f"{ICWA_LABELS[preferred[0].icwa]}: {preferred[0].option.name})."
            )
    less = [r for r in better if r.level < chosen.level and r.icwa_rank <= chosen.icwa_rank]
    if less:
        reasons.append(
            f"P2: a less restrictive option is available ({LEVEL_LABELS[less[0].level].lower()}: "
            f"{less[0].option.name})."
        )
    if chosen.km is not None:
        nearer = [
            r
            for r in better
            if r.level == chosen.level
            and r.icwa_rank <= chosen.icwa_rank
            and r.km is not None
            and r.km < chosen.km
        ]
        if nearer:
            n = min(nearer, key=lambda r: r.km)
            reasons.append(
                f"P2, P3: a nearer option at the same level is available ({n.option.name}, "
                f"{n.km} km from the parents' home and school against {chosen.km} km)."
            )
    return reasons


def school_distance_km(school: Point | None, home: Point | None) -> float | None:
    """P3: how far a candidate home is from the child's school of origin (None when
    either is not located); the ranking counts it with the distance to the parents."""
    return _round(distance_km(school, home))


# --- Licences of resource homes ------------------------------------------------------

LICENCE_EXPIRED, LICENCE_EXPIRING = "expired", "expiring"


def licence_status(expires_on: date | None, *, today: date, warn_days: int) -> str | None:
    """A home's licence: "expired" after its expiry day, "expiring" within `warn_days`
    of it (the placing worker and the home's manager are warned), else None (valid, or
    no expiry recorded). Ranking offers no home whose licence has expired (P2: a
    licensed resource family home)."""
    if expires_on is None:
        return None
    if expires_on < today:
        return LICENCE_EXPIRED
    if (expires_on - today).days <= warn_days:
        return LICENCE_EXPIRING
    return None


# --- School stability (P3) -----------------------------------------------------------


def enrolment_gap_days(placed_on: date, enrolled_on: date | None, *, today: date) -> int:
    """P3: days a child moved to a new school went without being enrolled."""
    end = enrolled_on or today
    return max(0, (end - placed_on).days)


def enrolment_gap_flagged(gap_days: int, *, max_gap_days: int) -> bool:
    """P3: the child is enrolled at once in a new school; a longer gap is flagged."""
    return gap_days > max_gap_days


# --- Permanency goals (P4) -----------------------------------------------------------

REUNIFICATION = "reunification"


def initial_goal_problem(goal: str, reason: str) -> str | None:
    """P4: permanency planning starts with reunification unless a reason is recorded."""
    if goal != REUNIFICATION and not reason.strip():
        return (
            "P4: return home is the first choice; record why the first goal is not reunification."
        )
    return None


# --- Family contact and visitation plans (P5, P6, P7) --------------------------------

# Visits per week for each frequency a plan may name.
FREQUENCY_PER_WEEK = {
    "more_than_weekly": 2.0,
    "weekly": 1.0,
    "every_two_weeks": 0.5,
    "monthly": 12 / 52,
}


def first_contact_due(placed_on: date, *, within_days: int) -> date:
    """P5: contact with parents and siblings right after placement, by this date."""
    return placed_on + timedelta(days=within_days)


@dataclass(frozen=True)
class Arrangement:
    visitor_role: str  # parent, sibling, relative, other
    frequency: str


@dataclass(frozen=True)
class Participant:
    role: str  # parent, resource_parent, provider, child, worker, supervisor, other
    signed: bool


def visitation_plan_problems(
    *,
    goal: str | None,
    arrangements: Sequence[Arrangement],
    participants: Sequence[Participant],
    has_parents: bool,
    has_siblings_apart: bool,
    less_than_weekly_reason: str,
    interval_days: int = 7,
) -> dict[str, str]:
    """P5 and P6: what keeps a visitation plan from being complete. field -> reason.
    `interval_days`: parents and siblings visit at least once in this many days (weekly)."""
    problems = {}
    if not arrangements:
        problems["arrangements"] = "P5: the plan names at least one visit arrangement."
    roles = {a.visitor_role for a in arrangements}
    if goal == REUNIFICATION:
        if has_parents and "parent" not in roles:
            problems["arrangements"] = (
                "P5: with a goal of reunification the plan sets visits with the parents."
            )
        elif has_siblings_apart and "sibling" not in roles:
            problems["arrangements"] = (
                "P5: the plan sets visits with the siblings placed elsewhere."
            )
        rare = [
            a
            for a in arrangements
            if a.visitor_role in ("parent", "sibling")
            and FREQUENCY_PER_WEEK[a.frequency] < 7 / max(1, interval_days)
        ]
        if rare and not less_than_weekly_reason.strip():
            problems["less_than_weekly_reason"] = (
                "P5: visits with parents and siblings are weekly for a child with a goal of "
                "reunification; record why this plan sets fewer."
            )
    participant_roles = {p.role for p in participants}
    if not participant_roles & {"resource_parent", "provider"}:
        problems["participants"] = (
            "P6: the plan is made with the resource parents (or the placement's provider)."
        )
    return problems


def signed_by_all(participants: Sequence[Participant]) -> bool:
    """P6: every participant signs the plan."""
    return bool(participants) and all(p.signed for p in participants)


def planned_visits_per_week(arrangements: Sequence[Arrangement]) -> float:
    """P5: the visits a week a plan sets: its most frequent parent arrangement (or any
    arrangement when no parent visits)."""
    parents = [a for a in arrangements if a.visitor_role == "parent"] or list(arrangements)
    return max((FREQUENCY_PER_WEEK[a.frequency] for a in parents), default=0.0)


def visit_adherence(*, expected_per_week: float, days: int, held: int) -> int | None:
    """P5: held visits against the visits the plan expects over `days`, in percent
    (capped at 100). None when nothing was expected yet."""
    expected = math.floor(expected_per_week * days / 7)
    if expected <= 0:
        return None
    return min(100, round(100 * held / expected))


def conference_review_problem(out_of_home_children: set[int], reviewed: set[int]) -> str | None:
    """P7: at every placement conference and family team meeting, the visitation
    schedule of every child out of home is reviewed."""
    missing = out_of_home_children - reviewed
    if missing:
        return (
            "P7: review the visitation schedule of every child in out-of-home placement "
            f"({len(missing)} not reviewed)."
        )
    return None


# --- Status on the placement record (V11, V12) ---------------------------------------


def placement_contact_flags(setting: str, out_of_state: bool) -> list[tuple[str, str]]:
    """V11 and V12: what a placement's status adds to the monthly contacts."""
    flags = []
    if setting in ("runaway", "whereabouts_unknown"):
        flags.append(("V11", "Child on runaway: record locate efforts every month."))
    if out_of_state:
        flags.append(("V12", "Placed out of state: a monthly call to the child or placement."))
    return flags
