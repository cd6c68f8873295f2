"""Who has seen this record: /api/v1/cases/{id}/access-log and /api/v1/people/{id}/
access-log.

For program directors and state oversight staff (the `access_log.read` capability), on
the records they may see: a record they may not see is the same 404 as a missing one;
one they see without the role is a 403. Reading the log is itself a disclosure of the
record, and is logged."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.core import audit
from hearth.core.api_common import Pagination
from hearth.core.errors import Forbidden
from hearth.staff import access as staff_access

router = Router(tags=["access log"])


class AccessLogOut(Schema):
    id: int
    at: datetime
    staff_id: int | None
    who: str
    roles: list[str]
    kind: str
    channel: str
    record_type: str
    record_id: int
    path: str
    client_address: str | None

    @staticmethod
    def resolve_at(obj):
        return obj.viewed_at

    @staticmethod
    def resolve_staff_id(obj):
        return audit.viewer_of(obj)[0]

    @staticmethod
    def resolve_who(obj):
        return audit.viewer_of(obj)[1]

    @staticmethod
    def resolve_roles(obj):
        return [r for r in obj.roles.split(",") if r]

    @staticmethod
    def resolve_record_type(obj):
        return obj.object_type

    @staticmethod
    def resolve_record_id(obj):
        return obj.object_id


def _may_read_log(request, record, **scope):
    if not staff_access.can_read_access_log(request.user):
        raise Forbidden()
    audit.log_access(request, audit.VIEW, record)
    return audit.access_log_for(**scope)


@router.get(
    "/cases/{int:case_id}/access-log",
    response=list[AccessLogOut],
    summary="Who has seen this case (any record of it), newest first",
)
@paginate(Pagination)
def case_access_log(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    return _may_read_log(request, case, case=case)


@router.get(
    "/people/{int:person_id}/access-log",
    response=list[AccessLogOut],
    summary="Who has seen this person's record, newest first",
)
@paginate(Pagination)
def person_access_log(request, person_id: int):
    person = case_access.access_person(request.user, person_id)
    return _may_read_log(request, person, person=person)
