"""Reads of persons, always scoped by the viewer through their cases (hearth.cases.access):
they live in the cases app, above people, which holds the records and their writes."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import Q, QuerySet, Value, When
from django.db.models.functions import Lower

from hearth.cases import access as case_access
from hearth.cases.models import Case, CaseMember
from hearth.people import matching
from hearth.people.models import Person

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date | None:
    """A date written YYYY-MM-DD or MM/DD/YYYY, or None."""
    m = _DATE.match(text)
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return date(int(m.group(6)), int(m.group(4)), int(m.group(5)))
    except ValueError:
        return None


def people_search(*, viewer, q: str) -> QuerySet:
    """People the viewer may see for a search box (`search`): those the names of `q` may
    be (the matching of intake), those born on its date, and the members of a case it
    numbers; best first."""
    found = search(viewer=viewer, q=q, limit=SEARCH_LIMIT)
    ids = [m.person.pk for m in found.people]
    if found.cases:
        in_cases = CaseMember.objects.filter(case__in=[c.pk for c in found.cases])
        ids += [pk for pk in in_cases.values_list("person_id", flat=True) if pk not in ids]
    if not ids:
        return Person.objects.none()
    order = SqlCase(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)))
    return Person.objects.filter(pk__in=ids).select_related("county").order_by(order)


def person_cases(*, viewer, person) -> QuerySet:
    """The person's memberships in cases the viewer may see."""
    return (
        CaseMember.objects.filter(
            person=person, case__in=case_access.visible_cases(viewer).values("pk")
        )
        .select_related("case")
        .order_by("-starts_on")
    )


# --- Search before create: ranked matches at intake (issue 5) -------------------------

# At most this many candidates, the best by a cheap SQL pre-score, are scored in Python.
CANDIDATE_LIMIT = 300
# The columns a match reads (scoring and the answer).
MATCH_FIELDS = (
    "id",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "date_of_birth",
    "dob_precision",
    "sex",
)


@dataclass(frozen=True)
class MatchCase:
    """A case of a matched person that the viewer may see (intake offers to reopen a
    closed one)."""

    id: int
    case_number: str
    status: str
    opened_on: date
    closed_on: date | None
    role: str

    @property
    def status_label(self) -> str:
        return Case.Status(self.status).label


@dataclass
class PersonMatch:
    person: Person
    score: int
    reasons: list[str]
    cases: list[MatchCase] = field(default_factory=list)


