"""The state seed as a list of steps, each a function of the shared State returning the
rows it made or loaded; build_state runs them in order in one transaction, printing a
progress line after each."""

import sys

from django.db import connection, transaction

from hearth.cases.models import Assignment, Case, CaseAccessGrant, CaseMember
from hearth.contacts.models import ContactNote
from hearth.demo import planning
from hearth.demo.state import (
    care,
    contacts,
    families,
    organisation,
    oversight,
    planning_obligations,
)
from hearth.demo.state.contacts import NOTE_COLUMNS
from hearth.demo.state.loader import Progress
from hearth.demo.state.obligations import OBLIGATION_COLUMNS
from hearth.demo.state.world import State
from hearth.obligations.models import Obligation
from hearth.people.models import Person, Relationship
from hearth.placements.models import PermanencyGoal, Placement, RemovalEpisode, ResourceHome

WITH_COLUMNS = ["id", "contactnote_id", "person_id"]


def resource_homes(s: State) -> int:
    s.loader.copy(ResourceHome, s.care.homes)
    s.loader.copy(ResourceHome.languages.through, s.care.home_langs)
    s.loader.copy(ResourceHome.tribes_approving.through, s.care.home_tribes)
    return len(s.care.homes)


def contact_notes(s: State) -> int:
    """The large tables load without their foreign keys and secondary indexes, which are
    put back in one pass at the end (Loader.drop_keys)."""
    s.loader.drop_keys([ContactNote, ContactNote.contact_with.through, Obligation])
    return s.loader.copy_tuples(ContactNote, NOTE_COLUMNS, s.notes.notes)


def indexes_and_keys(s: State) -> int:
    s.loader.restore_keys()
    return 0


STEPS = [
    # Rows made in memory (and the organisation's loaded as it is made) ...
    ("agencies and units", organisation.agencies_and_units),
    ("staff", organisation.staff),
    ("open cases and families", families.open_cases),
    ("closed cases", families.closed_cases),
    ("out-of-home care", care.out_of_home_care),
    ("contact notes and obligations", contacts.contact_notes_and_obligations),
    ("case planning and teaming", planning.state_planning),
    ("planning obligations", planning_obligations.state_planning_obligations),
    ("oversight", oversight.state_oversight),
    # ... then loaded with COPY.
    ("people", lambda s: s.loader.copy(Person, s.persons)),
    ("cases", lambda s: s.loader.copy(Case, s.cases)),
    ("case members", lambda s: s.loader.copy(CaseMember, s.members)),
    ("relationships", lambda s: s.loader.copy(Relationship, s.rels)),
    ("assignments", lambda s: s.loader.copy(Assignment, s.assigns)),
    ("oversight grants", lambda s: s.loader.copy(CaseAccessGrant, s.grants)),
    ("resource homes", resource_homes),
    ("removal episodes", lambda s: s.loader.copy(RemovalEpisode, s.care.episodes)),
    ("placements", lambda s: s.loader.copy(Placement, s.care.placements)),
    ("permanency goals", lambda s: s.loader.copy(PermanencyGoal, s.care.goals)),
    ("planning records", planning.state_planning_copy),
    ("oversight records", oversight.state_oversight_copy),
    ("contact notes", contact_notes),
    (
        "whom they were with",
        lambda s: s.loader.copy_tuples(
            ContactNote.contact_with.through, WITH_COLUMNS, s.notes.with_rows
        ),
    ),
    (
        "obligations",
        lambda s: s.loader.copy_tuples(Obligation, OBLIGATION_COLUMNS, s.notes.obligations),
    ),
    (
        "planning obligations, loaded",
        lambda s: s.loader.copy_tuples(Obligation, OBLIGATION_COLUMNS, s.planning_obligation_rows),
    ),
    ("their indexes and foreign keys", indexes_and_keys),
    # The sequences move past the ids the COPYs handed out before any row is inserted
    # with an id from its sequence.
    ("id sequences", lambda s: s.loader.reset_sequences() or 0),
    # The oversight app's sources run over the loaded rows (their rules are theirs).
    ("oversight obligations", oversight.oversight_obligations),
]


def build_state(seed: int = 1, factor: float = 1.0, out=sys.stderr) -> dict:
    s = State(seed, factor)
    s.out = out
    progress = Progress(out, len(STEPS) + 2)
    with transaction.atomic():
        for label, step in STEPS:
            progress.step(label, step(s))
    progress.step("commit", 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    progress.step("analyze", 0)
    return s.summary()
