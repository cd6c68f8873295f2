"""The visitation plan as a PDF, in English or Spanish (P6: every participant gets a
copy). HTML from a template extending core/pdf_base.html, rendered by
hearth.core.documents."""

from django.template.loader import render_to_string

from hearth.core.documents import LANGUAGES, check_language, label, pdf_from_html
from hearth.visitation.models import PlanParticipant, VisitArrangement, VisitationPlan

__all__ = ["LANGUAGES", "visitation_plan_html", "visitation_plan_pdf"]

TEXT = {
    "en": {
        "title": "Visitation plan",
        "child": "Child",
        "case": "Case",
        "made": "Made at",
        "on": "on",
        "status": "Status",
        "who": "Who visits",
        "how_often": "How often",
        "where": "Where",
        "supervised": "Supervised",
        "transport": "Transport",
        "times": "Times",
        "evenings": "Evenings or weekends",
        "yes": "Yes",
        "no": "No",
        "fewer": "Why fewer than weekly visits",
        "notes": "Notes",
        "signatures": "Signatures",
        "name": "Name",
        "role": "Role",
        "signed": "Signed",
        "not_signed": "Not yet signed",
        "copy": "Copy given",
        "electronic": "electronically, as",
        "paper": "on paper",
        "footer": "Every participant signs this plan and receives a copy. The schedule is "
        "reviewed at every placement conference and family team meeting while the child "
        "is in out-of-home placement.",
    },
    "es": {
        "title": "Plan de visitas",
        "child": "Niño o niña",
        "case": "Caso",
        "made": "Elaborado en",
        "on": "el",
        "status": "Estado",
        "who": "Quién visita",
        "how_often": "Frecuencia",
        "where": "Lugar",
        "supervised": "Supervisada",
        "transport": "Transporte",
        "times": "Horario",
        "evenings": "Tardes o fines de semana",
        "yes": "Sí",
        "no": "No",
        "fewer": "Motivo de visitas menos que semanales",
        "notes": "Notas",
        "signatures": "Firmas",
        "name": "Nombre",
        "role": "Función",
        "signed": "Firmado",
        "not_signed": "Sin firmar",
        "copy": "Copia entregada",
        "electronic": "electrónicamente, como",
        "paper": "en papel",
        "footer": "Todos los participantes firman este plan y reciben una copia. El horario se "
        "revisa en cada conferencia de colocación y en cada reunión del equipo familiar "
        "mientras el niño o la niña esté fuera del hogar.",
    },
}

CHOICES_ES = {
    # VisitationPlan.MadeAt, .Status
    "family_team_meeting": "Reunión del equipo familiar",
    "placement_conference": "Conferencia de colocación",
    "other": "Otra reunión con los padres de recursos",
    "draft": "Pendiente de firmas",
    "in_effect": "Firmado por todos, vigente",
    "replaced": "Reemplazado por un plan más reciente",
    "ended": "Terminado: el niño o la niña salió del cuidado",
    # VisitArrangement.Frequency
    "more_than_weekly": "Más de una vez por semana",
    "weekly": "Semanal",
    "every_two_weeks": "Cada dos semanas",
    "monthly": "Mensual",
    # VisitArrangement.Transport
    "none": "No hace falta",
    "worker": "Lo ofrece el trabajador del caso",
    "arranged": "El trabajador ayuda a organizarlo",
    "reimbursed": "Se reembolsan los gastos",
    # PlanParticipant.Role, VisitArrangement.VisitorRole
    "parent": "Madre o padre",
    "resource_parent": "Padre o madre de recursos",
    "provider": "Proveedor de la colocación",
    "child": "Niño o niña",
    "sibling": "Hermano o hermana",
    "relative": "Familiar",
    "supervisor": "Supervisor",
}


def _label(lang: str, value: str, english: str) -> str:
    return label(lang, value, english, CHOICES_ES)


def visitation_plan_html(plan: VisitationPlan, lang: str) -> str:
    text = TEXT[lang]
    arrangements = [
        {
            "a": a,
            "frequency": _label(lang, a.frequency, a.get_frequency_display()),
            "transport": _label(lang, a.transport, a.get_transport_display()),
            "role": _label(lang, a.visitor_role, a.get_visitor_role_display()),
        }
        for a in VisitArrangement.objects.filter(plan=plan)
    ]
    participants = [
        {"p": p, "role": _label(lang, p.role, p.get_role_display())}
        for p in PlanParticipant.objects.filter(plan=plan)
    ]
    return render_to_string(
        "visitation/visitation_plan_pdf.html",
        {
            "t": text,
            "lang": lang,
            "plan": plan,
            "made_at": _label(lang, plan.made_at, plan.get_made_at_display()),
            "status": _label(lang, plan.status, plan.get_status_display()),
            "arrangements": arrangements,
            "participants": participants,
        },
    )


def visitation_plan_pdf(plan: VisitationPlan, lang: str = "en") -> bytes:
    """The plan as PDF bytes; `lang` is "en" or "es"."""
    check_language(lang)
    return pdf_from_html(visitation_plan_html(plan, lang))
