"""The visitation app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.visitation import views as visitation

urlpatterns = [
    path(
        "cases/<int:pk>/placement-conference/",
        visitation.case_conference,
        name="case_conference",
    ),
    path("visitation-plans/<int:pk>/", visitation.visit_plan_detail, name="visit_plan_detail"),
    path("visitation-plans/<int:pk>/sign/", visitation.visit_plan_sign, name="visit_plan_sign"),
    path(
        "visitation-plans/<int:pk>/pdf/<slug:lang>/",
        visitation.visit_plan_pdf,
        name="visit_plan_pdf",
    ),
]