def _match_terms(*, first_name: str, last_name: str, dobs: list[date]):
    """(where, pre_score): who may be the one typed, through indexes only, and a
    pre-score that mirrors matching.score (over the aliases lower_last, lower_first).

    With a first name, each way in pairs the last name with the first so that a common
    last name (5,000 Smiths in a state) does not bring in every one of its bearers:
    - both names' Metaphone keys, the first name's or a nickname's (person_name_keys);
    - the same last name, lowered, and a first name with the same initial
      (person_name_ci: a misspelt first name that changes its sound, Jonh for John);
    - the last name typed as its beginning ("Hernan"), with the first name's keys;
    - the first and last names entered the wrong way round (person_name_keys);
    - the date of birth, or that date with day and month swapped, whatever the names
      (the date's index: a married name, a misspelling beyond the rest);
    - on PostgreSQL, a last name spelt alike by trigrams (`%`, pg_trgm, GIN index
      person_last_name_trgm), which also finds misspellings that change the sound, with
      the first name spelt alike too (person_first_name_trgm) or sharing its keys
      (person_first_name_key).
    Without a first name, the last name alone: its key, itself, its beginning, and on
    PostgreSQL its trigrams.
    """
    lowered = last_name.lower()
    first_lowered = matching.normalize(first_name)
    last_key = matching.last_name_key(last_name)
    first_keys = sorted(matching.first_name_keys(first_name))
    postgres = connection.vendor == "postgresql"
    if postgres:
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.contrib.postgres.search import TrigramSimilarity

        spelt_alike = Q(TrigramSimilar(Lower("last_name"), lowered))
    prefix = len(matching.compact(last_name)) >= 3
    if first_keys:
        initial = first_lowered[0]
        found = Q(
            lower_last=lowered, lower_first__gte=initial, lower_first__lt=chr(ord(initial) + 1)
        )
        if last_key:
            found |= Q(last_name_key=last_key, first_name_key__in=first_keys)
        if prefix:
            found |= Q(lower_last__startswith=lowered, first_name_key__in=first_keys)
        swapped_last = matching.last_name_key(first_name)
        swapped_firsts = sorted(matching.first_name_keys(last_name))
        if swapped_last and swapped_firsts:
            found |= Q(last_name_key=swapped_last, first_name_key__in=swapped_firsts)
        if postgres:
            found |= spelt_alike & (
                Q(TrigramSimilar(Lower("first_name"), first_name.lower()))
                | Q(first_name_key__in=first_keys)
            )
    else:
        found = Q(lower_last=lowered)
        if last_key:
            found |= Q(last_name_key=last_key)
        if prefix:
            found |= Q(lower_last__startswith=lowered)
        if postgres:
            found |= spelt_alike
    if dobs:
        found |= Q(date_of_birth__in=dobs)

    same_last = [When(lower_last=lowered, then=Value(4.0))]
    if last_key:
        same_last.append(When(last_name_key=last_key, then=Value(3.0)))
    pre = [SqlCase(*same_last, default=Value(0.0))]
    if first_keys:
        pre.append(
            SqlCase(When(first_name_key__in=first_keys, then=Value(3.0)), default=Value(0.0))
        )
    if dobs:
        pre.append(
            SqlCase(
                When(date_of_birth=dobs[0], then=Value(3.0)),
                When(date_of_birth__in=dobs, then=Value(2.0)),
                default=Value(0.0),
            )
        )
    if postgres:
        pre.append(TrigramSimilarity(Lower("last_name"), lowered) * Value(3.0))
        if first_keys:
            pre.append(TrigramSimilarity(Lower("first_name"), first_name.lower()) * Value(2.0))
    total = pre[0]
    for term in pre[1:]:
        total = total + term
    return found, total


def _candidates(viewer, *, first_name: str, last_name: str, dobs: list[date]):
    """The people the viewer may see who may be the one typed (`_match_terms`), best
    first by the pre-score, at most CANDIDATE_LIMIT of them. The access scope is applied
    to the candidates only (`visible_people(among=...)`), not built whole."""
    found, pre_score = _match_terms(first_name=first_name, last_name=last_name, dobs=dobs)
    names = {"lower_last": Lower("last_name"), "lower_first": Lower("first_name")}
    named = Person.objects.alias(**names).filter(found).values("pk")
    return (
        case_access.visible_people(viewer, among=named)
        .alias(**names)
        .annotate(pre_score=pre_score)
        .only(*MATCH_FIELDS)
        .order_by("-pre_score", "pk")[:CANDIDATE_LIMIT]
    )


