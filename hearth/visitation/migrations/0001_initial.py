"""The visitation models, moved from the placements app (issue 11) with their tables:
state only (placements 0004 took them out of the placements app's state). The tables,
their history tables, constraints and indexes are the ones placements 0001 and 0003
made; nothing changes in the database."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0004_restricted_cases'),
        ('people', '0002_person_name_keys'),
        ('placements', '0004_visitation_moves_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='FamilyVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('visit_on', models.DateField()),
                        ('status', models.CharField(choices=[('held', 'Held'), ('missed', 'Missed'), ('cancelled', 'Cancelled')], max_length=10)),
                        ('reason', models.TextField(blank=True)),
                        ('location', models.CharField(blank=True, max_length=200)),
                        ('supervised', models.BooleanField(default=False)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='family_visits', to='cases.case')),
                        ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='family_visits', to='people.person')),
                        ('visitors', models.ManyToManyField(blank=True, related_name='+', to='people.person')),
                    ],
                    options={
                        'db_table': 'placements_familyvisit',
                        'ordering': ['-visit_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalFamilyVisit',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('visit_on', models.DateField()),
                        ('status', models.CharField(choices=[('held', 'Held'), ('missed', 'Missed'), ('cancelled', 'Cancelled')], max_length=10)),
                        ('reason', models.TextField(blank=True)),
                        ('location', models.CharField(blank=True, max_length=200)),
                        ('supervised', models.BooleanField(default=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.case')),
                        ('child', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical family visit',
                        'verbose_name_plural': 'historical family visits',
                        'db_table': 'placements_historicalfamilyvisit',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalFamilyVisit_visitors',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('familyvisit', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visitation.familyvisit')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='visitation.historicalfamilyvisit')),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                    ],
                    options={
                        'verbose_name': 'HistoricalFamilyVisit_visitors',
                        'db_table': 'placements_historicalfamilyvisit_visitors',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalVisitationPlan',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('status', models.CharField(choices=[('draft', 'Awaiting signatures'), ('in_effect', 'Signed by all, in effect'), ('replaced', 'Replaced by a newer plan'), ('ended', 'Ended: the child left care')], default='draft', max_length=10)),
                        ('made_at', models.CharField(choices=[('family_team_meeting', 'Family team meeting'), ('placement_conference', 'Placement conference'), ('other', 'Another meeting with the resource parents')], max_length=24)),
                        ('made_on', models.DateField()),
                        ('in_effect_on', models.DateField(blank=True, null=True)),
                        ('ended_on', models.DateField(blank=True, null=True)),
                        ('less_than_weekly_reason', models.TextField(blank=True)),
                        ('notes', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.case')),
                        ('child', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('episode', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='placements.removalepisode')),
                    ],
                    options={
                        'verbose_name': 'historical visitation plan',
                        'verbose_name_plural': 'historical visitation plans',
                        'db_table': 'placements_historicalvisitationplan',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='VisitationPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('status', models.CharField(choices=[('draft', 'Awaiting signatures'), ('in_effect', 'Signed by all, in effect'), ('replaced', 'Replaced by a newer plan'), ('ended', 'Ended: the child left care')], default='draft', max_length=10)),
                        ('made_at', models.CharField(choices=[('family_team_meeting', 'Family team meeting'), ('placement_conference', 'Placement conference'), ('other', 'Another meeting with the resource parents')], max_length=24)),
                        ('made_on', models.DateField()),
                        ('in_effect_on', models.DateField(blank=True, null=True)),
                        ('ended_on', models.DateField(blank=True, null=True)),
                        ('less_than_weekly_reason', models.TextField(blank=True)),
                        ('notes', models.TextField(blank=True)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visit_plans', to='cases.case')),
                        ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visit_plans', to='people.person')),
                        ('episode', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visit_plans', to='placements.removalepisode')),
                    ],
                    options={
                        'db_table': 'placements_visitationplan',
                        'ordering': ['-made_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='VisitArrangement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visitor_name', models.CharField(max_length=200)),
                        ('visitor_role', models.CharField(choices=[('parent', 'Parent'), ('sibling', 'Sibling'), ('relative', 'Relative'), ('other', 'Other interested party')], max_length=10)),
                        ('frequency', models.CharField(choices=[('more_than_weekly', 'More than once a week'), ('weekly', 'Weekly'), ('every_two_weeks', 'Every two weeks'), ('monthly', 'Monthly')], max_length=16)),
                        ('location', models.CharField(max_length=200)),
                        ('supervised', models.BooleanField(default=True)),
                        ('supervisor', models.CharField(blank=True, max_length=200)),
                        ('transport', models.CharField(choices=[('none', 'None needed'), ('worker', 'The worker provides transport'), ('arranged', 'The worker helps arrange transport'), ('reimbursed', 'Travel costs reimbursed')], default='none', max_length=10)),
                        ('evenings_weekends', models.BooleanField(default=False)),
                        ('times', models.CharField(blank=True, max_length=200)),
                        ('visitor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='arrangements', to='visitation.visitationplan')),
                    ],
                    options={
                        'db_table': 'placements_visitarrangement',
                        'ordering': ['plan', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PlanParticipant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('role', models.CharField(choices=[('parent', 'Parent'), ('resource_parent', 'Resource parent'), ('provider', 'Placement provider'), ('child', 'Child'), ('sibling', 'Sibling'), ('worker', 'Case manager'), ('supervisor', 'Supervisor'), ('other', 'Other participant')], max_length=16)),
                        ('signed_on', models.DateField(blank=True, null=True)),
                        ('signature_method', models.CharField(blank=True, choices=[('electronic', 'Signed electronically'), ('paper', 'Signed on paper (recorded)')], max_length=10)),
                        ('signed_as', models.CharField(blank=True, help_text='The name typed as an electronic signature.', max_length=200)),
                        ('copy_given_on', models.DateField(blank=True, null=True)),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                        ('signature_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='visitation.visitationplan')),
                    ],
                    options={
                        'db_table': 'placements_planparticipant',
                        'ordering': ['plan', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalVisitationReview',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('decision', models.CharField(choices=[('continue', 'Continue the schedule'), ('change', 'Change the schedule (a new plan follows)')], max_length=10)),
                        ('obstacles', models.TextField(blank=True)),
                        ('plan_to_overcome', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('child', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.casemeeting')),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visitation.visitationplan')),
                    ],
                    options={
                        'verbose_name': 'historical visitation review',
                        'verbose_name_plural': 'historical visitation reviews',
                        'db_table': 'placements_historicalvisitationreview',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPlanParticipant',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('role', models.CharField(choices=[('parent', 'Parent'), ('resource_parent', 'Resource parent'), ('provider', 'Placement provider'), ('child', 'Child'), ('sibling', 'Sibling'), ('worker', 'Case manager'), ('supervisor', 'Supervisor'), ('other', 'Other participant')], max_length=16)),
                        ('signed_on', models.DateField(blank=True, null=True)),
                        ('signature_method', models.CharField(blank=True, choices=[('electronic', 'Signed electronically'), ('paper', 'Signed on paper (recorded)')], max_length=10)),
                        ('signed_as', models.CharField(blank=True, help_text='The name typed as an electronic signature.', max_length=200)),
                        ('copy_given_on', models.DateField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                        ('signature_recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visitation.visitationplan')),
                    ],
                    options={
                        'verbose_name': 'historical plan participant',
                        'verbose_name_plural': 'historical plan participants',
                        'db_table': 'placements_historicalplanparticipant',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='historicalfamilyvisit',
                    name='plan',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visitation.visitationplan'),
                ),
                migrations.AddField(
                    model_name='familyvisit',
                    name='plan',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='visitation.visitationplan'),
                ),
                migrations.CreateModel(
                    name='VisitationReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('decision', models.CharField(choices=[('continue', 'Continue the schedule'), ('change', 'Change the schedule (a new plan follows)')], max_length=10)),
                        ('obstacles', models.TextField(blank=True)),
                        ('plan_to_overcome', models.TextField(blank=True)),
                        ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visitation_reviews', to='cases.casemeeting')),
                        ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='visitation.visitationplan')),
                    ],
                    options={
                        'db_table': 'placements_visitationreview',
                        'ordering': ['meeting', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='visitationplan',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'in_effect')), fields=('child',), name='visit_plan_one_in_effect'),
                ),
                migrations.AddConstraint(
                    model_name='visitationplan',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'in_effect'), _negated=True), ('in_effect_on__isnull', False), _connector='OR'), name='visit_plan_in_effect_has_date'),
                ),
                migrations.AddConstraint(
                    model_name='planparticipant',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('signed_on__isnull', True), ('signature_method', '')), models.Q(('signed_on__isnull', False), models.Q(('signature_method', ''), _negated=True)), _connector='OR'), name='participant_signature_has_date_and_method'),
                ),
                migrations.AddIndex(
                    model_name='familyvisit',
                    index=models.Index(fields=['child', 'visit_on'], name='placements__child_i_23fb63_idx'),
                ),
                migrations.AddConstraint(
                    model_name='familyvisit',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'held'), models.Q(('reason', ''), _negated=True), _connector='OR'), name='visit_not_held_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='visitationreview',
                    constraint=models.UniqueConstraint(fields=('meeting', 'child'), name='review_one_per_child'),
                ),
            ],
        ),
    ]
