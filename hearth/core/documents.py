"""What every printed document shares (a visitation plan, a case plan): the languages a
copy is printed in, the rendering of its template in that language, and of its HTML to
PDF by WeasyPrint with the fonts of the machine (no network access). The page style is the
template `core/pdf_base.html`, which each document extends.

A document's words are Django's translation framework's: the templates mark them
({% translate %}, with a context where one English word has two Spanish meanings), the
choices' labels are pgettext_lazy, and hearth/locale/es holds the catalogue. A copy is
rendered under translation.override(lang), never by switching the user's language: the
staff pages stay in English."""

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGES = dict(settings.LANGUAGES)


def check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}")


def page_language(request) -> str:
    """The language a page a family may read is shown in: `?lang=es`, English by
    default; an unknown language is a 404."""
    lang = request.GET.get("lang", "en")
    if lang not in LANGUAGES:
        raise Http404()
    return lang


def render_in(lang: str, template: str, context: dict) -> str:
    """`template` rendered in `lang` (its labels, choices, dates and times), with the
    language as `lang` in the context."""
    check_language(lang)
    with translation.override(lang):
        return render_to_string(template, {**context, "lang": lang})


def pdf_from_html(html: str) -> bytes:
    """The PDF bytes of an HTML document."""
    from weasyprint import HTML  # imported late: it loads Pango, slow to import

    return HTML(string=html).write_pdf()
