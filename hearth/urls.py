from django.contrib import admin
from django.urls import include, path, re_path

from hearth.api.api import api, unknown_path

admin.site.site_header = "Hearth administration"
admin.site.site_title = "Hearth administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_path),
    path("", include("hearth.web.urls")),
    path("", include("hearth.cases.urls")),
    path("", include("hearth.intake.urls")),
    path("", include("hearth.placements.urls")),
    path("", include("hearth.visitation.urls")),
    path("", include("hearth.contacts.urls")),
    path("", include("hearth.planning.urls")),
    path("", include("hearth.oversight.urls")),
    path("", include("hearth.reports.urls")),
]

# Branded error pages; the API's stay JSON (hearth/web/errors.py).
handler403 = "hearth.web.errors.permission_denied"
handler404 = "hearth.web.errors.page_not_found"
handler500 = "hearth.web.errors.server_error"
