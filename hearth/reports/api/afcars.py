"""F5 in the API: the AFCARS-style extract (JSON or CSV, streamed), its schema, and its
data-quality report."""

from typing import Literal

from ninja import Query, Schema

from hearth.core import audit
from hearth.core.errors import DomainError
from hearth.core.services import today
from hearth.reports import afcars, quality, scope
from hearth.reports.api.router import router

MAX_ID = 2**63 - 1  # the database's ids (hearth.api.openapi bounds every integer so)
PERIOD = Query(
    None,
    max_length=5,
    description="Report period: 2027A is October 2026 to March 2027, 2027B April to "
    "September 2027; default the latest ended period",
)
AGENCY = Query(None, ge=1, le=MAX_ID, description="An agency's id (the state's staff)")


def _period(code: str | None) -> afcars.Period:
    if code is None:
        return afcars.last_period(today())
    try:
        return afcars.parse_period(code)
    except ValueError as exc:
        raise DomainError({"period": str(exc)}) from exc


def _download(content_type: str, what: str) -> dict:
    return {"description": what, "content": {content_type: {"schema": {"type": "string"}}}}


@router.get(
    "/reports/afcars",
    summary="F5: the AFCARS-style extract, one record per child in care in the period",
    openapi_extra={
        "responses": {
            200: {
                "description": "A JSON array of records (schema: /api/v1/reports/afcars/schema)"
                ", or with format=csv one row per child",
                "content": {
                    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def afcars_extract(
    request,
    period: str | None = PERIOD,
    agency: int | None = AGENCY,
    format: Literal["json", "csv"] = Query("json", description="json or csv"),
):
    """Streamed, a batch of children at a time. The state's staff extract every agency
    (or one); a program director their agency; others get 403. Every child extracted is
    written to the access log as an EXPORT."""
    episodes = afcars.extract_episodes(request.user, agency)
    return afcars.stream(request, episodes, _period(period), format)


@router.get(
    "/reports/afcars/schema",
    summary="F5: the JSON Schema of the AFCARS-style extract",
    openapi_extra={
        "responses": {
            200: {
                "description": "A JSON Schema (draft 2020-12)",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def afcars_schema(request):
    return afcars.schema()


class AfcarsCheckOut(Schema):
    code: str
    label: str
    kind: str
    count: int


class AfcarsWorkerCountOut(Schema):
    agency: int | None
    worker: int | None
    check: str
    count: int


class AfcarsFindingOut(Schema):
    check: str
    agency: int | None
    worker: int | None
    child: int
    child_name: str
    case: int
    case_number: str
    detail: str


class AfcarsQualityOut(Schema):
    period: str
    checks: list[AfcarsCheckOut]
    by_worker: list[AfcarsWorkerCountOut]
    findings: list[AfcarsFindingOut]


@router.get(
    "/reports/data-quality",
    response=AfcarsQualityOut,
    summary="F5: the data-quality report of the extract, by check, agency and worker",
    openapi_extra={"responses": {200: _download("text/csv", "With format=csv: the findings")}},
)
def data_quality(
    request,
    period: str | None = PERIOD,
    agency: int | None = AGENCY,
    check: str | None = Query(None, max_length=40, description="A check's code: its findings"),
    worker: int | None = Query(None, ge=1, le=MAX_ID, description="A worker's staff id"),
    format: Literal["json", "csv"] = Query("json", description="json or csv (the findings)"),
):
    """Counts follow the viewer's reach; the findings (children by name) are given for
    one `check` (or all, with format=csv), only for the cases the viewer may see."""
    if check is not None and check not in quality.BY_CODE:
        raise DomainError({"check": f"Unknown check; one of {', '.join(quality.BY_CODE)}."})
    episodes, group = scope.scoped_episodes(request.user)
    if agency is not None:
        episodes, group = scope.narrowed(episodes, group, {"agency": agency})
    p = _period(period)
    named = scope.named_episodes(request.user, episodes)
    if format == "csv":
        rows = quality.findings(named, p, check=check, worker=worker)
        audit.log_access(request, audit.EXPORT, [f.episode.child for f in rows])
        return quality.findings_csv(rows, p)
    counts = quality.counts(episodes, p)
    found = []
    if check is not None or worker is not None:
        found = quality.findings(named, p, check=check, worker=worker, limit=500)
        audit.log_access(request, audit.LIST, [f.episode.child for f in found])
    return {
        "period": p.code,
        "checks": [
            {"code": c.check.code, "label": c.check.label, "kind": c.check.kind, "count": c.count}
            for c in counts
        ],
        "by_worker": [
            {"agency": a, "worker": w, "check": c.check.code, "count": n}
            for c in counts
            for (a, w), n in sorted(
                c.by_worker.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1] or 0)
            )
        ],
        "findings": [
            {
                "check": f.check.code,
                "agency": f.agency_id,
                "worker": f.worker_id,
                "child": f.episode.child_id,
                "child_name": f.episode.child.full_name,
                "case": f.episode.case_id,
                "case_number": f.episode.case.case_number,
                "detail": f.detail,
            }
            for f in found
        ],
    }
