"""Writes of the state's quality assurance reviews (O3, C8, P9): drawing a period's sample
(set-based: one query for the population, bulk inserts for the sample's cases, their QA
access grants and their reviews), answering and finalizing a review, the contractor's
response, and the corrective actions that finalized reviews open (P9). Each function
checks its rules and writes atomically: bad input raises DomainError naming the field
and nothing is stored."""

import random
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from simple_history.utils import bulk_create_with_history

from hearth.cases import events
from hearth.cases.models import Case, CaseAccessGrant
from hearth.core.errors import DomainError, Forbidden
from hearth.core.services import lock, today, validated_save
from hearth.oversight.models import CorrectiveAction, QaAnswer, QaReview, QaSample, QaSampleCase
from hearth.planning.models import Instrument, InstrumentItem
from hearth.policy import qa as rules
from hearth.policy.settings import DEFAULTS, PolicySettings
from hearth.staff.access import staff_for
from hearth.staff.models import Agency, StaffMember
from hearth.staff.permissions import can, roles_with

DEFAULT_INSTRUMENT = "case-planning-fidelity"
MAX_SAMPLE = 10_000
# A seed fits the sample's signed 64-bit column.
MAX_SEED = 2**63 - 1


def _staff(actor, capability: str) -> StaffMember:
    staff = staff_for(actor)
    if not can(staff, capability):
        raise Forbidden()
    return staff


def state_settings() -> PolicySettings:
    """O3, P9: the QA settings are the state's: its oversight agency's policy (the
    defaults when there is none)."""
    state = Agency.objects.filter(kind=Agency.Kind.STATE_OVERSIGHT).order_by("pk").first()
    return state.policy if state is not None else DEFAULTS


def default_instrument() -> Instrument | None:
    """C8: the shared fidelity instrument of the practice guide."""
    return Instrument.objects.filter(
        code=DEFAULT_INSTRUMENT, agency__isnull=True, kind=Instrument.Kind.FIDELITY, active=True
    ).first()


def qa_reviewers():
    """O3: the staff a sample's cases may be given to: active QA reviewers."""
    return (
        StaffMember.objects.filter(roles__role__in=roles_with("qa.review"))
        .exclude(status=StaffMember.Status.DEPARTED)
        .distinct()
    )


def population(*, period_start: date, period_end: date, agency: Agency | None = None):
    """O3: the cases of a period's QA population: of a contractor (never the state's),
    open at some time in the period (opened by its end, not closed before its start), as
    (case id, agency id, unit id) in id order: one query."""
    cases = (
        Case.objects.filter(opened_on__lte=period_end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period_start))
        .exclude(agency__kind=Agency.Kind.STATE_OVERSIGHT)
    )
    if agency is not None:
        cases = cases.filter(agency=agency)
    return [
        rules.Candidate(*row)
        for row in cases.order_by("pk").values_list("pk", "agency_id", "unit_id")
    ]


