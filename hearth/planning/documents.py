"""A case plan version as a PDF, in English or Spanish: goals, objectives and steps (who,
what, by when, the expected outcome: C2), the needs answered (C9), parenting time for
every parent, and the signatures with every disagreement, in the participant's words
(recorded, not hidden). The page style and the rendering are hearth.core.documents'.
The family's own words (goals, steps, disagreements) are printed as written."""

from django.utils.translation import pgettext_lazy

from hearth.core.documents import LANGUAGES, check_language, pdf_from_html, render_in
from hearth.core.services import today
from hearth.planning.models import CasePlan
from hearth.planning.selectors import plans as selectors

__all__ = ["LANGUAGES", "case_plan_html", "case_plan_pdf"]

# P9 step states
STATES = {
    "done": pgettext_lazy("action step state", "Done"),
    "late": pgettext_lazy("action step state", "Late"),
    "open": pgettext_lazy("action step state", "Open"),
}


def case_plan_html(plan: CasePlan, lang: str) -> str:
    check_language(lang)  # before the selectors' queries
    view = selectors.plan_view(plan, today=today())

    states = {r.step.pk: STATES[r.state] for r in view.steps}
    goals = [
        {
            "g": g,
            "objectives": [
                {"o": o, "steps": [{"s": s, "state": states[s.pk]} for s in o.steps.all()]}
                for o in g.objectives.all()
            ],
        }
        for g in view.goals
    ]
    return render_in(
        lang,
        "planning/case_plan_pdf.html",
        {
            "plan": plan,
            "goals": goals,
            "responses": view.responses,
            "parenting_time": view.parenting_time,
            "signatures": view.signatures,
        },
    )


def case_plan_pdf(plan: CasePlan, lang: str = "en") -> bytes:
    """The version as PDF bytes; `lang` is "en" or "es"."""
    return pdf_from_html(case_plan_html(plan, lang))
