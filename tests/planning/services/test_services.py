"""The provider directory (P8) and service referrals linked to needs (C9), through the
services against a real database: each refusal names the field and stores nothing."""

import pytest

from hearth.cases.models import CaseEvent
from hearth.core.errors import ConflictError, DomainError, Forbidden
from hearth.planning.models import CasePlan, ProgressReport, Provider, ServiceReferral
from hearth.planning.selectors import services as selectors
from hearth.planning.selectors.assessments import needs_without_service
from hearth.planning.services import services
from hearth.reference.models import Language
from tests.factories import CountyFactory, LanguageFactory, PersonFactory
from tests.planning.services.conftest import assess, days_ago, make_provider, service

SPECIFIC = "Weekly sessions on night-time fears so that Ava sleeps through four nights a week."


def refer(family, worker, provider, needs, **overrides):
    kwargs = dict(
        actor=worker.user,
        case=family["case"],
        person=family["child"],
        provider=provider,
        service=service("trauma-therapy"),
        needs=needs,
        specific_needs=SPECIFIC,
        referred_on=days_ago(2),
    )
    kwargs.update(overrides)
    return services.service_referral_create(**kwargs)


def refused(field, call, *args, model=ServiceReferral, **kwargs):
    """`call` raises DomainError naming `field`, and no row of `model` is added."""
    before = model.objects.count()
    with pytest.raises(DomainError) as exc:
        call(*args, **kwargs)
    assert field in exc.value.errors, exc.value.errors
    assert model.objects.count() == before
    return exc.value.errors[field]


# --- P8: the provider directory -----------------------------------------------------------


def test_p8_director_adds_a_provider_with_services_languages_and_county(director):
    spanish = LanguageFactory(code="es", name="Spanish")
    county = CountyFactory()
    provider = services.provider_create(
        actor=director.user,
        name="  Harbor Family Center ",
        services=[service("parenting-education"), service("family-therapy")],
        languages=[spanish],
        county=county,
        phone="(555) 010-3000 ext. 12",
        email="intake@harbor.example",
    )
    provider.refresh_from_db()
    assert provider.name == "Harbor Family Center" and provider.active
    assert {s.code for s in provider.services.all()} == {"parenting-education", "family-therapy"}
    assert list(provider.languages.all()) == [spanish]
    assert provider.history.exists()


@pytest.mark.parametrize(
    "field,kwargs",
    [
        ("name", {"name": "   "}),
        ("services", {"services": []}),
        ("email", {"email": "not an address"}),
        ("phone", {"phone": "call the front desk"}),
        ("phone", {"phone": "12-34"}),
    ],
)
def test_p8_provider_refusals_name_the_field_and_store_nothing(director, field, kwargs):
    values = {"name": "Harbor", "services": [service("housing")]} | kwargs
    refused(field, services.provider_create, actor=director.user, model=Provider, **values)


def test_p8_only_those_who_keep_the_directory_change_it(worker, supervisor, director):
    for who in (worker, supervisor):
        with pytest.raises(Forbidden):
            services.provider_create(actor=who.user, name="X", services=[service("housing")])
    provider = make_provider()
    with pytest.raises(Forbidden):
        services.provider_update(actor=worker.user, provider=provider, version=1, name="Y")
    assert Provider.objects.count() == 1


def test_p8_update_checks_the_version_and_deactivate_keeps_referrals(
    director, worker, family, needs
):
    provider = make_provider(services=("trauma-therapy",))
    referral = refer(family, worker, provider, [needs["trauma"].pk])
    provider = services.provider_update(
        actor=director.user,
        provider=provider,
        version=1,
        name="Bright Path",
        services=[service("trauma-therapy"), service("housing")],
    )
    assert provider.version == 2 and provider.name == "Bright Path"
    with pytest.raises(ConflictError):
        services.provider_update(actor=director.user, provider=provider, version=1, name="Z")
    services.provider_deactivate(actor=director.user, provider=provider, version=2)
    provider.refresh_from_db()
    assert not provider.active and provider.name == "Bright Path"
    referral.refresh_from_db()
    assert referral.status == "sent"
    # a provider no longer active takes no new referral
    msg = refused("provider", refer, family, worker, provider, [needs["sleep"].pk])
    assert "no longer" in msg


