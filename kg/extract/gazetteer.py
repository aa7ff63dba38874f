"""Known names from the reference data, matched before the statistical model gets a say.

The gazetteer holds the names, aliases and demonyms of countries, the names and aliases of officials, and the names
and aliases of organisations and government bodies. ``names_in`` merges its matches with spaCy's entities so that a
known name wins where the two disagree (the model tags "Freeland" a place and "Trump" an organisation), while a longer
name the model found stays whole ("Canadian Association of Railway Suppliers" is not cut down to "Canadian").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.extract.cues import LEXICON, reporting_lemma
from kg.extract.members import MemberMatcher, is_member, namesake_key, reserve_member_keys
from kg.extract.model import EntityType
from kg.extract.roles import ROLE_WORDS
from kg.reference import Reference
from kg.vocab import slug

# Country names that are also common words or first names: trusted only where the model also says place.
AMBIGUOUS_PLACE_NAMES = frozenset({"Georgia", "Jordan", "Chad", "Jersey", "Guinea", "Niger", "Dominica", "Turkey",
                                   "Man", "Guernsey"})
_LONG_NAME_LABELS = frozenset({"ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
_MODEL_LABELS: dict[str, EntityType] = {"PERSON": "Person", "ORG": "Organization"}


@dataclass(frozen=True)
class KnownName:
    """What a gazetteer form names. ``form`` is "name", "alias" or "demonym"."""

    key: str
    type: EntityType
    name: str
    country: str | None
    wikidata: str | None
    form: str


@dataclass(frozen=True)
class NameSpan:
    """A name in one doc, by token offsets; ``known`` is None for a name only the model found."""

    start: int
    end: int
    type: EntityType
    known: KnownName | None
    confidence: float


def _is_name(form: str) -> bool:
    """Whether an alias looks like a proper name (so "lawmakers" is not taken for Congress)."""
    words = form.split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    return bool(words) and (words[0][:1].isupper() or words[0][:1].isdigit())


class Gazetteer:
    """Exact, case-sensitive matching of reference names in parsed docs."""

    def __init__(self, nlp: Language, reference: Reference) -> None:
        self._entries: dict[int, KnownName] = {}
        self._matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms: dict[str, list[str]] = {}
        for c in reference.countries.values():
            t: EntityType = "Country"
            self._add(forms, KnownName(c.key, t, c.name, c.iso2, c.wikidata, "name"), [c.name])
            self._add(forms, KnownName(c.key, t, c.name, c.iso2, c.wikidata, "alias"), c.aliases)
            self._add(forms, KnownName(c.key, t, c.name, c.iso2, c.wikidata, "demonym"), c.demonyms)
        for o in reference.organizations.values():
            t = "GovernmentBody" if o.type == "GovernmentBody" else "Organization"
            self._add(forms, KnownName(o.key, t, o.name, o.country, None, "name"), [o.name])
            self._add(forms, KnownName(o.key, t, o.name, o.country, None, "alias"), o.aliases)
        self._members = MemberMatcher(nlp, reference)  # members of Congress: matched with care (kg.extract.members)
        reserve_member_keys(self._members.keys)
        for p in reference.people.values():
            if is_member(p):
                continue
            self._add(forms, KnownName(p.key, "Official", p.name, p.country, p.wikidata, "name"), [p.name])
            self._add(forms, KnownName(p.key, "Official", p.name, p.country, p.wikidata, "alias"), p.aliases)
        for label, terms in forms.items():
            self._matcher.add(label, list(nlp.tokenizer.pipe(terms)))  # type: ignore[union-attr]  # spaCy types Language.tokenizer as any callable; a pipeline's is a Tokenizer

    def _add(self, forms: dict[str, list[str]], known: KnownName, terms: tuple[str, ...] | list[str]) -> None:
        label = f"{known.key}|{known.form}"
        self._entries[self._matcher.vocab.strings.add(label)] = known  # type: ignore[attr-defined]  # Cython attribute spaCy's stub omits
        bucket = forms.setdefault(label, [])
        for term in terms:
            # the reference writes straight apostrophes; news text often has typographic ones
            for variant in (term, term.replace("'", "’")):
                if variant and _is_name(variant) and variant not in bucket:
                    bucket.append(variant)

    def article_names(self, docs: list[Doc], skip: list[bool], published: str | None) -> list[list[NameSpan]]:
        """:meth:`names_in` of each of an article's docs (none for a doc where ``skip`` is true), with the members of
        Congress that the whole article, read in order, resolves (:mod:`kg.extract.members`)."""
        members: list[list[tuple[int, int, KnownName]]] = [[] for _ in docs]
        for r in self._members.resolve(docs, skip, published):
            p = r.member
            members[r.doc].append((r.start, r.end, KnownName(p.key, "Official", p.name, p.country, p.wikidata,
                                                             "name" if r.form == "name" else "alias")))
        return [[] if skip[i] else self.names_in(doc, members[i]) for i, doc in enumerate(docs)]

    def matches(self, doc: Doc, members: list[tuple[int, int, KnownName]] | None = None
                ) -> list[tuple[int, int, KnownName]]:
        """Longest non-overlapping matches in ``doc`` (with the resolved ``members``), earliest first; a full name
        beats an alias of equal length."""
        found = sorted([*((s, e, self._entries[m]) for m, s, e in self._matcher(doc)), *(members or [])],
                       key=lambda x: (x[0] - x[1], x[2].form != "name", x[0]))
        taken: set[int] = set()
        out = []
        for s, e, known in found:
            if taken.isdisjoint(range(s, e)):
                taken.update(range(s, e))
                out.append((s, e, known))
        return sorted(out, key=lambda x: x[0])

    def names_in(self, doc: Doc, members: list[tuple[int, int, KnownName]] | None = None) -> list[NameSpan]:
        """Names in ``doc``: gazetteer matches (with the resolved ``members`` of Congress) merged with the model's
        PERSON and ORG entities (see module doc)."""
        ents = [e for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART",
                                                      "EVENT", "LAW", "PRODUCT")]
        out: list[NameSpan] = []
        claimed: set[int] = set()
        for s, e, known in self.matches(doc, members):
            inside = next((x for x in ents if x.start <= s and e <= x.end and (x.start, x.end) != (s, e)), None)
            same = next((x for x in ents if (x.start, x.end) == (s, e)), None)
            if known.type == "Country" and doc[s:e].text in AMBIGUOUS_PLACE_NAMES and (
                    same is None or same.label_ not in ("GPE", "LOC")):
                continue
            if inside is not None and self._model_name_wins(doc, s, e, known, inside):
                continue
            confidence = {"name": 0.97, "alias": 0.92, "demonym": 0.85}[known.form]
            if known.type == "Official" and e - s == 1:
                confidence = 0.88  # a bare surname
            out.append(NameSpan(s, e, known.type, known, confidence))
            claimed.update(range(s, e))
        for x in ents:
            t = _MODEL_LABELS.get(x.label_)
            if t is None or not claimed.isdisjoint(range(x.start, x.end)):
                continue
            start, end = _trim(doc, x.start, x.end, person=x.label_ == "PERSON")
            if end > start and _plausible_name(doc, start, end):
                out.append(NameSpan(start, end, t, None, 0.7 if t == "Person" else 0.6))
                claimed.update(range(start, end))
        out += _described_people(doc, claimed)
        out += _speaking_people(doc, claimed)
        return sorted(out, key=lambda n: n.start)

    @staticmethod
    def _model_name_wins(doc: Doc, s: int, e: int, known: KnownName, ent: Span) -> bool:
        """Whether a longer model entity around a gazetteer match is a different, longer name."""
        extra = [t for t in doc[ent.start:ent.end] if not (s <= t.i < e)
                 and t.is_alpha and t.lower_ not in ("the", "of", "and", "'s", "’s") and t.lower_ not in _OPENERS]
        if not extra:
            return False
        if known.type == "Official":
            # "Diana Ross" is not Wilbur Ross; "Robert E. Lighthizer" is Robert Lighthizer.
            own = set(known.name.replace(".", " ").split())
            return ent.label_ == "PERSON" and not all(t.text.rstrip(".") in own or len(t.text.rstrip(".")) == 1
                                                      or not t.text[:1].isupper() or t.lower_ in ROLE_WORDS
                                                      for t in extra)  # "Senator Grassley": a title, no name
        if ent.label_ in _LONG_NAME_LABELS or ent.label_ == "PERSON":
            return sum(t.text[:1].isupper() for t in extra) >= 1 and len(extra) >= 1
        return False


def _described_people(doc: Doc, claimed: set[int]) -> list[NameSpan]:
    """People the model missed but the text describes: a proper name with a role in apposition ("An Gang, a
    senior research fellow at ...", "said Lu Xiang, an analyst")."""
    found = []
    for t in doc:
        head = t.head
        if t.dep_ != "appos" or head.pos_ != "PROPN" or head.i > t.i or head.i in claimed:
            continue
        if t.lower_ not in ROLE_WORDS and t.lower_.rstrip("s") not in ROLE_WORDS:
            continue
        start = head.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == head.i \
                and doc[start - 1].pos_ == "PROPN" and doc[start - 1].i not in claimed:
            start -= 1
        if _plausible_name(doc, start, head.i + 1) and all(w.text[:1].isupper() for w in doc[start:head.i + 1]):
            found.append(NameSpan(start, head.i + 1, "Person", None, 0.6))
            claimed.update(range(start, head.i + 1))
    return found


_PLACE_NOUNS = frozenset({"city", "state", "country", "nation", "province", "town", "capital", "region", "county",
                          "island", "territory", "port", "village", "municipality", "district", "kingdom"})
_BODY_OR_DOCUMENT = LEXICON.organization_nouns | LEXICON.document_nouns | _PLACE_NOUNS
_NOT_PEOPLE = frozenset({"GPE", "LOC", "FAC", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "DATE", "TIME",
                         "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})


def _speaking_people(doc: Doc, claimed: set[int]) -> list[NameSpan]:
    """People the model missed who speak: a proper name of two or three capitalised words, none of them a known
    name, that is the subject of a reporting verb ("“...,” Han Jun told Xinhua", where the model read "Han" as a
    nationality) or stands in apposition to a subject naming a person ("the curator, Ines Paulo, said", where the
    model read a place). As the subject itself, no word may be a place, organisation or other non-person entity of
    the model."""
    found = []
    for t in doc:
        if t.pos_ != "PROPN" or t.i in claimed:
            continue
        subject = t.head if t.dep_ == "appos" else t
        if subject.dep_ != "nsubj" or subject.head.pos_ != "VERB" or reporting_lemma(subject.head) is None \
                or t.dep_ == "appos" and (subject.pos_ != "NOUN" or subject.lower_ in _BODY_OR_DOCUMENT):
            continue
        start = t.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == t.i \
                and doc[start - 1].pos_ == "PROPN" and doc[start - 1].i not in claimed:
            start -= 1
        words = doc[start:t.i + 1]
        if 2 <= len(words) <= 3 and all(w.is_alpha and w.is_title for w in words) \
                and (t.dep_ == "appos" or all(w.ent_type_ not in _NOT_PEOPLE for w in words)) \
                and _plausible_name(doc, start, t.i + 1):
            found.append(NameSpan(start, t.i + 1, "Person", None, 0.6))
            claimed.update(range(start, t.i + 1))
    return found


_NAME_PARTICLES = frozenset({"de", "del", "della", "da", "di", "van", "von", "der", "den", "la", "le", "bin", "al",
                             "el", "ibn", "y", "dos", "das", "du", "ter", "ten"})


# Reporting verbs that open an inverted attribution and that the model may take into the name ("Said Ross").
_OPENERS = frozenset({"said", "says", "added", "adds", "asked", "wrote", "tweeted"})


def _trim(doc: Doc, start: int, end: int, person: bool = False) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive or punctuation from a model entity; a person's name also
    ends before a spaced dash or a lowercase word that is no name particle ("Wilbur Ross - speaking")."""
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct or doc[start].is_space):
        start += 1
    if person:
        while start < end - 1 and doc[start].lower_ in _OPENERS:  # "Said Ross: ..."
            start += 1
        cut = next((i for i in range(start + 1, end) if doc[i].text in ("-", "–", "—") and doc[i - 1].whitespace_
                    or doc[i].is_alpha and doc[i].text.islower() and doc[i].lower_ not in _NAME_PARTICLES
                    or doc[i].lower_ in ("'s", "’s")), end)  # "Obama’s Asia pivot": the name is "Obama"
        end = cut
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'") or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    return start, end


def _plausible_name(doc: Doc, start: int, end: int) -> bool:
    """A model entity worth keeping: capitalised words, no line breaks, not a lone pronoun or digit run."""
    span = doc[start:end]
    if "\n" in span.text or len(span.text) > 80:
        return False
    words = [t for t in span if t.is_alpha]
    return bool(words) and words[0].text[:1].isupper() and not any(t.pos_ == "PRON" for t in span)


def new_key(type_: EntityType, name: str) -> str:
    """The entity key of a name not in the reference data: ``person/<slug>`` or ``org/<slug>``."""
    return namesake_key(f"{'person' if type_ in ('Person', 'Official') else 'org'}/{slug(name)}")
