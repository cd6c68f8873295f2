"""Every write to contact notes, exceptions and parent contact plans: one function per
user action, in a transaction. Callers pass a case the actor may edit."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hearth.cases import events
from hearth.cases.models import Case, CaseMember
from hearth.contacts.models import (
    Collateral,
    ContactNote,
    NoteAmendment,
    NotSeenReason,
    ParentContactException,
    ParentContactPlan,
)
from hearth.core.errors import DomainError
from hearth.core.services import lock, now, validated_save
from hearth.people.models import Person
from hearth.policy import contacts as rules
from hearth.staff.permissions import can


def _members_on(case: Case, day: date) -> set[int]:
    return set(
        CaseMember.objects.filter(case=case, starts_on__lte=day)
        .exclude(ends_on__lt=day)
        .values_list("person_id", flat=True)
    )


def _check(
    case: Case,
    *,
    occurred_at: datetime,
    method: str,
    location: str,
    contact_with: list[Person],
    collaterals: list[dict],
    kind: str,
    locate_subject: Person | None,
    locate_method: str,
) -> None:
    """The checks of a note, all at once: nothing is stored when one fails."""
    errors = {}
    if case.is_closed:
        errors["case"] = "This case is closed."
    if occurred_at > now():
        errors["occurred_at"] = "A contact cannot be in the future."
    day = timezone.localdate(occurred_at) if timezone.is_aware(occurred_at) else occurred_at.date()
    members = _members_on(case, day)
    strangers = [p.full_name for p in contact_with if p.pk not in members]
    if strangers:
        errors["contact_with"] = (
            f"Not a member of this case on {day:%Y-%m-%d}: {', '.join(strangers)}."
        )
    if kind == ContactNote.Kind.LOCATE and (
        locate_subject is None or locate_subject.pk not in members
    ):
        errors["locate_subject"] = "Name the case member you are trying to locate."
    problems = rules.note_problems(
        kind=kind,
        method=method,
        location=location,
        with_anyone=bool(contact_with or collaterals),
        locate_method=locate_method,
    )
    errors.update({k: v for k, v in problems.items() if k not in errors})
    bad = [c for c in collaterals if c.get("kind") not in Collateral.Kind.values]
    if bad:
        errors["collaterals"] = "Unknown kind of collateral contact."
    if errors:
        raise DomainError(errors)


@transaction.atomic
def contact_note_create(
    *,
    actor,
    author,
    case: Case,
    occurred_at: datetime,
    narrative: str,
    method: str = "",
    location: str = "",
    contact_with: list[Person] = (),
    collaterals: list[dict] = (),
    purpose: str = "",
    kind: str = ContactNote.Kind.CONTACT,
    locate_subject: Person | None = None,
    locate_method: str = "",
    finalize: bool = False,
) -> ContactNote:
    """Record a contact (or a locate effort); a draft unless `finalize`. V9: an attempt
    is its own method; whoever is ticked on it is not counted as seen."""
    contact_with, collaterals = list(contact_with), list(collaterals)
    if kind == ContactNote.Kind.LOCATE:
        method = rules.LOCATE_METHODS.get(locate_method, "")
    else:  # the locate fields belong to locate efforts only
        locate_subject, locate_method = None, ""
    _check(
        case,
        occurred_at=occurred_at,
        method=method,
        location=location,
        contact_with=contact_with,
        collaterals=collaterals,
        kind=kind,
        locate_subject=locate_subject,
        locate_method=locate_method,
    )
    note = ContactNote(
        case=case,
        author=author,
        kind=kind,
        occurred_at=occurred_at,
        method=method,
        location=location,
        purpose=purpose,
        narrative=narrative,
        locate_subject=locate_subject,
        locate_method=locate_method if kind == ContactNote.Kind.LOCATE else "",
    )
    validated_save(note, actor=actor)
    note.contact_with.set(contact_with)
    Collateral.objects.bulk_create(
        [Collateral(note=note, kind=c["kind"], name=c.get("name", "")) for c in collaterals]
    )
    if finalize:
        return contact_note_finalize(actor=actor, note=note)
    return note


@transaction.atomic
def contact_note_finalize(*, actor, note: ContactNote, version: int | None = None) -> ContactNote:
    """The author finalizes a draft: from now on it counts, and is only amended."""
    note = lock(ContactNote, note.pk)
    note.check_version(version)
    if note.is_final:
        raise DomainError({"status": "This note is already final."})
    if note.author is not None and note.author.user_id != actor.pk:
        raise DomainError({"status": "Only the note's author finalizes it."})
    note.status = ContactNote.Status.FINAL
    note.finalized_at = now()
    note.bump_version()
    validated_save(note, actor=actor)
    events.contact_note_finalized(note, actor=actor, on=timezone.localdate(note.occurred_at))
    return note


@transaction.atomic
def contact_note_update(
    *, actor, note: ContactNote, version: int | None = None, contact_with=None, **changes
) -> ContactNote:
    """The author corrects a draft; a final note is never edited (amend it)."""
    note = lock(ContactNote, note.pk)
    note.check_version(version)
    if note.is_final:
        raise DomainError({"status": "A final note is not edited; add an amendment."})
    if note.author is not None and note.author.user_id != actor.pk:
        raise DomainError({"status": "Only the note's author edits a draft."})
    allowed = {"occurred_at", "location", "purpose", "narrative"}
    if note.kind == ContactNote.Kind.CONTACT:
        allowed.add("method")  # a locate effort's method follows its locate method
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "This field cannot be changed here."))
    for field, value in changes.items():
        setattr(note, field, value)
    people = list(contact_with) if contact_with is not None else list(note.contact_with.all())
    _check(
        note.case,
        occurred_at=note.occurred_at,
        method=note.method,
        location=note.location,
        contact_with=people,
        collaterals=[{"kind": c.kind} for c in note.collaterals.all()],
        kind=note.kind,
        locate_subject=note.locate_subject,
        locate_method=note.locate_method,
    )
    note.bump_version()
    validated_save(note, actor=actor)
    if contact_with is not None:
        note.contact_with.set(people)
    return note


@transaction.atomic
def contact_note_amend(*, actor, note: ContactNote, text: str) -> NoteAmendment:
    """Add to a final note; the original stays as it was, with who amended it and when."""
    note = lock(ContactNote, note.pk)
    if not note.is_final:
        raise DomainError({"status": "A draft is edited, not amended."})
    if not text.strip():
        raise DomainError({"text": "Write the amendment."})
    amendment = NoteAmendment.objects.create(note=note, text=text.strip(), author=actor)
    events.contact_note_amended(note, actor=actor)
    return amendment


def _check_parent(case: Case, person: Person, starts_on: date, ends_on: date | None) -> None:
    if case.is_closed:
        raise DomainError({"case": "This case is closed."})
    if (
        not CaseMember.objects.filter(case=case, person=person, role="parent")
        .exclude(ends_on__lt=starts_on)
        .exists()
    ):
        raise DomainError({"person": "This person is not a parent in this case on that date."})
    if ends_on is not None and ends_on <= starts_on:
        raise DomainError({"ends_on": "The end follows the start."})


@transaction.atomic
def contact_exception_approve(
    *,
    actor,
    approver,
    case: Case,
    person: Person,
    kind: str,
    reason: str,
    starts_on: date,
    ends_on: date | None = None,
) -> ParentContactException:
    """V7, V8: a supervisor approves that a parent is contacted by call or letter."""
    _check_parent(case, person, starts_on, ends_on)
    if not can(approver, "contact.approve_exception"):
        raise DomainError({"approved_by": "A supervisor approves an exception (V7)."})
    if not reason.strip():
        raise DomainError({"reason": "Say why the exception is approved."})
    if kind not in ParentContactException.Kind.values:
        raise DomainError({"kind": "Choose an exception (V7) or lives far away (V8)."})
    exc = ParentContactException(
        case=case,
        person=person,
        kind=kind,
        reason=reason.strip(),
        approved_by=approver,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    validated_save(exc, actor=actor)
    events.contact_exception_approved(exc, actor=actor)
    return exc


@transaction.atomic
def parent_contact_plan_set(
    *,
    actor,
    agreed_by,
    case: Case,
    person: Person,
    need: str,
    every_months: int,
    starts_on: date,
    ends_on: date | None = None,
    notes: str = "",
) -> ParentContactPlan:
    """V6: the supervisor and worker agree how a parent is contacted."""
    _check_parent(case, person, starts_on, ends_on)
    if not can(agreed_by, "contact.agree_plan"):
        raise DomainError({"agreed_by": "The plan is agreed with a supervisor (V6)."})
    if not 1 <= every_months <= 12:
        raise DomainError({"every_months": "Between 1 and 12 months."})
    if need not in ParentContactPlan.Need.values:
        raise DomainError({"need": "Choose a visit in person or a call or letter."})
    for old in ParentContactPlan.objects.filter(case=case, person=person, ends_on__isnull=True):
        old.ends_on = max(starts_on, old.starts_on + timedelta(days=1))
        old.bump_version()
        validated_save(old, actor=actor)
    plan = ParentContactPlan(
        case=case,
        person=person,
        need=need,
        every_months=every_months,
        agreed_by=agreed_by,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    validated_save(plan, actor=actor)
    events.parent_contact_plan_set(plan, actor=actor)
    return plan


@transaction.atomic
def not_seen_reason_record(
    *,
    actor,
    case: Case,
    person: Person,
    on: date,
    reason: str,
    source: str = "",
    source_id: int | None = None,
) -> NotSeenReason:
    """V13: the documented reason `person` is not being seen, as of the day `on` (the
    day it was discussed: a supervisor conference). An unmet requirement to see the
    person whose window holds `on` shows it as its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": "Give the documented reason (V13)."})
    if person.pk not in set(
        CaseMember.objects.filter(case=case).values_list("person_id", flat=True)
    ):
        raise DomainError({"person": "This person is not in the case."})
    record = NotSeenReason(
        case=case,
        person=person,
        on=on,
        reason=reason,
        source=source,
        source_id=source_id,
        recorded_by=actor,
    )
    validated_save(record, actor=actor)
    events.not_seen_reason_recorded(record, actor=actor)
    return record
