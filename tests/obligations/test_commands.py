"""The two commands: rebuild_obligations (everything, from nothing, in batches, with its
progress) and refresh_obligations (the monthly job)."""

from collections import Counter
from io import StringIO

from django.core.management import call_command

from hearth.obligations.models import Obligation

FIELDS = [f.name for f in Obligation._meta.fields if f.name not in ("id", "refreshed_at")]


def rows():
    return Counter(Obligation.objects.values_list(*FIELDS))


def test_rebuild_obligations_makes_what_the_events_made_and_says_how_far_it_is(removed, family):
    before = rows()
    assert before  # V2, V5 ... of every month since the removal and the case's opening
    Obligation.objects.filter(case=family["case"]).update(reason="stale")
    out = StringIO()
    call_command("rebuild_obligations", batch_size=1, stdout=out)
    assert rows() == before
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("1/1 cases, ") and lines[-1].startswith("Rebuilt ")


def test_rebuild_obligations_of_one_case_leaves_the_others(removed, family, worker):
    from tests.factories import PersonFactory, make_case

    other = make_case(
        actor_staff=worker,
        worker=worker,
        case_type="in_home_dependency",
        members=[(PersonFactory(), "child")],
    )
    assert Obligation.objects.filter(case=other, rule="V3").update(reason="kept")
    call_command("rebuild_obligations", case=[family["case"].pk], stdout=StringIO())
    kept = Obligation.objects.filter(case=other, rule="V3")  # (C1 rows too: no reason)
    assert set(kept.values_list("reason", flat=True)) == {"kept"}
