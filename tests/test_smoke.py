from hearth.cases.models import Assignment


def test_case_is_created_assigned_and_has_members(case, worker):
    assert case.status == "assigned"
    assert case.members.count() == 2
    assert Assignment.objects.get(case=case, ends_on__isnull=True).worker == worker
