"""Traceability: every rule the code cites exists in RULES.md, and every registered rule
has code and a test that names it."""

import importlib
import re
from pathlib import Path

import pytest

from hearth.policy.registry import RULES

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = ROOT.parent / "shared" / "policy" / "RULES.md"
RULE_ID = re.compile(r"\b([AOPCVF]\d{1,2})\b")


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_registered_rule_has_code_and_a_test_naming_it(rule_id):
    _, functions = RULES[rule_id]
    for dotted in functions:
        assert callable(_resolve(dotted)), dotted
    tests = "\n".join(
        p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if p.name != Path(__file__).name
    )
    pattern = re.compile(rf"def test_\w*{rule_id.lower()}_\w*|\b{rule_id}\b")
    assert pattern.search(tests), f"no test names {rule_id}"


@pytest.mark.skipif(
    not RULES_MD.exists(), reason="../shared/policy/RULES.md is not beside the project"
)
def test_every_rule_id_cited_in_the_code_exists():
    known = set(re.findall(r"\*\*([AOPCVF]\d{1,2})\*\*", RULES_MD.read_text()))
    assert {"A1", "V13", "F1"} <= known
    cited = set()
    for path in (ROOT / "hearth").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        cited |= set(RULE_ID.findall(path.read_text()))
    assert cited - known == set()
