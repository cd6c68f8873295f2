"""C3: the default instruments are data in our own words, loaded by the data migration
and by `manage.py load_instruments`, by code: run again, nothing is duplicated, and what
was changed by hand is put back; a rated item that left the file is kept."""

import importlib
import json
from io import StringIO

from django.apps import apps
from django.core.management import call_command

from hearth.planning.instruments import default_instruments, load
from hearth.planning.models import Instrument, InstrumentDomain, InstrumentItem
from tests.planning.assessments.conftest import record

MIGRATION = "hearth.planning.migrations.0003_assessments_default_instruments"
migration = importlib.import_module(MIGRATION)


def rows():
    return (
        Instrument.objects.count(),
        InstrumentDomain.objects.count(),
        InstrumentItem.objects.count(),
    )


def test_c3_the_three_defaults_have_the_shape_the_issue_asks():
    by_code = {d["code"]: d for d in default_instruments("family", "child", "safety")}
    assert set(by_code) == {"family-strengths-needs", "child-strengths-needs", "safety-risk"}
    for data in by_code.values():
        codes = [i["code"] for d in data["domains"] for i in d["items"]]
        assert len(codes) == len(set(codes)), data["code"]
        assert all(5 <= len(d["items"]) <= 8 for d in data["domains"]), data["code"]
    child = {d["code"]: d for d in by_code["child-strengths-needs"]["domains"]}
    assert all(i.get("trauma") for i in child["trauma"]["items"])
    assert child["independent-living"]["min_age"] == 14
    safety = by_code["safety-risk"]
    assert safety["kind"] == "safety"
    kinds = {d["code"]: {i["kind"] for i in d["items"]} for d in safety["domains"]}
    assert kinds["threats"] == {"need"} and kinds["protective"] == {"strength"}
    assert by_code["family-strengths-needs"]["subject"] in ("caregiver", "family")


def test_c3_load_instruments_is_idempotent_and_updates_by_code(db):
    out = StringIO()
    call_command("load_instruments", stdout=out)
    counts = rows()
    assert counts[0] >= 3
    item = InstrumentItem.objects.get(
        code="grief", domain__instrument__code="child-strengths-needs"
    )
    item.text = "Changed by hand"
    item.save()
    call_command("load_instruments", stdout=out)
    migration.add(apps, None)  # the data migration's loader, once more
    assert rows() == counts
    item.refresh_from_db()
    assert item.text.startswith("Grief")
    assert "0 created, 4 updated" in out.getvalue()  # and C8's fidelity instrument


def test_c3_a_rated_item_no_longer_in_the_file_is_kept(worker, family, instruments):
    record(worker.user, family["case"], instruments["safety-risk"])
    data = [d for d in default_instruments() if d["code"] == "safety-risk"][0]
    data["domains"][2]["items"] = data["domains"][2]["items"][1:]  # drop prior-reports
    counts = load(
        [json.loads(json.dumps(data))],
        Instrument=Instrument,
        Domain=InstrumentDomain,
        Item=InstrumentItem,
    )
    assert counts["kept"] == 1
    assert InstrumentItem.objects.filter(code="prior-reports").exists()
