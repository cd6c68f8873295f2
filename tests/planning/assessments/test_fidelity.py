"""C8: the fidelity measures of the practice guide (observation, documentation, interview,
supervision) are the items of the quality assurance instrument (O3), loaded as data by
the instruments' loader and its own data migration. It is listed (marked QA) but never
used to assess a family: the service refuses it, the form does not offer it, and the C3
actionable needs never hold its items."""

import importlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from hearth.cases.models import CaseEvent
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.planning.instruments import default_instruments, fidelity_instruments
from hearth.planning.models import Assessment, Instrument, InstrumentDomain, InstrumentItem, Rating
from hearth.planning.selectors import assessments as selectors
from hearth.planning.services import assessments as services
from tests.api.conftest import ApiClient
from tests.planning.assessments.conftest import ratings_for, record

CODE = "case-planning-fidelity"
DOMAINS = {"observation": 18, "documentation": 16, "interview": 4, "supervision": 8}
# The practice guide beside the project (../shared/policy), or beside its worktrees.
GUIDE = next(
    (
        p / "shared/policy/003_820cd09706c947c1.txt"
        for p in Path(__file__).resolve().parents[4:6]
        if (p / "shared/policy/003_820cd09706c947c1.txt").exists()
    ),
    Path("/nonexistent"),
)
REFUSED = (
    "C8: the fidelity instrument is for quality assurance reviews, not for assessing a family."
)

migration_0003 = importlib.import_module(
    "hearth.planning.migrations.0003_assessments_default_instruments"
)
migration_0006 = importlib.import_module("hearth.planning.migrations.0006_fidelity_instrument")


def fidelity() -> Instrument:
    return Instrument.objects.get(code=CODE, agency__isnull=True)


def test_c8_the_fidelity_instrument_exists_after_migrations_with_the_four_domains(db):
    instrument = fidelity()
    assert instrument.kind == Instrument.Kind.FIDELITY
    assert instrument.subject == Instrument.Subject.CASE
    assert instrument.active
    assert "0 fully met" in instrument.description and "3 not met" in instrument.description
    domains = list(instrument.domains.order_by("order"))
    assert [d.code for d in domains] == list(DOMAINS)
    assert {d.code: d.items.count() for d in domains} == DOMAINS
    items = InstrumentItem.objects.filter(domain__instrument=instrument)
    # Rated like strengths (0 fully met ... 3 not met): never a need, never a trauma need.
    assert set(items.values_list("kind", flat=True)) == {"strength"}
    assert not items.filter(trauma=True).exists()


def test_c8_the_file_holds_the_measures_in_the_guides_words():
    (data,) = fidelity_instruments()
    by_domain = {d["code"]: [i["text"] for i in d["items"]] for d in data["domains"]}
    assert {k: len(v) for k, v in by_domain.items()} == DOMAINS
    codes = [i["code"] for d in data["domains"] for i in d["items"]]
    assert len(codes) == len(set(codes))
    assert "The worker facilitates teaming" in by_domain["observation"]
    assert any("proactive and reactive" in t for t in by_domain["documentation"])
    assert any("informal resources" in t for t in by_domain["interview"])
    assert any("next 90 days" in t for t in by_domain["supervision"])
    assert all(t.startswith("In supervision the worker can say") for t in by_domain["supervision"])


@pytest.mark.skipif(not GUIDE.exists(), reason="the practice guide is not beside the project")
def test_c8_one_item_for_each_fidelity_measure_of_the_guide():
    text = GUIDE.read_text()
    measures = text[text.index("FIDELITY MEASURES") : text.index("POLICY REQUIREMENTS")]
    parts = re.split(r"(Observation:|Documentation:|Interview:|In Supervision:)", measures)
    counts = {}
    for head, body in zip(parts[1::2], parts[2::2], strict=True):
        bullets = len(re.findall(r"^- ", body, re.M)) + body.count("•") + body.count("○")
        if "was able to identify" in body:
            bullets -= 1  # the lead-in of the supervision measures, not a measure
        counts[head.rstrip(":").split()[-1].lower()] = bullets
    assert counts == DOMAINS


def rows():
    items = InstrumentItem.objects.filter(domain__instrument__code=CODE)
    return (
        Instrument.objects.filter(code=CODE).count(),
        InstrumentDomain.objects.filter(instrument__code=CODE).count(),
        items.count(),
    )


def test_c8_load_instruments_is_idempotent_for_the_fidelity_instrument(db):
    before = rows()
    assert before == (1, 4, 46)
    item = InstrumentItem.objects.get(code="obs-facilitates-teaming")
    item.text = "Changed by hand"
    item.save()
    out = StringIO()
    call_command("load_instruments", stdout=out)
    call_command("load_instruments", stdout=out)
    migration_0006.add(apps, None)  # the data migration's loader, once more
    assert rows() == before
    item.refresh_from_db()
    assert item.text == "The worker facilitates teaming"
    assert "0 created, 4 updated" in out.getvalue()


def test_c8_its_own_data_migration_loads_it_after_the_kind_exists(db):
    assert migration_0006.Migration.dependencies == [("planning", "0005_fidelity_kind")]
    kind = importlib.import_module("hearth.planning.migrations.0005_fidelity_kind")
    assert ("planning", "0004_plans_signature_declined") in kind.Migration.dependencies
    Instrument.objects.filter(code=CODE).delete()
    migration_0003.add(apps, None)  # loads only the files it knew
    assert not Instrument.objects.filter(code=CODE).exists()
    migration_0006.add(apps, None)
    assert rows() == (1, 4, 46)
    assert {d["code"] for d in default_instruments()} >= {CODE, "safety-risk"}


