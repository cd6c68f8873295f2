"""The reports app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.reports import views as reports

urlpatterns = [
    path("reports/monthly-visits/", reports.f1_report, name="f1_report"),
]
