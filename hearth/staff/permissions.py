"""The one permission map: each capability and the roles that hold it (ADR 0002, 0008).

Every role check in Hearth reads this map through `can()` or `roles_with()`; no other
module writes a set of roles inline. Scoping (which records a capability reaches: the
agency, the unit, the cases held, the cases granted) lives in each domain's `access.py`
(`staff.access`, `cases.access`, `intake.access`); this map says only who may.
"""

from hearth.staff.models import Agency, Role, StaffMember

_CONTRACTOR_STAFF = frozenset(
    {Role.CASE_MANAGER, Role.SUPERVISOR, Role.PROGRAM_DIRECTOR, Role.INTAKE_COORDINATOR}
)

PERMISSIONS: dict[str, frozenset[str]] = {
    # Cases: how far each role reads and changes its agency's cases (cases.access).
    "case.read_agency": frozenset({Role.PROGRAM_DIRECTOR}),
    "case.read_agency_unrestricted": frozenset({Role.INTAKE_COORDINATOR}),
    "case.read_unit": frozenset({Role.SUPERVISOR}),
    "case.read_unit_unrestricted": frozenset({Role.CASE_MANAGER}),
    "case.hold": frozenset({Role.CASE_MANAGER}),
    "case.read_oversight_grant": frozenset({Role.STATE_OVERSIGHT, Role.STATE_SUPERVISOR}),
    "case.read_qa_grant": frozenset({Role.QA_REVIEWER}),
    "case.read_oversight_all": frozenset({Role.STATE_SUPERVISOR}),
    "case.write_agency": frozenset({Role.PROGRAM_DIRECTOR}),
    "case.write_referred": frozenset({Role.INTAKE_COORDINATOR}),
    "case.write_unit": frozenset({Role.SUPERVISOR}),
    # A2: the program director assigns in the agency, the supervisor in the unit; the same
    # people restrict a case and name staff on it (ADR 0010).
    "case.assign_agency": frozenset({Role.PROGRAM_DIRECTOR}),
    "case.assign_unit": frozenset({Role.SUPERVISOR}),
    # A2: only a program director assigns above capacity, with a reason (never above A5).
    "case.assign_above_capacity": frozenset({Role.PROGRAM_DIRECTOR}),
    # Recording a referred case through the case endpoint; a supervisor for their unit only.
    "case.record": frozenset({Role.PROGRAM_DIRECTOR, Role.INTAKE_COORDINATOR, Role.SUPERVISOR}),
    "case.record_any_unit": frozenset({Role.PROGRAM_DIRECTOR, Role.INTAKE_COORDINATOR}),
    # People are seen through their cases; these roles also record people in no case yet.
    "person.create": _CONTRACTOR_STAFF,
    # Intake (intake.access): recording referrals, the queue, seeing the ranked recommendations
    # of any referral of the agency (A2), sending one to another unit (A1).
    "referral.record": frozenset({Role.INTAKE_COORDINATOR, Role.PROGRAM_DIRECTOR}),
    "referral.queue": frozenset({Role.PROGRAM_DIRECTOR, Role.INTAKE_COORDINATOR, Role.SUPERVISOR}),
    "referral.route": frozenset({Role.PROGRAM_DIRECTOR}),
    "referral.see_recommendations": frozenset({Role.INTAKE_COORDINATOR, Role.PROGRAM_DIRECTOR}),
    # Units and staff (staff.access): balancing caseloads (A6), seeing a unit's loads (A2a).
    "unit.manage_agency": frozenset({Role.PROGRAM_DIRECTOR}),
    "unit.manage_own": frozenset({Role.SUPERVISOR}),
    "unit.see_balance": frozenset({Role.INTAKE_COORDINATOR}),
    "staff.see_all_agencies": frozenset({Role.ADMINISTRATOR}),
    "agency.manage_all": frozenset({Role.ADMINISTRATOR}),
    "agency.manage_own": frozenset({Role.PROGRAM_DIRECTOR}),
    # Contacts: a supervisor approves a parent's exception (V7, V8) and agrees a parent's
    # contact plan with the worker (V6).
    "contact.approve_exception": frozenset({Role.SUPERVISOR}),
    "contact.agree_plan": frozenset({Role.SUPERVISOR}),
    # Reports (V13, F1): whose figures each role sees.
    "report.state": frozenset({Role.STATE_OVERSIGHT, Role.STATE_SUPERVISOR, Role.QA_REVIEWER}),
    "report.agency": frozenset({Role.PROGRAM_DIRECTOR, Role.INTAKE_COORDINATOR}),
    "report.unit": frozenset({Role.SUPERVISOR}),
    "report.held": frozenset({Role.CASE_MANAGER}),
    "report.dashboard": frozenset(
        {
            Role.SUPERVISOR,
            Role.PROGRAM_DIRECTOR,
            Role.STATE_OVERSIGHT,
            Role.STATE_SUPERVISOR,
            Role.QA_REVIEWER,
        }
    ),
    # Case records at all (every role but the administrator's, which is reference data).
    "records.use": frozenset(set(Role.values) - {Role.ADMINISTRATOR}),
    "admin.site": frozenset({Role.ADMINISTRATOR}),
    # Case planning (hearth.planning.access): writing follows the case's write scope; these
    # say who approves a plan (C2), holds supervisor case conferences, keeps the provider
    # directory (P8) and configures assessment instruments (C3).
    "plan.approve": frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}),
    "conference.record": frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}),
    "provider.manage": frozenset({Role.PROGRAM_DIRECTOR, Role.ADMINISTRATOR}),
    # Resource homes (hearth.placements.access): the program director creates, edits,
    # licenses and renews the agency's homes and names each home's manager; the home's
    # manager (any staff member so named) answers placement requests for it.
    "home.manage": frozenset({Role.PROGRAM_DIRECTOR}),
    "instrument.manage": frozenset({Role.PROGRAM_DIRECTOR, Role.ADMINISTRATOR}),
    # P9: the due list of a unit (its supervisor) and of an agency (its program director).
    "due.unit": frozenset({Role.SUPERVISOR}),
    "due.agency": frozenset({Role.PROGRAM_DIRECTOR}),
    # Who has seen a record (the access log of a case or a person).
    "access_log.read": frozenset(
        {Role.PROGRAM_DIRECTOR, Role.STATE_OVERSIGHT, Role.STATE_SUPERVISOR}
    ),
    # State oversight (hearth.oversight.access). Recommendations (O1, O2): the contractor's
    # case writers submit them (case write scope); its supervisor approves them first when
    # the agency's settings say so; the state specialist routed the case reviews them, and
    # the state oversight supervisor reviews any.
    "recommendation.approve_contractor": frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}),
    "recommendation.review": frozenset({Role.STATE_OVERSIGHT, Role.STATE_SUPERVISOR}),
    "recommendation.review_any": frozenset({Role.STATE_SUPERVISOR}),
    # O4: the state oversight supervisor grants and ends oversight, balances the
    # specialists' caseloads and reassigns their families.
    "oversight.assign": frozenset({Role.STATE_SUPERVISOR}),
    # O2: hearings are recorded by the case's writers and by the state staff overseeing it.
    "hearing.record_state": frozenset({Role.STATE_OVERSIGHT, Role.STATE_SUPERVISOR}),
    # O3, C8, P9: the state oversight supervisor draws QA samples and manages corrective
    # actions; QA reviewers review the cases sampled to them; the contractor's supervisor
    # and program director respond to a finalized review and to a corrective action.
    "qa.sample": frozenset({Role.STATE_SUPERVISOR}),
    "qa.review": frozenset({Role.QA_REVIEWER}),
    "qa.respond": frozenset({Role.SUPERVISOR, Role.PROGRAM_DIRECTOR}),
    "qa.corrective_action": frozenset({Role.STATE_SUPERVISOR}),
}


def roles_with(capability: str) -> frozenset[str]:
    """The roles that hold `capability` (KeyError for an unknown one: a typo fails loudly)."""
    return PERMISSIONS[capability]


def can(staff: StaffMember | None, capability: str) -> bool:
    """Whether `staff` holds `capability` through any of their roles."""
    return staff is not None and bool(staff.role_set & PERMISSIONS[capability])


def is_state_staff(staff: StaffMember | None) -> bool:
    """Staff of the state oversight agency (who see every agency's figures and staff)."""
    return staff is not None and staff.agency.kind == Agency.Kind.STATE_OVERSIGHT
