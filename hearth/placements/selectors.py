"""Reads of placement data that pages and the API share. Ranking reads the directory in
a fixed number of queries, whatever its size; the rules are in hearth.policy.placement.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q

from hearth.cases.models import CaseMember
from hearth.core.services import today
from hearth.people.models import Person, Relationship
from hearth.placements.models import (
    Placement,
    RemovalEpisode,
    ResourceHome,
    SchoolEnrollment,
)
from hearth.policy import placement as rules

RELATIVE_KINDS = [Relationship.Kind.RELATIVE, Relationship.Kind.STEP_PARENT]
SYMMETRIC_KINDS = [Relationship.Kind.RELATIVE, Relationship.Kind.SIBLING]


def _point(obj) -> rules.Point | None:
    if obj is None or obj.latitude is None or obj.longitude is None:
        return None
    return (float(obj.latitude), float(obj.longitude))


@dataclass
class ChildContext:
    facts: rules.ChildFacts
    relatives: list[Person] = field(default_factory=list)
    parent_ids: set[int] = field(default_factory=set)
    sibling_ids: set[int] = field(default_factory=set)

    @property
    def relative_ids(self) -> list[int]:
        return [p.pk for p in self.relatives]


def child_facts(episode: RemovalEpisode, *, on: date | None = None) -> ChildContext:
    """What ranking and the visitation rules need to know about a child in care."""
    on = on or today()
    child = episode.child
    rels = list(
        Relationship.objects.filter(Q(other=child) | Q(person=child, kind__in=SYMMETRIC_KINDS))
        .exclude(ends_on__lte=on)
        .select_related("person", "other")
    )
    parents, relatives, siblings, not_parents = [], [], set(), set()
    for r in rels:
        kin = r.person if r.other_id == child.pk else r.other
        if r.kind == Relationship.Kind.PARENT:
            if r.parental_rights == Relationship.ParentalRights.INTACT:
                parents.append(kin)
            else:
                not_parents.add(kin.pk)
        elif r.kind == Relationship.Kind.SIBLING:
            siblings.add(kin.pk)
            if (kin.age_on(on) or 0) >= 21:
                relatives.append(kin)
        elif r.kind in RELATIVE_KINDS or r.kind == Relationship.Kind.CAREGIVER:
            relatives.append(kin)
    relatives = [p for p in dict.fromkeys(relatives) if p.whereabouts_known and not p.incarcerated]
    members = CaseMember.objects.filter(case=episode.case_id, ends_on__isnull=True).exclude(
        person=child
    )
    # The case's parents are the child's parents, unless a relationship says their
    # rights ended; the case's other children are the child's siblings.
    for member in members.select_related("person"):
        if member.role == CaseMember.Role.PARENT and member.person_id not in not_parents:
            parents.append(member.person)
        elif member.role in (CaseMember.Role.CHILD, CaseMember.Role.SIBLING):
            siblings.add(member.person_id)
    parents = list(dict.fromkeys(parents))
    # P5: siblings placed elsewhere (not in the child's current home) are visited.
    current = Placement.objects.filter(child__in=siblings | {child.pk}, ends_on__isnull=True)
    place = {p.child_id: (p.home_id, p.caregiver_id) for p in current}
    mine = place.get(child.pk)
    apart = {s for s in siblings if mine is None or place.get(s) != mine or mine == (None, None)}
    school = (
        SchoolEnrollment.objects.filter(child=child).order_by("-is_origin", "enrolled_on").first()
    )
    tribes = list(child.tribes.all())
    order = next((t.placement_order for t in tribes if t.placement_order), None)
    parents_home = next((_point(p) for p in parents if _point(p) is not None), None)
    facts = rules.ChildFacts(
        age=child.age_on(on),
        needs=frozenset(episode.child_needs),
        languages=frozenset(child.languages.values_list("code", flat=True)),
        parents_home=parents_home,
        school=_point(school),
        icwa=child.icwa_applies in ("yes", "reason_to_know"),
        tribes=frozenset(t.code for t in tribes),
        tribe_order=tuple(order) if order else None,
    )
    return ChildContext(
        facts=facts,
        relatives=relatives,
        parent_ids={p.pk for p in parents},
        sibling_ids=apart,
    )


def with_occupancy(homes):
    """Each home's current occupancy: its placements that have not ended."""
    return homes.annotate(occupancy=Count("placements", filter=Q(placements__ends_on__isnull=True)))


