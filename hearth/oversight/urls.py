"""The oversight app's pages (included by hearth/urls.py; URL names are global)."""

from hearth.oversight.views import caseloads, court, home, qa, recommendations

urlpatterns: list = [
    *home.urlpatterns,
    *caseloads.urlpatterns,
    *recommendations.urlpatterns,
    *court.urlpatterns,
    *qa.urlpatterns,
]
