"""The contacts app's source of obligations: the contact requirements (V1 to V12) of a
case's months and their compliance (V13), registered in ContactsConfig.ready()."""

from datetime import date

from hearth.cases.models import Case
from hearth.contacts.selectors import case_facts, documented_reasons, final_contacts
from hearth.obligations.models import Obligation
from hearth.obligations.registry import Source
from hearth.policy import contacts as contact_rules


def contact_obligations(case: Case, months: list[date], *, now: date) -> list[Obligation]:
    """The contact requirements (V1 to V12) and their compliance (V13)."""
    settings = case.agency.policy
    facts = case_facts(case)
    reqs = [
        r
        for m in months
        for r in contact_rules.requirements(
            facts,
            m,
            min_days=settings.contact_partial_month_days,
            exception_months=settings.exception_contact_months,
            adult_age=settings.adult_age,
        )
    ]
    if not reqs:
        return []
    since, until = min(r.start for r in reqs), max(r.end for r in reqs)
    contacts = final_contacts(case, since, until)
    documented = documented_reasons(case, since, until)  # V13
    out = []
    for r in reqs:
        o = contact_rules.evaluate(r, contacts, today=now)
        reason = "" if o.evidence else contact_rules.with_documented(r, o.reason, documented)
        out.append(
            Obligation(
                source=Obligation.Source.CONTACTS,
                rule=r.rule,
                person_id=r.person_id,
                need=r.need,
                description=r.text[:1].upper() + r.text[1:],
                month=r.end.replace(day=1),
                starts_on=r.start,
                due_on=r.end,
                evidence_type="contact_note" if o.evidence else "",
                evidence_id=o.evidence,
                met_on=next((c.on for c in contacts if c.note_id == o.evidence), None),
                reason=reason[:300],
            )
        )
    return out


def this_month(case: Case, *, now: date) -> date:
    """Contact requirements are owed month by month: none before its month begins (the
    monthly job, refresh_obligations, writes each new month's)."""
    return now


SOURCE = Source(Obligation.Source.CONTACTS, contact_obligations, horizon=this_month)
