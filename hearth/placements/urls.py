"""The placements app's pages (included by hearth/urls.py; URL names are global)."""

from django.urls import path

from hearth.placements import views as placements

urlpatterns = [
    path("resource-homes/", placements.resource_home_list, name="resource_home_list"),
    path("resource-homes/new/", placements.resource_home_new, name="resource_home_new"),
    path("resource-homes/<int:pk>/", placements.resource_home_detail, name="resource_home_detail"),
    path("resource-homes/<int:pk>/edit/", placements.resource_home_edit, name="resource_home_edit"),
    path(
        "resource-homes/<int:pk>/<slug:action>/",
        placements.resource_home_action,
        name="resource_home_action",
    ),
]