@transaction.atomic
def sample_draw(
    *,
    actor,
    period_start: date,
    period_end: date,
    reviewers: Iterable[StaffMember],
    size: int | None = None,
    seed: int | None = None,
    agency: Agency | None = None,
    instrument: Instrument | None = None,
) -> QaSample:
    """O3: draw the QA sample of a period (capability qa.sample): `size` cases (default:
    the setting qa_sample_size) of the population (`population`), stratified by
    contractor and unit and reproducible from `seed` (default: a random one, stored);
    the reviewers take the cases in turn. Each sampled case is granted to its reviewer
    (CaseAccessGrant purpose qa_review: only now does the reviewer see it) and gets a
    draft review with the instrument (C8: a fidelity one), due `qa_review_days` after
    the draw. Set-based: a fixed number of queries whatever the size."""
    staff = _staff(actor, "qa.sample")
    settings = state_settings()
    reviewers = list(dict.fromkeys(reviewers or ()))
    size = settings.qa_sample_size if size is None else size
    errors: dict[str, str] = {}
    if period_start is None:
        errors["period_start"] = "Give the first day of the period."
    if period_end is None:
        errors["period_end"] = "Give the last day of the period."
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = "The period ends on or after its first day."
    if period_start is not None and period_start > today():
        errors["period_start"] = "A period sampled has begun."
    if not 1 <= size <= MAX_SAMPLE:
        errors["size"] = f"Draw 1 to {MAX_SAMPLE:,} cases."
    if seed is not None and not 0 <= seed <= MAX_SEED:
        errors["seed"] = "A seed is a whole number from 0 to 2^63 - 1."
    if agency is not None and agency.kind == Agency.Kind.STATE_OVERSIGHT:
        errors["agency"] = "Choose a contractor, or none for every contractor."
    if not reviewers:
        errors["reviewers"] = "Name at least one QA reviewer to take the cases."
    elif len({r.pk for r in qa_reviewers().filter(pk__in=[r.pk for r in reviewers])}) != len(
        reviewers
    ):
        errors["reviewers"] = "Each reviewer is an active QA reviewer."
    instrument = instrument or default_instrument()
    if instrument is None or instrument.kind != Instrument.Kind.FIDELITY or not instrument.active:
        errors["instrument"] = "C8: choose an active fidelity (quality assurance) instrument."
    if errors:
        raise DomainError(errors)
    if seed is None:
        seed = random.SystemRandom().randrange(MAX_SEED)

    chosen = rules.draw_sample(
        population(period_start=period_start, period_end=period_end, agency=agency), size, seed
    )
    sample = QaSample(
        instrument=instrument,
        period_start=period_start,
        period_end=period_end,
        size=size,
        seed=seed,
        agency=agency,
        drawn_by=staff,
    )
    validated_save(sample, actor=actor)
    pairs = rules.round_robin(chosen, reviewers)
    sample_cases = QaSampleCase.objects.bulk_create(
        [
            QaSampleCase(
                sample=sample,
                case_id=c.case_id,
                agency_id=c.agency_id,
                unit_id=c.unit_id,
                reviewer=reviewer,
            )
            for c, reviewer in pairs
        ],
        batch_size=1000,
    )
    _grant(sample, sample_cases, staff=staff, actor=actor)
    due_on = today() + timedelta(days=settings.qa_review_days)
    bulk_create_with_history(
        [
            QaReview(sample_case=sc, reviewer_id=sc.reviewer_id, due_on=due_on)
            for sc in sample_cases
        ],
        QaReview,
        batch_size=1000,
        default_user=actor,
    )
    return sample


def _grant(sample, sample_cases, *, staff, actor) -> None:
    """O3: each sampled case to its reviewer (purpose qa_review), but where the reviewer
    already holds a current QA grant of the case (an earlier sample): bulk, with the
    grants' history and the cases' timeline rows."""
    wanted = {(sc.case_id, sc.reviewer_id) for sc in sample_cases}
    held = set(
        CaseAccessGrant.objects.filter(
            purpose=CaseAccessGrant.Purpose.QA_REVIEW,
            ends_on__isnull=True,
            case_id__in=[c for c, _ in wanted],
            staff_id__in={r for _, r in wanted},
        ).values_list("case_id", "staff_id")
    )
    on = today()
    grants = bulk_create_with_history(
        [
            CaseAccessGrant(
                case_id=case_id,
                staff_id=reviewer_id,
                purpose=CaseAccessGrant.Purpose.QA_REVIEW,
                starts_on=on,
                granted_by=staff,
                reason=f"QA sample {sample.pk} ({sample.period_start} to {sample.period_end})",
            )
            for case_id, reviewer_id in sorted(wanted - held)
        ],
        CaseAccessGrant,
        batch_size=1000,
        default_user=actor,
    )
    events.qa_access_granted(grants, actor=actor, sample=sample)


# Reviews ----------------------------------------------------------------------------------


def _items(review: QaReview) -> dict[str, InstrumentItem]:
    """C8: the items of the review's instrument by code, in the instrument's order."""
    return {
        i.code: i
        for i in InstrumentItem.objects.filter(
            domain__instrument_id=review.sample_case.sample.instrument_id
        ).order_by("domain__order", "domain_id", "order", "id")
    }


def _own_draft(actor, review: QaReview, version: int | None) -> QaReview:
    """The review, locked, if the actor is its reviewer (qa.review) and it is a draft."""
    staff = _staff(actor, "qa.review")
    if review.reviewer_id != staff.pk:
        raise Forbidden()
    review = lock(QaReview, review.pk)
    review.check_version(version)
    if review.status != QaReview.Status.DRAFT:
        raise DomainError({"status": "The review is finalized: it is no longer changed."})
    return review


