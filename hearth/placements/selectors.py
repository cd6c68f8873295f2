"""Reads of placement data that pages and the API share. Ranking reads the directory in
a fixed number of queries, whatever its size; the rules are in hearth.policy.placement.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from hearth.cases import access as case_access
from hearth.cases.models import CaseMember
from hearth.core.errors import NotFound
from hearth.core.services import today
from hearth.people.models import Person, Relationship
from hearth.placements import access
from hearth.placements.models import (
    PermanencyGoal,
    Placement,
    PlacementRequest,
    RemovalEpisode,
    ResourceHome,
    ResourceParent,
    SchoolEnrollment,
)
from hearth.policy import placement as rules
from hearth.staff.access import staff_for

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
    kin_only: set[int] = field(default_factory=set)
    parent_ids: set[int] = field(default_factory=set)
    sibling_ids: set[int] = field(default_factory=set)
    # P5: where the child's siblings live now: home id -> how many, relative id -> how many.
    siblings_in_home: dict[int, int] = field(default_factory=dict)
    siblings_with_relative: dict[int, int] = field(default_factory=dict)

    @property
    def relative_ids(self) -> list[int]:
        return [p.pk for p in self.relatives]


def child_facts(episode: RemovalEpisode, *, on: date | None = None, viewer=None) -> ChildContext:
    """What ranking and the visitation rules need to know about a child in care. With a
    `viewer`, only the relatives the viewer may see are offered (hearth.cases.access)."""
    on = on or today()
    child = episode.child
    rels = list(
        Relationship.objects.filter(Q(other=child) | Q(person=child, kind__in=SYMMETRIC_KINDS))
        .exclude(ends_on__lte=on)
        .select_related("person", "other")
    )
    parents, relatives, siblings, not_parents = [], [], set(), set()
    kin_only: set[int] = set()  # caregivers: kin, but not ICWA extended family
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
        elif r.kind in RELATIVE_KINDS:
            relatives.append(kin)
        elif r.kind == Relationship.Kind.CAREGIVER:
            relatives.append(kin)
            kin_only.add(kin.pk)
    relatives = [p for p in dict.fromkeys(relatives) if p.whereabouts_known and not p.incarcerated]
    if viewer is not None and relatives:
        seen = set(
            case_access.visible_people(viewer)
            .filter(pk__in=[p.pk for p in relatives])
            .values_list("pk", flat=True)
        )
        relatives = [p for p in relatives if p.pk in seen]
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
    in_home: dict[int, int] = {}
    with_relative: dict[int, int] = {}
    for sibling in siblings:
        home_id, caregiver_id = place.get(sibling, (None, None))
        if home_id:
            in_home[home_id] = in_home.get(home_id, 0) + 1
        elif caregiver_id:
            with_relative[caregiver_id] = with_relative.get(caregiver_id, 0) + 1
    # P5: the sibling group to keep together: the child and the siblings in care who do
    # not live with the child.
    in_care = set(
        RemovalEpisode.objects.filter(child__in=siblings, exited_on__isnull=True).values_list(
            "child_id", flat=True
        )
    )
    school = (
        SchoolEnrollment.objects.filter(child=child).order_by("-is_origin", "enrolled_on").first()
    )
    tribes = list(child.tribes.all())
    order = next((t.placement_order for t in tribes if t.placement_order), None)
    parents_home = next((_point(p) for p in parents if _point(p) is not None), None)
    facts = rules.ChildFacts(
        age=child.age_on(on),
        sex=child.sex,
        sibling_group=1 + len(in_care & apart),
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
        kin_only=kin_only,
        parent_ids={p.pk for p in parents},
        sibling_ids=apart,
        siblings_in_home=in_home,
        siblings_with_relative=with_relative,
    )


def with_occupancy(homes):
    """Each home's current occupancy: its placements that have not ended (a correlated
    count on the partial index of current placements, not a join of every placement)."""
    current = (
        Placement.objects.filter(home=OuterRef("pk"), ends_on__isnull=True)
        .order_by()
        .values("home")
        .annotate(n=Count("id"))
        .values("n")
    )
    return homes.annotate(occupancy=Coalesce(Subquery(current), 0))


def _homes(on: date, age: int | None):
    homes = ResourceHome.objects.filter(active=True).exclude(licence_expires_on__lt=on)
    if age is not None:
        homes = homes.filter(min_age__lte=age, max_age__gte=age)
    return with_occupancy(homes)


def _home_options(homes, ctx: ChildContext) -> list[rules.PlacementOption]:
    facts = ctx.facts
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
            "gender_accepted",
            "sibling_group_max",
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
            gender_accepted=gender,
            sibling_group_max=group_max,
            siblings_here=ctx.siblings_in_home.get(hid, 0),
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
            gender,
            group_max,
        ) in rows
    ]


def _relative_options(ctx: ChildContext) -> list[rules.PlacementOption]:
    return [
        rules.PlacementOption(
            key=f"relative:{p.pk}",
            name=p.full_name,
            setting="relative_home",
            location=_point(p),
            relative_of_child=p.pk not in ctx.kin_only,
            siblings_here=ctx.siblings_with_relative.get(p.pk, 0),
        )
        for p in ctx.relatives
    ]


def rank_for_child(
    episode: RemovalEpisode, *, on: date | None = None, viewer=None
) -> list[rules.RankedOption]:
    """P2, P3, P5, ICWA: the child's relatives (those the viewer may see) and the
    directory's homes and facilities that take a child of this age and have room, best
    first."""
    on = on or today()
    ctx = child_facts(episode, on=on, viewer=viewer)
    homes = _homes(on, ctx.facts.age).filter(occupancy__lt=F("capacity"))
    options = _relative_options(ctx) + _home_options(homes, ctx)
    return rules.rank_options(ctx.facts, options)


def option_key(placement: Placement) -> str | None:
    """The ranking key of a placement's home or relative, None for other places."""
    if placement.home_id:
        return f"home:{placement.home_id}"
    if placement.caregiver_id:
        return f"relative:{placement.caregiver_id}"
    return None


