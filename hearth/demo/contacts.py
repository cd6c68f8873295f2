"""The demo's contact notes: last month and this month, most requirements met, some
attempts, some people not yet seen, so "My contacts" and the dashboard have something to
say. Notes are written through the contact service as drafts, then finalized together (the
demo's obligations are rebuilt once at its end: hearth.obligations.engine.deferred)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from hearth.cases.models import Assignment, Case, CaseMember
from hearth.contacts import services
from hearth.contacts.models import ContactNote
from hearth.core.services import now

NARRATIVES = [
    "Monthly visit. The child was well and talked about school.",
    "Visited the home; discussed the case plan and upcoming appointments.",
    "Met with the parent about visitation and services.",
    "Checked on the placement; the resource parent reports a good month.",
]


class ContactDemo:
    def __init__(self, demo):
        self.demo = demo
        self.rng = demo.rng
        self.today = demo.today

    def build(self, cases) -> dict:
        first_this = self.today.replace(day=1)
        first_prev = (first_this - timedelta(days=1)).replace(day=1)
        open_cases = list(
            Case.objects.filter(pk__in=[c.pk for c in cases])
            .exclude(status__in=[Case.Status.CLOSED, Case.Status.REFERRED])
            .select_related("agency")
            .order_by("pk")
        )
        written, ids = 0, []
        for case in open_cases:
            worker = (
                Assignment.objects.filter(case=case, ends_on__isnull=True, kind="primary")
                .select_related("worker__user")
                .first()
            )
            if worker is None:
                continue
            staff = worker.worker
            members = list(
                CaseMember.objects.filter(case=case, ends_on__isnull=True)
                .exclude(role="household_member")
                .select_related("person")
            )
            for first in (first_prev, first_this):
                last = min(self.today, (first + timedelta(days=31)).replace(day=1) - timedelta(1))
                if first == first_this and self.rng.random() < 0.5:
                    continue  # half the cases have not been visited yet this month
                seen = [
                    m for m in members if self.rng.random() < 0.93 and m.person.whereabouts_known
                ]
                earliest = max([first] + [m.starts_on for m in seen])
                if not seen or earliest > last:
                    continue
                day = earliest + timedelta(days=self.rng.randint(0, (last - earliest).days))
                at = timezone.make_aware(datetime.combine(day, time(self.rng.randint(9, 17))))
                if at > now():
                    at = now() - timedelta(hours=1)
                in_care = case.case_type == Case.Type.OUT_OF_HOME
                attempted = self.rng.random() < 0.06
                note = services.contact_note_create(
                    actor=staff.user,
                    author=staff,
                    case=case,
                    occurred_at=at,
                    method="attempted" if attempted else "in_person",
                    location="placement" if in_care else "parents_home",
                    contact_with=[m.person for m in seen],
                    purpose="Monthly visit",
                    narrative=self.rng.choice(NARRATIVES)
                    + (" Nobody answered the door." if attempted else ""),
                )
                ids.append(note.pk)
                written += 1
        ContactNote.objects.filter(pk__in=ids).update(
            status=ContactNote.Status.FINAL, finalized_at=now()
        )
        return {"contact_notes": written}