@transaction.atomic
def review_answer(
    *,
    actor,
    review: QaReview,
    answers: Iterable[Mapping],
    summary: str | None = None,
    version: int | None = None,
) -> QaReview:
    """C8, O3: the reviewer saves answers to items of their draft review: yes, no or na
    (not applicable) with a comment; an item answered again takes the new answer.
    `summary`, when given, replaces the review's summary. `version`: the one read."""
    review = _own_draft(actor, review, version)
    given = [
        (str(a.get("item", "")), str(a.get("answer", "")), str(a.get("comment") or "").strip())
        for a in answers or ()
    ]
    items = _items(review)
    problems = rules.answer_problems(given, set(items))
    if problems:
        raise DomainError(problems)
    existing = {a.item_id: a for a in QaAnswer.objects.filter(review=review)}
    new, changed = [], []
    for code, answer, comment in given:
        item = items[code]
        row = existing.get(item.pk)
        if row is None:
            new.append(QaAnswer(review=review, item=item, answer=answer, comment=comment))
        elif (row.answer, row.comment) != (answer, comment):
            row.answer, row.comment = answer, comment
            changed.append(row)
    QaAnswer.objects.bulk_create(new)
    QaAnswer.objects.bulk_update(changed, ["answer", "comment"])
    if summary is not None:
        review.summary = summary.strip()
    review.bump_version()
    validated_save(review, actor=actor)
    return review


@transaction.atomic
def review_finalize(
    *, actor, review: QaReview, version: int | None = None, summary: str | None = None
) -> QaReview:
    """C8, O3: the reviewer finalizes their draft review once every item of the
    instrument is answered (a no with a comment); it is then shown to the contractor.
    P9: the compliance of the reviewed case's contractor and unit in the sample's period
    is then judged item by item (`evaluate_thresholds`)."""
    review = _own_draft(actor, review, version)
    answers = {
        code: (answer, comment)
        for code, answer, comment in QaAnswer.objects.filter(review=review).values_list(
            "item__code", "answer", "comment"
        )
    }
    problems = rules.finalize_problems(answers, list(_items(review)))
    if problems:
        raise DomainError(problems)
    if summary is not None:
        review.summary = summary.strip()
    review.status = QaReview.Status.FINALIZED
    review.finalized_on = today()
    review.bump_version()
    validated_save(review, actor=actor)
    review = QaReview.objects.select_related("sample_case__case", "sample_case__sample").get(
        pk=review.pk
    )
    events.qa_review_finalized(review, actor=actor)
    evaluate_thresholds(review.sample_case, actor=actor)
    return review


def _stratum_q(agency_id: int, unit_id: int | None, prefix: str = "") -> Q:
    unit = (
        Q(**{f"{prefix}unit__isnull": True})
        if unit_id is None
        else Q(**{f"{prefix}unit_id": unit_id})
    )
    return Q(**{f"{prefix}agency_id": agency_id}) & unit


def item_counts(*, agency_id: int, unit_id: int | None, period_start: date, period_end: date):
    """P9: per item, the yes and no answers of the finalized reviews of a contractor's
    unit in the samples of a period: {item id: (yes, no)} (one grouped query)."""
    rows = (
        QaAnswer.objects.filter(
            _stratum_q(agency_id, unit_id, "review__sample_case__"),
            review__status=QaReview.Status.FINALIZED,
            review__sample_case__sample__period_start=period_start,
            review__sample_case__sample__period_end=period_end,
        )
        .values("item_id")
        .annotate(yes=Count("pk", filter=Q(answer="yes")), no=Count("pk", filter=Q(answer="no")))
        .order_by("item_id")
    )
    return {r["item_id"]: (r["yes"], r["no"]) for r in rows}


def program_director(agency_id: int) -> StaffMember | None:
    """P9: the owner of a contractor's corrective action: its first active program
    director (the holder of case.read_agency, the agency-wide lead)."""
    return (
        StaffMember.objects.filter(
            agency_id=agency_id,
            roles__role__in=roles_with("case.read_agency"),
            status=StaffMember.Status.ACTIVE,
        )
        .order_by("pk")
        .first()
    )


