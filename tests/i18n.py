"""The Spanish catalogue (hearth/locale/es) as tests read it, and the check that a
family's Spanish document carries no English label: a label is a catalogue msgid, so the
labels an English copy shows are the msgids found in its text, and none of them may be
found in the Spanish copy of the same record, whose words are their translations."""

import ast
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

from django.utils.html import strip_tags

CATALOGUE = Path(__file__).resolve().parent.parent / "hearth" / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
NOT_LABELS = {"document date format"}  # a date format: its parts are not words


def po_entries(path: Path = CATALOGUE / "django.po") -> dict[tuple[str | None, str], str]:
    """{(context, msgid): msgstr} of a .po file, its header left out."""
    entries, entry, field = {}, {}, None

    def close():
        if "msgid" in entry and entry["msgid"]:
            entries[(entry.get("msgctxt"), entry["msgid"])] = entry.get("msgstr", "")

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and entry:
                close()
                entry, field = {}, None
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr"):
            field = keyword
            entry[field] = ast.literal_eval(rest)
        else:  # a continued string
            entry[field] += ast.literal_eval(line)
    close()
    return entries


def fixed_parts(msgid: str) -> list[str]:
    """The words of a msgid around its placeholders, as they are found in a text."""
    parts = (p.strip(" :;,.()“”\"'") for p in PLACEHOLDER.split(msgid))
    return [" ".join(p.split()) for p in parts if len(p) >= 3]


def _found(part: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text) is not None


def english_labels(english: str, spanish: str, *, typed=()) -> tuple[list[str], list[str]]:
    """(the catalogue's English labels found in `english`, those also in `spanish`).
    Labels whose Spanish is the same word ("No") are not counted, nor words within the
    `typed` texts: what people wrote is printed as written, in both copies."""
    for text in typed:
        english, spanish = english.replace(text, " "), spanish.replace(text, " ")
    shown, left = [], []
    for (context, msgid), msgstr in po_entries().items():
        if context in NOT_LABELS or msgstr == msgid:
            continue
        for part in fixed_parts(msgid):
            if part in fixed_parts(msgstr):
                continue
            if _found(part, english):
                shown.append(part)
                if _found(part, spanish):
                    left.append(part)
    return shown, left


def html_text(html: str) -> str:
    """A document's words, its tags and layout dropped."""
    return " ".join(unescape(strip_tags(html)).split())


def pdf_text(content: bytes, tmp_path) -> str:
    """The text of a PDF by pdftotext (poppler-utils, which .ci/run installs), its
    whitespace normalised: table cells wrap their words."""
    assert content.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())
