"""One clock: business code reads "today" from hearth.core.services.today() (and the
moment from now()), which the suite freezes; nothing else asks the host or Django for
the date (issue 11, item 7). A source scan, so a new `date.today()` fails here before it
fails on the last day of some month."""

import ast
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.utils import timezone

import hearth
from hearth.core import services

ROOT = Path(hearth.__file__).parent
CLOCK = ROOT / "core" / "services.py"

# Reading these is reading the clock behind the one clock's back: the host's date
# (date.today, datetime.now/today/utcnow, whatever the time zone), Django's now (moments
# too come from core.services.now) or Django's local date
# and time of "now" (timezone.localdate/localtime without a moment to convert).
HOST = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("timezone", "now"),
}
LOCAL_NOW = {("timezone", "localdate"), ("timezone", "localtime")}


def _calls_of_the_clock(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    called_with_args = {
        id(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and (node.args or node.keywords)
    }
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        pair = (node.value.id, node.attr)
        # A reference counts too (a model field's default=timezone.localdate).
        if pair in HOST or (pair in LOCAL_NOW and id(node) not in called_with_args):
            found.append((node.lineno, f"{pair[0]}.{pair[1]}"))
    return found


def test_business_code_reads_today_from_the_one_clock():
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path == CLOCK:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        offences += [
            f"{path.relative_to(ROOT.parent)}:{line}: {what}"
            for line, what in _calls_of_the_clock(tree)
        ]
    assert not offences, "use hearth.core.services.today() / now():\n" + "\n".join(offences)


def test_the_scan_finds_each_way_around_the_clock():
    source = (
        "date.today()\ndatetime.now()\ntimezone.localdate()\n"
        "x = models.DateField(default=timezone.localdate)\n"
        "timezone.localdate(note.occurred_at)\ntimezone.localtime(change.at)\n"
    )
    assert [what for _, what in _calls_of_the_clock(ast.parse(source))] == [
        "date.today",
        "datetime.now",
        "timezone.localdate",
        "timezone.localdate",
    ]


def test_today_is_the_agencys_date_not_utcs():
    """At 23:45 on the last day of November in the agency's time zone it is already
    1 December in UTC; today() is still 30 November."""
    late = datetime.combine(date(2026, 11, 30), time(23, 45), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(late, tick=False):
        assert services.now() == late
        assert timezone.now().astimezone(ZoneInfo("UTC")).date() == date(2026, 12, 1)
        assert services.today() == date(2026, 11, 30)
    with time_machine.travel(late + timedelta(minutes=15), tick=False):
        assert services.today() == date(2026, 12, 1)
