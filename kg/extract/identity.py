"""Which real person a name written in an article is, across articles: one key per person, however it is written.

A person's key is ``person/<slug of given name and surname>``, computed from the name alone, so it is the same in
every article, whatever order articles are ingested in:

* middle names and initials are set aside ("Hillary Rodham Clinton", "Donald J. Trump"), except where they tell
  apart two people of one given name and surname listed in ``namesakes.tsv``: "George H. W. Bush" and "George W.
  Bush" are two keys, and "George Bush" (no initials) a third that names neither (a name cannot say which);
* a given name is taken in its formal form from the nickname table ``nicknames.tsv`` ("Bernie" → Bernard,
  "Chuck" → Charles, "Steve" → Stephen); a nickname listed under two names ("Ted") is left as written;
* accents and case are folded ("Erdoğan" = "Erdogan");
* brackets, quotes and a name word repeated at the end ("Charles Schumer Charles", from a link widget) are dropped.

Two people who share a surname keep two keys unless their given names agree as above: "Bill Clinton" and "Hillary
Clinton" stay apart. A bare surname ("Clinton") keeps its own key; within an article the names stage gives it the
key of a fuller name of the same article. A name of the reference data matched this way is that reference person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from kg.extract.model import EntityType
from kg.reference import Reference, RefPerson
from kg.vocab import slug

_PARTICLES = frozenset({"de", "del", "della", "da", "di", "van", "von", "der", "den", "la", "le", "bin", "al", "el",
                        "ibn", "dos", "das", "du", "ter", "ten", "st.", "mac"})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_STRAY = re.compile(r"[\[\]{}()\"“”«»|*_]")


def fold(text: str) -> str:
    """Lower case without accents: "Erdoğan" -> "erdogan"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1)
