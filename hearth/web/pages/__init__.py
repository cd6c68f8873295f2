"""Pages that compose several apps (ADR 0008): the caseload, the case page, the child's
page. Apps contribute selectors; these views put them together."""
