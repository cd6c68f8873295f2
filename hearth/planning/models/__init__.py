"""The planning app's records, one module per part of the work (ADR 0012)."""

from hearth.planning.models.assessments import Assessment, Rating
from hearth.planning.models.feeds import CalendarToken, DigestSent
from hearth.planning.models.instruments import Instrument, InstrumentDomain, InstrumentItem
from hearth.planning.models.meetings import MeetingParticipant, SupervisorConference, TeamMeeting
from hearth.planning.models.plans import (
    ActionStep,
    CasePlan,
    Goal,
    NeedResponse,
    Objective,
    ParentingTimePlan,
    PlanSignature,
    SafetyMeasure,
    SafetyPlan,
    StepProgress,
)
from hearth.planning.models.search import DiligentSearch, TribeContact
from hearth.planning.models.services import (
    ProgressReport,
    Provider,
    ServiceReferral,
    ServiceType,
)

__all__ = [
    "ActionStep",
    "Assessment",
    "CalendarToken",
    "CasePlan",
    "DigestSent",
    "DiligentSearch",
    "Goal",
    "Instrument",
    "InstrumentDomain",
    "InstrumentItem",
    "MeetingParticipant",
    "NeedResponse",
    "Objective",
    "ParentingTimePlan",
    "PlanSignature",
    "ProgressReport",
    "Provider",
    "Rating",
    "SafetyMeasure",
    "SafetyPlan",
    "ServiceReferral",
    "ServiceType",
    "StepProgress",
    "SupervisorConference",
    "TeamMeeting",
    "TribeContact",
]
