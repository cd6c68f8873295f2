"""What every printed document shares (a visitation plan, a case plan): the languages a
copy is printed in, a choice's label in the copy's language, and the rendering of a
template's HTML to PDF by WeasyPrint with the fonts of the machine (no network access).
The page style is the template `core/pdf_base.html`, which each document extends."""

from collections.abc import Mapping

LANGUAGES = {"en": "English", "es": "Español"}


def label(lang: str, value: str, english: str, spanish: Mapping[str, str]) -> str:
    """A choice's label: `english` for an English copy, else its Spanish from `spanish`
    (the English when none is given)."""
    return spanish.get(value, english) if lang == "es" else english


def check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}")


def pdf_from_html(html: str) -> bytes:
    """The PDF bytes of an HTML document."""
    from weasyprint import HTML  # imported late: it loads Pango, slow to import

    return HTML(string=html).write_pdf()
