"""The resource directory page. Thin: parse, call a selector, render. (The child's page,
which shows placements with visitation, is hearth.web.pages.child.)"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from hearth.core.errors import Forbidden
from hearth.placements import selectors
from hearth.placements.models import ResourceHome, Setting
from hearth.policy.placement import LEVEL_LABELS, setting_level
from hearth.staff import access as staff_access


@login_required
@require_GET
def resource_home_list(request):
    """The resource directory: homes and facilities with their room, ages and needs."""
    if staff_access.staff_for(request.user) is None:
        raise Forbidden()
    setting = request.GET.get("setting", "")
    q = request.GET.get("q", "").strip()
    homes = selectors.with_occupancy(ResourceHome.objects.filter(active=True)).select_related(
        "county"
    )
    if setting in Setting.values:
        homes = homes.filter(setting=setting)
    if q:
        homes = homes.filter(name__icontains=q) | homes.filter(county__name__icontains=q)
    if request.GET.get("room"):
        homes = homes.filter(occupancy__lt=F("capacity"))
    page = Paginator(homes.order_by("name", "id"), settings.HEARTH_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = {k: v for k, v in (("q", q), ("setting", setting)) if v}
    if request.GET.get("room"):
        params["room"] = "1"
    for home in page:
        home.level = LEVEL_LABELS.get(setting_level(home.setting), "")
    return render(
        request,
        "placements/resource_homes.html",
        {
            "page_obj": page,
            "settings": [c for c in Setting.choices if setting_level(c[0])],
            "setting": setting,
            "q": q,
            "room": bool(request.GET.get("room")),
            "query_string": urlencode(params) + "&" if params else "",
        },
    )
