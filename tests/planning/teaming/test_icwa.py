"""C7 and F5: the ICWA inquiry is unknown until asked, never a default "no"
(people migration 0003: a False stored without an inquiry date was the old default and
becomes None; True stays True)."""

import importlib
from datetime import date

from django.apps import apps

from hearth.people.forms import PersonEditForm
from hearth.people.models import Person
from tests.factories import PersonFactory

migration = importlib.import_module(
    "hearth.people.migrations.0003_icwa_inquiry_unknown_until_asked"
)


def test_c7_migration_turns_the_old_default_no_into_not_yet_asked(db):
    old_default, asked, fresh = PersonFactory(), PersonFactory(), PersonFactory()
    Person.objects.filter(pk=old_default.pk).update(icwa_inquiry_made=False)
    Person.objects.filter(pk=asked.pk).update(
        icwa_inquiry_made=True, icwa_inquiry_date=date(2025, 3, 1)
    )
    migration.false_to_unknown(apps, None)
    made = dict(Person.objects.values_list("pk", "icwa_inquiry_made"))
    assert made[old_default.pk] is None and made[asked.pk] is True and made[fresh.pk] is None
    migration.unknown_to_false(apps, None)  # the way back
    assert Person.objects.get(pk=asked.pk).icwa_inquiry_made is True
    assert Person.objects.get(pk=fresh.pk).icwa_inquiry_made is False


def test_c7_person_form_shows_not_yet_asked_and_keeps_it(db):
    person = PersonFactory()
    form = PersonEditForm.for_person(person)
    assert 'value="unknown" selected' in str(form["icwa_inquiry_made"])
    assert "Not yet asked" in str(form["icwa_inquiry_made"])
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(icwa_inquiry_made="unknown", county="")
    bound = PersonEditForm.for_person(person, data=data)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["icwa_inquiry_made"] is None


def test_c7_intake_leaves_the_inquiry_unknown(db):
    from hearth.intake.api.referrals import NewPersonIn

    assert NewPersonIn(first_name="A", last_name="B").icwa_inquiry_made is None
