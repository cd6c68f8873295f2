"""V13: a supervisor conference's documented reason a person is not seen is the contacts
layer's documentation: the unmet requirement to see the person this month shows it as its
reason, and a rebuild of the obligations keeps it (it is read from the record, not
written onto the row)."""

from hearth.contacts.models import NotSeenReason
from hearth.core.services import today
from hearth.obligations import engine
from hearth.obligations.models import Obligation
from hearth.planning.services import teaming as services
from tests.factories import PersonFactory, make_case


def test_v13_conference_reason_documents_why_a_child_is_not_seen(supervisor, worker):
    child = PersonFactory()
    case = make_case(
        actor_staff=supervisor,
        worker=worker,
        case_type="in_home_dependency",
        members=[(child, "child")],
    )
    month = today().replace(day=1)
    seen = Obligation.objects.get(case=case, person=child, month=month, rule="V3")
    assert "documented" not in seen.reason
    conference = services.supervisor_conference_record(
        actor=supervisor.user,
        case=case,
        held_on=today(),
        discussed="Visits this month.",
        decisions="Visit on the family's return.",
        not_seen=child,
        not_seen_reason="With the grandparents out of state until the 28th.",
    )
    record = NotSeenReason.objects.get()
    assert record.source_id == conference.pk and record.on == today()
    seen = Obligation.objects.get(case=case, person=child, month=month, rule="V3")  # rewritten
    assert "documented at a supervisor conference" in seen.reason
    assert "With the grandparents out of state" in seen.reason
    case.refresh_from_db()
    engine.rebuild([case])
    again = Obligation.objects.get(case=case, person=child, month=month, rule="V3")
    assert again.reason == seen.reason
