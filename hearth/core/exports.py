"""Spreadsheet exports that cannot smuggle a formula (CSV or formula injection).

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as a
formula (`=HYPERLINK(...)` sends data away, `=cmd|...` ran programs in old Excel), and
a leading tab or carriage return is stripped before it does. So every text cell that
starts with one of those characters is written with a single quote in front, which
spreadsheets show as text; the data stays readable ("'-2 days", "'=SUM(A1)").

Numbers are written as they are, negative ones included: Python's int and finite
float and Decimal render as digits with at most a leading minus and a point or an
exponent, which a spreadsheet reads as that number, never as a formula (an infinite
one, "-inf", is treated as text). A number held in a
string ("-3") is text and gets the quote like any other text. Every CSV export goes
through `csv_writer`; every XLSX workbook through `xlsx_workbook`, whose cells pass
through the same `safe_cell` (a workbook stores the quoted text as text: a formula
would be a cell of its own type, which it never writes).
"""

import csv
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet must show it: text that a spreadsheet would run as a
    formula gets a leading single quote; numbers, None and other text are unchanged."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(value):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer whose rows pass through safe_cell."""

    def __init__(self, stream, **fmtparams):
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **fmtparams) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **fmtparams)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def _xlsx_cell(value):
    value = safe_cell(value)
    if isinstance(value, str):  # control characters have no place in the XML of a sheet
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def xlsx_workbook(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """An XLSX workbook with a sheet per (title, rows), every cell through safe_cell:
    numbers stay numbers, text that a spreadsheet would run is stored as text with its
    leading quote. Written in openpyxl's write-only mode (rows are not kept in memory)."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(SHEET_TITLE_UNSAFE.sub("-", title)[:31] or "Sheet")
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