def _homes(on: date, age: int | None):
    homes = ResourceHome.objects.filter(active=True).exclude(licence_expires_on__lt=on)
    if age is not None:
        homes = homes.filter(min_age__lte=age, max_age__gte=age)
    return with_occupancy(homes)


def _home_options(homes, facts: rules.ChildFacts) -> list[rules.PlacementOption]:
    rows = list(
        homes.values_list(
            "id",
            "name",
            "setting",
            "latitude",
            "longitude",
            "capacity",
            "occupancy",
            "min_age",
            "max_age",
            "needs_served",
            "indian_operated",
        )
    )
    ids = [r[0] for r in rows]
    langs: dict[int, set[str]] = {}
    if facts.languages:
        through = ResourceHome.languages.through.objects.filter(language__code__in=facts.languages)
        if len(ids) < 1000:
            through = through.filter(resourcehome_id__in=ids)
        for home_id, code in through.values_list("resourcehome_id", "language__code"):
            langs.setdefault(home_id, set()).add(code)
    tribes: dict[int, set[str]] = {}
    if facts.icwa:
        through = ResourceHome.tribes_approving.through.objects.all()
        if len(ids) < 1000:
            through = through.filter(resourcehome_id__in=ids)
        for home_id, code in through.values_list("resourcehome_id", "tribe__code"):
            tribes.setdefault(home_id, set()).add(code)
    return [
        rules.PlacementOption(
            key=f"home:{hid}",
            name=name,
            setting=setting,
            location=(float(lat), float(lon)) if lat is not None and lon is not None else None,
            capacity=capacity,
            occupancy=occupancy,
            min_age=min_age,
            max_age=max_age,
            needs_served=frozenset(needs or ()),
            languages=frozenset(langs.get(hid, ())),
            tribes_approving=frozenset(tribes.get(hid, ())),
            indian_operated=indian,
        )
        for (
            hid,
            name,
            setting,
            lat,
            lon,
            capacity,
            occupancy,
            min_age,
            max_age,
            needs,
            indian,
        ) in rows
    ]


def _relative_options(ctx: ChildContext) -> list[rules.PlacementOption]:
    return [
        rules.PlacementOption(
            key=f"relative:{p.pk}",
            name=p.full_name,
            setting="relative_home",
            location=_point(p),
            relative_of_child=True,
        )
        for p in ctx.relatives
    ]


def rank_for_child(episode: RemovalEpisode, *, on: date | None = None) -> list[rules.RankedOption]:
    """P2, P3, ICWA: the child's relatives and the directory's homes and facilities that
    take a child of this age and have room, best first."""
    on = on or today()
    ctx = child_facts(episode, on=on)
    homes = _homes(on, ctx.facts.age).filter(occupancy__lt=F("capacity"))
    options = _relative_options(ctx) + _home_options(homes, ctx.facts)
    return rules.rank_options(ctx.facts, options)


def option_key(placement: Placement) -> str | None:
    """The ranking key of a placement's home or relative, None for other places."""
    if placement.home_id:
        return f"home:{placement.home_id}"
    if placement.caregiver_id:
        return f"relative:{placement.caregiver_id}"
    return None


def option_for_choice(
    placement: Placement, episode: RemovalEpisode, ranked: list[rules.RankedOption]
) -> rules.RankedOption:
    """The ranked entry of what a placement chose; a home left out of the ranking (full,
    or not for this age) or a place outside the directory is assessed on its own."""
    key = option_key(placement)
    for r in ranked:
        if key and r.option.key == key:
            return r
    ctx = child_facts(episode, on=placement.starts_on)
    if placement.home_id:
        home = with_occupancy(ResourceHome.objects.filter(pk=placement.home_id))
        option = _home_options(home, ctx.facts)[0]
    else:
        option = rules.PlacementOption(
            key="other",
            name=placement.provider_name or placement.get_setting_display(),
            setting=placement.setting,
            location=_point(placement),
            relative_of_child=bool(placement.caregiver_id),
        )
    return rules.rank_options(ctx.facts, [option])[0]
