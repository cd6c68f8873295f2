"""A court report as a PDF (O2), in the product's layout (hearth.core.documents: the page
style of core/pdf_base.html, WeasyPrint with the machine's fonts): the case, the period,
the hearing it is for, each section as the worker left it, and the approval. Only an
approved report is printed (hearth.oversight.api.court and views.court check it)."""

from django.template.loader import render_to_string

from hearth.core.documents import pdf_from_html
from hearth.oversight.models import CourtReport
from hearth.oversight.selectors.court import sections_in_order

__all__ = ["court_report_html", "court_report_pdf"]


def court_report_html(report: CourtReport) -> str:
    return render_to_string(
        "oversight/court_report_pdf.html",
        {
            "lang": "en",
            "report": report,
            "case": report.case,
            "sections": [(title, text.split("\n")) for _, title, text in sections_in_order(report)],
        },
    )


def court_report_pdf(report: CourtReport) -> bytes:
    """The report as PDF bytes."""
    return pdf_from_html(court_report_html(report))
