"""hearth.people.matching: pure functions, no database."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.people import matching
from hearth.people.matching import (
    NICKNAMES,
    Facts,
    canonical_names,
    edit_distance,
    first_name_key,
    first_name_keys,
    last_name_key,
    metaphone,
    nickname_reason,
    normalize,
    score,
    swapped_date,
)

names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéñüçÁ -'."),
    max_size=20,
)
letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("José-María  Núñez", "jose maria nunez"),
        ("O'Brien", "obrien"),
        ("  SMITH, Jr. ", "smith jr"),
        ("Strauß", "strauss"),
        ("Søren Ærø", "soren aero"),
        ("", ""),
        (None, ""),
        ("张伟", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@given(names)
def test_normalize_is_idempotent_and_plain(raw):
    once = normalize(raw)
    assert normalize(once) == once
    assert set(once) <= set("abcdefghijklmnopqrstuvwxyz ")
    assert once == once.strip() and "  " not in once


@pytest.mark.parametrize(
    "a, b, key",
    [
        ("Smith", "Smyth", "SM0"),
        ("Catherine", "Kathryn", "K0RN"),
        ("Johnson", "Jonson", "JNSN"),
        ("Phillips", "Philips", "FLPS"),
        ("Gonzalez", "Gonsales", "KNSLS"),
        ("Rodriguez", "Rodrigues", "RTRKS"),
        ("Hernández", "HERNANDEZ", "HRNNTS"),
        ("Knight", "Nite", "NT"),
        ("Wright", "Rite", "RT"),
    ],
)
def test_metaphone_makes_sound_alikes_one_key(a, b, key):
    assert metaphone(a) == metaphone(b) == key


@pytest.mark.parametrize(
    "word, key",
    [
        ("Xavier", "SFR"),  # initial X is S
        ("Whitney", "WTN"),  # initial WH is W
        ("Aaron", "ARN"),  # an initial vowel stays
        ("Lamb", "LM"),  # -MB: the B is silent
        ("Schmidt", "SKMTT"),  # SCH is SK
        ("Church", "XRX"),  # CH is X
        ("Science", "SNS"),  # SC before E, I, Y: the C is silent
        ("Dodge", "TJ"),  # DGE is J
        ("Sign", "SN"),  # -GN
        ("Thomas", "0MS"),  # TH is 0
        ("Nation", "NXN"),  # TIO is X
        ("Phoebe", "FB"),  # PH is F
        ("Quinn", "KN"),
        ("Maxwell", "MKSWL"),
        ("Zoe", "S"),
    ],
)
def test_metaphone_rules(word, key):
    assert metaphone(word) == key


@given(names)
def test_metaphone_is_letters_and_zero_and_ignores_case_and_accents(raw):
    key = metaphone(raw)
    assert set(key) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0")
    assert metaphone(raw.upper()) == key == metaphone(normalize(raw))


@pytest.mark.parametrize(
    "nickname, name",
    [
        ("Bill", "William"),
        ("Liz", "Elizabeth"),
        ("Bob", "Robert"),
        ("Pepe", "José"),
        ("Lupe", "Guadalupe"),
        ("Chuy", "Jesús"),
        ("Paco", "Francisco"),
        ("Nacho", "Ignacio"),
        ("Peggy", "Margaret"),
    ],
)
def test_a_nickname_and_its_name_share_the_stored_key(nickname, name):
    assert first_name_key(nickname) == first_name_key(name)
    assert first_name_key(nickname) in first_name_keys(name)
    assert first_name_key(name) in first_name_keys(nickname)
    assert nickname_reason(nickname, name) == f"{nickname} is a nickname of {name}"
    assert nickname_reason(name, nickname) == f"{nickname} is a nickname of {name}"


def test_a_nickname_of_several_names_finds_each():
    assert set(canonical_names("Beto")) == {"alberto", "humberto", "roberto"}
    keys = first_name_keys("Beto")
    for name in ("Alberto", "Humberto", "Roberto"):
        assert first_name_key(name) in keys
    # A full name finds a stored nickname that is filed under another name first.
    assert first_name_key("Sandy") in first_name_keys("Alexandra")
    assert nickname_reason("Bill", "Will") == "Bill and Will are both short for William"
    assert nickname_reason("Ana", "Maria") is None


def test_the_nickname_table_is_normalized():
    assert len(NICKNAMES) >= 150
    pairs = sum(len(v) for v in NICKNAMES.values())
    assert pairs >= 300
    for name, shorts in NICKNAMES.items():
        assert normalize(name) == name
        assert shorts and name not in shorts
        for short in shorts:
            assert normalize(short) == short and " " not in short


def test_keys_of_a_person():
    assert matching.person_keys("Bill", "Smyth") == ("WLM", "SM0")
    assert last_name_key("") == first_name_key("") == ""
    assert last_name_key("xa" * 20) == "S" + "KS" * 9 + "K"  # cut to the column's width


@pytest.mark.parametrize(
    "day, swapped",
    [
        (date(2015, 3, 7), date(2015, 7, 3)),
        (date(2015, 12, 1), date(2015, 1, 12)),
        (date(2015, 3, 13), None),  # no 13th month
        (date(2015, 4, 4), None),  # the same date
        (None, None),
    ],
)
def test_swapped_date(day, swapped):
    assert swapped_date(day) == swapped


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_swapping_twice_gives_the_date_back(day):
    other = swapped_date(day)
    if other is not None:
        assert other != day and swapped_date(other) == day
        assert other.year == day.year


@pytest.mark.parametrize(
    "a, b, d",
    [("johnson", "jonson", 1), ("smith", "smyth", 1), ("ab", "ba", 1), ("kitten", "sitting", 3)],
)
def test_edit_distance(a, b, d):
    assert edit_distance(a, b) == d


@given(letters, letters)
def test_edit_distance_is_a_distance(a, b):
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))


QUERY = Facts("John", "Smith", date(2015, 3, 7))


def test_the_same_person_scores_100():
    assert score(QUERY, QUERY) == (
        100,
        ["same last name", "same first name", "same date of birth"],
    )


@pytest.mark.parametrize(
    "candidate, reason",
    [
        (Facts("John", "Smyth", date(2015, 3, 7)), "last name Smyth sounds like Smith"),
        (Facts("John", "Smiht", date(2015, 3, 7)), "last name Smiht is spelt like Smith"),
        (Facts("Jack", "Smith", date(2015, 3, 7)), "Jack is a nickname of John"),
        (Facts("John", "Smith", date(2015, 7, 3)), "date of birth with day and month swapped"),
        (Facts("John", "Smith", date(2015, 3, 8)), "date of birth one digit different"),
        (Facts("Smith", "John", date(2015, 3, 7)), "first and last names swapped"),
    ],
)
def test_near_matches_score_below_100_and_say_why(candidate, reason):
    points, reasons = score(QUERY, candidate)
    assert matching.MIN_SCORE <= points < 100
    assert any(r.startswith(reason) for r in reasons), reasons


def test_disagreement_counts_against_and_missing_counts_for_nothing():
    sibling, _ = score(QUERY, Facts("Mary", "Smith", date(2012, 1, 9)))
    assert sibling < matching.MIN_SCORE
    unknown_dob, reasons = score(QUERY, Facts("John", "Smith", None))
    assert unknown_dob == 75 and reasons == ["same last name", "same first name"]
    no_first, _ = score(Facts("", "Smith"), Facts("John", "Smith"))
    assert no_first == matching.LAST_SAME
    assert score(QUERY, Facts("Ana", "Okafor", date(1990, 10, 20)))[0] == 0


def test_exact_ranks_above_phonetic_above_misspelt_above_nickname_only():
    ranked = [
        Facts("John", "Smith", date(2015, 3, 7)),
        Facts("John", "Smyth", date(2015, 3, 7)),
        Facts("Jon", "Smyth", date(2015, 7, 3)),
        Facts("Jack", "Smith", None),
    ]
    points = [score(QUERY, c)[0] for c in ranked]
    assert points == sorted(points, reverse=True) and len(set(points)) == 4


@given(names, names, names, names)
def test_score_is_bounded(a, b, c, d):
    points, reasons = score(Facts(a, b), Facts(c, d))
    assert 0 <= points <= 100
    assert all(isinstance(r, str) and r for r in reasons)


@given(letters, letters, st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 1, 1)))
def test_a_person_matches_themselves_fully(first, last, dob):
    assert score(Facts(first, last, dob), Facts(first.upper(), last.title(), dob))[0] == 100
