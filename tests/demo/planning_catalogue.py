"""A small synthetic planning catalogue for the seed's tests: three instruments (the
family's needs, a child's needs with a trauma item and an independent-living domain from
14, safety and risk) and a handful of service types. The defaults arrive by the planning
app's data migrations; the tests make their own so they do not depend on them."""

from hearth.planning.models import Instrument, InstrumentDomain, InstrumentItem, ServiceType

INSTRUMENTS = [
    (
        "seedtest-family",
        "Family needs (seed test)",
        "family",
        "needs",
        [
            ("housing", "Housing", None, [("stable-home", "Stable housing", "need", False)]),
            (
                "parenting",
                "Parenting",
                None,
                [
                    ("supervision", "Supervision of the children", "need", False),
                    ("discipline", "Calm discipline", "need", False),
                    ("bond", "Warm bond with the children", "strength", False),
                ],
            ),
        ],
    ),
    (
        "seedtest-child",
        "Child needs (seed test)",
        "child",
        "needs",
        [
            (
                "well-being",
                "Well-being",
                None,
                [
                    ("school", "School attendance", "need", False),
                    ("trauma", "Trauma symptoms", "need", True),
                ],
            ),
            ("living", "Independent living", 14, [("budget", "Budgeting skills", "need", False)]),
        ],
    ),
    (
        "seedtest-caregiver",
        "Caregiver needs (seed test)",
        "caregiver",
        "needs",
        [("health", "Health", None, [("substance", "Substance use", "need", False)])],
    ),
    (
        "seedtest-safety",
        "Safety and risk (seed test)",
        "family",
        "safety",
        [
            (
                "threats",
                "Safety threats",
                None,
                [
                    ("violence", "Violence in the home", "need", False),
                    ("protective", "Protective capacity", "strength", False),
                ],
            )
        ],
    ),
]
SERVICES = [
    ("seedtest-housing", "Housing help"),
    ("seedtest-parenting", "Parenting education"),
    ("seedtest-trauma", "Trauma therapy"),
    ("seedtest-substance", "Substance use treatment"),
    ("seedtest-school", "School support and tutoring"),
    ("seedtest-living", "Independent living skills"),
]


def make_catalogue() -> None:
    for code, name, subject, kind, domains in INSTRUMENTS:
        instrument = Instrument.objects.create(code=code, name=name, subject=subject, kind=kind)
        for d, (dcode, dname, min_age, items) in enumerate(domains):
            domain = InstrumentDomain.objects.create(
                instrument=instrument, code=dcode, name=dname, order=d, min_age=min_age
            )
            for i, (icode, text, ikind, trauma) in enumerate(items):
                InstrumentItem.objects.create(
                    domain=domain, code=icode, text=text, kind=ikind, trauma=trauma, order=i
                )
    for code, name in SERVICES:
        ServiceType.objects.create(code=code, name=name)
