"""Issue 11's corrections to the contact rules, as pure functions: an approved exception
governs a parent (V7 over V8); a parent in prison, far away or not found still owes the
visit, with the calls, letters or locate efforts as its documented reason (V5, V8, V13);
a child on runaway is "not seen, reason: on runaway" (V11); a child placed out of state
is met by the monthly call (V12); every other child in the home is interviewed (V1)."""

from datetime import date

from hearth.policy import contacts as rules
from hearth.policy.contacts import CaseFacts, Child, Contact, Other, Parent, Period

OPEN = Period(date(2023, 10, 1))
IN_CARE = dict(out_of_home=(Period(date(2023, 10, 1)),))
REUNIFY = dict(goals=(("reunification", Period(date(2023, 10, 1))),))
MONTHS = [date(2024, m, 1) for m in (1, 2, 3, 4)]


def case(children=(), parents=(), others=(), case_type="out_of_home"):
    return CaseFacts(1, case_type, OPEN, tuple(children), tuple(parents), tuple(others))


def kid(pid=10, **kw):
    return Child(pid, OPEN, **kw)


def parent(pid=20, **kw):
    return Parent(pid, OPEN, **kw)


def of(facts, month, person_id=None):
    return [
        r for r in rules.requirements(facts, month) if person_id is None or r.person_id == person_id
    ]


def call(note_id, on, with_id=20, method="phone"):
    return Contact(note_id, on, method, "", frozenset({with_id}))


def locate(note_id, on, subject):
    return Contact(note_id, on, "letter", "", locate_subject=subject)


def test_v7_over_v8_an_exception_governs_an_incarcerated_parent():
    """Whatever else is true of the parent (V8: incarcerated, far away, not found), an
    approved exception (V7) is the only requirement while it is in force: one call in
    the first month meets it for three months, and the fourth month is due again."""
    exception = (Period(date(2024, 1, 1), date(2024, 7, 1)),)
    for who in (
        parent(incarcerated=True, exceptions=exception),
        parent(whereabouts_known=False, exceptions=exception),
        parent(far_away=(OPEN,), exceptions=exception),
    ):
        facts = case([kid(**IN_CARE, **REUNIFY)], [who])
        by_month = [of(facts, m, 20) for m in MONTHS]
        assert all(
            [(r.rule, r.need) for r in got] == [("V7", "call_or_letter")] for got in by_month
        )
        one_call = [call(1, date(2024, 1, 9))]
        states = [
            rules.evaluate(got[0], one_call, today=date(2024, 4, 10)).state for got in by_month
        ]
        assert states == ["met", "met", "met", "open"]
        assert rules.evaluate(by_month[3][0], one_call, today=date(2024, 5, 1)).state == "missed"


def test_v7_the_visit_is_owed_again_when_the_exception_ends():
    who = parent(incarcerated=True, exceptions=(Period(date(2024, 1, 1), date(2024, 3, 1)),))
    facts = case([kid(**IN_CARE, **REUNIFY)], [who])
    assert {r.rule for r in of(facts, date(2024, 2, 1), 20)} == {"V7"}
    assert {r.rule for r in of(facts, date(2024, 3, 1), 20)} == {"V5", "V8"}


def test_v8_without_an_exception_the_visit_is_owed_and_the_call_is_its_reason():
    """V5 stays owed by an incarcerated parent; the monthly call (V8) is recorded and met,
    and it is the visit's documented reason (V13), never the visit itself."""
    facts = case([kid(**IN_CARE, **REUNIFY)], [parent(incarcerated=True)])
    got = {r.rule: r for r in of(facts, date(2024, 2, 1), 20)}
    assert {(k, r.need) for k, r in got.items()} == {
        ("V5", "in_person"),
        ("V8", "call_or_letter"),
    }
    notes = [call(1, date(2024, 2, 9))]
    v5 = rules.evaluate(got["V5"], notes, today=date(2024, 3, 1))
    assert v5.state == "missed" and v5.evidence is None
    assert v5.reason == "incarcerated: call or letter recorded 2024-02-09"
    assert rules.evaluate(got["V8"], notes, today=date(2024, 3, 1)).evidence == 1
    assert got["V5"].need in rules.SEEN_NEEDS and got["V8"].need not in rules.SEEN_NEEDS


def test_v8_far_away_and_whereabouts_unknown_are_reasons_too():
    far = case([kid(**IN_CARE, **REUNIFY)], [parent(far_away=(OPEN,))])
    v5 = next(r for r in of(far, date(2024, 2, 1), 20) if r.rule == "V5")
    letter = call(1, date(2024, 2, 5), method="letter")
    assert rules.evaluate(v5, [letter], today=date(2024, 3, 1)).reason == (
        "lives far away: call or letter recorded 2024-02-05"
    )
    lost = case([kid(**IN_CARE, **REUNIFY)], [parent(whereabouts_known=False)])
    got = {r.rule: r for r in of(lost, date(2024, 2, 1), 20)}
    assert got["V8"].need == "locate"
    effort = [locate(2, date(2024, 2, 12), 20)]
    assert rules.evaluate(got["V8"], effort, today=date(2024, 3, 1)).evidence == 2
    assert rules.evaluate(got["V5"], effort, today=date(2024, 3, 1)).reason == (
        "whereabouts unknown: locate efforts recorded 2024-02-12"
    )
    # Nothing recorded: the status alone is the reason the visit did not happen.
    assert rules.evaluate(got["V5"], [], today=date(2024, 3, 1)).reason == "whereabouts unknown"


