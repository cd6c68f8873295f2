"""A program director opens the reports page, sees the F1, V13 and F2 to F4 trend charts
drawn as SVG with their data tables, and downloads the trends as CSV; axe finds no violations."""

from datetime import timedelta

import pytest

from hearth.staff.models import Role
from tests.browser.test_pages import _violations
from tests.factories import StaffFactory
from tests.reports.test_trends import in_care, month_start

pytestmark = pytest.mark.django_db(transaction=True)


def test_f1_program_director_sees_the_trend_charts_and_downloads_the_csv(
    page, sign_in, agency, supervisor, worker
):
    StaffFactory(unit=None, agency=agency, roles=[Role.PROGRAM_DIRECTOR], user__username="pd")
    m3, m2 = month_start(3), month_start(2)
    in_care(
        supervisor,
        worker,
        m3,
        [(m3 + timedelta(days=3), "placement"), (m2 + timedelta(days=3), "office")],
    )
    sign_in("pd")
    page.get_by_role("link", name="Reports", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Reports"
    for name in ("f1_visits", "f1_residence", "contacts"):
        chart = page.locator(f"#{name} svg[role=img]")
        assert chart.is_visible() and chart.bounding_box()["width"] > 300
        assert chart.locator("g.hearth-chart-series").count() >= 2  # Unit A and all
        table = page.locator(f"table#{name}-table")
        assert table.count() == 1 and "Unit A" in table.text_content()  # folded, in the DOM
    assert page.locator("#f1_visits .hearth-chart-threshold").count() == 1
    for name in ("f2", "f3", "f4"):  # CFSR round 4, beside the national performance
        assert page.locator(f"#{name} svg[role=img]").is_visible()
        assert page.locator(f"#{name} .hearth-chart-threshold").count() == 1
    page.locator("#f1_visits summary").click()
    assert page.locator("table#f1_visits-table").is_visible()
    assert _violations(page) == []
    with page.expect_download() as download:
        page.click("#download-csv")
    path = download.value.path()
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines[0] == "measure,month,group,key,label,numerator,denominator,value,unit,standard"
    assert any(line.startswith("f1_visits,") and ",Unit A," in line for line in lines)
    assert download.value.suggested_filename.endswith(".csv")
