"""The product's URLs plus two that fail, for tests/web/test_errors.py: a page and an API
endpoint that raise."""

from django.urls import path
from ninja import NinjaAPI

from hearth.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


class Boom(Exception):
    pass


def broken_page(request):
    raise Boom("a page failed")


broken_api = NinjaAPI(urls_namespace="broken-api", docs_url=None, openapi_url=None)


@broken_api.get("/broken")
def broken_endpoint(request):
    raise Boom("an endpoint failed")


urlpatterns = [
    path("broken/", broken_page),
    path("api/test/", broken_api.urls),
    *urlpatterns,
]