def nicknames() -> dict[str, str]:
    """Folded given-name variant -> its formal form, from ``nicknames.tsv``; variants under two names are left out."""
    table: dict[str, set[str]] = {}
    for line in files("kg.extract").joinpath("nicknames.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        formal, *variants = [w.strip() for w in line.split("\t") if w.strip()]
        for v in (formal, *variants):
            table.setdefault(v, set()).add(formal)
    return {v: next(iter(f)) for v, f in table.items() if len(f) == 1}


@lru_cache(maxsize=1)
def namesakes() -> dict[str, frozenset[tuple[str, ...]]]:
    """Folded formal given name and surname -> the sets of middle initials that tell its people apart, from
    ``namesakes.tsv``."""
    table: dict[str, set[tuple[str, ...]]] = {}
    for line in files("kg.extract").joinpath("namesakes.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for name in (w.strip() for w in line.split("\t") if w.strip()):
            parsed = parse_name(name)
            if parsed is None or not parsed.initials:
                raise ValueError(f"namesakes.tsv: {name!r} is no full name with middle initials")
            table.setdefault(parsed.plain_identity, set()).add(parsed.initials)
    return {k: frozenset(v) for k, v in table.items()}


def formal_given_name(given: str) -> str:
    """The formal form of a folded given name: "bernie" -> "bernard", "chuck" -> "charles"; others unchanged."""
    return nicknames().get(given, given)


def clean_name(text: str) -> str:
    """A written name without stray marks and whitespace, and without a first word repeated at its end:
    "Roy] Blunt" -> "Roy Blunt", "Charles Schumer Charles" -> "Charles Schumer"."""
    words = _STRAY.sub(" ", text).split()
    while len(words) > 2 and fold(words[-1]) == fold(words[0]):
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class PersonName:
    """A person's name in parts: given name, middle names and initials, surname (with its particles)."""

    given: str
    middle: tuple[str, ...]
    surname: str

    @property
    def initials(self) -> tuple[str, ...]:
        """The middle initials, upper case: ("H", "W") for "George H.W. Bush"; middle names are not initials."""
        out: list[str] = []
        for word in self.middle:
            parts = [p for p in word.split(".") if p]
            if parts and all(len(p) == 1 and p.isalpha() for p in parts):
                out += [p.upper() for p in parts]
        return tuple(out)

    @property
    def plain_identity(self) -> str:
        """Folded formal given name and surname: "Bernie Sanders" -> "bernard sanders"."""
        return f"{formal_given_name(fold(self.given))} {fold(self.surname)}"

    @property
    def told_apart(self) -> bool:
        """Whether the name's initials are those of one of several namesakes (``namesakes.tsv``)."""
        return self.initials in namesakes().get(self.plain_identity, frozenset())

    @property
    def identity(self) -> str:
        """The plain identity, with the middle initials where they tell namesakes apart: "george h w bush"."""
        if self.told_apart:
            given, surname = self.plain_identity.split(" ", 1)
            return " ".join([given, *(i.lower() for i in self.initials), surname])
        return self.plain_identity

    @property
    def display(self) -> str:
        """The name shown as label when no article form has been counted yet (``kg.entities.settle_labels``):
        formal given name and surname, as "Bernard Sanders" (with the initials that tell namesakes apart, "George
        W. Bush"); the given name as written where it is already formal (accents kept)."""
        formal = formal_given_name(fold(self.given))
        given = self.given if fold(self.given) == formal else formal.title()
        initials = [f"{i}." for i in self.initials] if self.told_apart else []
        return " ".join([given, *initials, self.surname])


def parse_name(name: str) -> PersonName | None:
    """The parts of a person's name of two words or more whose first word is a given name (not an initial);
    None otherwise ("Trump", "J. Smith").

    >>> parse_name("Hillary Rodham Clinton")
    PersonName(given='Hillary', middle=('Rodham',), surname='Clinton')
    >>> parse_name("Ursula von der Leyen").surname
    'von der Leyen'
    >>> parse_name("H. Ross Perot")
    PersonName(given='Ross', middle=('H.',), surname='Perot')
    """
    words = [w for w in clean_name(name).split() if w.casefold() not in _SUFFIXES]
    words = [w.rstrip(",") for w in words if w.rstrip(",")]
    lead: tuple[str, ...] = ()
    if len(words) > 2 and re.fullmatch(r"[A-Z]\.", words[0]) and not _initial(words[1]):
        lead, words = (words[0],), words[1:]  # "H. Ross Perot": a leading initial before the given name
    if len(words) < 2 or len(words[0].rstrip(".")) < 2 or words[0].endswith("."):
        return None
    i = len(words) - 1
    while i > 1 and words[i - 1].casefold() in _PARTICLES:
        i -= 1
    return PersonName(words[0], lead + tuple(words[1:i]), " ".join(words[i:]))


def _initial(word: str) -> bool:
    parts = [p for p in word.split(".") if p]
    return bool(parts) and word.endswith(".") and all(len(p) == 1 and p.isalpha() for p in parts)


def person_key(name: str) -> str:
    """The key of the person ``name`` names, the same in every article (see the module doc).

    >>> person_key("Bernie Sanders") == person_key("Bernard Sanders") == person_key("Sen. Bernard Sanders"[5:])
    True
    >>> person_key("Donald J. Trump") == person_key("Donald Trump"), person_key("Bill Clinton") == person_key(
    ...     "Hillary Clinton")
    (True, False)
    >>> person_key("Recep Tayyip Erdoğan") == person_key("Recep Erdogan")
    True
    >>> person_key("George H.W. Bush"), person_key("George W Bush"), person_key("George Bush")
    ('person/george-h-w-bush', 'person/george-w-bush', 'person/george-bush')
    """
    parsed = parse_name(name)
    return f"person/{slug(parsed.identity if parsed else fold(clean_name(name)))}"


def bare_namesake(name: str) -> str | None:
    """The plain identity of a name of ``namesakes.tsv`` written without the initials that tell its people apart
    ("George Bush" -> "george bush"), else None; in an article that names one of them in full, it is that one."""
    parsed = parse_name(name)
    if parsed is None or parsed.told_apart or parsed.plain_identity not in namesakes():
        return None
    return parsed.plain_identity


def plain_identity(name: str) -> str | None:
    """Folded formal given name and surname of a full name, initials set aside; None for a name that does not
    parse."""
    parsed = parse_name(name)
    return parsed.plain_identity if parsed else None


def display_name(name: str) -> str:
    """The one label of the person node ``name`` names: "Bernard Sanders" for "Bernie Sanders", "Roy Blunt" for
    "Roy] Blunt"; a name that does not parse, cleaned."""
    parsed = parse_name(name)
    return parsed.display if parsed else clean_name(name)


_INDEXES: dict[int, tuple[Reference, dict[str, RefPerson]]] = {}


def _reference_index(reference: Reference) -> dict[str, RefPerson]:
    cached = _INDEXES.get(id(reference))
    if cached is not None and cached[0] is reference:
        return cached[1]
    index: dict[str, list[RefPerson]] = {}
    for person in reference.people.values():
        for form in (person.name, *person.aliases):
            parsed = parse_name(form)
            if parsed:
                bucket = index.setdefault(parsed.identity, [])
                if person not in bucket:
                    bucket.append(person)
    unique = {k: v[0] for k, v in index.items() if len(v) == 1}
    _INDEXES[id(reference)] = (reference, unique)
    return unique


def reference_person(name: str, reference: Reference) -> RefPerson | None:
    """The person of the reference data that ``name`` names by the rules above ("Steve Mnuchin" is Steven
    Mnuchin), if exactly one does."""
    parsed = parse_name(name)
    return _reference_index(reference).get(parsed.identity) if parsed else None


# Last words that make a name an organisation, whatever the model said ("George W. Bush Institute", "Obama White
# House", "House Democrats").
_ORGANISATION_HEADS = frozenset("""institute foundation center centre council committee association university
college school party caucus administration department ministry agency commission corporation inc inc. corp corp.
company llc ltd plc group democrats republicans conservatives liberals coalition alliance federation union
society league fund trust board bureau office club network enterprises industries""".split())
_GLUED = re.compile(r"[a-z][A-Z]")
_NAME_WORD = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O['’]|D['’]|Al-|El-)?[A-Z][a-z]+(?:-[A-Z][a-z]+)*$")


def name_type(text: str, type_: EntityType, before: str = "") -> EntityType | None:
    """The type a name found by the statistical model has by its form, or None when it is no name: a photo credit
    ("Jonathan Ernst/Reuters"), a handle or hashtag (``before`` is the character before it), a person's name with
    words glued together ("KennedyMORE"); a "person" whose last word is an organisation's ("George W. Bush
    Institute", "Obama White House", "House Democrats") is an organisation.

    >>> name_type("George W. Bush Institute", "Person"), name_type("Jonathan Ernst/Reuters", "Person")
    ('Organization', None)
    >>> name_type("Mitch McConnell", "Person"), name_type("KennedyMORE", "Person"), name_type("MAGA", "Person", "#")
    ('Person', None, None)
    """
    if "/" in text or "@" in text or "#" in text or before in ("@", "#"):
        return None
    words = clean_name(text).split()
    if not words:
        return None
    last = words[-1].casefold()
    if type_ in ("Person", "Official"):
        if any(_GLUED.search(w) and not _NAME_WORD.match(w.rstrip(".,’'s")) for w in words):
            return None
        if last in _ORGANISATION_HEADS or " ".join(words[-2:]).casefold() == "white house":
            return "Organization"
    return type_


def merge_reason(form: str, label: str, key: str) -> str:
    """Why the written ``form`` names the person with ``label`` and ``key``, in words an analyst can check.

    >>> merge_reason("Bernie Sanders", "Bernard Sanders", "person/bernard-sanders")
    'nickname: Bernie is Bernard'
    >>> merge_reason("Hillary Rodham Clinton", "Hillary Clinton", "person/hillary-clinton")
    'middle names and initials set aside'
    >>> merge_reason("Clinton", "Hillary Clinton", "person/hillary-clinton")
    'part of the full name Hillary Clinton in the same article'
    """
    if person_key(form) != key:
        return f"part of the full name {label} in the same article"
    parsed, target = parse_name(form), parse_name(label)
    if parsed is None or target is None:
        return "same name once accents, case and punctuation are folded"
    if fold(parsed.given) != fold(target.given):
        return f"nickname: {parsed.given} is {target.given}"
    if parsed.middle and parsed.told_apart:
        return "middle names set aside, the initials that tell namesakes apart kept"
    if parsed.middle:
        return "middle names and initials set aside"
    return "same name once accents, case and punctuation are folded"
