"""The obligations engine's store: everything that falls due on a case, from every
source (contact requirements, placement deadlines, and later case plans, reviews and
hearings), with its evidence. Pages, dashboards and exports read this one table.

The state is not stored: it follows from the evidence, the dates and today
(hearth.obligations.selectors.with_state computes it in SQL), so it never goes stale
when a month ends.
"""

from django.db import models
from django.db.models import F, Q

from hearth.core.errors import register_constraint_messages


class Obligation(models.Model):
    class Source(models.TextChoices):
        CONTACTS = "contacts", "Contact requirements"
        PLACEMENTS = "placements", "Placement deadlines"
        PLANNING = "planning", "Case planning and teaming"
        COURT = "court", "Court hearings"
        # Answered for by the state's oversight staff the source names (the engine keeps
        # the responsible it is given, with no unit): reviews of recommendations (O1, O2).
        OVERSIGHT = "oversight", "State oversight"

    class State(models.TextChoices):
        UPCOMING = "upcoming", "Upcoming"
        DUE = "due", "Due"
        OVERDUE = "overdue", "Overdue"
        MET = "met", "Met"
        EXCUSED = "excused", "Excused"

    source = models.CharField(max_length=12, choices=Source.choices)
    rule = models.CharField(max_length=4)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="obligations")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    need = models.CharField(max_length=32)
    description = models.CharField(max_length=300)
    month = models.DateField(help_text="The first day of the month it belongs to.")
    starts_on = models.DateField(help_text="Evidence counts from this day.")
    due_on = models.DateField()
    evidence_type = models.CharField(max_length=20, blank=True)
    evidence_id = models.BigIntegerField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)
    excused_reason = models.CharField(max_length=300, blank=True)
    reason = models.CharField(
        max_length=300, blank=True, help_text="The documented reason it is not met."
    )
    responsible = models.ForeignKey(
        "staff.StaffMember", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "staff.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey("staff.Agency", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")), name="obligation_due_after_start"
            ),
            models.CheckConstraint(
                condition=Q(met_on__isnull=True) | Q(evidence_id__isnull=False),
                name="obligation_met_has_evidence",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "responsible"]),
            models.Index(fields=["month", "unit"]),
            models.Index(fields=["month", "agency"]),
            models.Index(fields=["case", "month"]),
        ]

    def __str__(self):
        return f"{self.rule} {self.need} for {self.person_id} due {self.due_on}"


register_constraint_messages(
    {
        "obligation_due_after_start": ("due_on", "An obligation cannot fall due before it starts."),
        "obligation_met_has_evidence": ("evidence_id", "A met obligation needs its evidence."),
    }
)
