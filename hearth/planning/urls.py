"""The planning app's pages (included by hearth/urls.py; URL names are global)."""

from hearth.planning.views import assessments, due, plans, services, teaming

urlpatterns = [
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *services.urlpatterns,
    *teaming.urlpatterns,
    *due.urlpatterns,
]
