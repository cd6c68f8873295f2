"""Planning endpoints: the provider directory (P8) and service referrals (C9).

Thin by design: each endpoint checks access and the shape of the input, then calls one
service in hearth.planning.services.services, which checks the rules. A referral is
reached through its case's scope; people, providers, plans and reference codes named in
a body are resolved among what the caller may see, never trusted as raw ids.
"""

from datetime import date

from django.http import HttpResponse
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from hearth.cases import access as case_access
from hearth.cases.api.people import visible_person
from hearth.core import audit
from hearth.core.api_common import (
    Code,
    InputSchema,
    LongText,
    NamedRef,
    Pagination,
    by_code,
    by_codes,
    by_id,
    codes,
    expected_version,
    log_api_view,
    refuse_nulls,
    set_etag,
    unique_list,
)
from hearth.core.errors import Forbidden, NotFound
from hearth.planning.access import case_of
from hearth.planning.api.router import router
from hearth.planning.models import CasePlan, ProgressReport, Provider, ServiceReferral, ServiceType
from hearth.planning.selectors import services as selectors
from hearth.planning.services import services
from hearth.reference.models import County, Language
from hearth.staff.access import viewer_can

# --- Schemas ---------------------------------------------------------------------------


class ProviderIn(InputSchema):
    name: str = Field(..., max_length=200)
    services: unique_list(Code) = Field(
        default_factory=list, description="Codes of the services offered: at least one (P8)"
    )
    languages: unique_list(Code) = Field(default_factory=list, description="Language codes")
    county: Code | None = Field(None, description="County code")
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    contact_name: str = Field("", max_length=200)


class ProviderPatch(InputSchema):
    name: str | None = Field(None, max_length=200)
    services: unique_list(Code) | None = None
    languages: unique_list(Code) | None = None
    county: Code | None = None
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    contact_name: str | None = Field(None, max_length=200)
    active: bool | None = Field(None, description="false: the provider takes no more referrals")
    version: int | None = Field(None, description="The version you read; 409 if it changed.")


class ProviderOut(Schema):
    id: int
    version: int
    name: str
    services: list[str]
    languages: list[str]
    county: str | None
    address: str
    phone: str
    email: str
    contact_name: str
    active: bool

    @staticmethod
    def resolve_services(obj):
        return codes(obj.services)

    @staticmethod
    def resolve_languages(obj):
        return codes(obj.languages)

    @staticmethod
    def resolve_county(obj):
        return obj.county.code if obj.county_id else None


class ReferralNeedOut(Schema):
    id: int = Field(..., description="The rating's id (an actionable need, C9)")
    item: str
    score: int
    trauma: bool
    assessment: int
    subject: int | None = Field(None, description="Whose assessment; null for the family's")

    @staticmethod
    def resolve_item(obj):
        return obj.item.text

    @staticmethod
    def resolve_trauma(obj):
        return obj.item.trauma

    @staticmethod
    def resolve_assessment(obj):
        return obj.assessment_id

    @staticmethod
    def resolve_subject(obj):
        return obj.assessment.subject_id


class ProgressReportIn(InputSchema):
    reported_on: date
    reporter: str = Field(..., max_length=200, description="Who reported, at the provider")
    progress: ProgressReport.Progress
    attendance: str = Field("", max_length=300)
    narrative: LongText


class ProgressReportOut(Schema):
    id: int
    referral: int = Field(..., alias="referral_id")
    reported_on: date
    reporter: str
    progress: str
    attendance: str
    narrative: str


class ServiceReferralIn(InputSchema):
    person: int = Field(..., description="Person id of the member served")
    provider: int = Field(..., description="Provider id")
    service: Code = Field(..., description="Service code the provider offers")
    needs: unique_list(int) = Field(
        ..., description="Ids of the case's actionable needs (ratings) the service meets (C9)"
    )
    specific_needs: LongText = Field(
        ..., description="C9: what the provider must work on, specifically"
    )
    referred_on: date
    plan: int | None = Field(None, description="Case plan id (a version of this case's plan)")


