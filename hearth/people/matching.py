"""Finding a person who may already be recorded: pure functions, no database.

Intake searches before it creates (issue 5). A name typed at intake is often spelt
differently from the record (Jonson, Smyth), is a nickname (Bill for William, Lupe for
Guadalupe), or comes with the day and month of the birth date swapped (03/07 for 07/03).
This module holds what the search needs, independent of the database:

- `normalize`: lower case, accents stripped, punctuation dropped.
- `metaphone`: Lawrence Philips' Metaphone (1990), the phonetic key of a name.
- `NICKNAMES` and `canonical_names`: given-name nicknames, English and Spanish.
- `last_name_key`, `first_name_key`: the keys stored on each person (indexed), and
  `first_name_keys`, every stored key a typed first name should find.
- `swapped_date`: the date with its day and month exchanged.
- `score`: how well a candidate matches what was typed (0 to 100) and why, in words.

`hearth.cases.people_selectors.people_matches` generates candidates in SQL with the keys and
scores the few hundred it finds here.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

KEY_LENGTH = 20  # the key columns' width; a longer key is cut

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i"}
)
_NOT_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=8192)
def normalize(name: str | None) -> str:
    """Lower case, accents stripped, apostrophes dropped (O'Brien is obrien), every
    other run of non-letters one space: 'José-María  Núñez' is 'jose maria nunez'."""
    text = unicodedata.normalize("NFKD", (name or "").lower().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("'", "").replace("\u2019", "").replace("`", "")
    return " ".join(_NOT_LETTERS.sub(" ", text).split())


def compact(name: str | None) -> str:
    """The normalized name without spaces: 'De la Cruz' and 'Delacruz' are one."""
    return normalize(name).replace(" ", "")


# --- Metaphone -----------------------------------------------------------------------

_VOWELS = frozenset("AEIOU")
_FRONT = frozenset("EIY")


@lru_cache(maxsize=8192)
def metaphone(name: str | None) -> str:
    """The Metaphone key of a name (Lawrence Philips, 1990), letters A-Z only ('0' is
    'th'): Smith and Smyth are SM0, Catherine and Kathryn K0RN, Johnson and Jonson JNSN.

    The rules, in order: drop a repeated letter (except C); drop the first letter of an
    initial AE, GN, KN, PN, WR; an initial X is S, an initial WH is W; keep a vowel only
    as the first letter; then each consonant by its context (below)."""
    word = compact(name).upper()
    if not word:
        return ""
    # Repeated letters sound once, except C (accident, McCarthy).
    word = "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1] or c == "C")
    if word[:2] in ("AE", "GN", "KN", "PN", "WR"):
        word = word[1:]
    elif word[0] == "X":
        word = "S" + word[1:]
    elif word[:2] == "WH":
        word = "W" + word[2:]
    n = len(word)

    def at(i: int) -> str:
        return word[i] if 0 <= i < n else ""

    out = []
    for i, c in enumerate(word):
        prev, nxt, after = at(i - 1), at(i + 1), at(i + 2)
        if c in _VOWELS:
            if i == 0:
                out.append(c)
        elif c == "B":
            if not (prev == "M" and i == n - 1):  # -MB at the end: lamb
                out.append("B")
        elif c == "C":
            if nxt == "I" and after == "A":
                out.append("X")  # -CIA-
            elif nxt == "H":
                out.append("K" if prev == "S" else "X")  # SCH is SK, CH is X
            elif nxt in _FRONT:
                if prev != "S":  # SCE, SCI, SCY: the S already sounds
                    out.append("S")
            else:
                out.append("K")
        elif c == "D":
            out.append("J" if nxt == "G" and after in _FRONT else "T")
        elif c == "G":
            if nxt == "H" and not (i + 2 >= n or after in _VOWELS):
                continue  # GH before a consonant is silent: knight
            if nxt == "N" and (i + 2 == n or word[i + 1 :] == "NED"):
                continue  # -GN, -GNED: sign, signed
            if prev == "D" and nxt in _FRONT:
                continue  # DGE, DGI, DGY: the D already sounds J (Dodge)
            if nxt in _FRONT and prev != "G":
                out.append("J")
            else:
                out.append("K")
        elif c == "H":
            if prev in ("C", "G", "P", "S", "T"):
                continue  # part of CH, GH, PH, SH, TH
            if prev in _VOWELS and nxt not in _VOWELS:
                continue  # after a vowel and not before one: John
            out.append("H")
        elif c == "K":
            if prev != "C":
                out.append("K")
        elif c == "P":
            out.append("F" if nxt == "H" else "P")
        elif c == "Q":
            out.append("K")
        elif c == "S":
            if nxt == "H" or (nxt == "I" and after in ("O", "A")):
                out.append("X")
            else:
                out.append("S")
        elif c == "T":
            if nxt == "I" and after in ("O", "A"):
                out.append("X")
            elif nxt == "H":
                out.append("0")
            elif not (nxt == "C" and after == "H"):  # TCH sounds as CH
                out.append("T")
        elif c == "V":
            out.append("F")
        elif c == "W" or c == "Y":
            if nxt in _VOWELS:
                out.append(c)
        elif c == "X":
            out.append("KS")
        elif c == "Z":
            out.append("S")
        else:  # F, J, L, M, N, R
            out.append(c)
    return "".join(out)


# --- Nicknames -----------------------------------------------------------------------

# Given name -> its common nicknames and short forms, English then Spanish (common
# knowledge, lower case, no accents). A nickname may belong to several names (Alex, Pat,
# Beto): it is stored under the first name that lists it and found from all of them.
NICKNAMES: dict[str, tuple[str, ...]] = {
    name: tuple(short.split())
    for name, short in {
        # English
        "abigail": "abby abbie abi gail",
        "abraham": "abe abram",
        "albert": "al bert bertie",
        "alexander": "alex alec al sandy xander lex",
        "alexandra": "alex alexa sandra sandy lexi allie",
        "alexis": "lexi lexie",
        "alfred": "al alf alfie fred freddie",
        "alice": "allie ally",
        "allison": "allie ally ali",
        "amanda": "mandy manda",
        "andrew": "andy drew",
        "angela": "angie",
        "ann": "annie nan nancy",
        "anne": "annie nan",
        "anthony": "tony ant",
        "antonia": "toni tonia",
        "arthur": "art artie",
        "barbara": "barb barbie babs",
        "benjamin": "ben benny benji",
        "bernard": "bernie",
        "beverly": "bev",
        "bradley": "brad",
        "caroline": "carrie carol caro",
        "carolyn": "carrie lyn",
        "cassandra": "cassie sandy",
        "catherine": "cathy cat kate katie cate",
        "charles": "charlie chuck chas chaz chip",
        "charlotte": "charlie lottie lotte",
        "christian": "chris",
        "christina": "chris tina christy chrissy",
        "christine": "chris chrissy tina",
        "christopher": "chris kit topher",
        "clifford": "cliff",
        "cornelius": "neil connie",
        "cynthia": "cindy",
        "daniel": "dan danny",
        "david": "dave davey davy",
        "deborah": "debbie deb debra",
        "dominic": "dom nick",
        "donald": "don donnie",
        "dorothy": "dot dottie dolly",
        "douglas": "doug",
        "edward": "ed eddie ted ned teddy",
        "eleanor": "ellie nell nora elle",
        "elizabeth": "liz lizzie beth betty betsy eliza libby lisa bess",
        "emily": "em emmy",
        "ernest": "ernie",
        "eugene": "gene",
        "frances": "fran frannie",
        "francis": "frank frankie",
        "frederick": "fred freddie fritz",
        "gabriel": "gabe",
        "gabrielle": "gabby gabi",
        "gerald": "gerry jerry",
        "gregory": "greg",
        "gwendolyn": "gwen",
        "harold": "hal harry",
        "harriet": "hattie",
        "henry": "hank harry hal",
        "isaac": "ike",
        "isabella": "bella izzy isa",
        "jacob": "jake",
        "jacqueline": "jackie",
        "james": "jim jimmy jamie jamey",
        "janet": "jan",
        "jeffrey": "jeff",
        "jennifer": "jen jenny jenn",
        "jeremy": "jerry",
        "jessica": "jess jessie",
        "john": "jack johnny jon",
        "jonathan": "jon jonny",
        "joseph": "joe joey",
        "josephine": "jo josie",
        "joshua": "josh",
        "judith": "judy",
        "katherine": "kathy kate katie kat kay kit",
        "kathleen": "kathy kath",
        "kenneth": "ken kenny",
        "kimberly": "kim",
        "lawrence": "larry",
        "leonard": "leo len lenny",
        "lillian": "lily lil",
        "louis": "lou",
        "lucas": "luke",
        "madeline": "maddie",
        "margaret": "maggie meg peggy marge margie greta",
        "martha": "marty patty",
        "mary": "molly polly mae mamie",
        "matilda": "tilly",
        "matthew": "matt matty",
        "maximilian": "max",
        "melanie": "mel",
        "melissa": "missy mel lissa",
        "michael": "mike mikey mick mickey",
        "michelle": "shelly",
        "mitchell": "mitch",
        "nathaniel": "nate nat nathan",
        "natalie": "nat",
        "nicholas": "nick nicky",
        "olivia": "liv livvy",
        "pamela": "pam",
        "patricia": "pat patty trish tricia",
        "patrick": "pat paddy",
        "penelope": "penny",
        "peter": "pete",
        "philip": "phil",
        "randall": "randy",
        "raymond": "ray",
        "rebecca": "becky becca",
        "richard": "rick ricky dick rich richie",
        "robert": "bob bobby rob robbie bert",
        "rodney": "rod",
        "ronald": "ron ronnie",
        "russell": "russ",
        "samantha": "sam sammy",
        "samuel": "sam sammy",
        "sandra": "sandy",
        "sophia": "sophie",
        "stanley": "stan",
        "stephanie": "steph stephie",
        "stephen": "steve stevie",
        "steven": "steve stevie",
        "stuart": "stu",
        "susan": "sue susie suzy",
        "suzanne": "sue suzy",
        "tabitha": "tabby",
        "terence": "terry",
        "theodore": "ted teddy theo",
        "theresa": "terry tess tessa",
        "thomas": "tom tommy",
        "timothy": "tim timmy",
        "tobias": "toby",
        "valerie": "val",
        "veronica": "ronnie",
        "victoria": "vicky tori",
        "vincent": "vince vinny",
        "virginia": "ginny ginger",
        "walter": "walt wally",
        "wesley": "wes",
        "william": "bill billy will willie willy liam",
        "zachary": "zach zack",
        # Spanish
        "alberto": "beto",
        "alejandra": "ale alex jandra",
        "alejandro": "alex alejo jando",
        "ana": "anita",
        "antonio": "tono tonio toni tony",
        "armando": "mando",
        "beatriz": "bea betty",
        "carlos": "carlitos charly",
        "concepcion": "concha conchita",
        "consuelo": "chelo",
        "cristina": "cris tina",
        "dolores": "lola lolita",
        "eduardo": "lalo eddie",
        "enrique": "quique kike",
        "esperanza": "espe",
        "federico": "fede kiko",
        "fernando": "nando fer",
        "francisca": "paca pancha paquita",
        "francisco": "paco pancho cisco kiko curro",
        "gerardo": "lalo jerry",
        "gonzalo": "chalo",
        "graciela": "chela",
        "guadalupe": "lupe lupita",
        "guillermo": "memo guille",
        "humberto": "beto",
        "ignacio": "nacho",
        "isabel": "chabela chavela isa",
        "javier": "javi",
        "jesus": "chuy chucho chuyito",
        "joaquin": "quino",
        "jose": "pepe chepe pepito joselito cheo",
        "lourdes": "lulu",
        "luis": "lucho wicho",
        "manuel": "manolo manny",
        "manuela": "manola",
        "margarita": "margo rita",
        "mercedes": "meche",
        "pablo": "pablito",
        "pedro": "perico",
        "rafael": "rafa rafi",
        "ramon": "moncho",
        "ricardo": "ricky richi",
        "roberto": "beto tito",
        "rodrigo": "rigo",
        "rosario": "chayo charo",
        "salvador": "chava salva",
        "santiago": "santi chago",
        "socorro": "coco",
        "soledad": "sole chole",
        "teresa": "tere",
        "vicente": "chente",
    }.items()
}

_CANONICAL: dict[str, tuple[str, ...]] = {}
for _name, _shorts in NICKNAMES.items():
    for _short in _shorts:
        _CANONICAL[_short] = (*_CANONICAL.get(_short, ()), _name)


def _given(name: str | None) -> str:
    """The first word of a normalized given name: 'Mary Ann' is 'mary'."""
    words = normalize(name).split()
    return words[0] if words else ""


def canonical_names(name: str | None) -> tuple[str, ...]:
    """The full names a given name may stand for: ('william',) for Bill, the name itself
    for a full name or one the table does not know."""
    given = _given(name)
    if not given:
        return ()
    if given in NICKNAMES or given not in _CANONICAL:
        return (given,)
    return _CANONICAL[given]


def _related(name: str | None) -> set[str]:
    """The name, the full names it stands for and their nicknames."""
    given = _given(name)
    related = {given} if given else set()
    for full in {given, *_CANONICAL.get(given, ())}:
        if full in NICKNAMES:
            related |= {full, *NICKNAMES[full]}
    return related


def last_name_key(last_name: str | None) -> str:
    """The stored, indexed key of a last name: its Metaphone."""
    return metaphone(last_name)[:KEY_LENGTH]


@lru_cache(maxsize=8192)
def first_name_key(first_name: str | None) -> str:
    """The stored, indexed key of a first name: the Metaphone of the full name it stands
    for, so Bill and William share WLM."""
    names = canonical_names(first_name)
    return metaphone(names[0])[:KEY_LENGTH] if names else ""


def first_name_keys(first_name: str | None) -> set[str]:
    """Every stored first-name key a typed first name should find: its own, and those of
    the full names it stands for and of their other nicknames (Beto finds Alberto,
    Humberto and Roberto; Alexandra finds Sandy)."""
    return {k for k in (first_name_key(n) for n in _related(first_name)) if k}


def person_keys(first_name: str | None, last_name: str | None) -> tuple[str, str]:
    """(first_name_key, last_name_key) of a person, as stored."""
    return first_name_key(first_name), last_name_key(last_name)


def nickname_reason(typed: str, recorded: str) -> str | None:
    """Why two different given names may be one person's, in words, or None."""
    a, b = _given(typed), _given(recorded)
    if not a or not b or a == b:
        return None
    shown_a, shown_b = typed.strip(), recorded.strip()
    if b in _CANONICAL.get(a, ()):
        return f"{shown_a} is a nickname of {shown_b}"
    if a in _CANONICAL.get(b, ()):
        return f"{shown_b} is a nickname of {shown_a}"
    shared = sorted(set(_CANONICAL.get(a, ())) & set(_CANONICAL.get(b, ())))
    if shared:
        return f"{shown_a} and {shown_b} are both short for {shared[0].title()}"
    return None


# --- Dates ---------------------------------------------------------------------------


def swapped_date(day: date | None) -> date | None:
    """The date with day and month exchanged (2015-03-07 for 2015-07-03), or None when
    that is no other date (a day after the 12th, or the day equal to the month)."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and
    swaps of two neighbouring letters each count one."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def _typo_budget(a: str, b: str) -> int:
    """How many letters may differ for two names to count as one misspelt."""
    shorter = min(len(a), len(b))
    return 0 if shorter < 4 else 1 if shorter < 7 else 2


def _letters(n: int) -> str:
    return "1 letter" if n == 1 else f"{n} letters"


# --- Scoring -------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What is known of a person: typed at intake, or recorded."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None


MIN_SCORE = 40  # below this a candidate is not shown
# A last name typed alone (a search box, a caller who knows only the family name) scores at
# most LAST_SAME: a misspelt or sound-alike one (Osborn for Osborne) counts from here.
MIN_SCORE_LAST_NAME_ONLY = 28

# Points for each kind of agreement; a perfect match is 100.
LAST_SAME, LAST_SOUNDS, LAST_TYPO_1, LAST_TYPO_2, LAST_SHARED = 45, 36, 34, 28, 30
LAST_BEGINS = 32  # the beginning of the name typed, at least PREFIX_LETTERS letters
PREFIX_LETTERS = 3
FIRST_SAME, FIRST_NICKNAME, FIRST_SOUNDS, FIRST_TYPO, FIRST_INITIAL = 30, 26, 24, 20, 10
FIRST_DIFFERENT = -10
DOB_SAME, DOB_SWAPPED, DOB_TYPO, DOB_DIFFERENT = 25, 20, 12, -15
NAMES_SWAPPED = -10


def _unwritten(typed: str, recorded: str) -> bool:
    """Names in a script normalize() drops (张) agree only when written the same."""
    return bool(typed.strip()) and typed.strip().casefold() == recorded.strip().casefold()


def _last_name(typed: str, recorded: str) -> tuple[int, str | None]:
    a, b = normalize(typed), normalize(recorded)
    if not a or not b:
        return (LAST_SAME, "same last name") if _unwritten(typed, recorded) else (0, None)
    if a == b:
        return LAST_SAME, "same last name"
    if a.replace(" ", "") == b.replace(" ", ""):
        return LAST_SAME - 1, f"same last name, spaced differently ({recorded.strip()})"
    shown = f"last name {recorded.strip()}"
    distance = edit_distance(a.replace(" ", ""), b.replace(" ", ""))
    typo = 0 < distance <= _typo_budget(a, b)
    if metaphone(a) == metaphone(b):
        return LAST_SOUNDS + (2 if typo else 0), f"{shown} sounds like {typed.strip()}"
    if typo:
        points = LAST_TYPO_1 if distance == 1 else LAST_TYPO_2
        return points, f"{shown} is spelt like {typed.strip()} ({_letters(distance)} different)"
    if set(a.split()) & set(b.split()):
        return LAST_SHARED, f"{shown} shares a surname with {typed.strip()}"
    if len(a.replace(" ", "")) >= PREFIX_LETTERS and b.replace(" ", "").startswith(
        a.replace(" ", "")
    ):
        return LAST_BEGINS, f"{shown} begins with {typed.strip()}"
    return 0, None


def _first_name(typed: str, recorded: str) -> tuple[int, str | None]:
    a, b = _given(typed), _given(recorded)
    if not a or not b:
        return (FIRST_SAME, "same first name") if _unwritten(typed, recorded) else (0, None)
    if a == b:
        return FIRST_SAME, "same first name"
    nickname = nickname_reason(typed, recorded)
    if nickname:
        return FIRST_NICKNAME, nickname
    shown = f"first name {recorded.strip()}"
    distance = edit_distance(a, b)
    typo = 0 < distance <= _typo_budget(a, b)
    if metaphone(a) == metaphone(b):
        return FIRST_SOUNDS, f"{shown} sounds like {typed.strip()}"
    if typo:
        return FIRST_TYPO, f"{shown} is spelt like {typed.strip()} ({_letters(distance)} different)"
    if (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return FIRST_INITIAL, "first initial matches"
    return FIRST_DIFFERENT, f"different first name ({recorded.strip()})"


def dob_agreement(typed: date | None, recorded: date | None) -> tuple[int, str | None]:
    """The points and the reason of a typed date of birth against the recorded one."""
    if typed is None or recorded is None:
        return 0, None
    if typed == recorded:
        return DOB_SAME, "same date of birth"
    if swapped_date(typed) == recorded:
        return DOB_SWAPPED, "date of birth with day and month swapped"
    if edit_distance(typed.strftime("%Y%m%d"), recorded.strftime("%Y%m%d")) == 1:
        return DOB_TYPO, f"date of birth one digit different ({recorded.isoformat()})"
    return DOB_DIFFERENT, f"different date of birth ({recorded.isoformat()})"


def min_score(query: Facts) -> int:
    """The least score shown for what was typed: lower for a last name typed alone, which
    cannot earn a first name's points."""
    return (
        MIN_SCORE
        if _given(query.first_name) or query.first_name.strip()
        else (MIN_SCORE_LAST_NAME_ONLY)
    )


def score(query: Facts, candidate: Facts) -> tuple[int, list[str]]:
    """How well a recorded person (`candidate`) matches what was typed (`query`): a score
    from 0 to 100 (100: same names and date of birth) and the reasons, in words, strongest
    first. A first name or date of birth that disagrees counts against; one that is
    missing on either side counts for nothing."""
    last, last_why = _last_name(query.last_name, candidate.last_name)
    first, first_why = _first_name(query.first_name, candidate.first_name)
    reasons = [r for r in (last_why, first_why) if r]
    names = last + first
    # First and last name entered the wrong way round.
    swap_last, _ = _last_name(query.first_name, candidate.last_name)
    swap_first, _ = _first_name(query.last_name, candidate.first_name)
    if swap_last > 0 and swap_first > 0 and swap_last + swap_first + NAMES_SWAPPED > names:
        names = swap_last + swap_first + NAMES_SWAPPED
        reasons = ["first and last names swapped"]
    dob, dob_why = dob_agreement(query.date_of_birth, candidate.date_of_birth)
    if dob_why:
        reasons.append(dob_why)
    return max(0, min(100, names + dob)), reasons
