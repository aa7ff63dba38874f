"""Members of the US Congress in an article, linked with care (``docs/linking.md``, "Members of Congress").

The reference data holds 537 members (``us-legislators.csv``): many share surnames ("Johnson" four times), and the
world holds namesakes of them all. So, over a whole article in reading order:

* a **full name** ("Chuck Grassley", "Hank Johnson", "Leader McConnell") links, unless it is namesake-prone: its
  surname is borne by two or more members, or the form by two members, or the member held no seat at publication.
  A namesake-prone name links only with evidence beside one of its mentions: a chamber or party (a state narrows,
  but alone proves nothing) in the title before it or the parenthesis or apposition after it ("Sen. Ron Johnson",
  "Ron Johnson (R-Wis.)", "Ron Johnson, a Wisconsin Republican");
* a **titled surname** ("Sen. Grassley", "Senate Finance Committee Chairman Grassley", "Grassley, an Iowa
  Republican") links to the one member of that name, chamber, party and state whose seat covers the publication date;
  a surname that two members bear also needs the party or state, or an earlier full name in the article;
* a **bare surname** ("Grassley said") links only when the nearest full name with that surname earlier in the article
  is the member's (so "Johnson" after "Boris Johnson" is not the senator);
* evidence that contradicts a member (another party, state or chamber) rules that member out.

Whatever is not linked is left to the statistical model, as any unknown name; ``namesake_key`` keeps such a name off
the member's node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.reference import Reference, RefPerson

SENATE, HOUSE, CONGRESS = "org/united-states-senate", "org/united-states-house-of-representatives", "congress"
CHAMBER_WORDS = {"senate": SENATE, "senator": SENATE, "senators": SENATE, "sen.": SENATE, "sen": SENATE,
                 "sens.": SENATE, "sens": SENATE, "house": HOUSE, "rep.": HOUSE, "reps.": HOUSE, "reps": HOUSE,
                 "rep": HOUSE, "representative": HOUSE, "congressman": HOUSE, "congresswoman": HOUSE,
                 "congressmen": HOUSE, "congresswomen": HOUSE, "speaker": HOUSE, "congress": CONGRESS,
                 "congressional": CONGRESS, "lawmaker": CONGRESS, "legislator": CONGRESS}
PARTY_WORDS = {"republican": "R", "republicans": "R", "gop": "R", "democrat": "D", "democrats": "D",
               "democratic": "D", "independent": "I"}
PARTY_LETTERS = {"Republican Party": "R", "Democratic Party": "D"}
# Short forms of given names (general knowledge): "Christopher Murphy" is also written "Chris Murphy".
HYPOCORISMS = {
    "Albert": ("Al",), "Alexander": ("Alex",), "Andrew": ("Andy",), "Anthony": ("Tony",), "Benjamin": ("Ben",),
    "Bernard": ("Bernie",), "Charles": ("Chuck", "Charlie"), "Christopher": ("Chris",), "Daniel": ("Dan",),
    "David": ("Dave",), "Deborah": ("Debbie", "Deb"), "Donald": ("Don",), "Douglas": ("Doug",), "Edward": ("Ed", "Ted"),
    "Elizabeth": ("Liz",), "Frederick": ("Fred",), "Gerald": ("Jerry",), "Gregory": ("Greg",), "Harold": ("Hal",),
    "Henry": ("Hank",), "James": ("Jim", "Jimmy"), "Jeffrey": ("Jeff",), "Jonathan": ("Jon",), "Joseph": ("Joe",),
    "Joshua": ("Josh",), "Kenneth": ("Ken",), "Lawrence": ("Larry",), "Matthew": ("Matt",), "Michael": ("Mike",),
    "Mitchell": ("Mitch",), "Nicholas": ("Nick",), "Patrick": ("Pat",), "Patricia": ("Pat",), "Peter": ("Pete",),
    "Philip": ("Phil",), "Raymond": ("Ray",), "Richard": ("Dick", "Rick", "Rich"), "Robert": ("Bob", "Bobby"),
    "Ronald": ("Ron",), "Samuel": ("Sam",), "Stephen": ("Steve",), "Steven": ("Steve",), "Susan": ("Sue",),
    "Theodore": ("Ted",), "Thomas": ("Tom",), "Timothy": ("Tim",), "William": ("Bill", "Will"), "Zachary": ("Zach",),
}
_TITLE_RUN = 8  # tokens of title looked at before a name
_AFTER = 12  # tokens of parenthesis or apposition looked at after a name
_TAG = re.compile(r"\b([RDI])\s?[-–]\s?([A-Z][A-Za-z]*\.?(?:\s?[A-Z][A-Za-z]*\.?)?)")


@dataclass(frozen=True)
class Member:
    """A member of Congress as the matcher sees it."""

    person: RefPerson
    party: str  # "R", "D" or "I"
    region: str | None

    def seated(self, chamber: str | None, day: str | None) -> bool:
        """Whether the member held a seat (in ``chamber`` when given; either for CONGRESS) on ``day`` (any day
        when None)."""
        return any(p.region and (chamber in (None, CONGRESS) or p.organization == chamber)
                   and (day is None or p.covers(day)) for p in self.person.posts)


@dataclass
class Evidence:
    """What the text around one mention says of the person: chambers, parties, states."""

    chambers: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    states: set[str] = field(default_factory=set)
    titled: bool = False  # a chamber title right before the name ("Sen.", "Rep.", "Senate Majority Leader")

    def fits(self, m: Member, day: str | None) -> bool:
        """No word here contradicts ``m``: its party, state, and a seat in each chamber named, on ``day``."""
        if self.parties and m.party not in self.parties or self.states and m.region not in self.states:
            return False
        return all(m.seated(c, day) for c in self.chambers) if self.chambers else True

    @property
    def any(self) -> bool:
        """Whether this says the person sits in Congress: a chamber or a party (a state alone does not: "the
        chief executive of a Wisconsin dairy")."""
        return bool(self.chambers or self.parties)


@dataclass(frozen=True)
class MemberMention:
    """A member resolved at tokens ``[start, end)`` of ``docs[doc]``; ``form`` is "name" or "surname"."""

    doc: int
    start: int
    end: int
    member: RefPerson
    form: str


def is_member(p: RefPerson) -> bool:
    """A person of the reference data with a constituency seat in Congress (a post with a cg:postRegion)."""
    return any(post.region for post in p.posts)


_CHAMBER_TITLES = ("Sen.", "Senator", "Rep.", "Representative", "Congressman", "Congresswoman")


def _full_forms(p: RefPerson) -> list[str]:
    """A member's full-name forms: the name and aliases of two words or more that are no chamber title ("Sen.
    Grassley" is found as a titled surname), and each with the short form of the given name ("Chris Murphy")."""
    forms = [f.replace('"', "") for f in (p.name, *p.aliases) if " " in f and not f.startswith(_CHAMBER_TITLES)]
    for f in list(forms):
        first, _, rest = f.partition(" ")
        if p.family_name and rest.endswith(p.family_name):
            forms += [f"{short} {p.family_name}" for short in HYPOCORISMS.get(first, ())]
    return list(dict.fromkeys(forms))


class MemberMatcher:
    """Finds and resolves members of Congress in the docs of one article (see the module doc)."""

    def __init__(self, nlp: Language, reference: Reference) -> None:
        self._members = {p.key: Member(p, PARTY_LETTERS.get(p.party or "", "I"),
                                       next((x.region for x in reversed(p.posts) if x.region), None))
                         for p in reference.people.values() if is_member(p)}
        self._states = {f.lower(): code for code, r in reference.regions.items() for f in (r.name, *r.aliases)
                        if f != code}
        forms = sorted(self._states, key=len, reverse=True)
        self._state_names = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, forms)) + r")(?!\w)", re.IGNORECASE)
        self._full: dict[str, list[Member]] = {}
        self._surname: dict[str, list[Member]] = {}
        for m in self._members.values():
            for form in _full_forms(m.person):
                self._full.setdefault(form, []).append(m)
            if m.person.family_name:
                self._surname.setdefault(m.person.family_name, []).append(m)
        self.common = frozenset(s for s, ms in self._surname.items() if len(ms) > 1)
        self._matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._matcher.add("full", list(nlp.tokenizer.pipe(self._full)))  # type: ignore[union-attr]  # spaCy types Language.tokenizer as any callable; a pipeline's is a Tokenizer
        self._matcher.add("surname", list(nlp.tokenizer.pipe(self._surname)))  # type: ignore[union-attr]  # spaCy types Language.tokenizer as any callable
        self._full_id = nlp.vocab.strings["full"]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._members)

    def resolve(self, docs: list[Doc], skip: list[bool], published: str | None) -> list[MemberMention]:
        """The members named in ``docs`` (an article's blocks in order; ``skip[i]`` for headings), in order."""
        day = (published or "")[:10] or None
        found = []  # (doc, start, end, is_full, candidates, evidence)
        for i, doc in enumerate(docs):
            if skip[i]:
                continue
            spans = sorted(((s, e, mid == self._full_id) for mid, s, e in self._matcher(doc)),
                           key=lambda x: (x[0] - x[1], not x[2]))
            taken: set[int] = set()
            for s, e, full in spans:
                if taken.isdisjoint(range(s, e)):
                    taken.update(range(s, e))
                    text = doc[s:e].text
                    found.append((i, s, e, full, self._full[text] if full else self._surname[text],
                                  self.evidence(doc, s, e)))
        found.sort(key=lambda x: (x[0], x[1]))
        # a namesake-prone full name needs evidence at one of its mentions in the article
        confirmed = {m.person.key for _, _, _, full, cands, ev in found if full and ev.any
                     for m in cands if ev.fits(m, day)}
        out: list[MemberMention] = []
        last_full: dict[str, str | None] = {}  # surname -> key of the nearest full name before (None: not a member)
        others = iter(self._other_names(docs, skip, found))
        other = next(others, None)
        for i, s, e, full, cands, ev in found:
            while other is not None and other[:2] < (i, s):  # "Boris Johnson" before this mention
                last_full[other[2]] = None
                other = next(others, None)
            doc = docs[i]
            fitting = [m for m in cands if ev.fits(m, day)]
            if full:
                m = fitting[0] if len(fitting) == 1 else None
                if m is not None and (m.person.key in confirmed or not self._prone(m, doc[s:e].text, day)):
                    out.append(MemberMention(i, s, e, m.person, "name"))
                    last_full[m.person.family_name or ""] = m.person.key
                else:
                    last_full[doc[e - 1].text] = None
                continue
            m = self._surname_member(doc, s, e, fitting, ev, day, last_full)
            if m is not None:
                out.append(MemberMention(i, s, e, m.person, "surname"))
        return out

    def _other_names(self, docs: list[Doc], skip: list[bool],
                     found: list[tuple[int, int, int, bool, list[Member], Evidence]]) -> list[tuple[int, int, str]]:
        """(doc, start, surname) of the model's multi-word person names that hold no member's full name, in order."""
        taken = {(i, t) for i, s, e, full, *_ in found if full for t in range(s, e)}
        out = []
        for i, doc in enumerate(docs):
            if skip[i]:
                continue
            for ent in doc.ents:
                if ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text in self._surname \
                        and not any((i, t) in taken for t in range(ent.start, ent.end)):
                    out.append((i, ent.start, ent[-1].text))
        return out

    def _prone(self, m: Member, form: str, day: str | None) -> bool:
        return (m.person.family_name in self.common or len(self._full.get(form, [])) > 1
                or day is not None and not m.seated(None, day))

    def _surname_member(self, doc: Doc, s: int, e: int, fitting: list[Member], ev: Evidence, day: str | None,
                        last_full: dict[str, str | None]) -> Member | None:
        """The member a surname names (module doc), or None."""
        t = doc[s]
        if not (t.pos_ == "PROPN" or t.ent_type_ == "PERSON"):
            return None  # "Young people", "Price rises"
        if e < len(doc) and doc[e].pos_ == "PROPN" and doc[e].text[:1].isupper():
            return None  # part of a longer name ("King Abdullah")
        if s > 0 and doc[s - 1].pos_ == "PROPN" and doc[s - 1].text[:1].isupper() and not ev.titled \
                and doc[s - 1].lower_ not in CHAMBER_WORDS and doc[s - 1].lower_ not in PARTY_WORDS:
            return None  # another first name before it ("Boris Johnson")
        surname = doc[s:e].text
        earlier = last_full.get(surname)
        named = next((m for m in fitting if m.person.key == earlier), None)
        if named is not None:
            return named
        if day is None or not ev.any or surname in last_full:
            return None  # a title resolves only at a known date; the nearest full name is someone else's
        seated = [m for m in fitting if m.seated(None, day)]
        if len(seated) != 1 or surname in self.common and not (ev.parties or ev.states):
            return None
        return seated[0]

    def evidence(self, doc: Doc, s: int, e: int) -> Evidence:
        """Chamber, party and state words in the title run before ``doc[s:e]`` and the parenthesis or apposition
        after it."""
        ev = Evidence()
        i = s - 1
        while i >= 0 and s - i <= _TITLE_RUN and (doc[i].text[:1].isupper() or doc[i].lower_ in CHAMBER_WORDS
                                                  or doc[i].text in ("-", "–", "'s", "’s") or doc[i].lower_ == "of"
                                                  or _abbreviation_dot(doc, i)):
            i -= 1
        before = doc[i + 1:s]
        after = doc[e:e]
        if e < len(doc) and doc[e].text in ("(", ","):
            close = ")" if doc[e].text == "(" else ","
            stop = next((j for j in range(e + 1, min(len(doc), e + _AFTER)) if doc[j].text == close
                         or doc[j].is_sent_start), min(len(doc), e + _AFTER))
            after = doc[e + 1:stop]
        elif e + 1 < len(doc) and doc[e].lower_ == "of":  # "Sen. Ron Johnson of Wisconsin"
            after = doc[e + 1:min(len(doc), e + 4)]
        for t in before:
            if t.lower_ in CHAMBER_WORDS and t.text[:1].isupper():
                ev.chambers.add(CHAMBER_WORDS[t.lower_])
                ev.titled = True
        for t in after:
            if t.lower_ in CHAMBER_WORDS:
                ev.chambers.add(CHAMBER_WORDS[t.lower_])
        for t in (*before, *after):
            if t.lower_ in PARTY_WORDS and t.text[:1].isupper():
                ev.parties.add(PARTY_WORDS[t.lower_])
        for part in (before, after):
            text = part.text
            for tag in _TAG.finditer(text):
                ev.parties.add(tag.group(1))
                code = self._states.get(tag.group(2).lower())
                if code:
                    ev.states.add(code)
            ev.states.update(self._states[x.group(1).lower()] for x in self._state_names.finditer(text))
        if len(ev.chambers) > 1:
            ev.chambers.discard(CONGRESS)
        return ev


def _abbreviation_dot(doc: Doc, i: int) -> bool:
    """The full stop of a title the tokenizer split off ("Sens" "." before "Susan Collins")."""
    return doc[i].text == "." and i > 0 and doc[i - 1].lower_ in CHAMBER_WORDS and not doc[i - 1].whitespace_


_NAMESAKE_KEYS: set[str] = set()


def reserve_member_keys(keys: frozenset[str]) -> None:
    """Remember the members' entity keys so that an unlinked namesake gets another key (``namesake_key``)."""
    _NAMESAKE_KEYS.update(keys)


def namesake_key(key: str) -> str:
    """``key`` of a name the gazetteer did not link, kept off a member's node: "person/ron-johnson" (the senator's
    key) becomes "person/ron-johnson-namesake"."""
    return f"{key}-namesake" if key in _NAMESAKE_KEYS else key