def evaluate_thresholds(sample_case: QaSampleCase, *, actor) -> list[CorrectiveAction]:
    """P9: feedback that triggers corrective action. Each item whose compliance in the
    sampled case's contractor and unit, over the finalized reviews of the sample's
    period, falls below the setting qa_item_threshold_percent on at least
    MIN_ANSWERS_FOR_ACTION yes or no answers opens a corrective action, unless one is
    open for that contractor, unit and item: owned by the contractor's program director,
    due corrective_action_days later."""
    sample = sample_case.sample
    settings = state_settings()
    counts = item_counts(
        agency_id=sample_case.agency_id,
        unit_id=sample_case.unit_id,
        period_start=sample.period_start,
        period_end=sample.period_end,
    )
    below = {
        item_id: (yes, no)
        for item_id, (yes, no) in counts.items()
        if rules.below_threshold(yes, no, settings.qa_item_threshold_percent)
    }
    if not below:
        return []
    open_items = set(
        CorrectiveAction.objects.filter(
            _stratum_q(sample_case.agency_id, sample_case.unit_id),
            status=CorrectiveAction.Status.OPEN,
            item_id__in=below,
        ).values_list("item_id", flat=True)
    )
    owner = program_director(sample_case.agency_id)
    opened = []
    for item_id, (yes, no) in sorted(below.items()):
        if item_id in open_items:
            continue
        action = CorrectiveAction(
            agency_id=sample_case.agency_id,
            unit_id=sample_case.unit_id,
            item_id=item_id,
            period_start=sample.period_start,
            period_end=sample.period_end,
            compliance_percent=rules.compliance_percent(yes, no),
            threshold_percent=settings.qa_item_threshold_percent,
            owner=owner,
            due_on=today() + timedelta(days=settings.corrective_action_days),
        )
        validated_save(action, actor=actor)
        opened.append(action)
    return opened


def contractor_reviews_q(staff: StaffMember | None) -> Q | None:
    """O3: the finalized reviews a contractor's staff see and respond to (qa.respond):
    their agency's for a program director, their unit's for a supervisor; None for
    anyone else."""
    if not can(staff, "qa.respond") or staff.agency.kind == Agency.Kind.STATE_OVERSIGHT:
        return None
    q = Q(status=QaReview.Status.FINALIZED, sample_case__agency_id=staff.agency_id)
    if not can(staff, "case.read_agency"):
        q &= Q(sample_case__unit_id=staff.unit_id)
    return q


@transaction.atomic
def review_respond(
    *, actor, review: QaReview, response: str, version: int | None = None
) -> QaReview:
    """O3: the contractor responds to a finalized review of its case (qa.respond, in
    the review's agency, or unit for a supervisor); a later response replaces it."""
    staff = staff_for(actor)
    scope = contractor_reviews_q(staff)
    if scope is None or not QaReview.objects.filter(scope, pk=review.pk).exists():
        raise Forbidden()
    review = lock(QaReview, review.pk)
    review.check_version(version)
    response = (response or "").strip()
    if not response:
        raise DomainError({"response": "Write the contractor's response."})
    review.contractor_response = response
    review.responded_by = staff
    review.responded_on = today()
    review.bump_version()
    validated_save(review, actor=actor)
    review = QaReview.objects.select_related("sample_case__case").get(pk=review.pk)
    events.qa_review_responded(review, actor=actor)
    return review


# Corrective actions (P9) ------------------------------------------------------------------


def _owner_problem(owner: StaffMember | None, agency_id: int) -> str | None:
    if owner is None:
        return None
    if owner.agency_id != agency_id or owner.status == StaffMember.Status.DEPARTED:
        return "The owner is an active staff member of the contractor."
    return None


@transaction.atomic
def corrective_action_create(
    *,
    actor,
    agency: Agency,
    item: InstrumentItem,
    period_start: date,
    period_end: date,
    unit=None,
    owner: StaffMember | None = None,
    due_on: date | None = None,
    plan: str = "",
) -> CorrectiveAction:
    """P9: the state oversight supervisor (qa.corrective_action) opens a corrective action
    for an item of a contractor (or one of its units) by hand, with the item's compliance
    in the period; the owner defaults to the contractor's program director, the due date
    to corrective_action_days from today. One open action per contractor, unit and item."""
    staff = _staff(actor, "qa.corrective_action")
    settings = state_settings()
    errors: dict[str, str] = {}
    if agency is None or agency.kind == Agency.Kind.STATE_OVERSIGHT:
        errors["agency"] = "Choose a contractor."
    if unit is not None and agency is not None and unit.agency_id != agency.pk:
        errors["unit"] = "Choose a unit of the contractor."
    if item is None or item.domain.instrument.kind != Instrument.Kind.FIDELITY:
        errors["item"] = "C8: choose an item of a fidelity instrument."
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = "The period ends on or after its first day."
    if due_on is not None and due_on < today():
        errors["due_on"] = "The due date is today or later."
    if agency is not None and (problem := _owner_problem(owner, agency.pk)):
        errors["owner"] = problem
    if (
        not errors
        and CorrectiveAction.objects.filter(
            _stratum_q(agency.pk, unit.pk if unit else None),
            item=item,
            status=CorrectiveAction.Status.OPEN,
        ).exists()
    ):
        errors["item"] = "A corrective action on this item is open for the contractor."
    if errors:
        raise DomainError(errors)
    yes, no = item_counts(
        agency_id=agency.pk,
        unit_id=unit.pk if unit else None,
        period_start=period_start,
        period_end=period_end,
    ).get(item.pk, (0, 0))
    action = CorrectiveAction(
        agency=agency,
        unit=unit,
        item=item,
        period_start=period_start,
        period_end=period_end,
        compliance_percent=rules.compliance_percent(yes, no) or 0,
        threshold_percent=settings.qa_item_threshold_percent,
        owner=owner or program_director(agency.pk),
        due_on=due_on or today() + timedelta(days=settings.corrective_action_days),
        plan=(plan or "").strip(),
        opened_by=staff,
    )
    validated_save(action, actor=actor)
    return action


