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
DEMO_PASSWORD = "hearth-demo"
DEMO_SIGNINS = [
    ("casemanager", "Case manager"),
    ("supervisor", "Supervisor"),
    ("director", "Program director"),
    ("intake", "Intake coordinator"),
    ("oversight", "State oversight specialist"),
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
