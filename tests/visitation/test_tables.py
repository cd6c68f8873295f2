"""The visitation models left the placements app (issue 11) without changing a table:
each keeps its table, its history table and its many-to-many tables under their
placements names."""

from hearth.visitation.models import (
    FamilyVisit,
    PlanParticipant,
    VisitArrangement,
    VisitationPlan,
    VisitationReview,
)


def test_the_moved_models_keep_their_tables():
    moved = (VisitationPlan, VisitArrangement, PlanParticipant, FamilyVisit, VisitationReview)
    tables = {model._meta.db_table for model in moved}
    history = {
        model.history.model._meta.db_table
        for model in (VisitationPlan, PlanParticipant, FamilyVisit, VisitationReview)
    }
    assert tables == {
        "placements_visitationplan",
        "placements_visitarrangement",
        "placements_planparticipant",
        "placements_familyvisit",
        "placements_visitationreview",
    }
    assert history == {
        "placements_historicalvisitationplan",
        "placements_historicalplanparticipant",
        "placements_historicalfamilyvisit",
        "placements_historicalvisitationreview",
    }
    visitors = FamilyVisit._meta.get_field("visitors")
    assert visitors.remote_field.through._meta.db_table == "placements_familyvisit_visitors"
    history_visitors = FamilyVisit.history.model.visitors.model
    assert history_visitors._meta.db_table == "placements_historicalfamilyvisit_visitors"
