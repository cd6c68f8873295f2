"""The cases app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.cases import views as cases

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
]
