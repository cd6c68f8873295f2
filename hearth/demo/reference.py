"""Synthetic reference data for a made-up state: nothing here describes a real place's people."""

COUNTIES = [
    # code, name, latitude, longitude
    ("alder", "Alder", "40.812000", "-96.702000"),
    ("birch", "Birch", "41.256000", "-95.934000"),
    ("cedar", "Cedar", "40.586000", "-98.388000"),
    ("dogwood", "Dogwood", "41.128000", "-100.765000"),
    ("elm", "Elm", "42.033000", "-97.417000"),
    ("fir", "Fir", "40.922000", "-98.342000"),
    ("hawthorn", "Hawthorn", "41.863000", "-103.667000"),
    ("juniper", "Juniper", "40.193000", "-100.625000"),
    ("linden", "Linden", "42.828000", "-103.000000"),
    ("maple", "Maple", "40.699000", "-99.081000"),
]
# O4: the state's oversight regions and the counties of each (the demo's three
# specialists sit one in each region; a case is routed within its county's region).
REGIONS = [
    # code, name, counties
    ("east", "East", ("alder", "birch", "elm")),
    ("central", "Central", ("cedar", "fir", "maple")),
    ("west", "West", ("dogwood", "hawthorn", "juniper", "linden")),
]
LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("so", "Somali"),
    ("hmn", "Hmong"),
    ("ase", "American Sign Language"),
]
SKILLS = [
    ("substance-abuse", "Substance-abusing families"),
    ("domestic-violence", "Domestic violence"),
    ("dd-parents", "Developmentally delayed parents"),
    ("teenagers", "Teenagers"),
    ("medically-complex", "Medically complex children"),
    ("trauma-informed", "Trauma-informed care"),
    ("tribal-collaboration", "Tribal collaboration (ICWA)"),
]
TRIBES = [
    ("prairie-river", "Prairie River Band (synthetic)"),
    ("cedar-lake", "Cedar Lake Nation (synthetic)"),
    ("north-fork", "North Fork Tribe (synthetic)"),
]
RACES = [
    ("aian", "American Indian or Alaska Native"),
    ("asian", "Asian"),
    ("black", "Black or African American"),
    ("nhpi", "Native Hawaiian or Other Pacific Islander"),
    ("white", "White"),
    ("unknown", "Unknown"),
]

# The demo sign-ins: one per role, all with DEMO_PASSWORD.
DEMO_PASSWORD = "hearth-demo-sign-in"  # 12+ characters, like every password
DEMO_SIGNINS = [
    ("casemanager", "Case manager"),
    ("supervisor", "Supervisor"),
    ("director", "Program director"),
    ("intake", "Intake coordinator"),
    ("oversight", "State oversight specialist"),
    ("statesupervisor", "State oversight supervisor"),
    ("qa", "QA reviewer"),
    ("admin", "Administrator"),
]

# The mix of case types the generators draw from (out-of-home twice as common).
CASE_TYPE_MIX = [
    "investigation",
    "in_home_non_court",
    "in_home_dependency",
    "out_of_home",
    "out_of_home",
    "voluntary_in_home",
]

# The resource directory's mix of homes and facilities (hearth.placements.models.Setting
# values that the directory holds), shared by the demo and the state-scale generators:
# setting, share of the directory in percent, capacity range, the age ranges homes of
# this kind take, the needs (hearth.placements.models.Need) they may serve, the name
# pattern ({last}: a family name, {place}: a place word, {county}: the county) and the
# licence prefix.
HOME_MIX = [
    (
        "resource_family_home",
        68,
        (2, 6),
        [(0, 17), (0, 17), (0, 5), (0, 12), (6, 17), (12, 21)],
        ["infant", "sibling_group", "lgbtq_affirming", "medical", "developmental"],
        "{last} family home",
        "RF",
    ),
    (
        "therapeutic_foster_home",
        8,
        (1, 3),
        [(5, 17), (10, 21), (0, 17)],
        ["behavioral", "developmental", "medical", "lgbtq_affirming", "substance_use"],
        "{last} therapeutic foster home",
        "TF",
    ),
    (
        "pre_adoptive_home",
        5,
        (1, 4),
        [(0, 12), (0, 17), (0, 5)],
        ["infant", "sibling_group", "medical"],
        "{last} pre-adoptive home",
        "PA",
    ),
    (
        "group_home",
        6,
        (6, 12),
        [(12, 17), (10, 18), (13, 20)],
        ["behavioral", "lgbtq_affirming", "parenting_teen", "substance_use"],
        "{place} House group home",
        "GH",
    ),
    (
        "shelter",
        3,
        (8, 20),
        [(0, 17), (6, 17)],
        ["infant", "sibling_group", "behavioral"],
        "{county} County emergency shelter",
        "SH",
    ),
    (
        "residential_treatment",
        2,
        (12, 40),
        [(10, 17), (12, 21)],
        ["behavioral", "substance_use", "developmental"],
        "{place} Residential Treatment Center",
        "RT",
    ),
    (
        "qrtp",
        2,
        (8, 16),
        [(12, 17), (10, 20)],
        ["behavioral", "substance_use", "lgbtq_affirming"],
        "{place} Youth Treatment Program (QRTP)",
        "QR",
    ),
    (
        "supervised_independent_living",
        2,
        (4, 12),
        [(16, 21), (17, 21)],
        ["parenting_teen", "lgbtq_affirming"],
        "{place} transitional living apartments",
        "SL",
    ),
    (
        "juvenile_justice",
        1,
        (20, 60),
        [(12, 20)],
        ["behavioral", "substance_use"],
        "{county} County Youth Detention Center",
        "JJ",
    ),
    (
        "medical_psychiatric",
        3,
        (6, 20),
        [(0, 21), (5, 21)],
        ["medical", "behavioral", "developmental"],
        "{place} Children's Hospital psychiatric unit",
        "MP",
    ),
]
PLACE_WORDS = [
    "Bluestem",
    "Cottonwood",
    "Meadowlark",
    "Sandhill",
    "Prairie Rose",
    "Willow Creek",
    "Harvest",
    "Sunrise",
    "Hillcrest",
    "Riverside",
    "Red Cedar",
    "Kestrel",
]
# Why a child moves (the placement's move reason), by the kind of place left.
MOVE_REASONS = {
    "relative_home": [
        "The relative could no longer care for the child (health).",
        "The relative's home did not pass the home study.",
    ],
    "shelter": ["The emergency shelter stay ended once a longer-term home was found."],
    "other": [
        "The resource parents asked for the child to be moved (family emergency).",
        "Moved closer to the parents' home and the school of origin.",
        "The home's licence was put on hold.",
        "The child needed a home that serves their needs.",
    ],
}

# O1, P1: a closure recommendation's reasons and a finding's explanation (synthetic).
CLOSURE_REASONS = (
    "The parents completed the agreed services, every home visit of the last three months "
    "found the home safe and the children well cared for, and the family's supports are in "
    "place: the family no longer needs protection and the parents can care for the children."
)
FINDING_EXPLANATION = "Shown by the contact notes and the services of the last months."
