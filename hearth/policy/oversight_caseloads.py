"""O4: each state oversight specialist carries about `oversight_caseload` families (80 by
default). A case the state oversees (court-involved, or whose closure is recommended) goes
to the active specialist with the lightest load in its county's region; when its county
has no region, or no specialist of the region is active, every active specialist
statewide is ranked, and the ranking says so. Each rank is explained in the words of the
case manager ranking (hearth.policy.assignment.ranking): "42 of 80 families (53% full);
same region (North)". A specialist at or past the setting is still ranked, last of equals
by load, and flagged. The system recommends the top one; a person who chooses another
gives a reason (A7's rule, applied to O4)."""

from dataclasses import dataclass

from hearth.policy.assignment.facts import join_words

ACTIVE = "active"
REGION = "region"
STATEWIDE = "statewide"


@dataclass(frozen=True)
class SpecialistFacts:
    """A state oversight specialist and the families they carry now (O4)."""

    id: int
    name: str
    status: str  # active, on_leave, departed
    region_id: int | None  # their office county's region
    region_name: str = ""
    families: int = 0  # distinct open cases with a current oversight grant to them


@dataclass(frozen=True)
class OversightCaseFacts:
    """What routing needs to know about a case: its county's region."""

    id: int | None
    county_name: str = ""
    region_id: int | None = None
    region_name: str = ""


@dataclass(frozen=True)
class Factor:
    code: str  # load, region
    name: str
    text: str


@dataclass(frozen=True)
class SpecialistRank:
    specialist: SpecialistFacts
    rank: int
    capacity: int
    same_region: bool
    over_capacity: bool  # taking one more family puts them past the setting
    factors: tuple[Factor, ...]

    @property
    def load_percent(self) -> int:
        return round(100 * self.specialist.families / self.capacity) if self.capacity else 100

    @property
    def explanation(self) -> str:
        return "; ".join(f.text for f in self.factors)


@dataclass(frozen=True)
class OversightRanking:
    scope: str  # REGION or STATEWIDE
    note: str  # why the ranking is statewide; empty for a regional one
    capacity: int
    ranked: tuple[SpecialistRank, ...]

    @property
    def top(self) -> SpecialistRank | None:
        """O4, A7: the system's recommendation: the first ranked, if anyone is."""
        return self.ranked[0] if self.ranked else None

    @property
    def summary(self) -> str:
        """The top rank and why, in one sentence (a routed grant's reason)."""
        top = self.top
        if top is None:
            return self.note or "No state oversight specialist is active."
        text = f"{top.specialist.name}: {top.explanation}"
        return f"{text}. {self.note}" if self.note else text


def families_text(families: int, capacity: int) -> str:
    """O4: "42 of 80 families (53% full)"."""
    percent = round(100 * families / capacity) if capacity else 100
    noun = "family" if capacity == 1 else "families"
    return f"{families} of {capacity} {noun} ({percent}% full)"


def rank_specialists(
    case: OversightCaseFacts, specialists: list[SpecialistFacts], *, capacity: int
) -> OversightRanking:
    """O4: rank the active specialists for `case`: those of the case's region, or, when
    its county has no region or none of the region is active, every active one statewide
    (`note` says which). Lightest load first, ties by name then id; each with its
    factors in words. Specialists on leave or departed are not ranked."""
    active = [s for s in specialists if s.status == ACTIVE]
    scope, note = REGION, ""
    pool = [s for s in active if case.region_id is not None and s.region_id == case.region_id]
    if case.region_id is None:
        scope = STATEWIDE
        where = f"{case.county_name} county" if case.county_name else "The case's county"
        note = f"{where} has no region: every active specialist statewide is ranked (O4)."
    elif not pool:
        scope = STATEWIDE
        note = (
            f"No specialist of the {case.region_name} region is active: every active "
            "specialist statewide is ranked (O4)."
        )
    if scope == STATEWIDE:
        pool = active
    ordered = sorted(pool, key=lambda s: (s.families, s.name, s.id))
    ranked = tuple(_rank(case, s, rank, capacity) for rank, s in enumerate(ordered, start=1))
    return OversightRanking(scope=scope, note=note, capacity=capacity, ranked=ranked)


def _rank(case: OversightCaseFacts, s: SpecialistFacts, rank: int, capacity: int):
    over = s.families + 1 > capacity
    load = families_text(s.families, capacity)
    if over:
        load += f": past the {capacity} families of O4 with this one"
    same = case.region_id is not None and s.region_id == case.region_id
    if same:
        region = f"same region ({case.region_name})"
    elif s.region_name:
        region = f"another region ({s.region_name})"
    else:
        region = "no region recorded for their office"
    factors = (Factor("load", "Caseload", load), Factor("region", "Region", region))
    return SpecialistRank(
        specialist=s,
        rank=rank,
        capacity=capacity,
        same_region=same,
        over_capacity=over,
        factors=factors,
    )


def override_problem(ranking: OversightRanking, chosen_id: int, reason: str) -> str | None:
    """O4 (A7's rule): choosing anyone but the top-ranked specialist needs a reason."""
    top = ranking.top
    if top is None or top.specialist.id == chosen_id or (reason or "").strip():
        return None
    return f"The system recommends {top.specialist.name}: say why you chose someone else (O4)."


def reassignment_override_problem(
    rankings: dict[str, OversightRanking], chosen_id: int, reason: str
) -> str | None:
    """O4 (A7's rule), for moving many families to one specialist: each family whose
    top-ranked specialist is someone else needs the reason; `rankings` by case number."""
    if (reason or "").strip():
        return None
    differ = [
        number
        for number, ranking in sorted(rankings.items())
        if ranking.top is not None and ranking.top.specialist.id != chosen_id
    ]
    if not differ:
        return None
    return (
        f"The system recommends someone else for {join_words(differ)}: say why you chose "
        "this specialist (O4)."
    )
