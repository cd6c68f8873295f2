"""The contact requirements and their compliance as pure functions (V1 to V13)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hearth.policy import contacts as rules
from hearth.policy.contacts import CaseFacts, Child, Contact, Parent, Period

OPEN = Period(date(2024, 1, 1))
MONTH = date(2024, 2, 1)  # a leap February: 29 days


def case(case_type="out_of_home", children=(), parents=()):
    return CaseFacts(1, case_type, OPEN, tuple(children), tuple(parents))


def child(pid=10, **kw):
    kw.setdefault("member", OPEN)
    return Child(pid, **kw)


def parent(pid=20, **kw):
    kw.setdefault("member", OPEN)
    return Parent(pid, **kw)


def reqs(c, month=MONTH, **kw):
    return {(r.rule, r.person_id, r.need) for r in rules.requirements(c, month, **kw)}


IN_CARE = dict(out_of_home=(Period(date(2023, 12, 1)),))
REUNIFY = dict(goals=(("reunification", Period(date(2023, 12, 1))),))


def test_v2_child_in_care_seen_in_person_every_month():
    assert ("V2", 10, "in_person") in reqs(case(children=[child(**IN_CARE)]))
    assert reqs(case(children=[child()])) == set()


def test_v3_in_home_dependency_child_and_parents_seen_in_the_home():
    got = reqs(case("in_home_dependency", [child()], [parent()]))
    assert got == {("V3", 10, "in_person_at_home"), ("V3", 20, "in_person_at_home")}


def test_v4_voluntary_in_home_parents_in_household_and_children_in_home():
    got = reqs(case("voluntary_in_home", [child()], [parent(), parent(21, in_household=False)]))
    assert got == {("V4", 10, "in_person"), ("V4", 20, "in_person")}


def test_v5_every_parent_seen_when_the_goal_is_reunification():
    c = case(
        children=[child(**IN_CARE, **REUNIFY)], parents=[parent(), parent(21, in_household=False)]
    )
    got = reqs(c)
    assert ("V5", 20, "in_person") in got and ("V5", 21, "in_person") in got


def test_v6_other_goal_needs_a_supervisor_contact_plan():
    adoption = dict(goals=(("adoption", Period(date(2023, 12, 1))),))
    c = case(
        children=[child(**IN_CARE, **adoption)],
        parents=[parent(), parent(21, rights_terminated=True), parent(22, whereabouts_known=False)],
    )
    assert reqs(c) == {("V2", 10, "in_person"), ("V6", 20, "contact_plan")}
    planned = parent(contact_plans=(("call_or_letter", 2, OPEN),))
    got = rules.requirements(
        case(children=[child(**IN_CARE, **adoption)], parents=[planned]), MONTH
    )
    v6 = next(r for r in got if r.rule == "V6")
    assert v6.need == "call_or_letter" and v6.start == date(2024, 1, 1)


def test_v7_exception_replaces_the_visit_with_a_call_every_three_months():
    p = parent(exceptions=(Period(date(2024, 1, 15), date(2024, 6, 1)),))
    got = rules.requirements(case(children=[child(**IN_CARE, **REUNIFY)], parents=[p]), MONTH)
    v7 = [r for r in got if r.person_id == 20]
    assert [(r.rule, r.need) for r in v7] == [("V7", "call_or_letter")]
    assert v7[0].start == date(2023, 12, 1)  # the three months ending with February


def test_v8_incarcerated_far_away_and_unknown_whereabouts():
    kids = [child(**IN_CARE, **REUNIFY)]
    assert ("V8", 20, "call_or_letter") in reqs(
        case(children=kids, parents=[parent(incarcerated=True)])
    )
    assert ("V8", 20, "locate") in reqs(
        case(children=kids, parents=[parent(whereabouts_known=False)])
    )
    far = parent(far_away=(OPEN,))
    assert ("V8", 20, "call_or_letter") in reqs(case(children=kids, parents=[far]))
    # Issue 11: far away is V5's documented reason, not a release from it (V8, V13).
    v5 = rules.requirements(case(children=kids, parents=[far]), MONTH)
    assert [r.context for r in v5 if r.rule == "V5"] == ["lives far away"]


def test_v11_v12_runaway_and_out_of_state():
    run = child(**IN_CARE, runaway=(Period(date(2024, 2, 3)),))
    got = rules.requirements(case(children=[run]), MONTH)
    assert {(r.rule, r.need) for r in got} == {("V2", "in_person"), ("V11", "locate")}
    assert next(r for r in got if r.rule == "V2").context == "on runaway"
    away = child(**IN_CARE, out_of_state=(OPEN,))
    assert ("V12", 10, "call_child_or_placement") in reqs(case(children=[away]))


def test_v1_investigation_interviews_every_child_and_visits_the_home():
    got = reqs(case("investigation", [child(), child(11)], [parent()]))
    assert got == {("V1", 10, "in_person"), ("V1", 11, "in_person"), ("V1", None, "home_visit")}


def test_partial_month_needs_the_minimum_days():
    late = child(out_of_home=(Period(date(2024, 2, 25)),))  # 5 days of February
    assert reqs(case(children=[late])) == set()
    assert ("V2", 10, "in_person") in reqs(case(children=[late]), min_days=5)
    closed = CaseFacts(
        1, "out_of_home", Period(date(2024, 1, 1), date(2024, 2, 4)), (child(**IN_CARE),)
    )
    assert reqs(closed) == set()


def test_v9_an_attempt_is_never_a_visit_and_v10_one_note_meets_several():
    c = case(children=[child(**IN_CARE, **REUNIFY)], parents=[parent()])
    got = rules.requirements(c, MONTH)
    attempt = Contact(
        1, date(2024, 2, 5), "attempted", "placement", frozenset({10, 20}), narrative="Nobody home"
    )
    outcomes = [rules.evaluate(r, [attempt], today=date(2024, 3, 2)) for r in got]
    assert {o.state for o in outcomes} == {"missed"}
    assert all("attempted on 2024-02-05: Nobody home" in o.reason for o in outcomes)
    visit = Contact(2, date(2024, 2, 6), "in_person", "placement", frozenset({10, 20}))
    assert {rules.evaluate(r, [attempt, visit], today=date(2024, 3, 2)).evidence for r in got} == {
        2
    }


def test_v13_states_and_days_left():
    r = rules.requirements(case(children=[child(**IN_CARE)]), MONTH)[0]
    assert rules.evaluate(r, [], today=date(2024, 2, 20)).days_left == 10
    assert rules.evaluate(r, [], today=date(2024, 2, 20)).state == "open"
    assert rules.evaluate(r, [], today=date(2024, 1, 20)).state == "upcoming"
    assert rules.evaluate(r, [], today=date(2024, 3, 1)).state == "missed"


def test_v3_needs_the_home_and_v12_accepts_a_call_to_the_placement():
    home = rules.requirements(case("in_home_dependency", [child()]), MONTH)[0]
    office = Contact(1, date(2024, 2, 5), "in_person", "office", frozenset({10}))
    assert not rules.meets(home, office)
    assert rules.meets(
        home, Contact(2, date(2024, 2, 5), "in_person", "parents_home", frozenset({10}))
    )
    away = child(**IN_CARE, out_of_state=(OPEN,))
    v12 = next(r for r in rules.requirements(case(children=[away]), MONTH) if r.rule == "V12")
    call = Contact(3, date(2024, 2, 9), "phone", "", frozenset(), frozenset({"resource_parent"}))
    assert rules.meets(v12, call)


@given(
    year=st.integers(1999, 2101),
    month=st.integers(1, 12),
    start_day=st.integers(0, 40),
    length=st.one_of(st.none(), st.integers(1, 70)),
    min_days=st.integers(1, 31),
)
def test_partial_month_rule_holds_on_every_calendar(year, month, start_day, length, min_days):
    """Property: a requirement's window lies inside its month and inside the facts, and
    it exists exactly when the facts cover at least min(min_days, month length) days."""
    first, last = rules.month_bounds(date(year, month, 1))
    start = first - timedelta(days=10) + timedelta(days=start_day)
    end = None if length is None else start + timedelta(days=length)
    c = CaseFacts(
        1,
        "out_of_home",
        Period(date(1990, 1, 1)),
        (Child(10, Period(date(1990, 1, 1)), out_of_home=(Period(start, end),)),),
    )
    got = rules.requirements(c, first, min_days=min_days)
    lo, hi = max(start, first), last if end is None else min(last, end - timedelta(days=1))
    covered = max(0, (hi - lo).days + 1)
    assert bool(got) == (covered >= min(min_days, (last - first).days + 1) and covered > 0)
    for r in got:
        assert first <= r.start <= r.end <= last
        assert r.start >= start and (end is None or r.end < end)
