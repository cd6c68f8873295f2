"""The case timeline: the only way to write a CaseEvent."""

from hearth.cases.models import CaseEvent


class EventType:
    CASE_CREATED = "case_created"
    CASE_UPDATED = "case_updated"
    CASE_STATUS_CHANGED = "case_status_changed"
    MEMBER_ADDED = "member_added"
    MEMBER_UPDATED = "member_updated"
    MEMBER_ENDED = "member_ended"
    ASSIGNED = "assigned"
    ASSIGNMENT_ENDED = "assignment_ended"
    ROUTED = "routed_to_unit"
    ACCESS_GRANTED = "access_granted"
    ACCESS_ENDED = "access_ended"
    RESTRICTED = "case_restricted"
    RESTRICTION_LIFTED = "case_restriction_lifted"
    CHILD_REMOVED = "child_removed"
    CHILD_PLACED = "child_placed"
    EPISODE_EXITED = "episode_exited"
    GOAL_CHANGED = "permanency_goal_changed"
    SCHOOL_CHANGED = "school_changed"
    VISIT_PLAN_CREATED = "visitation_plan_created"
    VISIT_PLAN_SIGNED = "visitation_plan_signed"
    FAMILY_VISIT_RECORDED = "family_visit_recorded"
    MEETING_RECORDED = "meeting_recorded"
    NOTE_FINALIZED = "contact_note_finalized"
    NOTE_AMENDED = "contact_note_amended"
    EXCEPTION_APPROVED = "contact_exception_approved"
    CONTACT_PLAN_SET = "parent_contact_plan_set"


def record(case, type: str, *, actor, **payload) -> CaseEvent:
    """Append an event to the case's timeline. Call inside the change's transaction."""
    return CaseEvent.objects.create(case=case, type=type, actor=actor, payload=payload)
