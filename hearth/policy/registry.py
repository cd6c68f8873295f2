"""Which rules of RULES.md the code enforces, and where: pages show it, tests check it.

Each entry: rule ID -> (a short statement, the dotted paths of the functions that enforce it).
Add an entry when a rule gets code; tests/policy/test_registry.py checks that every
listed function exists, that every rule ID cited in hearth/ is a real one, and that each
listed rule is named by at least one test.
"""

RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "A1": (
        "A referral goes first to a case management unit, by current caseload sizes or by "
        "rotation (the agency's policy setting).",
        ("hearth.policy.assignment.routing.route", "hearth.intake.services.referral_route"),
    ),
    "A2": (
        "Inside the unit, the supervisor and program director pick the case manager; the "
        "system ranks the eligible ones and explains each rank by factors (a) to (h).",
        (
            "hearth.cases.access.can_assign_case",
            "hearth.policy.assignment.ranking.rank_workers",
            "hearth.intake.selectors.recommend",
        ),
    ),
    "A3": (
        "A re-opened case goes back to its previous case manager where possible, else to "
        "another case manager of the same unit.",
        (
            "hearth.policy.assignment.routing.route",
            "hearth.policy.assignment.ranking.rank_workers",
            "hearth.intake.selectors.routing_facts",
        ),
    ),
    "A4": (
        "Out-of-county and ICPC cases go to the Case Management Support unit.",
        ("hearth.policy.assignment.routing.route",),
    ),
    "A5": (
        "A new case manager holds at most 5 cases in the 30 days after pre-service training, "
        "then the cap rises step by step to a full caseload; a hard limit no one overrides.",
        (
            "hearth.policy.assignment.limits.new_worker_cap",
            "hearth.policy.assignment.limits.hard_limits",
            "hearth.intake.services.case_assign",
        ),
    ),
    "A6": (
        "Cases can be reassigned; every assignment keeps who, when, by whom and why.",
        (
            "hearth.policy.assignment.distribution.assignment_problems",
            "hearth.policy.assignment.distribution.propose_distribution",
            "hearth.intake.services.case_assign",
            "hearth.intake.services.worker_cases_reassign",
        ),
    ),
    "A7": (
        "The system recommends; a person decides. An override of the top recommendation "
        "records its reason.",
        (
            "hearth.policy.assignment.ranking.top_recommendation",
            "hearth.intake.services.case_assign",
            "hearth.intake.services.worker_cases_reassign",
        ),
    ),
    "P1": (
        "A family that returns is served on its current needs: a re-referral re-opens the "
        "closed case (a new case linked to it), or opens a new case with a reason.",
        (
            "hearth.policy.case_status.transition_problem",
            "hearth.cases.services.case_create",
            "hearth.intake.services.referral_create",
            # oversight: recommendations: involvement ends when the child needs no
            # protection and the parents can care for them (a closure's reasons).
            "hearth.policy.recommendations.reasons_problem",
            "hearth.oversight.services.recommendations.recommendation_submit",
        ),
    ),
    "P2": (
        "Placement in the least restrictive setting (relative home, resource family home, "
        "group home, residential center, correctional facility), close to the parents' home; "
        "for an Indian child, the ICWA placement preferences. A departure needs a reason.",
        (
            "hearth.policy.placement.rank_options",
            "hearth.policy.placement.departures",
            "hearth.placements.services.child_place",
        ),
    ),
    "P3": (
        "The child stays in the school of origin unless not in their best interest; a new "
        "school is enrolled at once (a longer gap is flagged); distance to the school counts "
        "in the ranking.",
        (
            "hearth.policy.placement.enrolment_gap_flagged",
            "hearth.policy.placement.school_distance_km",
            "hearth.placements.services.child_place",
            "hearth.placements.services.school_locate",
        ),
    ),
    "P4": (
        "Permanency planning starts with reunification unless a reason is recorded.",
        (
            "hearth.policy.placement.initial_goal_problem",
            "hearth.placements.services.child_remove",
        ),
    ),
    "P5": (
        "Out of home with a goal of reunification: contact right after placement, then weekly "
        "visits with parents and siblings; adherence is shown. Siblings placed together "
        "rank first among placement options.",
        (
            "hearth.policy.placement.first_contact_due",
            "hearth.policy.placement.sibling_fit",
            "hearth.policy.placement.visitation_plan_problems",
            "hearth.policy.placement.visit_adherence",
            "hearth.visitation.services.visit_plan_create",
        ),
    ),
    "P6": (
        "The visitation plan is made with the resource parents; every participant signs it "
        "and gets a copy (PDF in English and Spanish).",
        (
            "hearth.policy.placement.signed_by_all",
            "hearth.visitation.services.visit_plan_sign",
            "hearth.visitation.documents.visitation_plan_pdf",
        ),
    ),
    "P7": (
        "The visitation schedule of every child out of home is reviewed at every placement "
        "conference and family team meeting.",
        (
            "hearth.policy.placement.conference_review_problem",
            "hearth.visitation.services.visitation_reviews_record",
            "hearth.planning.services.teaming.team_meeting_record",
        ),
    ),
    "V11": (
        "Runaway is a status on the placement record; locate efforts are due each month.",
        (
            "hearth.policy.placement.placement_contact_flags",
            "hearth.placements.services.child_place",
            "hearth.policy.contacts.requirements",
        ),
    ),
    "V12": (
        "An out-of-state (ICPC) placement is flagged; a monthly call to the child or "
        "placement is due, in place of V2's visit.",
        (
            "hearth.policy.placement.placement_contact_flags",
            "hearth.placements.services.child_place",
            "hearth.policy.contacts.requirements",
        ),
    ),
    "V1": (
        "During an investigation every alleged victim, sibling and other child in the "
        "home is interviewed and the home is visited at least once.",
        ("hearth.policy.contacts.requirements", "hearth.contacts.selectors.case_facts"),
    ),
    "V2": (
        "A child in out-of-home care is seen in person every calendar month.",
        ("hearth.policy.contacts.requirements",),
    ),
    "V3": (
        "In-home dependency: the child and parents are seen in person in the home monthly.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.policy.contacts.meets",
        ),
    ),
    "V4": (
        "Voluntary in-home: parents in the household and children in the home are seen in "
        "person monthly.",
        ("hearth.policy.contacts.requirements",),
    ),
    "V5": (
        "Goal reunification or remain with family: every parent, alleged and living "
        "elsewhere included, is seen in person monthly.",
        ("hearth.policy.contacts.requirements",),
    ),
    "V6": (
        "Another goal: the supervisor and worker set a contact plan for parents with "
        "rights and known whereabouts.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.contacts.services.parent_contact_plan_set",
        ),
    ),
    "V7": (
        "An approved exception replaces the monthly visit by a call or letter at least "
        "every three months; while it is in force nothing else is owed.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.contacts.services.contact_exception_approve",
        ),
    ),
    "V8": (
        "A parent in prison or far away: calls and letters; whereabouts unknown: locate "
        "efforts; they are the visit's documented reason, not the visit.",
        (
            "hearth.policy.contacts.requirements",
            "hearth.policy.contacts.reason_for",
            "hearth.contacts.services.contact_note_create",
        ),
    ),
    "V9": (
        "An attempt is never recorded or counted as a visit.",
        (
            "hearth.policy.contacts.meets",
            "hearth.contacts.services.contact_note_create",
        ),
    ),
    "V10": (
        "One note serves every requirement it meets: compliance reads whom and how, not "
        "note types.",
        (
            "hearth.policy.contacts.meets",
            "hearth.contacts.obligations.contact_obligations",
        ),
    ),
    "V13": (
        "The dashboard shows who has not been seen this month and the documented reason.",
        (
            "hearth.policy.contacts.evaluate",
            "hearth.policy.contacts.reason_for",
            "hearth.obligations.selectors.dashboard",
            "hearth.contacts.views.my_contacts",
        ),
    ),
    # planning: teaming
    "C1": (
        "The case plan is written within the first 30 days of placement (of the opening for "
        "an in-home case) and reviewed every 90 days after the case opened.",
        (
            "hearth.policy.case_plans.first_plan_due",
            "hearth.policy.case_plans.review_windows",
            "hearth.planning.obligations.plans.plan_obligations",
        ),
    ),
    "C2": (
        "A plan holds goals, small objectives and action steps naming who does what by when "
        "and the expected outcome, in behaviourally specific words; a parenting time plan "
        "for every parent; the family, the youth and the worker sign it.",
        (
            "hearth.policy.case_plans.content_problems",
            "hearth.policy.case_plans.parenting_time_problems",
            "hearth.policy.case_plans.approval_problems",
            "hearth.planning.services.plans.case_plan_update",
            "hearth.planning.services.plans.case_plan_approve",
        ),
    ),
    "C3": (
        "Assessments of family and child strengths and needs inform the plan and are "
        "repeated when the situation changes; needs rated 2 or 3 are actionable.",
        (
            "hearth.policy.assessments.is_actionable",
            "hearth.planning.services.assessments.assessment_record",
            "hearth.planning.selectors.assessments.actionable_needs",
            "hearth.planning.obligations.assessments.reassessment_obligations",
        ),
    ),
    "C4": (
        "A safety plan has proactive and reactive measures, each with who and when.",
        (
            "hearth.policy.case_plans.safety_plan_problems",
            "hearth.planning.services.plans.safety_plan_create",
        ),
    ),
    "C5": (
        "Family team meetings are held within required timeframes; the plan is made in the "
        "meeting; team members' input is recorded.",
        (
            "hearth.policy.teaming.meeting_schedule",
            "hearth.planning.obligations.teaming.meeting_obligations",
            "hearth.planning.services.teaming.team_meeting_record",
        ),
    ),
    "C6": (
        "Diligent search for extended family, absent parents and putative fathers is "
        "recorded; people found join the family.",
        ("hearth.planning.services.teaming.diligent_search_record",),
    ),
    "C7": (
        "For an American Indian child the worker collaborates with the child's tribe within "
        "3 days of the case's assignment or opening.",
        (
            "hearth.policy.teaming.american_indian_child",
            "hearth.policy.teaming.tribe_contact_due",
            "hearth.planning.obligations.teaming.tribe_obligations",
            "hearth.planning.services.teaming.tribe_contact_record",
        ),
    ),
    "C9": (
        "Services are linked to identified needs: the plan answers every actionable need or "
        "says why not; providers receive specific service needs.",
        (
            "hearth.policy.case_plans.need_response_problems",
            "hearth.policy.service_referrals.specific_needs_problem",
            "hearth.planning.services.services.service_referral_create",
            "hearth.planning.selectors.assessments.needs_without_service",
        ),
    ),
    "P8": (
        "The worker is a direct service provider, a broker and a monitor; services come from "
        "community providers, whose referrals the worker follows.",
        (
            "hearth.planning.services.services.provider_create",
            "hearth.policy.service_referrals.transition_problem",
            "hearth.planning.services.services.service_referral_status",
        ),
    ),
    "P9": (
        "Management by objectives: target dates, progress measures, monitoring; one due list "
        "per worker, a unit's overdue items, a daily digest and a calendar.",
        (
            "hearth.policy.case_plans.step_state",
            "hearth.planning.services.plans.step_progress_record",
            "hearth.planning.selectors.due.due_list",
            "hearth.planning.services.due.digests_send",
            # oversight: qa
            "hearth.policy.qa.compliance_percent",
            "hearth.policy.qa.below_threshold",
            "hearth.oversight.services.qa.evaluate_thresholds",
            "hearth.oversight.services.qa.corrective_action_close",
            "hearth.oversight.selectors.qa.compliance",
        ),
    ),
    # planning: fidelity (the quality assurance instrument)
    "C8": (
        "The fidelity measures (observation, documentation, interview, supervision) are the "
        "items of the quality assurance instrument (O3); a family is not assessed with it.",
        (
            "hearth.planning.instruments.fidelity_instruments",
            "hearth.planning.instruments.load",
            "hearth.planning.services.assessments.assessment_record",
            "hearth.planning.services.assessments.assessable_instruments",
            "hearth.planning.selectors.assessments.actionable_needs",
            # oversight: qa
            "hearth.policy.qa.finalize_problems",
            "hearth.oversight.services.qa.review_finalize",
        ),
    ),
    # oversight: qa
    "O3": (
        "The state runs quality assurance reviews of the contractor's compliance with "
        "policy: a random sample per period, stratified by contractor and unit, reproducible "
        "from its seed; each sampled case reviewed with the fidelity instrument, finalized, "
        "shown to the contractor, who may respond.",
        (
            "hearth.policy.qa.allocate",
            "hearth.policy.qa.draw_sample",
            "hearth.oversight.services.qa.sample_draw",
            "hearth.oversight.services.qa.review_finalize",
            "hearth.oversight.services.qa.review_respond",
        ),
    ),
    "F1": (
        "Monthly caseworker visits: full months in care visited in person (95%), visits "
        "in the residence (50%).",
        (
            "hearth.reports.federal.f1",
            "hearth.reports.federal.child_months",
            "hearth.reports.f1.figures",
            "hearth.reports.f1.detail",
        ),
    ),
    "O4": (
        "Each state oversight worker is responsible for about 80 family cases: a case the "
        "state oversees goes to the specialist with the lightest load in its region, each "
        "rank explained; an override needs a reason.",
        (
            "hearth.policy.oversight_caseloads.rank_specialists",
            "hearth.policy.oversight_caseloads.override_problem",
            "hearth.policy.oversight_caseloads.reassignment_override_problem",
            "hearth.oversight.services.caseloads.ensure_routed",
            "hearth.oversight.services.caseloads.oversight_assign",
            "hearth.oversight.services.caseloads.reassign_specialist_families",
            "hearth.oversight.subscriptions.route_overseen_case",
        ),
    ),
    # oversight: recommendations
    "O1": (
        "The state sees a non-court case from its closure recommendation, then reviews it "
        "with four findings (reasonable efforts, threats mitigated, aftercare, best "
        "interest), each with evidence; it approves (all four yes) or returns with reasons.",
        (
            "hearth.cases.access.visible_cases",
            "hearth.policy.case_status.transition_problem",
            "hearth.policy.recommendations.required_findings",
            "hearth.policy.recommendations.review_problems",
            "hearth.policy.recommendations.add_business_days",
            "hearth.oversight.services.recommendations.recommendation_review",
            "hearth.oversight.obligations.recommendations.review_obligations",
            "hearth.placements.subscriptions.refuse_closing_with_child_in_care",
        ),
    ),
    # oversight: recommendations and court
    "O2": (
        "Court-involved cases: the contractor recommends case plans and court reports; the "
        "state reviews reasonable efforts and best interest and presents them to the court; "
        "hearings with their outcome, orders and findings; court reports generated from the "
        "record; the state attends hearings and may testify.",
        (
            "hearth.policy.recommendations.kind_problem",
            "hearth.policy.recommendations.required_findings",
            "hearth.oversight.services.recommendations.recommendation_review",
            "hearth.oversight.services.recommendations.recommendation_mark_presented",
            "hearth.policy.court.hearing_problems",
            "hearth.policy.court.outcome_problems",
            "hearth.policy.court.findings_gaps",
            "hearth.policy.court.period_problems",
            "hearth.policy.court.report_editable",
            "hearth.policy.court.report_sections",
            "hearth.oversight.services.court.hearing_schedule",
            "hearth.oversight.services.court.hearing_record_outcome",
            "hearth.oversight.services.court.court_report_generate",
            "hearth.oversight.access.can_record_hearing",
            "hearth.oversight.obligations.court.hearing_obligations",
        ),
    ),
}
