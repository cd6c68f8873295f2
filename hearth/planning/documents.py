"""A case plan version as a PDF, in English or Spanish: goals, objectives and steps (who,
what, by when, the expected outcome: C2), the needs answered (C9), parenting time for
every parent, and the signatures with every disagreement, in the participant's words
(recorded, not hidden). The page style and the rendering are hearth.core.documents'.
The family's own words (goals, steps, disagreements) are printed as written."""

from django.template.loader import render_to_string

from hearth.core.documents import LANGUAGES, check_language, label, pdf_from_html
from hearth.core.services import today
from hearth.planning.models import CasePlan
from hearth.planning.selectors import plans as selectors

__all__ = ["LANGUAGES", "case_plan_html", "case_plan_pdf"]

TEXT = {
    "en": {
        "title": "Case plan",
        "case": "Case",
        "version": "Version",
        "status": "Status",
        "adopted": "Adopted at the family team meeting of",
        "not_adopted": "Not yet adopted at a family team meeting",
        "approved": "Approved on",
        "permanency_goal": "Permanency goal",
        "summary": "What must change",
        "trauma": "How trauma is addressed",
        "supports": "Support for taking part",
        "goals": "Goals, objectives and action steps",
        "goal": "Goal",
        "objective": "Objective",
        "target": "target date",
        "measure": "Measured by",
        "who": "Who",
        "what": "What",
        "by": "By when",
        "outcome": "Expected outcome",
        "progress": "Progress",
        "needs": "Needs and how the plan answers them",
        "need": "Need",
        "answer": "Answered by",
        "not_addressed": "Not addressed now",
        "trauma_need": "trauma",
        "parenting_time": "Parenting time",
        "parent": "Parent",
        "arrangements": "Arrangements",
        "behaviours": "What is assessed",
        "visitation_plan": "See the visitation plan",
        "signatures": "Signatures",
        "name": "Name",
        "role": "Role",
        "signed": "Signed",
        "not_signed": "Not yet signed",
        "declined": "Declined to sign on",
        "agrees": "Agrees",
        "disagrees": "Disagrees",
        "disagreement": "In their words",
        "yes": "Yes",
        "no": "No",
        "footer": "This plan was made with the family at a family team meeting. A "
        "participant who disagrees says so here, in their own words; it is part of the plan.",
    },
    "es": {
        "title": "Plan del caso",
        "case": "Caso",
        "version": "Versión",
        "status": "Estado",
        "adopted": "Adoptado en la reunión del equipo familiar del",
        "not_adopted": "Aún no adoptado en una reunión del equipo familiar",
        "approved": "Aprobado el",
        "permanency_goal": "Meta de permanencia",
        "summary": "Lo que debe cambiar",
        "trauma": "Cómo se atiende el trauma",
        "supports": "Apoyo para participar",
        "goals": "Metas, objetivos y pasos de acción",
        "goal": "Meta",
        "objective": "Objetivo",
        "target": "fecha prevista",
        "measure": "Se mide por",
        "who": "Quién",
        "what": "Qué",
        "by": "Para cuándo",
        "outcome": "Resultado esperado",
        "progress": "Avance",
        "needs": "Necesidades y cómo las atiende el plan",
        "need": "Necesidad",
        "answer": "Atendida por",
        "not_addressed": "No se atiende por ahora",
        "trauma_need": "trauma",
        "parenting_time": "Tiempo con los hijos",
        "parent": "Madre o padre",
        "arrangements": "Arreglos",
        "behaviours": "Qué se observa",
        "visitation_plan": "Ver el plan de visitas",
        "signatures": "Firmas",
        "name": "Nombre",
        "role": "Función",
        "signed": "Firmado",
        "not_signed": "Sin firmar",
        "declined": "No quiso firmar el",
        "agrees": "Está de acuerdo",
        "disagrees": "No está de acuerdo",
        "disagreement": "En sus palabras",
        "yes": "Sí",
        "no": "No",
        "footer": "Este plan se elaboró con la familia en una reunión del equipo familiar. "
        "Quien no está de acuerdo lo dice aquí, en sus propias palabras; forma parte del plan.",
    },
}

CHOICES_ES = {
    # CasePlan.Status
    "draft": "Borrador",
    "adopted": "Adoptado, pendiente de aprobación",
    "approved": "Aprobado, vigente",
    "replaced": "Reemplazado por una versión más reciente",
    # Goal.Area
    "safety": "Seguridad",
    "permanency": "Permanencia",
    "well_being": "Bienestar",
    # ActionStep.Who, PlanSignature.Role
    "parent": "Madre o padre",
    "child": "Niño, niña o joven",
    "caregiver": "Padre o madre de recursos o cuidador",
    "provider": "Proveedor de servicios",
    "caseworker": "Trabajador del caso",
    "team_member": "Otro miembro del equipo",
    "youth": "Joven",
    "worker": "Trabajador del caso",
    "resource_parent": "Padre o madre de recursos",
    "other": "Otro participante",
    # P9 step states
    "done": "Hecho",
    "late": "Atrasado",
    "open": "Pendiente",
}

STATES_EN = {"done": "Done", "late": "Late", "open": "Open"}


def case_plan_html(plan: CasePlan, lang: str) -> str:
    check_language(lang)
    view = selectors.plan_view(plan, today=today())

    def lab(value, english):
        return label(lang, value, english, CHOICES_ES)

    states = {r.step.pk: r.state for r in view.steps}
    goals = [
        {
            "g": g,
            "area": lab(g.area, g.get_area_display()),
            "objectives": [
                {
                    "o": o,
                    "steps": [
                        {
                            "s": s,
                            "who": lab(s.who, s.get_who_display()),
                            "state": lab(states[s.pk], STATES_EN[states[s.pk]]),
                        }
                        for s in o.steps.all()
                    ],
                }
                for o in g.objectives.all()
            ],
        }
        for g in view.goals
    ]
    return render_to_string(
        "planning/case_plan_pdf.html",
        {
            "t": TEXT[lang],
            "lang": lang,
            "plan": plan,
            "status": lab(plan.status, plan.get_status_display()),
            "goals": goals,
            "responses": view.responses,
            "parenting_time": view.parenting_time,
            "signatures": [
                {"s": s, "role": lab(s.role, s.get_role_display())} for s in view.signatures
            ],
        },
    )


def case_plan_pdf(plan: CasePlan, lang: str = "en") -> bytes:
    """The version as PDF bytes; `lang` is "en" or "es"."""
    return pdf_from_html(case_plan_html(plan, lang))
