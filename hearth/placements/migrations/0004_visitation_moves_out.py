"""Issue 11: visitation plans, their arrangements and participants, family visits and
visitation reviews (with their history) move to the visitation app. Their tables stay
where they are (the visitation models keep their names in Meta.db_table): this migration
only takes the models out of the placements app's state; visitation 0001 puts them in
its own. Nothing changes in the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('placements', '0003_visit_plan_ended'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                # The models that point at another moved model go first.
                migrations.DeleteModel(name='HistoricalFamilyVisit_visitors'),
                migrations.DeleteModel(name='HistoricalFamilyVisit'),
                migrations.DeleteModel(name='HistoricalPlanParticipant'),
                migrations.DeleteModel(name='HistoricalVisitationReview'),
                migrations.DeleteModel(name='HistoricalVisitationPlan'),
                migrations.DeleteModel(name='FamilyVisit'),
                migrations.DeleteModel(name='VisitationReview'),
                migrations.DeleteModel(name='PlanParticipant'),
                migrations.DeleteModel(name='VisitArrangement'),
                migrations.DeleteModel(name='VisitationPlan'),
            ],
        ),
    ]
