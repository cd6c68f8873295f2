"""What the state seed's steps share: the random sources, the day it is built on, the
loader, and the rows each step leaves for the later ones."""

import random
from collections import defaultdict

from faker import Faker

from hearth.core.services import today
from hearth.demo.state.loader import Loader

# Cultural communities a worker belongs to or knows well, and a family's (A2 f): free
# text, matched word by word.
CULTURES = [
    "Lakota",
    "Dakota",
    "Ojibwe",
    "Mexican American",
    "Central American",
    "Somali",
    "Hmong",
    "Vietnamese",
    "Sudanese",
    "Deaf community",
    "Mennonite",
    "rural farming",
]


class State:
    """The generator's state between steps. `rng` draws the rows in the order of the steps;
    later additions draw from random sources of their own (`traits`, and the care and
    contact builders'), so `rng` draws the same numbers as before them."""

    def __init__(self, seed: int, factor: float):
        self.seed, self.factor = seed, factor
        self.rng = random.Random(seed)
        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.first_f = [fake.first_name_female() for _ in range(400)]
        self.first_m = [fake.first_name_male() for _ in range(400)]
        self.lasts = [fake.last_name() for _ in range(800)]
        self.day0 = today()
        self.loader = Loader()
        # Staff culture, the units' areas and the cases' preferences (A2 f, g).
        self.traits = random.Random(seed * 7919 + 43)
        # Reference data, agencies and units (organisation.agencies_and_units).
        self.counties, self.skills, self.langs = [], [], []
        self.agencies, self.units, self.unit_county_rows, self.state_units = [], [], [], []
        self.cm_units = defaultdict(list)  # agency id -> its case management units
        self.support_units = {}  # agency id -> its case management support unit
        # Staff (organisation.staff).
        self.unit_area = {}  # unit id -> the counties it serves
        self.users, self.staff = [], []
        self.by_role = defaultdict(list)
        self.staff_unit, self.staff_agency = {}, {}
        self.new_staff = {}  # a recent hire's id -> when they completed pre-service training
        self.workers_of = defaultdict(list)  # unit id -> its case managers
        self.supervisor_of = {}  # unit id -> its supervisor
        self.oversight_staff, self.qa_staff, self.state_supervisors = [], [], []
        self.region_of = {}  # county id -> its region id (oversight.regions)
        # Families and cases (families).
        self.persons, self.members, self.rels, self.cases, self.assigns = [], [], [], [], []
        self.grants = []
        self.case_counter = defaultdict(int)
        self.new_held = defaultdict(int)  # a new case manager's id -> cases held (A5)
        self.care_open, self.care_closed = [], []  # out-of-home cases: (case, opened, ...)
        self.open_total = self.closed_total = 0
        # Out-of-home care, contact notes and obligations (care, contacts).
        self.care = self.notes = None
        # Case planning and teaming (hearth.demo.planning), its obligations, and where
        # the seed prints its notes.
        self.planning = None
        self.oversight = None  # (hearth.demo.state.oversight)
        self.oversight_obligations = 0
        self.planning_obligation_rows = []  # (hearth.demo.state.planning_obligations)
        self.planning_obligations = 0
        self.out = None

    def n(self, x: int) -> int:
        """`x` at the seed's size."""
        return max(1, round(x * self.factor))

    def summary(self) -> dict:
        return {
            "staff": len(self.staff),
            "open cases": self.open_total,
            "closed cases": self.closed_total,
            "people": len(self.persons),
            "case members": len(self.members),
            "assignments": len(self.assigns),
            "resource homes": len(self.care.homes),
            "removal episodes": len(self.care.episodes),
            "placements": len(self.care.placements),
            "permanency goals": len(self.care.goals),
            "contact notes": len(self.notes.notes),
            "obligations": len(self.notes.obligations),
            **(self.planning.summary() if self.planning else {}),
            "planning obligations": self.planning_obligations,
            **(self.oversight.summary() if self.oversight else {}),
            "oversight obligations": self.oversight_obligations,
        }


def years_old(dob, day) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
