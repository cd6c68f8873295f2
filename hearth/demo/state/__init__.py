"""A state-sized synthetic data set for benchmarks, bulk-loaded into PostgreSQL with COPY.

About 2,500 staff, 30,000 open cases, 60,000 children, 100,000 parents and caregivers,
and three years of closed cases (40,000) with their members, relationships, assignment
histories and oversight grants; a resource directory of 4,000 homes and facilities; for
the out-of-home cases, removal episodes (with re-entries), placements and permanency
goals; a year of final contact notes (about one a month per child and parent, a million
in all) and the obligations of this month and the last, built by the contact rules as
hearth.obligations.engine.recompute would. Bulk loading skips field history and case
events (the conventions allow it for generators); every database constraint still holds,
the placement exclusion constraints included.

Then case planning and teaming (hearth.demo.planning) with its obligations
(planning_obligations: made in memory from the pure planning rules), and the state's
oversight (oversight: regions, the specialists' families, closure recommendations
awaiting review, hearings, a year of QA reviews).

build_state runs the steps of `steps.STEPS` in order: organisation (agencies, units,
staff), families (open and closed cases), care (the directory, removals, placements,
goals), contacts (notes) with obligations, planning, oversight, then the COPY of what they
made, and last the oversight sources' obligations over the loaded rows.
"""

from hearth.demo.state.obligations import OBLIGATION_COLUMNS
from hearth.demo.state.steps import STEPS, build_state

__all__ = ["OBLIGATION_COLUMNS", "STEPS", "build_state"]
