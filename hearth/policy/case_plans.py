"""Case plans (C1, C2, C4, C5, C9, P9) as pure functions: plain data in, decisions out.

- C2: a plan holds goals, each goal small objectives (with a target date), each objective
  action steps naming who does what by when and the expected outcome. A step missing any
  of them is refused, naming `goals.<i>.objectives.<j>.steps.<k>.<field>`.
- C2, behaviourally specific words. Decision: vague wording ("cooperate", "understand",
  "be aware", "try to", "as needed", ...) in a step's `what` or `outcome` is REFUSED: a
  step is the contract's task (P8), and "cooperate with services" is a task no one can
  see done. The same words in a goal's or an objective's statement are WARNINGS only
  (shown on the plan page and in the API's `warnings`): a goal may name a change in
  general words, its steps may not.
- C9: every actionable need is answered by a goal or objective of the version, or with
  the reason it is not addressed now; a draft may leave needs unanswered, adoption not.
- C2: a parenting time plan for every parent of the case, the non-custodial one included.
- C5: a version is adopted at a family team meeting of the case, held on or after the
  draft was begun, which a parent or the youth attended.
- Signatures: each parent, each child of at least `youth_signs_age` on the adoption day,
  and the worker sign. Approval needs the worker's signature and an answer from every
  parent and youth: a signature (agreeing or not, the disagreement recorded) or a decline
  recorded with its reason. Decision: a parent who refuses to sign is recorded as having
  declined, in their words, and does not block the plan; a parent no one asked does.
- C4: a safety plan has at least one proactive and one reactive measure, each with who
  and when.
- C1: the first plan is due `case_plan_due_days` after the first placement (the case's
  opening for an in-home case) and reviews every `case_plan_review_days` after the case
  opened.
- P9 (KCA 13, 14): a step is done, late (past its date and not done) or open; the next
  steps are the open ones due soonest.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

# --- Status transitions ----------------------------------------------------------------

DRAFT, ADOPTED, APPROVED, REPLACED = "draft", "adopted", "approved", "replaced"
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({ADOPTED}),
    ADOPTED: frozenset({APPROVED, REPLACED}),
    APPROVED: frozenset({REPLACED}),
    REPLACED: frozenset(),
}


def can_move(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


# --- C2: behaviourally specific words -----------------------------------------------------

VAGUE_PHRASES = (
    "cooperate",
    "co-operate",
    "comply",
    "understand",
    "be aware",
    "become aware",
    "try to",
    "as needed",
    "as necessary",
    "as appropriate",
    "appropriate parenting",
    "be willing",
    "work on",
    "demonstrate insight",
    "gain insight",
    "improve",
)
_VAGUE = re.compile(
    r"\b(" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in VAGUE_PHRASES) + r")\w*",
    re.IGNORECASE,
)


def vague_words(text: str) -> list[str]:
    """C2: the vague, non-behavioural phrases in `text` (lower case, each once)."""
    found = []
    for m in _VAGUE.finditer(text or ""):
        word = re.sub(r"\s+", " ", m.group(1).lower())
        if word not in found:
            found.append(word)
    return found


def _vague_reason(words: list[str]) -> str:
    quoted = ", ".join(f"“{w}”" for w in words)
    return (
        f"C2: {quoted} is not a behaviour anyone can see done; say what the person will "
        "do (attend, complete, show, call, keep) and how it is seen."
    )


# --- C2: the plan's content ---------------------------------------------------------------


@dataclass(frozen=True)
class StepIn:
    who: str
    who_name: str
    what: str
    due_on: date | None
    outcome: str


@dataclass(frozen=True)
class ObjectiveIn:
    statement: str
    target_on: date | None
    steps: tuple[StepIn, ...] = ()


@dataclass(frozen=True)
class GoalIn:
    area: str
    statement: str
    objectives: tuple[ObjectiveIn, ...] = ()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def content_problems(goals: list[GoalIn], *, opened_on: date) -> dict[str, str]:
    """C2: {field path: reason} for each refusal of a plan's goals, objectives and steps.
    An empty list of goals is allowed in a draft (adoption refuses it)."""
    errors: dict[str, str] = {}
    for i, g in enumerate(goals):
        gp = f"goals.{i}"
        if _blank(g.area):
            errors[f"{gp}.area"] = (
                "C2: say whether the goal is about safety, permanency or well-being."
            )
        if _blank(g.statement):
            errors[f"{gp}.statement"] = "C2: state the change in behaviour the goal achieves."
        if not g.objectives:
            errors[f"{gp}.objectives"] = "C2: a goal has at least one small objective."
        for j, o in enumerate(g.objectives):
            op = f"{gp}.objectives.{j}"
            if _blank(o.statement):
                errors[f"{op}.statement"] = "C2: state the objective."
            if o.target_on is None:
                errors[f"{op}.target_on"] = "C2, P9: give the objective its target date."
            elif o.target_on < opened_on:
                errors[f"{op}.target_on"] = "The target date is before the case opened."
            if not o.steps:
                errors[f"{op}.steps"] = "C2: an objective has at least one action step."
            for k, s in enumerate(o.steps):
                sp = f"{op}.steps.{k}"
                if _blank(s.who):
                    errors[f"{sp}.who"] = "C2: say who does it (parent, provider, caseworker, ...)."
                if _blank(s.who_name):
                    errors[f"{sp}.who_name"] = "C2: name the person or provider who does it."
                if _blank(s.what):
                    errors[f"{sp}.what"] = "C2: say what is done."
                elif vague_words(s.what):
                    errors[f"{sp}.what"] = _vague_reason(vague_words(s.what))
                if s.due_on is None:
                    errors[f"{sp}.due_on"] = "C2: say by when."
                elif s.due_on < opened_on:
                    errors[f"{sp}.due_on"] = "A step cannot be due before the case opened."
                if _blank(s.outcome):
                    errors[f"{sp}.outcome"] = "C2: give the expected outcome."
                elif vague_words(s.outcome):
                    errors[f"{sp}.outcome"] = _vague_reason(vague_words(s.outcome))
    return errors


def content_warnings(goals: list[GoalIn]) -> dict[str, str]:
    """C2: vague words in goals' and objectives' statements: warnings, not refusals."""
    warnings: dict[str, str] = {}
    for i, g in enumerate(goals):
        if vague_words(g.statement):
            warnings[f"goals.{i}.statement"] = _vague_reason(vague_words(g.statement))
        for j, o in enumerate(g.objectives):
            if vague_words(o.statement):
                warnings[f"goals.{i}.objectives.{j}.statement"] = _vague_reason(
                    vague_words(o.statement)
                )
    return warnings


# --- C9: needs answered --------------------------------------------------------------------


@dataclass(frozen=True)
class NeedResponseIn:
    rating: int
    goal: int | None = None  # index into the version's goals
    objective: int | None = None  # index into that goal's objectives
    not_addressed_reason: str = ""


def need_response_problems(
    responses: list[NeedResponseIn], *, actionable: set[int], goals: list[GoalIn]
) -> dict[str, str]:
    """C9: each response answers an actionable need of the case's latest assessments, once,
    by a goal or objective of this version or with the reason it is not addressed now."""
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for i, r in enumerate(responses):
        p = f"need_responses.{i}"
        if r.rating not in actionable:
            errors[f"{p}.rating"] = (
                "C9: not an actionable need (rated 2 or 3) of the case's latest assessments."
            )
        elif r.rating in seen:
            errors[f"{p}.rating"] = "C9: a need is answered once in a plan."
        seen.add(r.rating)
        if r.goal is not None and not 0 <= r.goal < len(goals):
            errors[f"{p}.goal"] = "No such goal in this version."
        elif r.objective is not None and (
            r.goal is None or not 0 <= r.objective < len(goals[r.goal].objectives)
        ):
            errors[f"{p}.objective"] = "No such objective in that goal."
        if r.goal is None and r.objective is None and _blank(r.not_addressed_reason):
            errors[f"{p}.not_addressed_reason"] = (
                "C9: name the goal or objective that addresses this need, or say why not."
            )
    return errors


def unanswered(actionable: set[int], answered: set[int]) -> set[int]:
    """C9: the actionable needs the version does not answer."""
    return actionable - answered


# --- C2: parenting time ---------------------------------------------------------------------


def parenting_time_problems(parent_ids: list[int | None], *, parents: set[int]) -> dict[str, str]:
    """C2: each parenting time plan is for a parent of the case, once."""
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for i, pid in enumerate(parent_ids):
        if pid not in parents:
            errors[f"parenting_time.{i}.parent"] = "C2: not a parent in this case."
        elif pid in seen:
            errors[f"parenting_time.{i}.parent"] = "C2: a parent has one parenting time plan."
        if pid is not None:
            seen.add(pid)
    return errors


# --- C5: adoption at a family team meeting ------------------------------------------------


@dataclass(frozen=True)
class MeetingFacts:
    same_case: bool
    family_team_meeting: bool
    has_team_record: bool
    held_on: date
    family_attended: bool  # a parent or the youth attended


def adoption_problems(
    *,
    status: str,
    created_on: date,
    meeting: MeetingFacts | None,
    goal_count: int,
    parents_without_time: list[str],
    unanswered_needs: int,
    today: date,
) -> dict[str, str]:
    """C5, C2, C9: why a draft cannot be adopted at `meeting` ({} when it can)."""
    errors: dict[str, str] = {}
    if status != DRAFT:
        return {"status": "Only a draft is adopted; this version already was."}
    if meeting is None:
        errors["meeting"] = "C5: a plan is adopted at a family team meeting: choose it."
    elif not (meeting.same_case and meeting.family_team_meeting and meeting.has_team_record):
        errors["meeting"] = "C5: choose a family team meeting of this case."
    elif meeting.held_on < created_on:
        errors["meeting"] = (
            "C5: the plan is made in the meeting, not in advance: the meeting was held "
            "before this draft was begun."
        )
    elif meeting.held_on > today:
        errors["meeting"] = "The meeting has not been held yet."
    elif not meeting.family_attended:
        errors["meeting"] = (
            "C5: no parent or youth attended this meeting; the plan is made with the family."
        )
    if goal_count == 0:
        errors["goals"] = "C2: a plan holds at least one goal."
    if parents_without_time:
        errors["parenting_time"] = (
            "C2: a parenting time plan for every parent, the non-custodial one included: "
            "missing for " + ", ".join(parents_without_time) + "."
        )
    if unanswered_needs:
        errors["need_responses"] = (
            f"C9: {unanswered_needs} actionable need(s) not answered: name the goal or "
            "objective that addresses each, or say why not."
        )
    return errors


# --- Signatures and approval ------------------------------------------------------------------


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def youth_signs(born: date | None, adopted_on: date, *, youth_signs_age: int) -> bool:
    """C2: a child of at least `youth_signs_age` on the adoption day takes part and signs."""
    age = age_on(born, adopted_on)
    return age is not None and age >= youth_signs_age


@dataclass(frozen=True)
class SignatureFacts:
    role: str
    signed: bool
    declined: bool


def approval_problems(*, status: str, signatures: list[SignatureFacts]) -> dict[str, str]:
    """Approval (by a holder of plan.approve): only an adopted version, signed by the worker,
    with every parent and youth answered (signed, or declined with the reason recorded).
    A refusing parent is recorded, not waited for."""
    if status != ADOPTED:
        return {"status": "Only an adopted version awaiting approval is approved."}
    errors: dict[str, str] = {}
    if not any(s.role == "worker" and s.signed for s in signatures):
        errors["signatures"] = "The case manager signs the plan before it is approved."
    waiting = [
        s for s in signatures if s.role in ("parent", "youth") and not (s.signed or s.declined)
    ]
    if waiting:
        errors["signatures"] = (
            f"{len(waiting)} parent or youth signature(s) not yet answered: record each "
            "signature, or that the participant declined and why."
        )
    return errors


# --- P9: progress --------------------------------------------------------------------------

DONE, LATE, OPEN = "done", "late", "open"


def step_state(due_on: date, latest_status: str | None, today: date) -> str:
    """P9: done (its latest progress says so), late (its date passed, not done), or open."""
    if latest_status == "done":
        return DONE
    if due_on < today:
        return LATE
    return OPEN


def next_steps(steps: list[tuple[int, date, str]]) -> list[int]:
    """P9: the ids of the open steps due soonest (all steps sharing the earliest date)."""
    open_ = [(due, sid) for sid, due, state in steps if state == OPEN]
    if not open_:
        return []
    first = min(due for due, _ in open_)
    return [sid for due, sid in sorted(open_) if due == first]


# --- C4: safety plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureIn:
    kind: str
    what: str
    who: str
    when: str


def safety_plan_problems(threats: str, measures: list[MeasureIn]) -> dict[str, str]:
    """C4: a safety plan names its threats and has proactive and reactive measures, each
    with what, who and when."""
    errors: dict[str, str] = {}
    if _blank(threats):
        errors["threats"] = "C4: name the safety threats this plan controls."
    for i, m in enumerate(measures):
        for name in ("what", "who", "when"):
            if _blank(getattr(m, name)):
                errors[f"measures.{i}.{name}"] = f"C4: every measure says {name}."
        if m.kind not in ("proactive", "reactive"):
            errors[f"measures.{i}.kind"] = "C4: a measure is proactive or reactive."
    kinds = {m.kind for m in measures}
    if "proactive" not in kinds or "reactive" not in kinds:
        errors.setdefault(
            "measures",
            "C4: a safety plan has at least one proactive and one reactive measure.",
        )
    return errors


# --- C1: when plans fall due ------------------------------------------------------------------


def first_plan_due(anchor: date, *, due_days: int) -> date:
    """C1: the first plan is written within `due_days` of the first placement (of the
    case's opening for an in-home case)."""
    return anchor + timedelta(days=due_days)


@dataclass(frozen=True)
class ReviewWindow:
    number: int
    starts_on: date
    due_on: date


def review_windows(opened_on: date, *, review_days: int, until: date) -> list[ReviewWindow]:
    """C1: the reviews due every `review_days` after the case opened, up to `until`; the
    k-th is met by a version adopted in (due k-1, due k] (the first from the opening)."""
    out: list[ReviewWindow] = []
    if review_days <= 0:
        return out
    k = 1
    while (due := opened_on + timedelta(days=k * review_days)) <= until:
        start = opened_on if k == 1 else opened_on + timedelta(days=(k - 1) * review_days + 1)
        out.append(ReviewWindow(k, start, due))
        k += 1
    return out


def next_review_due(opened_on: date, *, review_days: int, on: date) -> date:
    """C1: the first review due on or after `on`."""
    if review_days <= 0:
        return on
    k = max(1, -(-(on - opened_on).days // review_days))
    return opened_on + timedelta(days=k * review_days)


@dataclass(frozen=True)
class Adoption:
    plan_id: int
    adopted_on: date


def first_plan_met(adoptions: list[Adoption], anchor: date) -> Adoption | None:
    """C1: the first plan is met by the first version adopted on or after the anchor (the
    first placement, or the opening of an in-home case)."""
    after = sorted((a for a in adoptions if a.adopted_on >= anchor), key=_order)
    return after[0] if after else None


def review_met(adoptions: list[Adoption], window: ReviewWindow) -> Adoption | None:
    """C1: a review is a new version adopted at a meeting in the review's window; the case's
    first adopted version is its first plan, not a review of it, unless it was adopted after
    the review fell due: then no plan existed to review, and the first plan, made late,
    answers the reviews that fell due before it (docs/adr/0013)."""
    ordered = sorted(adoptions, key=_order)
    if ordered and ordered[0].adopted_on > window.due_on:
        return ordered[0]
    later = ordered[1:]
    inside = [a for a in later if window.starts_on <= a.adopted_on <= window.due_on]
    return inside[0] if inside else None


def _order(a: Adoption):
    return (a.adopted_on, a.plan_id)