def _open_action(action: CorrectiveAction, version: int | None) -> CorrectiveAction:
    action = lock(CorrectiveAction, action.pk)
    action.check_version(version)
    if action.status != CorrectiveAction.Status.OPEN:
        raise DomainError({"status": "The corrective action is closed."})
    return action


STATE_FIELDS = {"owner", "due_on", "plan"}
CONTRACTOR_FIELDS = {"plan"}


@transaction.atomic
def corrective_action_update(
    *, actor, action: CorrectiveAction, version: int | None = None, **changes
) -> CorrectiveAction:
    """P9: the state oversight supervisor (qa.corrective_action) sets an open action's
    owner, due date and plan; the contractor's program director or supervisor
    (qa.respond, of its agency) writes its plan."""
    staff = staff_for(actor)
    if can(staff, "qa.corrective_action"):
        editable = STATE_FIELDS
    elif can(staff, "qa.respond") and staff.agency_id == action.agency_id:
        editable = CONTRACTOR_FIELDS
    else:
        raise Forbidden()
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise DomainError(dict.fromkeys(unknown, "You cannot change this field."))
    action = _open_action(action, version)
    errors: dict[str, str] = {}
    if "owner" in changes and (problem := _owner_problem(changes["owner"], action.agency_id)):
        errors["owner"] = problem
    if "due_on" in changes and (changes["due_on"] is None or changes["due_on"] < today()):
        errors["due_on"] = "The due date is today or later."
    if errors:
        raise DomainError(errors)
    if "plan" in changes:
        changes["plan"] = (changes["plan"] or "").strip()
    for field, value in changes.items():
        setattr(action, field, value)
    action.bump_version()
    validated_save(action, actor=actor)
    return action


@transaction.atomic
def corrective_action_add_follow_up(
    *, actor, action: CorrectiveAction, review: QaReview, version: int | None = None
) -> CorrectiveAction:
    """P9: link a follow-up review: a review of the action's contractor (and unit, when it
    has one), finalized since the action opened, that answered its item."""
    _staff(actor, "qa.corrective_action")
    action = _open_action(action, version)
    same = Q(sample_case__agency_id=action.agency_id)
    if action.unit_id:
        same &= Q(sample_case__unit_id=action.unit_id)
    follow_up = QaReview.objects.filter(
        same,
        pk=review.pk,
        status=QaReview.Status.FINALIZED,
        finalized_on__gte=action.created_at.date(),
        answers__item_id=action.item_id,
    ).exists()
    if not follow_up:
        raise DomainError(
            {
                "review": "Choose a review of the contractor finalized since the action "
                "opened that answered its item."
            }
        )
    if action.follow_up_reviews.filter(pk=review.pk).exists():
        raise DomainError({"review": "This review is already a follow-up of the action."})
    action.follow_up_reviews.add(review)
    action.bump_version()
    validated_save(action, actor=actor)
    return action


@transaction.atomic
def corrective_action_close(
    *,
    actor,
    action: CorrectiveAction,
    closing_note: str,
    no_follow_up_reason: str = "",
    version: int | None = None,
) -> CorrectiveAction:
    """P9: the state oversight supervisor closes a corrective action with a note, on the
    evidence of a follow-up review, or with the reason there is none (kept in the note)."""
    _staff(actor, "qa.corrective_action")
    action = _open_action(action, version)
    has_follow_up = action.follow_up_reviews.exists()
    problems = rules.close_problems(closing_note or "", has_follow_up, no_follow_up_reason or "")
    if problems:
        raise DomainError(problems)
    note = closing_note.strip()
    if not has_follow_up:
        note += f"\n\nNo follow-up review: {no_follow_up_reason.strip()}"
    action.status = CorrectiveAction.Status.CLOSED
    action.closed_on = today()
    action.closing_note = note
    action.bump_version()
    validated_save(action, actor=actor)
    return action