def option_for_choice(
    placement: Placement, episode: RemovalEpisode, ranked: list[rules.RankedOption], viewer=None
) -> rules.RankedOption:
    """The ranked entry of what a placement chose; a home left out of the ranking (full,
    or not for this age) or a place outside the directory is assessed on its own."""
    key = option_key(placement)
    for r in ranked:
        if key and r.option.key == key:
            return r
    ctx = child_facts(episode, on=placement.starts_on, viewer=viewer)
    if placement.home_id:
        home = with_occupancy(ResourceHome.objects.filter(pk=placement.home_id))
        option = _home_options(home, ctx)[0]
    else:
        option = rules.PlacementOption(
            key="other",
            name=placement.provider_name or placement.get_setting_display(),
            setting=placement.setting,
            location=_point(placement),
            relative_of_child=bool(placement.caregiver_id),
        )
    return rules.rank_options(ctx.facts, [option])[0]


# --- Resource homes kept in the product -------------------------------------------------


def licence_warning(home: ResourceHome, on: date, warn_days: int) -> str | None:
    """The words of a home's licence warning, None when the licence is valid."""
    state = rules.licence_status(home.licence_expires_on, today=on, warn_days=warn_days)
    if state == rules.LICENCE_EXPIRED:
        return (
            f"The licence of {home.name} expired on {home.licence_expires_on:%Y-%m-%d}: "
            "renew it or move the children."
        )
    if state == rules.LICENCE_EXPIRING:
        days = (home.licence_expires_on - on).days
        return (
            f"The licence of {home.name} expires on {home.licence_expires_on:%Y-%m-%d}, "
            f"in {days} day{'s' if days != 1 else ''}."
        )
    return None


