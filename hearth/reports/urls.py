"""The reports app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.reports.views import afcars, cfsr, f1, home

urlpatterns = [
    path("reports/", home.reports_home, name="reports_home"),
    path("reports/monthly-visits/", f1.f1_report, name="f1_report"),
    # CFSR round 4 (F2, F3, F4)
    path("reports/permanency/", cfsr.f2_report, name="cfsr_f2_report"),
    path("reports/placement-stability/", cfsr.f3_report, name="cfsr_f3_report"),
    path("reports/re-entry/", cfsr.f4_report, name="cfsr_f4_report"),
    # F5: the AFCARS-style extract and its data-quality report
    path("reports/afcars/", afcars.afcars_report, name="afcars_report"),
    path("reports/data-quality/", afcars.data_quality_report, name="afcars_data_quality"),
]
