"""The Spanish message catalogue (hearth/locale/es/LC_MESSAGES): the compiled django.mo
is committed with its django.po (a clean machine needs no GNU gettext to run Hearth) and
must say what the .po says; every message of the templates a family reads, and every
label of the choices their documents print, has a Spanish translation."""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation.template import templatize

from hearth.planning.documents import STATES
from hearth.planning.models import ActionStep, CasePlan, Goal, PlanSignature
from hearth.visitation.models import PlanParticipant, VisitArrangement, VisitationPlan
from tests.i18n import CATALOGUE, po_entries

# The templates a family may read with messages of their own: the documents, and the
# pages they sign on (visitation/includes/where.html prints choices only).
FAMILY_TEMPLATES = [
    "visitation/visitation_plan_pdf.html",
    "visitation/visit_plan.html",
    "visitation/includes/supervision.html",
    "visitation/includes/schedule.html",
    "planning/case_plan_pdf.html",
    "web/includes/field.html",
    "web/includes/form_errors.html",
]
# The choices those documents print, each label a pgettext_lazy with its field's context.
FAMILY_CHOICES = [
    VisitationPlan.Status,
    VisitationPlan.MadeAt,
    VisitArrangement.Frequency,
    VisitArrangement.VisitorRole,
    VisitArrangement.Transport,
    VisitArrangement.Place,
    VisitArrangement.SupervisedBy,
    VisitArrangement.Day,
    PlanParticipant.Role,
    PlanParticipant.Method,
    CasePlan.Status,
    Goal.Area,
    ActionStep.Who,
    PlanSignature.Role,
]
CALL = re.compile(r"\b(p?gettext)\((u'(?:[^'\\]|\\.)*'(?:, u'(?:[^'\\]|\\.)*')?)\)")


def test_settings_name_the_catalogue():
    assert dict(settings.LANGUAGES) == {"en": "English", "es": "Español"}
    assert Path(settings.LOCALE_PATHS[0]) == CATALOGUE.parent.parent


def test_the_committed_mo_says_what_the_po_says():
    entries = po_entries()
    assert entries
    with open(CATALOGUE / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert compiled.info().get("language") == "es"
    for (context, msgid), msgstr in entries.items():
        assert msgstr, f"no Spanish for {msgid!r}"
        found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert found == msgstr, (
            f"{msgid!r}: the .mo is stale; run `manage.py compilemessages -l es` and commit it"
        )
    assert "#, fuzzy" not in (CATALOGUE / "django.po").read_text(encoding="utf-8")


def template_messages(name: str) -> set[tuple[str | None, str]]:
    source = Path(get_template(name).origin.name).read_text(encoding="utf-8")
    found = set()
    for function, args in CALL.findall(templatize(source)):
        values = ast.literal_eval(f"({args},)")
        found.add((values[0], values[1]) if function == "pgettext" else (None, values[0]))
    return found


def test_every_message_of_a_family_template_is_translated():
    entries = po_entries()
    for name in FAMILY_TEMPLATES:
        messages = template_messages(name)
        assert messages, name
        for key in messages:
            assert entries.get(key), f"{name}: {key} has no Spanish translation"


def test_every_label_a_family_document_prints_is_translated():
    labels = [(c.__qualname__, v, label) for c in FAMILY_CHOICES for v, label in c.choices]
    labels += [("STATES", k, v) for k, v in STATES.items()]
    with translation.override("es"):
        spanish = {(c, v): str(label) for c, v, label in labels}
    for c, v, label in labels:
        assert spanish[(c, v)] != str(label), f"{c}.{v}: {label!r} has no Spanish"


def test_one_english_word_two_spanish_meanings():
    """The flat table keyed by value read "worker" as transport for the case manager."""
    with translation.override("es"):
        role = str(PlanParticipant.Role.WORKER.label)
        transport = str(VisitArrangement.Transport.WORKER.label)
        place = str(VisitArrangement.Place.OTHER.label)
        made_at = str(VisitationPlan.MadeAt.OTHER.label)
    assert role == "Administrador o administradora del caso"
    assert transport.startswith("El trabajador") and transport != role
    assert place == "Otro lugar" and made_at.startswith("Otra reunión")
    assert str(PlanParticipant.Role.WORKER.label) == "Case manager"  # English unchanged
