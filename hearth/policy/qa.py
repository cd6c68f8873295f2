"""O3, C8, P9: the rules of the state's quality assurance reviews, as plain functions.

- O3: the sample of a period is random, stratified by contractor and unit, and
  reproducible from its seed (`draw_sample`).
- C8: a review answers every item of the fidelity instrument yes, no or not applicable,
  and a "no" says why (`finalize_problems`).
- P9: compliance is the share of yes among the yes and no answers (not applicable
  excluded); an item below its threshold, on enough answers, calls for a corrective
  action (`compliance_percent`, `below_threshold`).
"""

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ANSWERS = ("yes", "no", "na")

# P9: an item's compliance of a contractor's unit is judged on at least this many yes or
# no answers. Fewer is one or two reviews' worth: a single "no" among three answers (67%)
# says little about a unit's practice, and a corrective action on it would be noise. Five
# answers let one "no" pass at the default threshold of 80% (4 of 5) and two fail it.
MIN_ANSWERS_FOR_ACTION = 5


@dataclass(frozen=True)
class Candidate:
    """A case of the period's population with its stratum (the contractor and unit)."""

    case_id: int
    agency_id: int
    unit_id: int | None


def _stratum_key(key: tuple[int, int | None]) -> tuple[int, int]:
    agency_id, unit_id = key
    return (agency_id, -1 if unit_id is None else unit_id)


def allocate(sizes: Mapping[tuple, int], size: int) -> dict[tuple, int]:
    """O3: how many cases each stratum gives to a sample of `size`: proportional to the
    stratum's share of the population, rounded by largest remainder (ties by stratum
    order), and, when the size allows, at least one from every non-empty stratum (taken
    from the stratum with the most to spare). A sample as large as the population takes
    every case."""
    total = sum(sizes.values())
    keys = sorted((k for k, n in sizes.items() if n > 0), key=_stratum_key)
    if size >= total:
        return {k: sizes[k] for k in keys}
    if size <= 0 or not keys:
        return dict.fromkeys(keys, 0)
    quota = {k: size * sizes[k] / total for k in keys}
    counts = {k: size * sizes[k] // total for k in keys}
    left = size - sum(counts.values())
    by_remainder = sorted(keys, key=lambda k: (-(quota[k] - counts[k]), _stratum_key(k)))
    for k in by_remainder[:left]:
        counts[k] += 1
    if size >= len(keys):
        for k in keys:
            if counts[k] == 0:
                donor = max(
                    (d for d in keys if counts[d] > 1),
                    key=lambda d: (counts[d] - quota[d], counts[d], _neg(_stratum_key(d))),
                )
                counts[donor] -= 1
                counts[k] = 1
    return counts


def _neg(key: tuple[int, int]) -> tuple[int, int]:
    return (-key[0], -key[1])


def draw_sample(population: Iterable[Candidate], size: int, seed: int) -> list[Candidate]:
    """O3: a random sample of `size` cases of `population`, stratified by contractor and
    unit (`allocate`), drawn with `random.Random(seed)` stratum by stratum in a fixed
    order (agency id, then unit id, no unit first), each stratum's cases in id order: the
    same population and seed give the same sample. Returned in case id order."""
    strata: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in sorted(population, key=lambda c: c.case_id):
        strata[(c.agency_id, c.unit_id)].append(c)
    counts = allocate({k: len(v) for k, v in strata.items()}, size)
    rng = random.Random(seed)
    chosen: list[Candidate] = []
    for key in sorted(strata, key=_stratum_key):
        chosen.extend(rng.sample(strata[key], counts[key]))
    return sorted(chosen, key=lambda c: c.case_id)


def round_robin(items: Sequence, reviewers: Sequence) -> list[tuple]:
    """O3: (item, reviewer) pairs: the reviewers take the items in turn, in the order
    given (an empty list of reviewers leaves every item without one)."""
    if not reviewers:
        return [(item, None) for item in items]
    return [(item, reviewers[i % len(reviewers)]) for i, item in enumerate(items)]


def answer_problems(answers: Iterable[tuple[str, str, str]], items: set[str]) -> dict[str, str]:
    """C8: the problems of answers (item code, answer, comment) saved on a draft review:
    an item of the instrument, answered yes, no or na, once. Keys: `answers.<code>`."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for code, answer, _ in answers:
        key = f"answers.{code}"
        if code not in items:
            errors[key] = "This item is not in the review's instrument."
        elif code in seen:
            errors[key] = "Answer each item once."
        elif answer not in ANSWERS:
            errors[key] = "Answer yes, no or not applicable."
        seen.add(code)
    return errors


def finalize_problems(answers: Mapping[str, tuple[str, str]], items: Sequence[str]) -> dict:
    """C8, O3: what keeps a review from being finalized: an item of the instrument left
    unanswered, or a "no" without a comment saying what was missing. `answers`: item code
    -> (answer, comment). Keys: `answers.<code>`."""
    errors: dict[str, str] = {}
    for code in items:
        answer, comment = answers.get(code, ("", ""))
        if answer not in ANSWERS:
            errors[f"answers.{code}"] = "Answer this item: yes, no or not applicable."
        elif answer == "no" and not comment.strip():
            errors[f"answers.{code}"] = "Say in a comment what was missing (a no needs one)."
    return errors


def compliance_percent(yes: int, no: int) -> int | None:
    """P9: the percent of yes among the yes and no answers (not applicable excluded),
    rounded half up; None when there is no yes or no answer."""
    total = yes + no
    if total == 0:
        return None
    return (200 * yes + total) // (2 * total)


def below_threshold(
    yes: int, no: int, threshold: int, min_answers: int = MIN_ANSWERS_FOR_ACTION
) -> bool:
    """P9: whether an item's compliance falls below `threshold` percent (compared
    exactly, not on the rounded percent) on at least `min_answers` yes or no answers:
    feedback that triggers a corrective action."""
    total = yes + no
    return total >= max(min_answers, 1) and 100 * yes < threshold * total


def close_problems(closing_note: str, has_follow_up: bool, no_follow_up_reason: str) -> dict:
    """P9: a corrective action closes with a note on what changed, and on the evidence of a
    later finalized review of the contractor (a follow-up), or a reason there is none."""
    errors: dict[str, str] = {}
    if not closing_note.strip():
        errors["closing_note"] = "Say what changed that closes the corrective action."
    if not has_follow_up and not no_follow_up_reason.strip():
        errors["follow_ups"] = (
            "Link a follow-up review finalized since the action opened, or say why there is none."
        )
    return errors
