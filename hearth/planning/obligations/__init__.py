"""The planning app's sources of obligations, one module per area: assessments (C3
reassessment after a change), plans (C1 first plan and reviews, signatures awaited),
teaming (C5 family team meetings, C7 the tribe). Registered in PlanningConfig.ready()."""

from hearth.planning.obligations import assessments, plans, teaming

SOURCES = [*assessments.SOURCES, *plans.SOURCES, *teaming.SOURCES]
