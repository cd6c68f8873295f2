"""Least privilege on roles as a pure function: no database (hearth.policy.grants)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.policy import grants
from hearth.policy.grants import (
    ADMINISTRATOR,
    ALL_ROLES,
    CASE_MANAGER,
    CONTRACTOR_ROLES,
    PROGRAM_DIRECTOR,
    QA_REVIEWER,
    STATE_OVERSIGHT,
    STATE_ROLES,
    SUPERVISOR,
    Change,
    Granter,
)

NSF, RIVAL, DCF = 1, 2, 3  # two contractors and the state oversight agency
KIND = {NSF: "lead_contractor", RIVAL: "service_provider", DCF: "state_oversight"}

DIRECTOR = Granter(frozenset({PROGRAM_DIRECTOR}), KIND[NSF], NSF)
CONTRACTOR_ADMIN = Granter(frozenset({ADMINISTRATOR}), KIND[NSF], NSF)
STATE_ADMIN = Granter(frozenset({ADMINISTRATOR}), KIND[DCF], DCF)


def change(agency=NSF, before=(CASE_MANAGER,), after=None, status=("active", "active"), **kw):
    kw.setdefault("other_active_administrators", 1)
    return Change(
        agency_kind=KIND[agency],
        agency_id=agency,
        is_granter=kw.pop("is_granter", False),
        roles_before=frozenset(before),
        roles_after=frozenset(before if after is None else after),
        status_before=status[0],
        status_after=status[1],
        **kw,
    )


def grant(role, agency=NSF, base=None):
    base = base or ((QA_REVIEWER,) if KIND[agency] == "state_oversight" else (CASE_MANAGER,))
    return change(agency, before=base, after={*base, role})


def outcome(granter, ch):
    """'ok', 403 or 422, and the fields named."""
    problems = grants.grant_problems(granter, ch)
    if not problems:
        return "ok"
    code = 403 if any(p.forbidden for p in problems) else 422
    return code, sorted({p.field for p in problems})


def test_the_reported_escalation_is_refused():
    """A program director gave themselves administrator and state oversight (issue 10)."""
    ch = change(
        before={PROGRAM_DIRECTOR},
        after={PROGRAM_DIRECTOR, ADMINISTRATOR, STATE_OVERSIGHT},
        is_granter=True,
    )
    assert outcome(DIRECTOR, ch) == (403, ["roles"])


@pytest.mark.parametrize("role", sorted(CONTRACTOR_ROLES - {CASE_MANAGER}))
def test_a_program_director_grants_contractor_roles_in_their_own_agency_only(role):
    assert outcome(DIRECTOR, grant(role)) == "ok"
    assert outcome(DIRECTOR, grant(role, RIVAL)) == (403, ["roles"])


@pytest.mark.parametrize("role", sorted(STATE_ROLES | {ADMINISTRATOR}))
def test_a_program_director_never_grants_state_roles_or_administrator(role):
    assert outcome(DIRECTOR, grant(role)) == (403, ["roles"])


def test_removing_a_role_takes_the_power_to_grant_it():
    ch = change(before={SUPERVISOR, ADMINISTRATOR}, after={SUPERVISOR})
    assert outcome(DIRECTOR, ch) == (403, ["roles"])
    assert outcome(CONTRACTOR_ADMIN, ch) == "ok"


@pytest.mark.parametrize("role", sorted(STATE_ROLES))
def test_state_roles_come_from_a_state_administrator_only(role):
    base = (STATE_OVERSIGHT,) if role == QA_REVIEWER else (QA_REVIEWER,)
    assert outcome(STATE_ADMIN, grant(role, DCF, base)) == "ok"
    assert outcome(CONTRACTOR_ADMIN, grant(role, DCF, base)) == (403, ["roles"])
    assert outcome(DIRECTOR, grant(role, DCF, base)) == (403, ["roles"])


def test_administrators_alone_make_administrators_and_the_state_makes_its_own():
    assert outcome(CONTRACTOR_ADMIN, grant(ADMINISTRATOR, RIVAL)) == "ok"
    assert outcome(STATE_ADMIN, grant(ADMINISTRATOR, RIVAL)) == "ok"
    assert outcome(STATE_ADMIN, grant(ADMINISTRATOR, DCF)) == "ok"
    # A contractor's administrator cannot make a state staff member a state administrator.
    assert outcome(CONTRACTOR_ADMIN, grant(ADMINISTRATOR, DCF)) == (403, ["roles"])


def test_roles_fit_the_agency():
    assert outcome(STATE_ADMIN, grant(QA_REVIEWER, NSF)) == (422, ["roles"])
    assert outcome(STATE_ADMIN, grant(CASE_MANAGER, DCF)) == (422, ["roles"])
    assert outcome(CONTRACTOR_ADMIN, grant(SUPERVISOR, RIVAL)) == "ok"


@pytest.mark.parametrize("granter", [DIRECTOR, CONTRACTOR_ADMIN, STATE_ADMIN])
def test_nobody_changes_their_own_roles_or_status(granter):
    mine = change(granter.agency_id, before=granter.roles, is_granter=True)
    assert outcome(granter, mine) == "ok"  # nothing changes
    more = change(
        granter.agency_id, before=granter.roles, after={*granter.roles, SUPERVISOR}, is_granter=True
    )
    assert outcome(granter, more) == (403, ["roles"])
    fewer = change(granter.agency_id, before=granter.roles, after=set(), is_granter=True)
    assert outcome(granter, fewer) == (403, ["roles"])
    for status in ("departed", "on_leave"):
        leaving = change(
            granter.agency_id, before=granter.roles, status=("active", status), is_granter=True
        )
        assert outcome(granter, leaving) == (403, ["status"])


def test_a_program_director_changes_the_status_of_their_own_contractor_staff():
    departs = change(status=("active", "departed"))
    assert outcome(DIRECTOR, departs) == "ok"
    assert outcome(DIRECTOR, change(RIVAL, status=("active", "departed"))) == (403, ["status"])
    # Not an administrator of their agency: that takes an administrator.
    admin = change(before={SUPERVISOR, ADMINISTRATOR}, status=("active", "on_leave"))
    assert outcome(DIRECTOR, admin) == (403, ["status"])
    assert outcome(CONTRACTOR_ADMIN, admin) == "ok"


@pytest.mark.parametrize("granter_roles", [{CASE_MANAGER}, {SUPERVISOR}, STATE_ROLES, set()])
def test_staff_who_are_no_directors_or_administrators_grant_nothing(granter_roles):
    granter = Granter(frozenset(granter_roles), KIND[NSF], NSF)
    assert outcome(granter, grant(SUPERVISOR)) == (403, ["roles"])
    assert outcome(granter, change(status=("active", "departed"))) == (403, ["status"])


def test_the_last_active_administrator_stays():
    last = {"other_active_administrators": 0}
    removed = change(before={ADMINISTRATOR, SUPERVISOR}, after={SUPERVISOR}, **last)
    assert outcome(STATE_ADMIN, removed) == (422, ["roles"])
    departs = change(before={ADMINISTRATOR}, status=("active", "departed"), **last)
    assert outcome(STATE_ADMIN, departs) == (422, ["status"])
    on_leave = change(before={ADMINISTRATOR}, status=("active", "on_leave"), **last)
    assert outcome(STATE_ADMIN, on_leave) == (422, ["status"])
    # With another active administrator, the role and the staff member may go.
    demoted = change(before={ADMINISTRATOR, SUPERVISOR}, after={SUPERVISOR})
    assert outcome(STATE_ADMIN, demoted) == "ok"
    departed = change(before={ADMINISTRATOR}, status=("active", "departed"))
    assert outcome(STATE_ADMIN, departed) == "ok"


def test_unknown_and_missing_roles_are_bad_values():
    assert outcome(STATE_ADMIN, change(after={"wizard"})) == (422, ["roles"])
    assert outcome(STATE_ADMIN, change(after=set())) == (422, ["roles"])


def test_on_creation_only_the_roles_are_checked():
    new = Change(KIND[NSF], NSF, False, frozenset(), frozenset({SUPERVISOR}), None, "active", 0)
    assert outcome(DIRECTOR, new) == "ok"
    other = Change(KIND[RIVAL], RIVAL, False, frozenset(), frozenset({SUPERVISOR}), None, "x", 0)
    assert outcome(DIRECTOR, other) == (403, ["roles"])


roles = st.frozensets(st.sampled_from(sorted(ALL_ROLES)))


@given(
    granter_roles=roles,
    granter_agency=st.sampled_from([NSF, RIVAL, DCF]),
    agency=st.sampled_from([NSF, RIVAL, DCF]),
    before=roles,
    after=roles,
)
def test_no_grant_goes_beyond_the_granters_powers(
    granter_roles, granter_agency, agency, before, after
):
    granter = Granter(granter_roles, KIND[granter_agency], granter_agency)
    ch = change(agency, before=before, after=after)
    if outcome(granter, ch) != "ok":
        return
    touched = before ^ after
    if touched & STATE_ROLES:
        assert granter.is_state_administrator
    if ADMINISTRATOR in touched:
        assert granter.is_administrator
    if touched and not granter.is_administrator:
        assert PROGRAM_DIRECTOR in granter_roles and agency == granter_agency
        assert touched <= CONTRACTOR_ROLES
    assert after and after <= ALL_ROLES