def test_p8_provider_search_by_service_language_county_and_name(worker):
    spanish = LanguageFactory(code="es", name="Spanish")
    county = CountyFactory()
    a = make_provider("Alder Counselling", services=("trauma-therapy",), county=county)
    a.languages.set([spanish])
    make_provider("Birch Housing", services=("housing",))
    gone = make_provider("Cedar Therapy", services=("trauma-therapy",), active=False)

    def names(**kw):
        return [p.name for p in selectors.provider_search(viewer=worker.user, **kw)]

    assert names() == ["Alder Counselling", "Birch Housing"]
    assert names(service=service("trauma-therapy")) == ["Alder Counselling"]
    assert names(language=Language.objects.get(code="es")) == ["Alder Counselling"]
    assert names(county=county) == ["Alder Counselling"]
    assert names(q="birch") == ["Birch Housing"]
    assert gone.name in names(active=None)


# --- C9: referrals linked to needs ---------------------------------------------------------


def test_c9_referral_links_needs_and_tells_the_provider_the_specific_needs(
    family, worker, provider, needs
):
    referral = refer(family, worker, provider, [needs["trauma"].pk, needs["sleep"].pk])
    assert referral.status == "sent" and referral.status_on == referral.referred_on
    assert {n.pk for n in referral.needs.all()} == {needs["trauma"].pk, needs["sleep"].pk}
    assert referral.specific_needs == SPECIFIC
    event = CaseEvent.objects.get(case=family["case"], type="service_referral_sent")
    assert event.payload["needs"] == sorted([needs["trauma"].pk, needs["sleep"].pk])
    # the needs now have a service; the family's does not
    without = {n.pk for n in needs_without_service(family["case"])}
    assert without == {needs["family_school"].pk}


def test_c9_a_family_need_may_be_met_by_a_service_to_a_parent(family, worker, needs):
    provider = make_provider(services=("tutoring",))
    referral = refer(
        family,
        worker,
        provider,
        [needs["family_school"].pk],
        person=family["parent"],
        service=service("tutoring"),
    )
    assert list(referral.needs.all()) == [needs["family_school"]]


@pytest.mark.parametrize(
    "field,change",
    [
        ("needs", lambda n: {"needs": []}),
        ("needs", lambda n: {"needs": [n["watch"].pk]}),  # rated 1: watch, not act
        ("needs", lambda n: {"needs": [n["strength"].pk]}),  # a strength is no need
        ("needs", lambda n: {"needs": [987654]}),
        ("specific_needs", lambda n: {"specific_needs": "   "}),
        ("specific_needs", lambda n: {"specific_needs": "Services as needed."}),
        ("specific_needs", lambda n: {"specific_needs": "Therapy for trauma."}),
        ("referred_on", lambda n: {"referred_on": days_ago(-1)}),
        ("referred_on", lambda n: {"referred_on": days_ago(400)}),
        ("service", lambda n: {"service": service("housing")}),
    ],
)
def test_c9_referral_refusals_name_the_field_and_store_nothing(
    family, worker, provider, needs, field, change
):
    overrides = {"needs": [needs["trauma"].pk]} | change(needs)
    refused(field, refer, family, worker, provider, **overrides)
    assert not CaseEvent.objects.filter(type="service_referral_sent").exists()


def test_c9_a_need_of_another_persons_assessment_is_refused(family, worker, provider, needs):
    msg = refused(
        "needs", refer, family, worker, provider, [needs["trauma"].pk], person=family["parent"]
    )
    assert "another person" in msg


def test_c9_need_of_another_case_and_a_stranger_and_a_foreign_plan(
    family, worker, provider, needs, other_case
):
    other_child = other_case.members.get().person
    foreign = assess(other_case, other_child, worker, {"sleep": 3}).ratings.get()
    refused("needs", refer, family, worker, provider, [foreign.pk])
    refused("person", refer, family, worker, provider, [needs["trauma"].pk], person=PersonFactory())
    plan = CasePlan.objects.create(case=other_case, number=1, created_by=worker.user)
    refused("plan", refer, family, worker, provider, [needs["trauma"].pk], plan=plan)


def test_c9_only_needs_of_the_latest_assessment_are_actionable(family, worker, provider, needs):
    """A need met since (rated 0 in a newer assessment) is no longer one to refer for."""
    assess(family["case"], family["child"], worker, {"sleep": 0, "trauma": 3})
    refused("needs", refer, family, worker, provider, [needs["trauma"].pk])


def test_c9_referral_needs_an_editable_open_case(family, worker, provider, needs, world):
    colleague_sees = world["staff"]["holder"]
    with pytest.raises(Forbidden):
        refer(family, colleague_sees, provider, [needs["trauma"].pk])
    family["case"].status = "closed"
    family["case"].closed_on = days_ago(0)
    family["case"].save()
    refused("case", refer, family, worker, provider, [needs["trauma"].pk])


# --- P8: the worker monitors: status machine and reports ------------------------------------