def test_v11_a_runaway_childs_visit_and_locate_rows_carry_their_own_reason():
    run = kid(**IN_CARE, runaway=(Period(date(2024, 1, 20)),))
    got = {r.rule: r for r in of(case([run]), date(2024, 2, 1))}
    assert set(got) == {"V2", "V11"}
    assert rules.evaluate(got["V11"], [], today=date(2024, 2, 10)).reason == "on runaway"
    efforts = [locate(1, date(2024, 2, 3), 10), locate(2, date(2024, 2, 8), 10)]
    assert rules.evaluate(got["V11"], efforts, today=date(2024, 2, 10)).evidence == 1
    v2 = rules.evaluate(got["V2"], efforts, today=date(2024, 3, 1))
    assert v2.state == "missed" and v2.reason == "on runaway: locate efforts recorded 2024-02-08"
    assert v2.attempts == (1, 2)


def test_v12_a_child_placed_out_of_state_is_met_by_the_monthly_call():
    away = kid(**IN_CARE, out_of_state=(Period(date(2024, 1, 1)),))
    got = of(case([away]), date(2024, 2, 1))
    assert [(r.rule, r.need, r.context) for r in got] == [
        ("V12", "call_child_or_placement", "placed out of state")
    ]
    to_placement = Contact(
        1, date(2024, 2, 14), "phone", "", frozenset(), frozenset({"resource_parent"})
    )
    assert rules.evaluate(got[0], [to_placement], today=date(2024, 3, 1)).state == "met"
    # Moved out of state on 20 February: seen in person before, called after.
    moved = kid(**IN_CARE, out_of_state=(Period(date(2024, 2, 20)),))
    assert {r.rule for r in of(case([moved]), date(2024, 2, 1))} == {"V2", "V12"}


def test_v1_every_other_child_in_the_home_is_interviewed():
    """V1: alleged victims and siblings (the child roles) and any other member living in
    the household who is a minor by date of birth; not an adult, not a child living
    elsewhere, not someone whose date of birth is unknown."""
    others = [
        Other(30, OPEN, born=date(2012, 5, 1)),  # a cousin living in the home
        Other(31, OPEN, born=date(1990, 5, 1)),  # an adult in the home
        Other(32, OPEN, in_household=False, born=date(2013, 5, 1)),  # lives elsewhere
        Other(33, OPEN),  # date of birth unknown
        Other(34, OPEN, born=date(2006, 2, 10)),  # turns 18 on 10 February 2024
    ]
    facts = case([kid()], others=others, case_type="investigation")
    got = {(r.rule, r.person_id, r.need) for r in rules.requirements(facts, date(2024, 2, 1))}
    assert got == {
        ("V1", 10, "in_person"),
        ("V1", 30, "in_person"),
        ("V1", 34, "in_person"),  # a child for 9 days of the month (7 are enough)
        ("V1", None, "home_visit"),
    }
    march = {r.person_id for r in rules.requirements(facts, date(2024, 3, 1))}
    assert 34 not in march and 30 in march
    assert not rules.requirements(
        case(others=[Other(30, OPEN, born=date(2012, 5, 1))]), date(2024, 2, 1)
    )  # outside an investigation the rule does not apply
    leap = rules.requirements(
        case(others=[Other(35, OPEN, born=date(2008, 2, 29))], case_type="investigation"),
        date(2026, 2, 1),
        adult_age=18,
    )
    assert 35 in {r.person_id for r in leap}  # 18 on 1 March 2026


def test_v13_a_missed_call_is_never_explained_by_the_status_that_asks_for_it():
    """reason_for names calls and letters only when a visit is owed; a V8 row not met
    shows its status but stays an unexplained miss on the dashboard (not a seen need)."""
    facts = case([kid(**IN_CARE, **REUNIFY)], [parent(incarcerated=True)])
    v8 = next(r for r in of(facts, date(2024, 2, 1), 20) if r.rule == "V8")
    attempt = Contact(5, date(2024, 2, 3), "attempted", "", frozenset({20}), narrative="Lockdown")
    outcome = rules.evaluate(v8, [attempt], today=date(2024, 3, 1))
    assert outcome.reason == "incarcerated: attempted on 2024-02-03: Lockdown"
    assert v8.need not in rules.SEEN_NEEDS