def people_matches(
    *, viewer, first_name: str, last_name: str, date_of_birth: date | None = None, limit=20
) -> list[PersonMatch]:
    """The people the viewer may see who may be the person typed at intake, best first:
    each with a score (0 to 100), the reasons in words and the viewer's cases of theirs
    (status, closed date). Candidates come from indexed SQL (see `_candidates`), at most
    CANDIDATE_LIMIT; only those are scored (hearth.people.matching.score). A constant
    number of queries: the candidates, then their cases."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not last_name:
        return []
    dobs = [d for d in (date_of_birth, matching.swapped_date(date_of_birth)) if d]
    query = matching.Facts(first_name, last_name, date_of_birth)
    candidates = _candidates(viewer, first_name=first_name, last_name=last_name, dobs=dobs)
    scored = []
    for person in candidates:
        points, reasons = matching.score(
            query, matching.Facts(person.first_name, person.last_name, person.date_of_birth)
        )
        if points >= matching.min_score(query):
            scored.append(PersonMatch(person=person, score=points, reasons=reasons))
    scored.sort(key=lambda m: (-m.score, m.person.last_name, m.person.first_name, m.person.pk))
    return _with_cases(viewer, scored[:limit])


def _with_cases(viewer, matches: list[PersonMatch]) -> list[PersonMatch]:
    """The matches with the viewer's cases of each person, in one query."""
    if matches:
        by_person = {m.person.pk: m for m in matches}
        memberships = (
            CaseMember.objects.filter(
                person_id__in=list(by_person),
                case__in=case_access.visible_cases(viewer).values("pk"),
            )
            .select_related("case")
            .order_by("person_id", "-case__opened_on", "-case_id", "-starts_on")
        )
        for member in memberships:
            cases = by_person[member.person_id].cases
            if cases and cases[-1].id == member.case_id:
                continue  # an earlier membership in the same case
            c = member.case
            cases.append(
                MatchCase(c.pk, c.case_number, c.status, c.opened_on, c.closed_on, member.role)
            )
    return matches


# Case numbers are found from this many characters typed (their beginning).
CASE_NUMBER_MIN = 4
# At most this many people (and cases) answer a search box.
SEARCH_LIMIT = 50


@dataclass
class SearchResults:
    """What a search box finds: cases by number, and people by name or date of birth."""

    cases: list[Case]
    people: list[PersonMatch]


def _name_words(q: str) -> tuple[str, str, date | None]:
    """(first name, last name, date of birth) of a search box's text: the words without
    digits are names, first name first and the rest the last name, or "Last, First";
    one word is a last name. A word that is a date is the date of birth."""
    words, dob = [], None
    for term in (q or "").split():
        day = parse_date(term)
        if day:
            dob = day
        elif not any(c.isdigit() for c in term):
            words.append(term)
    text = " ".join(words)
    if "," in text:
        last, _, first = text.partition(",")
        return first.replace(",", " ").strip(), last.strip(), dob
    if len(words) > 1:
        return words[0], " ".join(words[1:]), dob
    return "", text, dob


def people_matches_for_text(*, viewer, q: str, limit: int = 10) -> list[PersonMatch]:
    """people_matches for a search box: the names and date of birth of `q` (`_name_words`);
    a date alone finds those born on it (or on it with day and month swapped). Nothing
    when `q` holds neither (a case number)."""
    first, last, dob = _name_words(q)
    if last:
        return people_matches(
            viewer=viewer, first_name=first, last_name=last, date_of_birth=dob, limit=limit
        )
    if dob is None:
        return []
    dobs = [d for d in (dob, matching.swapped_date(dob)) if d]
    born = (
        case_access.visible_people(
            viewer, among=Person.objects.filter(date_of_birth__in=dobs).values("pk")
        )
        .only(*MATCH_FIELDS)
        .order_by("last_name", "first_name", "pk")[:limit]
    )
    matches = []
    for person in born:
        points, reason = matching.dob_agreement(dob, person.date_of_birth)
        matches.append(PersonMatch(person=person, score=points, reasons=[reason]))
    return _with_cases(viewer, matches)


def search(*, viewer, q: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """The header's search box and the people search page: the cases the viewer may see
    whose number begins with a word of `q` (CASE_NUMBER_MIN characters or more), and the
    people `q` may name, with the matching of intake (`people_matches_for_text`). A
    constant number of queries whatever the caseload."""
    numbers = [
        t.upper()
        for t in (q or "").split()
        if len(t) >= CASE_NUMBER_MIN and any(c.isdigit() for c in t) and not parse_date(t)
    ]
    cases = []
    if numbers:
        by_number = Q()
        for number in numbers:
            by_number |= Q(case_number__startswith=number)
        cases = list(
            case_access.visible_cases(viewer)
            .filter(by_number)
            .select_related("county")
            .order_by("case_number")[:limit]
        )
    return SearchResults(cases, people_matches_for_text(viewer=viewer, q=q, limit=limit))
