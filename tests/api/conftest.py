import json
from datetime import date

import pytest
from django.test import Client

from hearth.api.models import ApiToken
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory, UnitFactory, make_case
from tests.placements.conftest import HOME, family, removed  # noqa: F401 (shared fixtures)


class ApiClient:
    """A test client that sends a bearer token and JSON bodies."""

    def __init__(self, user=None):
        headers = {}
        if user is not None:
            _, raw = ApiToken.issue(user)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        self.client = Client(**headers)

    def _send(self, method, url, body, headers=None):
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(
            url, data=data, content_type="application/json", headers=headers
        )

    def get(self, url, **params):
        return self.client.get(url, params)

    def post(self, url, body=None, headers=None):
        return self._send("post", url, body or {}, headers)

    def patch(self, url, body=None, headers=None):
        return self._send("patch", url, body or {}, headers)

    def put(self, url, body=None, headers=None):
        return self._send("put", url, body or {}, headers)


@pytest.fixture
def api_as():
    return ApiClient


@pytest.fixture
def hidden():
    """A person in another agency's case: no one at North Star may see them."""
    rival_sup = StaffFactory(unit=UnitFactory(), roles=[Role.SUPERVISOR])
    person = PersonFactory(
        first_name="Hugo",
        last_name="Hidden",
        date_of_birth=date(1975, 1, 1),
        latitude=HOME[0] + 5 / 111.2,
        longitude=HOME[1],
    )
    make_case(actor_staff=rival_sup, members=[(person, "parent")])
    return person


@pytest.fixture
def api(worker, api_as):
    return api_as(worker.user)