class ServiceReferralOut(Schema):
    id: int
    version: int
    case: int = Field(..., alias="case_id")
    plan: int | None = Field(None, alias="plan_id")
    person: NamedRef
    provider: NamedRef
    service: str
    needs: list[ReferralNeedOut]
    specific_needs: str
    referred_on: date
    status: str
    status_on: date
    ended_reason: str
    latest_report: ProgressReportOut | None

    @staticmethod
    def resolve_person(obj):
        return {"id": obj.person_id, "name": obj.person.full_name}

    @staticmethod
    def resolve_provider(obj):
        return {"id": obj.provider_id, "name": obj.provider.name}

    @staticmethod
    def resolve_service(obj):
        return obj.service.code

    @staticmethod
    def resolve_needs(obj):
        return list(obj.needs.all())

    @staticmethod
    def resolve_latest_report(obj):
        reports = list(obj.reports.all())
        return reports[0] if reports else None


class ServiceReferralDetailOut(ServiceReferralOut):
    reports: list[ProgressReportOut]

    @staticmethod
    def resolve_reports(obj):
        return list(obj.reports.all())


class ServiceReferralStatusIn(InputSchema):
    status: ServiceReferral.Status
    on: date
    reason: LongText = Field("", description="Why the service ended early (only then)")
    version: int | None = Field(None, description="The referral's version you read.")


# --- The provider directory (P8) ---------------------------------------------------------


def _reader(request) -> None:
    if not selectors.can_read_providers(request.user):
        raise Forbidden()


def _manager(request) -> None:
    """P8: the directory is kept by those who hold provider.manage (403 for others)."""
    if not viewer_can(request.user, "provider.manage"):
        raise Forbidden()


def _provider(request, provider_id: int) -> Provider:
    _reader(request)
    provider = selectors.with_lists(Provider.objects.filter(pk=provider_id)).first()
    if provider is None:
        raise NotFound()
    return provider


@router.get("/providers", response=list[ProviderOut], summary="Search the provider directory (P8)")
@paginate(Pagination)
def list_providers(
    request,
    service: str | None = Query(None, max_length=40, description="Offering this service (code)"),
    language: str | None = Query(None, max_length=40, description="Speaking this language"),
    county: str | None = Query(None, max_length=40, description="In this county (code)"),
    q: str = Query("", max_length=200, description="A part of the name"),
    include_inactive: bool = Query(False, description="Also the providers no longer active"),
):
    _reader(request)
    return selectors.provider_search(
        viewer=request.user,
        service=by_code(ServiceType, service, "service"),
        language=by_code(Language, language, "language"),
        county=by_code(County, county, "county"),
        q=q,
        active=None if include_inactive else True,
    )


@router.post("/providers", response={201: ProviderOut}, summary="Add a provider (P8)")
def create_provider(request, payload: ProviderIn):
    """Those who keep the directory (provider.manage) add providers; a name and at least
    one service are needed."""
    _manager(request)
    provider = services.provider_create(
        actor=request.user,
        name=payload.name,
        services=by_codes(ServiceType, payload.services, "services"),
        languages=by_codes(Language, payload.languages, "languages"),
        county=by_code(County, payload.county, "county"),
        address=payload.address,
        phone=payload.phone,
        email=payload.email,
        contact_name=payload.contact_name,
    )
    return Status(201, selectors.with_lists(Provider.objects.filter(pk=provider.pk)).get())


@router.get("/providers/{int:provider_id}", response=ProviderOut, summary="Read a provider")
def get_provider(request, provider_id: int, response: HttpResponse):
    provider = _provider(request, provider_id)
    set_etag(response, provider)
    return provider


