"""The one permission map (ADR 0002, 0008): every role check reads it; no module writes a
set of roles inline."""

import re
from pathlib import Path

from hearth.staff.models import Role
from hearth.staff.permissions import PERMISSIONS, can, roles_with
from tests.factories import StaffFactory

ROOT = Path(__file__).resolve().parents[2] / "hearth"
# A role check: asking a staff member for a role, or a role inside a set or an `in` test.
ROLE_CHECK = re.compile(
    r"has_role\(|\.role_set\s*[&|-]|\{\s*Role\.|Role\.[A-Z_]+ in |roles__role=Role\."
)
# Where roles are data rather than a check: the model that defines them, the map itself,
# the grant rule and its service (which roles may be granted, the last administrator), the
# two-factor setting (roles named by configuration) and the demo's synthetic staff.
ALLOWED = {
    "staff/models.py",
    "staff/permissions.py",
    "staff/services.py",
    "staff/signin.py",
    "policy/grants.py",
}


def test_every_capability_names_known_roles():
    assert PERMISSIONS
    for capability, roles in PERMISSIONS.items():
        assert roles, capability
        assert roles <= set(Role.values), capability


def test_no_role_set_is_written_inline_outside_the_map():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/migrations/" in rel or rel.startswith("demo/") or rel in ALLOWED:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_CHECK.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == [], "role checks outside hearth/staff/permissions.py:\n" + "\n".join(found)


def test_the_scan_finds_an_inline_role_check():
    assert ROLE_CHECK.search("if staff.role_set & {Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}:")
    assert ROLE_CHECK.search("if staff.has_role(Role.SUPERVISOR):")
    assert not ROLE_CHECK.search('if can(staff, "case.assign_unit"):')


def test_can_reads_the_union_of_a_staff_members_roles(db):
    both = StaffFactory(roles=[Role.CASE_MANAGER, Role.INTAKE_COORDINATOR])
    assert can(both, "case.hold") and can(both, "referral.record")
    assert not can(both, "referral.route")
    assert not can(None, "case.hold")
    assert roles_with("referral.route") == {Role.PROGRAM_DIRECTOR}
