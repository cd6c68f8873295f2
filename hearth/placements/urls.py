"""The placements app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.placements import views as placements

urlpatterns = [
    path("resource-homes/", placements.resource_home_list, name="resource_home_list"),
]