@router.patch("/providers/{int:provider_id}", response=ProviderOut, summary="Change a provider")
def update_provider(request, provider_id: int, payload: ProviderPatch, response: HttpResponse):
    """`active: false` deactivates the provider (its referrals run their course)."""
    provider = _provider(request, provider_id)
    _manager(request)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    refuse_nulls(data, ("name", "services", "languages", "address", "phone", "email"))
    refuse_nulls(data, ("contact_name", "active"))
    if "services" in data:
        data["services"] = by_codes(ServiceType, data["services"], "services")
    if "languages" in data:
        data["languages"] = by_codes(Language, data["languages"], "languages")
    if "county" in data:
        data["county"] = by_code(County, data["county"], "county")
    provider = services.provider_update(
        actor=request.user, provider=provider, version=version, **data
    )
    set_etag(response, provider)
    return selectors.with_lists(Provider.objects.filter(pk=provider.pk)).get()


# --- Service referrals (C9) ----------------------------------------------------------------


def _referral(request, referral_id: int, *, for_edit: bool = False):
    referral, case = case_of(request.user, ServiceReferral, referral_id, for_edit=for_edit)
    return referral, case


def _read(referral_id: int) -> ServiceReferral:
    return selectors.referrals(ServiceReferral.objects.filter(pk=referral_id)).get()


@router.get(
    "/cases/{int:case_id}/service-referrals",
    response=list[ServiceReferralOut],
    summary="A case's service referrals with their needs (C9)",
)
def list_service_referrals(request, case_id: int):
    case = case_access.access_case(request.user, case_id)
    referrals = list(selectors.case_referrals(case))
    audit.log_access(request, audit.LIST, referrals, case=case)
    return referrals


@router.post(
    "/cases/{int:case_id}/service-referrals",
    response={201: ServiceReferralDetailOut},
    summary="Refer a member to a provider for identified needs (C9, P8)",
)
def create_service_referral(request, case_id: int, payload: ServiceReferralIn):
    """`needs`: ids of the case's actionable needs (rated 2 or 3 in its latest
    assessments) of the person served or of the family; `specific_needs`: what the
    provider must work on, in words."""
    case = case_access.access_case(request.user, case_id, for_edit=True)
    referral = services.service_referral_create(
        actor=request.user,
        case=case,
        person=visible_person(request, payload.person, "person"),
        provider=by_id(Provider.objects.all(), payload.provider, "provider", "provider"),
        service=by_code(ServiceType, payload.service, "service"),
        needs=payload.needs,
        specific_needs=payload.specific_needs,
        referred_on=payload.referred_on,
        plan=by_id(CasePlan.objects.filter(case=case), payload.plan, "plan", "case plan"),
    )
    return Status(201, _read(referral.pk))


@router.get(
    "/service-referrals/{int:service_referral_id}",
    response=ServiceReferralDetailOut,
    summary="Read a service referral with its progress reports",
)
def get_service_referral(request, service_referral_id: int, response: HttpResponse):
    referral, case = _referral(request, service_referral_id)
    log_api_view(request, referral, case=case)
    set_etag(response, referral)
    return _read(referral.pk)


@router.post(
    "/service-referrals/{int:service_referral_id}/status",
    response=ServiceReferralDetailOut,
    summary="Accept, start, complete or end a referral early (P8)",
)
def change_service_referral_status(
    request, service_referral_id: int, payload: ServiceReferralStatusIn, response: HttpResponse
):
    """sent -> accepted -> started -> completed, or ended_early with a `reason` from any
    open status. `version` (or If-Match) is the referral's."""
    referral, _ = _referral(request, service_referral_id, for_edit=True)
    referral = services.service_referral_status(
        actor=request.user,
        referral=referral,
        status=payload.status,
        on=payload.on,
        reason=payload.reason,
        version=expected_version(request, payload.version),
    )
    set_etag(response, referral)
    return _read(referral.pk)


@router.post(
    "/service-referrals/{int:service_referral_id}/reports",
    response={201: ProgressReportOut},
    summary="Record the provider's progress report (P8)",
)
def record_progress_report(request, service_referral_id: int, payload: ProgressReportIn):
    referral, _ = _referral(request, service_referral_id, for_edit=True)
    report = services.progress_report_record(
        actor=request.user,
        referral=referral,
        reported_on=payload.reported_on,
        reporter=payload.reporter,
        progress=payload.progress,
        attendance=payload.attendance,
        narrative=payload.narrative,
    )
    return Status(201, report)
