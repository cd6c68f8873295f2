"""C3: the default assessment instruments, kept as data (one JSON file each, in our own
words: no licensed instrument's items), and the loader that the data migrations
(planning 0003: family, child, safety; 0006: fidelity) and `manage.py load_instruments`
share. C8: fidelity.json is the quality assurance instrument (O3): the practice guide's
fidelity measures as items, in its four domains (observation, documentation, interview,
supervision); it is loaded like the others but never used to assess a family.

A file holds one instrument: code, name, subject (child, caregiver, family, case), kind
(needs, safety, fidelity), description and its domains, each with a code, a name, an optional
min_age and its items (code, text, kind need or strength, trauma). Item codes are unique
in an instrument: a rating names its item by code.

Loading is idempotent and goes by code: an instrument shared by every agency with the
file's code is updated (or made), its domains and items too; a domain or item no longer
in the file is removed unless an assessment rated it (then it stays, and is reported).
"""

import json
from pathlib import Path

from django.db.models import ProtectedError

DATA_DIR = Path(__file__).resolve().parent


def default_instruments(*names: str) -> list[dict]:
    """The instruments of the JSON files beside this module, in file-name order: all of
    them, or those of the files named (without .json), so that a data migration loads
    the files it knew."""
    paths = sorted(DATA_DIR.glob("*.json"))
    if names:
        paths = [p for p in paths if p.stem in names]
        missing = set(names) - {p.stem for p in paths}
        if missing:
            raise FileNotFoundError(f"No instrument file for {sorted(missing)}")
    return [json.loads(p.read_text()) for p in paths]


def fidelity_instruments() -> list[dict]:
    """C8: the quality assurance instrument (O3) of fidelity.json."""
    return default_instruments("fidelity")


def load(instruments: list[dict], *, Instrument, Domain, Item) -> dict[str, int]:
    """Make or update each instrument of `instruments` as a shared one (no agency). The
    models are passed in, so that a migration can give its historical ones. Returns
    counts: created, updated, kept (items or domains left because they were rated)."""
    counts = {"created": 0, "updated": 0, "kept": 0}
    for data in instruments:
        instrument, created = Instrument.objects.update_or_create(
            code=data["code"],
            agency=None,
            defaults={
                "name": data["name"],
                "subject": data["subject"],
                "kind": data["kind"],
                "description": data.get("description", ""),
                "active": True,
            },
        )
        counts["created" if created else "updated"] += 1
        existing_domains = {d.code: d for d in Domain.objects.filter(instrument=instrument)}
        existing_items = {i.code: i for i in Item.objects.filter(domain__instrument=instrument)}
        wanted_domains, wanted_items = set(), set()
        for d_order, d in enumerate(data["domains"]):
            domain = existing_domains.get(d["code"])
            if domain is None:
                domain = Domain(instrument=instrument, code=d["code"])
            domain.name = d["name"]
            domain.order = d_order
            domain.min_age = d.get("min_age")
            domain.save()
            wanted_domains.add(d["code"])
            for i_order, i in enumerate(d["items"]):
                item = existing_items.get(i["code"]) or Item(code=i["code"])
                item.domain = domain
                item.text = i["text"]
                item.kind = i.get("kind", "need")
                item.trauma = bool(i.get("trauma", False))
                item.order = i_order
                item.save()
                wanted_items.add(i["code"])
        for code, item in existing_items.items():
            if code not in wanted_items:
                counts["kept"] += _remove(item)
        for code, domain in existing_domains.items():
            if code not in wanted_domains:
                counts["kept"] += _remove(domain)
    return counts


def _remove(record) -> int:
    """Delete a domain or item no longer in the file; 1 if a rating keeps it."""
    try:
        record.delete()
    except ProtectedError:
        return 1
    return 0