def test_c8_assessment_record_refuses_the_fidelity_instrument_and_stores_nothing(
    worker, family, instruments
):
    case, inst = family["case"], instruments[CODE]
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(DomainError) as exc:
        services.assessment_record(
            actor=worker.user,
            case=case,
            instrument=inst,
            subject=None,
            assessed_on=today(),
            reason="initial",
            ratings=ratings_for(inst),
        )
    assert exc.value.errors["instrument"] == REFUSED
    assert not Assessment.objects.exists() and not Rating.objects.exists()
    assert CaseEvent.objects.filter(case=case).count() == events
    assert inst not in services.assessable_instruments(case)
    assert inst in services.quality_assurance_instruments(case)


def test_c8_the_api_lists_it_marked_qa_and_refuses_an_assessment_with_it(
    worker, family, instruments
):
    api = ApiClient(worker.user)
    listed = {i["code"]: i for i in api.get("/api/v1/instruments").json()}
    assert listed[CODE]["kind"] == "fidelity" and listed[CODE]["quality_assurance"] is True
    assert listed["safety-risk"]["quality_assurance"] is False
    inst = instruments[CODE]
    r = api.get(f"/api/v1/instruments/{inst.pk}")
    assert r.status_code == 200
    assert [d["code"] for d in r.json()["domains"]] == list(DOMAINS)
    r = api.post(
        f"/api/v1/cases/{family['case'].pk}/assessments",
        {
            "instrument": inst.pk,
            "assessed_on": today().isoformat(),
            "reason": "initial",
            "ratings": ratings_for(inst),
        },
    )
    assert r.status_code == 422, r.content
    assert r.json()["errors"]["instrument"] == REFUSED
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "kind, subject", [("fidelity", "family"), ("needs", "case"), ("safety", "case")]
)
def test_c8_only_a_fidelity_instrument_rates_the_cases_practice(world, kind, subject):
    body = {
        "code": "qa-extra",
        "name": "QA extra",
        "subject": subject,
        "kind": kind,
        "domains": [{"code": "d", "name": "D", "items": [{"code": "i", "text": "An item"}]}],
    }
    r = ApiClient(world["staff"]["director"].user).post("/api/v1/instruments", body)
    assert r.status_code == 422 and "subject" in r.json()["errors"]
    assert not Instrument.objects.filter(code="qa-extra").exists()


def test_c8_the_new_assessment_page_lists_it_as_qa_but_does_not_offer_it(
    as_user, worker, family, instruments
):
    case, inst = family["case"], instruments[CODE]
    client = as_user(worker)
    url = reverse("assessment_new", args=[case.pk])
    r = client.get(url)
    text = r.content.decode()
    assert r.status_code == 200
    assert "Quality assurance instruments" in text and inst.name in text
    assert f'value="{inst.pk}"' not in text
    assert f'value="{instruments["safety-risk"].pk}"' in text
    r = client.get(url, {"instrument": inst.pk, "subject": ""})
    assert r.status_code == 422 and 'name="score_' not in r.content.decode()
    r = client.post(url, {"instrument": inst.pk, "assessed_on": today().isoformat()})
    assert r.status_code == 422
    assert not Assessment.objects.exists()


def test_c8_the_instruments_pages_mark_it_qa_with_its_ratings_meaning(as_user, worker, instruments):
    client = as_user(worker)
    inst = instruments[CODE]
    text = client.get(reverse("instruments")).content.decode()
    assert inst.name in text and ">QA</span>" in text
    text = client.get(reverse("instrument_detail", args=[inst.pk])).content.decode()
    assert "0 fully met, 1 mostly met, 2 partly met, 3 not met" in text
    assert "<h2>Supervision" in text


def test_c8_c3_actionable_needs_never_hold_fidelity_items(worker, family, instruments):
    case, inst = family["case"], instruments[CODE]
    record(worker.user, case, instruments["safety-risk"], scores={"isolation": 2})
    # A fidelity rating slipped in past the service, one of its items even made a need:
    # still not one of the case's needs (C3, C9).
    InstrumentItem.objects.filter(code="obs-evaluates-needs").update(kind="need")
    made = Assessment.objects.create(
        case=case,
        instrument=inst,
        assessed_on=today(),
        assessed_by=worker,
        reason="initial",
        recorded_by=worker.user,
    )
    Rating.objects.bulk_create(
        Rating(assessment=made, item=i, score=3)
        for i in InstrumentItem.objects.filter(domain__instrument=inst)
    )
    needs = list(selectors.actionable_needs(case))
    assert [n.item.code for n in needs] == ["isolation"]
    counted = {a.pk: a.needs for a in selectors.case_assessments(case)}
    assert counted[made.pk] == 0
    assert selectors.assessment_detail(made).needs == []


def test_c8_the_demo_never_assesses_a_family_with_it(db):
    from hearth.demo.planning import Catalogue

    kinds = {kind for _, _, kind, _ in Catalogue.load().instruments}
    assert kinds and "fidelity" not in kinds
