"""Every database constraint reaches a person as the field it concerns and a reason in
words, never by its internal name (issue 10, section 6): each app registers its
constraints' messages next to its models, and validated_save uses them, whether the
validation or the database itself refuses the row."""

import pytest
from django.apps import apps
from django.db import connection

from hearth.core.errors import (
    CONSTRAINT_MESSAGES,
    DomainError,
    constraint_error,
    register_constraint_messages,
)
from hearth.core.services import validated_save
from hearth.people.models import Relationship
from hearth.placements.models import RemovalEpisode
from tests.factories import PersonFactory
from tests.placements.conftest import days_ago


def all_constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            yield model, constraint


def test_every_constraint_of_every_model_has_a_field_and_a_message():
    checked = 0
    for model, constraint in all_constraints():
        where = f"{model._meta.label}: {constraint.name}"
        assert constraint.name in CONSTRAINT_MESSAGES, f"{where} has no registered message"
        field, message = CONSTRAINT_MESSAGES[constraint.name]
        assert model._meta.get_field(field).concrete, where
        assert message.endswith(".") and len(message) > 15, where
        assert constraint.name not in message, where
        checked += 1
    assert checked >= 49


def test_every_registered_message_belongs_to_a_constraint():
    names = {constraint.name for _, constraint in all_constraints()}
    # Constraints that migrations add in SQL (PostgreSQL exclusion constraints).
    in_sql = {"placement_no_overlap", "episode_no_overlap"}
    assert set(CONSTRAINT_MESSAGES) == names | in_sql


def test_a_constraint_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="relationship_not_self"):
        register_constraint_messages({"relationship_not_self": ("other", "Again.")})
    assert constraint_error("relationship_not_self") == {
        "other": "A person cannot be related to themselves."
    }


def test_a_constraint_refused_by_validation_names_its_field(supervisor, db):
    person = PersonFactory()
    rel = Relationship(person=person, other=person, kind="sibling")
    with pytest.raises(DomainError) as refused:
        validated_save(rel, actor=supervisor.user)
    assert refused.value.errors == {"other": "A person cannot be related to themselves."}
    assert not Relationship.objects.exists()


def test_a_unique_constraint_names_its_field(supervisor, db):
    a, b = PersonFactory(), PersonFactory()
    validated_save(Relationship(person=a, other=b, kind="sibling"), actor=supervisor.user)
    with pytest.raises(DomainError) as refused:
        validated_save(Relationship(person=a, other=b, kind="sibling"), actor=supervisor.user)
    assert refused.value.errors == {"kind": "This relationship is already recorded."}


def test_a_constraint_refused_by_the_database_names_its_field(removed, worker):
    """The database's own refusal (here: validation skipped for the field, as when a
    concurrent write wins the race) is told in the same words, without the name."""
    episode = RemovalEpisode.objects.get(pk=removed.pk)
    episode.exited_on = days_ago(61)
    episode.exit_reason = RemovalEpisode.ExitReason.REUNIFICATION
    with pytest.raises(DomainError) as refused:
        validated_save(episode, actor=worker.user, exclude=["exited_on"])
    assert refused.value.errors == {"exited_on": "The exit cannot be dated before the removal."}
    assert "episode_exit_after_removal" not in str(refused.value)
    assert RemovalEpisode.objects.get(pk=removed.pk).exited_on is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints: PostgreSQL")
def test_a_constraint_only_the_database_knows_is_named_by_its_field(removed, family, worker):
    """PostgreSQL's exclusion constraint on removal periods (no model counterpart)."""
    second = RemovalEpisode(
        case=family["case"],
        child=family["child"],
        removed_on=days_ago(90),
        exited_on=days_ago(30),
        exit_reason=RemovalEpisode.ExitReason.REUNIFICATION,
        legal_basis="court_ordered",
        removal_reasons=["neglect"],
    )
    with pytest.raises(DomainError) as refused:
        validated_save(second, actor=worker.user)
    assert refused.value.errors == {"removed_on": "This overlaps another removal of the child."}
