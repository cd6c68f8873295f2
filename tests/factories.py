"""factory_boy factories. Case data that has rules is built through the real services
(see the helpers at the bottom); these factories make the plain rows around it."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from hearth.cases import services as case_services
from hearth.cases.models import Case
from hearth.core.services import today
from hearth.intake import services as intake_services
from hearth.people.models import Person
from hearth.placements import services as placement_services
from hearth.reference.models import County, Language, Skill, Tribe
from hearth.staff.models import Agency, Role, StaffMember, StaffRole, Unit
from hearth.visitation import services as visitation_services


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"county-{n}")
    name = factory.Sequence(lambda n: f"County {n}")
    latitude = 39.5
    longitude = -98.35


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"lang-{n}")
    name = factory.Sequence(lambda n: f"Language {n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")


class TribeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tribe
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tribe-{n}")
    name = factory.Sequence(lambda n: f"Tribe {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    code = factory.Sequence(lambda n: f"ag{n}")
    kind = Agency.Kind.LEAD_CONTRACTOR


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.CASE_MANAGEMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff member. Pass roles=[Role.X, ...] (default: case manager)."""

    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    agency = factory.LazyAttribute(lambda o: o.unit.agency if o.unit else AgencyFactory())
    first_name = factory.Sequence(lambda n: f"Worker{n}")
    last_name = "Staff"
    hire_date = factory.LazyFunction(lambda: today() - timedelta(days=800))
    preservice_training_completed_on = factory.LazyFunction(lambda: today() - timedelta(days=760))
    experience_level = StaffMember.Experience.EXPERIENCED

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        roles = extracted if extracted is not None else [Role.CASE_MANAGER]
        StaffRole.objects.bulk_create([StaffRole(staff=self, role=r) for r in roles])
        self._role_set = frozenset(roles)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Sequence(lambda n: f"Testperson{n}")
    date_of_birth = date(2015, 6, 1)


def make_case(*, actor_staff, agency=None, unit=None, worker=None, members=(), **fields) -> Case:
    """Create a case through the services: created, members added, assigned to `worker`
    (the test's choice, so it is recorded as an A7 override of the recommendation)."""
    agency = agency or (worker.agency if worker else actor_staff.agency)
    fields.setdefault("county", CountyFactory())
    fields.setdefault("case_type", Case.Type.IN_HOME_NON_COURT)
    fields.setdefault("opened_on", today() - timedelta(days=60))
    actor = actor_staff.user
    case = case_services.case_create(
        actor=actor, agency=agency, unit=unit or (worker.unit if worker else None), **fields
    )
    for person, role in members:
        case_services.case_member_add(
            actor=actor, case=case, person=person, role=role, starts_on=fields["opened_on"]
        )
    if worker is not None:
        intake_services.case_assign(
            actor=actor,
            assigned_by=actor_staff,
            case=case,
            worker=worker,
            reason="Initial assignment",
            override_reason="Chosen by the test",
            starts_on=fields["opened_on"],
        )
    case.refresh_from_db()
    return case


def remove_with_plan(*, actor, case: Case, child: Person):
    """Remove `child` into care on the case's opening day (through the services) and make a
    visitation plan awaiting one resource parent's signature: (episode, plan)."""
    episode = placement_services.child_remove(
        actor=actor,
        case=case,
        child=child,
        removed_on=case.opened_on,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    plan = visitation_services.visit_plan_create(
        actor=actor,
        case=case,
        child=child,
        made_at="placement_conference",
        made_on=today(),
        arrangements=[
            dict(
                visitor_name="Grandmother",
                visitor_role="relative",
                frequency="weekly",
                location="Office",
            )
        ],
        participants=[dict(name="Sam Foster", role="resource_parent")],
    )
    return episode, plan
