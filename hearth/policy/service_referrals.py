"""P8, C9: the rules of service referrals, as plain data in and decisions out.

- A referral moves sent -> accepted -> started -> completed, or ends early (with the
  reason) from any open state; nothing changes after it is completed or ended.
- C9: a referral tells the provider the specific needs it must meet: in words, not a
  blank or a word or two ("services as needed").
- P8: a provider in the directory is reachable: a phone number, when given, is one.
"""

import re

SENT = "sent"
ACCEPTED = "accepted"
STARTED = "started"
COMPLETED = "completed"
ENDED_EARLY = "ended_early"

OPEN_STATUSES = frozenset({SENT, ACCEPTED, STARTED})
CLOSED_STATUSES = frozenset({COMPLETED, ENDED_EARLY})
# C9: the statuses whose referral still meets its needs (an ended one leaves them unmet).
MEETING_STATUSES = frozenset({SENT, ACCEPTED, STARTED, COMPLETED})

# The one transition table: status -> the statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    SENT: frozenset({ACCEPTED, ENDED_EARLY}),
    ACCEPTED: frozenset({STARTED, ENDED_EARLY}),
    STARTED: frozenset({COMPLETED, ENDED_EARLY}),
    COMPLETED: frozenset(),
    ENDED_EARLY: frozenset(),
}

# C9: what "specific" means here: at least this many words telling the provider what to
# work on, and not one of the phrases that tell them nothing.
SPECIFIC_NEEDS_MIN_WORDS = 6
VAGUE_PHRASES = frozenset(
    {
        "as needed",
        "services as needed",
        "see case plan",
        "see plan",
        "see assessment",
        "n/a",
        "na",
        "none",
        "tbd",
        "to be determined",
        "assess and treat",
        "follow recommendations",
    }
)

_WORD = re.compile(r"[^\W\d_]{2,}")


def transition_problem(current: str, new: str, reason: str = "") -> dict[str, str]:
    """P8 (the worker monitors the service): {field: reason} when `current` may not move
    to `new`; an early end says why."""
    if new not in TRANSITIONS:
        return {"status": "Choose accepted, started, completed or ended early."}
    if current in CLOSED_STATUSES:
        return {"status": "This referral is closed: its status no longer changes."}
    if new not in TRANSITIONS.get(current, frozenset()):
        allowed = " or ".join(sorted(s.replace("_", " ") for s in TRANSITIONS[current]))
        return {
            "status": f"A referral {current.replace('_', ' ')} moves next to {allowed}, "
            f"not to {new.replace('_', ' ')}."
        }
    if new == ENDED_EARLY and not reason.strip():
        return {"reason": "Say why the service ended early."}
    if new != ENDED_EARLY and reason.strip():
        return {"reason": "A reason is given only when the service ends early."}
    return {}


def specific_needs_problem(text: str) -> str | None:
    """C9: why `text` does not tell a provider the specific needs to meet, or None."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return "Tell the provider the specific needs this service must meet (C9)."
    if cleaned.casefold().strip(" .") in VAGUE_PHRASES:
        return "Say specifically what the provider must work on, not a general phrase (C9)."
    if len(_WORD.findall(cleaned)) < SPECIFIC_NEEDS_MIN_WORDS:
        return (
            f"Say specifically what the provider must work on, in at least "
            f"{SPECIFIC_NEEDS_MIN_WORDS} words (C9)."
        )
    return None


_PHONE_CHARS = re.compile(r"[\d\s()+.\-]+(?:\s*(?:ext\.?|x)\s*\d{1,6})?", re.IGNORECASE)


def phone_problem(phone: str) -> str | None:
    """P8: a provider's phone number, when given, is a number: digits with spaces,
    dashes, dots, brackets, a leading + and an extension; 7 to 15 digits before it."""
    phone = phone.strip()
    if not phone:
        return None
    if not _PHONE_CHARS.fullmatch(phone):
        return "Give a phone number: digits, spaces, dashes, brackets, + and an extension."
    main = re.split(r"(?:ext\.?|x)", phone, flags=re.IGNORECASE)[0]
    if "+" in main.strip()[1:]:
        return "A + comes only at the start of a phone number."
    digits = sum(c.isdigit() for c in main)
    if not 7 <= digits <= 15:
        return "A phone number has 7 to 15 digits."
    return None