def homes_needing_attention(
    viewer, *, on: date | None = None, placing: bool = True
) -> list[ResourceHome]:
    """The active homes whose licence has expired or expires within the agency's
    `licence_warning_days`, that the viewer keeps (home.manage: their agency's),
    manages, or places in (a child of a case they may edit lives there); expired first,
    then by expiry day; with `placing=False`, only those they keep or manage (the
    director's home: the placing workers see theirs on their own). Each carries
    `occupancy`, `licence_state` and `warning`. A fixed number of queries."""
    staff = staff_for(viewer)
    if staff is None:
        return []
    on = on or today()
    warn_days = staff.agency.policy.licence_warning_days
    kept = Q(pk__in=access.answering_homes(viewer).values("pk"))
    if placing:
        kept |= Q(
            pk__in=Placement.objects.filter(
                ends_on__isnull=True,
                home__isnull=False,
                episode__case__in=case_access.editable_cases(viewer).values("pk"),
            ).values("home_id")
        )
    homes = (
        ResourceHome.objects.filter(
            kept,
            active=True,
            licence_expires_on__lte=on + timedelta(days=warn_days),
        )
        .select_related("manager__user")
        .order_by("licence_expires_on", "name", "id")
    )
    out = []
    for home in with_occupancy(homes):
        home.licence_state = rules.licence_status(
            home.licence_expires_on, today=on, warn_days=warn_days
        )
        home.warning = licence_warning(home, on, warn_days)
        out.append(home)
    return out


def home_detail(viewer, home: ResourceHome, *, on: date | None = None) -> dict:
    """A home's page: its entry, occupancy, resource parents, licence warning and the
    placement requests sent to it (for those who answer them)."""
    on = on or today()
    staff = staff_for(viewer)
    policy = home.agency.policy if home.agency_id else staff.agency.policy
    home = with_occupancy(ResourceHome.objects.filter(pk=home.pk)).select_related(
        "agency", "county", "manager__user"
    )
    home = home.prefetch_related("languages", "tribes_approving").get()
    parents = list(
        ResourceParent.objects.filter(home=home).select_related("person").order_by("ends_on", "id")
    )
    answers = access.can_answer(viewer, home)
    requests = (
        list(
            PlacementRequest.objects.filter(home=home)
            .select_related("child", "requested_by")
            .order_by("-id")[:50]
        )
        if answers
        else []
    )
    return {
        "home": home,
        "level": rules.LEVEL_LABELS.get(rules.setting_level(home.setting), ""),
        "licence_state": rules.licence_status(
            home.licence_expires_on, today=on, warn_days=policy.licence_warning_days
        ),
        "warning": licence_warning(home, on, policy.licence_warning_days),
        "parents": parents,
        "requests": requests,
        "can_keep": access.can_keep(viewer, home),
        "can_answer": answers,
    }


# --- Pages --------------------------------------------------------------------------

LEVEL_COLOURS = {  # the timeline's colours, least restrictive (green) to most (red)
    rules.Level.RELATIVE: "#00a91c",
    rules.Level.RESOURCE_FAMILY: "#538200",
    rules.Level.GROUP: "#c2850c",
    rules.Level.RESIDENTIAL: "#d54309",
    rules.Level.CORRECTIONAL: "#b50909",
}
STATUS_COLOUR = "#71767a"


def case_child_member(case, child_id) -> CaseMember:
    """The child's membership in the (already access-checked) case, else NotFound."""
    member = (
        CaseMember.objects.filter(
            case=case,
            person_id=child_id,
            role__in=[CaseMember.Role.CHILD, CaseMember.Role.SIBLING],
        )
        .select_related("person")
        .order_by("ends_on")
        .first()
        if str(child_id).isdigit()
        else None
    )
    if member is None:
        raise NotFound()
    return member


def case_children(case) -> list[dict]:
    """Each child of the case with their removal, current placement and goal; a fixed
    number of queries."""
    members = list(
        CaseMember.objects.filter(
            case=case, role__in=[CaseMember.Role.CHILD, CaseMember.Role.SIBLING]
        )
        .filter(ends_on__isnull=True)
        .select_related("person")
    )
    ids = [m.person_id for m in members]
    episodes = {
        e.child_id: e
        for e in RemovalEpisode.objects.filter(child__in=ids, exited_on__isnull=True, case=case)
    }
    placements = {
        p.child_id: p
        for p in Placement.objects.filter(child__in=ids, ends_on__isnull=True).select_related(
            "home", "caregiver"
        )
    }
    goals = {
        g.child_id: g
        for g in PermanencyGoal.objects.filter(case=case, child__in=ids, ends_on__isnull=True)
    }
    return [
        {
            "member": m,
            "child": m.person,
            "episode": episodes.get(m.person_id),
            "placement": placements.get(m.person_id) if m.person_id in episodes else None,
            "goal": goals.get(m.person_id),
        }
        for m in members
    ]


