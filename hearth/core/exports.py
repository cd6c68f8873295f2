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
through `csv_writer`.
"""

import csv
import math
from decimal import Decimal

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