@pytest.fixture
def referral(family, worker, provider, needs):
    return refer(family, worker, provider, [needs["trauma"].pk], referred_on=days_ago(10))


def move(referral, worker, status, on, reason="", version=None):
    referral.refresh_from_db()
    return services.service_referral_status(
        actor=worker.user,
        referral=referral,
        status=status,
        on=on,
        reason=reason,
        version=referral.version if version is None else version,
    )


def test_p8_status_runs_sent_accepted_started_completed(referral, worker):
    for status, day in (("accepted", 9), ("started", 7), ("completed", 0)):
        move(referral, worker, status, days_ago(day))
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.status_on == days_ago(0)
    kinds = CaseEvent.objects.filter(type="service_referral_status_changed")
    assert [e.payload["new"] for e in kinds.order_by("id")] == ["accepted", "started", "completed"]
    # nothing changes after completion
    msg = refused("status", move, referral, worker, "ended_early", days_ago(0), "Moved away")
    assert "closed" in msg


@pytest.mark.parametrize("start", [[], ["accepted"], ["accepted", "started"]])
def test_p8_ends_early_from_any_open_status_with_a_reason(referral, worker, start):
    for status in start:
        move(referral, worker, status, days_ago(5))
    refused("reason", move, referral, worker, "ended_early", days_ago(1), "  ")
    move(referral, worker, "ended_early", days_ago(1), "The family moved out of the county.")
    referral.refresh_from_db()
    assert referral.status == "ended_early" and referral.ended_reason.startswith("The family")
    refused("status", move, referral, worker, "accepted", days_ago(0))


def test_p8_status_refusals(referral, worker):
    refused("status", move, referral, worker, "started", days_ago(5))  # skips accepted
    refused("status", move, referral, worker, "completed", days_ago(5))
    refused("status", move, referral, worker, "sent", days_ago(5))
    refused("on", move, referral, worker, "accepted", days_ago(11))  # before the referral
    refused("on", move, referral, worker, "accepted", days_ago(-1))  # future
    refused("reason", move, referral, worker, "accepted", days_ago(5), "no reason needed")
    move(referral, worker, "accepted", days_ago(5))
    refused("on", move, referral, worker, "started", days_ago(6))  # before the last status
    with pytest.raises(ConflictError):
        move(referral, worker, "started", days_ago(4), version=1)
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.status_on == days_ago(5)


def test_p8_progress_reports_after_acceptance(referral, worker):
    def report(**kw):
        values = dict(
            actor=worker.user,
            referral=referral,
            reported_on=days_ago(3),
            reporter="Lee Counsellor",
            progress="improving",
            attendance="3 of 4 sessions",
            narrative="Ava names her worries and sleeps better on most nights.",
        )
        return services.progress_report_record(**(values | kw))

    refused("referral", report, model=ProgressReport)  # still only sent
    move(referral, worker, "accepted", days_ago(8))
    refused("reported_on", report, model=ProgressReport, reported_on=days_ago(11))
    refused("reported_on", report, model=ProgressReport, reported_on=days_ago(-1))
    refused("reporter", report, model=ProgressReport, reporter=" ")
    refused("narrative", report, model=ProgressReport, narrative="")
    refused("progress", report, model=ProgressReport, progress="great")
    made = report()
    assert made.recorded_by == worker.user
    event = CaseEvent.objects.get(type="progress_report_recorded")
    assert event.payload["report"] == made.pk and event.case_id == referral.case_id


def test_c9_an_ended_referral_leaves_its_needs_without_service(referral, worker, needs):
    case = referral.case
    assert needs["trauma"].pk not in {n.pk for n in needs_without_service(case)}
    move(referral, worker, "ended_early", days_ago(1), "Declined by the parent.")
    assert needs["trauma"].pk in {n.pk for n in needs_without_service(case)}
    covered, without = selectors.need_coverage(case)
    assert needs["trauma"] in without and not covered


def test_c9_case_referrals_read_in_a_fixed_number_of_queries(
    family, worker, provider, needs, django_assert_num_queries
):
    def read():
        rows = list(selectors.case_referrals(family["case"]))
        seen = []
        for r in rows:
            seen += [p.narrative for p in r.reports.all()]
            seen += [r.person.full_name, r.provider.name, r.service.code]
            seen += [(n.assessment.subject_id, n.item.text) for n in r.needs.all()]
        return rows

    refer(family, worker, provider, [needs["trauma"].pk])
    with django_assert_num_queries(3):
        read()
    refer(family, worker, provider, [needs["sleep"].pk], service=service("family-therapy"))
    with django_assert_num_queries(3):
        assert len(read()) == 2