@dataclass
class ChildRecord:
    case: object
    child: Person
    can_edit: bool
    episodes: list
    episode: RemovalEpisode | None
    placement: Placement | None
    goals: list
    goal: PermanencyGoal | None
    schools: list
    first_contact_due: date | None
    flags: list
    timeline: dict
    requests: list = field(default_factory=list)


def child_record(*, viewer, case, child_id) -> ChildRecord:
    """The child's removals, placements, goals and schools, for a case the viewer may see
    (the child's page adds hearth.visitation's plans and visits)."""
    member = case_child_member(case, child_id)
    child = member.person
    settings = case.agency.policy
    now = today()
    episodes = list(
        RemovalEpisode.objects.filter(child=child, case=case)
        .prefetch_related(
            Prefetch(
                "placements",
                Placement.objects.select_related("home", "caregiver").order_by("starts_on"),
            )
        )
        .order_by("removed_on")
    )
    episode = next((e for e in episodes if e.is_open), None)
    placement = None
    if episode is not None:
        placement = next((p for p in episode.placements.all() if p.ends_on is None), None)
    goals = list(
        PermanencyGoal.objects.filter(case=case, child=child).order_by("-starts_on", "-id")
    )
    schools = list(
        SchoolEnrollment.objects.filter(child=child).select_related("placement").order_by("id")
    )
    for s in schools:
        s.gap_days = (
            rules.enrolment_gap_days(s.placement.starts_on, s.enrolled_on, today=now)
            if s.placement_id
            else 0
        )
        s.gap_flagged = s.placement_id is not None and rules.enrolment_gap_flagged(
            s.gap_days, max_gap_days=settings.school_enrolment_max_gap_days
        )
    first_contact = None
    if episode is not None:
        first = next(iter(episode.placements.all()), None)
        if first is not None:
            first_contact = rules.first_contact_due(
                first.starts_on, within_days=settings.first_family_contact_days
            )
    flags = (
        rules.placement_contact_flags(placement.setting, placement.out_of_state)
        if (placement)
        else []
    )
    if placement is not None and placement.home_id:
        warning = licence_warning(placement.home, now, settings.licence_warning_days)
        if warning:
            flags.append(("Licence", warning))
    return ChildRecord(
        case=case,
        child=child,
        can_edit=case_access.can_edit_case(viewer, case) and not case.is_closed,
        episodes=episodes,
        episode=episode,
        placement=placement,
        goals=goals,
        goal=next((g for g in goals if g.ends_on is None), None),
        schools=schools,
        first_contact_due=first_contact,
        flags=flags,
        timeline=_timeline(episodes, now),
        requests=list(
            PlacementRequest.objects.filter(episode=episode)
            .exclude(status=PlacementRequest.Status.PLACED)
            .select_related("home")
            .order_by("-id")
        )
        if episode is not None
        else [],
    )


def _timeline(episodes: list[RemovalEpisode], now: date) -> dict:
    """The placement timeline as bars on a 0-1000 scale, coloured by restrictiveness."""
    if not episodes:
        return {"bars": [], "ticks": []}
    start = episodes[0].removed_on
    end = max(now, start + timedelta(days=1))
    span = (end - start).days

    def x(day: date) -> float:
        return round(1000 * (day - start).days / span, 1)

    bars = []
    for e in episodes:
        for p in e.placements.all():
            stop = p.ends_on or e.exited_on or end
            level = rules.setting_level(p.setting)
            bars.append(
                {
                    "x": x(p.starts_on),
                    "width": max(2.0, x(stop) - x(p.starts_on)),
                    "colour": LEVEL_COLOURS.get(level, STATUS_COLOUR),
                    "label": f"{p.get_setting_display()}: {p.place_name}, "
                    f"{p.starts_on:%Y-%m-%d} to {p.ends_on or 'now'}",
                }
            )
    ticks = [{"x": x(e.removed_on), "label": f"Removed {e.removed_on:%Y-%m-%d}"} for e in episodes]
    ticks += [
        {"x": x(e.exited_on), "label": f"Exit {e.exited_on:%Y-%m-%d}"}
        for e in episodes
        if e.exited_on
    ]
    return {"bars": bars, "ticks": ticks, "start": start, "end": end}
