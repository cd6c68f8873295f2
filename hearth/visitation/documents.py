"""The visitation plan as a PDF, in English or Spanish (P6: every participant gets a
copy). HTML from a template extending core/pdf_base.html, rendered in the copy's language
by hearth.core.documents (words from the catalogue in hearth/locale)."""

from hearth.core.documents import LANGUAGES, pdf_from_html, render_in
from hearth.visitation.models import PlanParticipant, VisitArrangement, VisitationPlan

__all__ = ["LANGUAGES", "visitation_plan_html", "visitation_plan_pdf"]


def visitation_plan_html(plan: VisitationPlan, lang: str) -> str:
    return render_in(
        lang,
        "visitation/visitation_plan_pdf.html",
        {
            "plan": plan,
            "arrangements": list(VisitArrangement.objects.filter(plan=plan)),
            "participants": list(PlanParticipant.objects.filter(plan=plan)),
        },
    )


def visitation_plan_pdf(plan: VisitationPlan, lang: str = "en") -> bytes:
    """The plan as PDF bytes; `lang` is "en" or "es"."""
    return pdf_from_html(visitation_plan_html(plan, lang))
