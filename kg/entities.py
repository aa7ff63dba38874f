"""The entity report of ``kg entities``: every person and organisation the articles speak of, with claim counts,
types, aliases, posts and recorded merges, and the suspects an analyst should read first.

Suspects (``EntityRow.suspects``):

* ``unseen-name``: none of the node's names (label, alternative labels, or their last word) occurs in the body of
  any article that mentions it or quotes it;
* ``junk-label``: a label with page furniture glued on ("John TrumpFederal", "KennedyMORE"), a repeated name word
  ("Charles Schumer Charles"), a handle, a hashtag, a bracket or a slash;
* ``organisation-as-person``: a person whose label has the form of an organisation or a photo credit ("George W.
  Bush Institute", "Jonathan Ernst/Reuters");
* ``shared-surname``: another person node has the same surname;
* ``many-posts``: a person holding more than ``MANY_POSTS`` posts;
* ``several-labels``: more than one ``rdfs:label`` in one language;
* ``conflicting-initials``: a person whose names carry two different sets of middle initials ("George H. W. Bush",
  "George W. Bush"): two namesakes on one node, to be told apart in ``kg/extract/namesakes.tsv``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from kg.entity_graph import PREFIXES
from kg.extract.identity import fold, parse_name
from kg.store import Store, solutions
from kg.vocab import CG, ORG, RDF, RDFS, SCHEMA, SKOS

MANY_POSTS = 3
PERSON_TYPES = frozenset({str(CG.Person), str(CG.Official)})
ORGANISATION_TYPES = frozenset({str(CG.Organization), str(CG.GovernmentBody)})
_SHORT_TYPE = {str(CG.Person): "Person", str(CG.Official): "Official", str(CG.Organization): "Organization",
               str(CG.GovernmentBody): "GovernmentBody"}


@dataclass
class EntityRow:
    """One person or organisation of the store, as the report shows it."""

    iri: str
    label: str
    types: list[str]
    labels: list[str] = field(default_factory=list)  # every rdfs:label (one, when the node is sound)
    aliases: list[str] = field(default_factory=list)  # skos:altLabel
    claims: int = 0  # claims it is the speaker of
    mentions: int = 0
    articles: list[str] = field(default_factory=list)  # article IRIs that mention or quote it
    posts: list[str] = field(default_factory=list)  # post labels (or IRIs)
    countries: list[str] = field(default_factory=list)  # cg:actsFor
    merges: list[dict[str, str]] = field(default_factory=list)  # {"form": ..., "reason": ...}
    suspects: list[str] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return any(t in ("Person", "Official") for t in self.types)

    def names(self) -> list[str]:
        return list(dict.fromkeys([*self.labels, *self.aliases] or [self.label]))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_PREFIXES = PREFIXES + f"PREFIX schema: <{SCHEMA._NS}>\n"

# Entities in use: speakers of claims and targets of mentions.
_IN_USE = _PREFIXES + """SELECT ?e ?article (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?m) AS ?mentions)
WHERE {
  { ?claim cg:speaker ?e ; prov:wasDerivedFrom ?article } UNION { ?m cg:mentionOf ?e ; prov:wasDerivedFrom ?article }
} GROUP BY ?e ?article"""

_VALUES = _PREFIXES + """SELECT ?e ?p ?o WHERE {
  VALUES ?p { rdf:type rdfs:label skos:altLabel cg:actsFor org:holds }
  ?e ?p ?o . FILTER(isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/claimgraph/id/"))
  FILTER(?p != rdf:type || ?o IN (cg:Person, cg:Official, cg:Organization, cg:GovernmentBody))
}"""

_POST_LABELS = _PREFIXES + "SELECT ?post ?label WHERE { ?post a org:Post ; rdfs:label ?label }"

_MERGES = _PREFIXES + """SELECT ?e ?form ?reason WHERE {
  ?merge a cg:NameMerge ; cg:mergedInto ?e ; cg:surfaceForm ?form ; cg:mergeReason ?reason }"""

_BODIES = _PREFIXES + "SELECT ?a ?body WHERE { ?a a cg:Article ; schema:articleBody ?body }"


def entity_rows(store: Store, *, check_names: bool = True) -> list[EntityRow]:
    """Every person and organisation that speaks or is mentioned in an article, most quoted first, with its
    suspects flagged. ``check_names`` reads the article bodies for ``unseen-name`` (one pass over the articles).

    Raises StoreError when the store cannot answer."""
    usage: dict[str, tuple[int, int, set[str]]] = {}
    for row in solutions(store.query(_IN_USE)):
        iri = row["e"].value
        claims, mentions, articles = usage.get(iri, (0, 0, set()))
        articles.add(row["article"].value)
        usage[iri] = (claims + int(row["claims"].value), mentions + int(row["mentions"].value), articles)
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in solutions(store.query(_VALUES)):
        values[row["e"].value][row["p"].value].append(row["o"].value)
    post_labels = {r["post"].value: r["label"].value for r in solutions(store.query(_POST_LABELS))}
    merges: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in solutions(store.query(_MERGES)):
        merges[row["e"].value].append({"form": row["form"].value, "reason": row["reason"].value})
    out = []
    for iri, (claims, mentions, articles) in usage.items():
        v = values.get(iri, {})
        types = sorted({_SHORT_TYPE[t] for t in v.get(str(RDF.type), []) if t in _SHORT_TYPE})
        if not types:
            continue  # a country, or something the report does not cover
        labels = sorted(set(v.get(str(RDFS.label), [])))
        out.append(EntityRow(
            iri=iri, label=labels[0] if labels else iri.rsplit("/", 1)[-1], types=types, labels=labels,
            aliases=sorted(set(v.get(str(SKOS.altLabel), []))), claims=claims, mentions=mentions,
            articles=sorted(articles), posts=sorted(post_labels.get(p, p) for p in set(v.get(str(ORG.holds), []))),
            countries=sorted(c.rsplit("/", 1)[-1] for c in set(v.get(str(CG.actsFor), []))),
            merges=sorted(merges.get(iri, []), key=lambda m: m["form"])))
    _flag(out, _bodies(store) if check_names else None)
    return sorted(out, key=lambda r: (-r.claims, -r.mentions, r.label))


def _bodies(store: Store) -> dict[str, str]:
    return {r["a"].value: r["body"].value for r in solutions(store.query(_BODIES))}


def _flag(rows: list[EntityRow], bodies: dict[str, str] | None) -> None:
    by_surname: dict[str, list[EntityRow]] = defaultdict(list)
    for r in rows:
        if r.is_person and surname(r.label):
            by_surname[fold(surname(r.label))].append(r)
    for r in rows:
        flags = []
        if bodies is not None and not any(names_occur(r.names(), bodies.get(a, "")) for a in r.articles):
            flags.append("unseen-name")
        if any(junk_label(n) for n in r.names()):
            flags.append("junk-label")
        if r.is_person and any(organisation_form(n) for n in r.labels or [r.label]):
            flags.append("organisation-as-person")
        if r.is_person and len(by_surname.get(fold(surname(r.label)), [])) > 1:
            flags.append("shared-surname")
        if r.is_person and len(r.posts) > MANY_POSTS:
            flags.append("many-posts")
        if len(r.labels) > 1:
            flags.append("several-labels")
        if r.is_person and len(initials(r.names()) - {()}) > 1:
            flags.append("conflicting-initials")
        r.suspects = flags


def initials(names: Iterable[str]) -> set[tuple[str, ...]]:
    """The sets of middle initials ``names`` carry, () for a name without.

    >>> sorted(initials(["George H.W. Bush", "George H. W. Bush", "George W. Bush", "George Bush"]))
    [(), ('H', 'W'), ('W',)]
    """
    return {parsed.initials for parsed in map(parse_name, names) if parsed is not None}


def surname(name: str) -> str:
    """The last word of a name, "Jr." and the like skipped: "Martin Luther King Jr." -> "King"."""
    words = [w for w in re.findall(r"[\w’'-]+", name) if w.lower().rstrip(".") not in _SUFFIXES]
    return words[-1] if words else ""


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def names_occur(names: Iterable[str], body: str) -> bool:
    """Whether any of ``names``, or the surname of one, occurs in ``body`` as whole words."""
    for name in names:
        for form in (name, surname(name)):
            if len(form) >= 2 and re.search(rf"(?<!\w){re.escape(form)}(?!\w)", body):
                return True
    return False


# Capitals inside a word that real names have: McConnell, MacArthur, DeSantis, LaHood, O'Rourke, DiNapoli.
_INNER_CAPITAL_OK = re.compile(r"^(?:Mc|Mac|De|Di|Da|La|Le|Du|Van|Von|O['’]|D['’]|Al-|El-)?[A-Z][a-z]+"
                               r"(?:-[A-Z][a-z]+)*(?:['’]s)?$")


def junk_label(name: str) -> bool:
    """A label no real name has: furniture glued on ("John TrumpFederal", "KennedyMORE"), a name word repeated
    ("Charles Schumer Charles"), a handle or hashtag, brackets, slashes, digits or a line break.

    >>> [junk_label(n) for n in ("Mitch McConnell", "KennedyMORE", "Charles Schumer Charles", "@POTUS")]
    [False, True, True, True]
    """
    if re.search(r"[@#\[\]{}|/\\\n\d]", name):
        return True
    words = name.split()
    real = [w.strip(".,") for w in words if len(w.strip(".,")) > 1]
    if len({w.casefold() for w in real}) < len(real):
        return True
    for w in words:
        core = w.strip(".,;:()\"“”")
        if re.search(r"[a-z][A-Z]", core) and not _INNER_CAPITAL_OK.match(core):
            return True
    return False


_ORGANISATION_WORDS = frozenset("""institute foundation center centre council committee association university
college school party democrats republicans conservatives liberals caucus administration department ministry agency
bank group inc inc. corp corp. company co. llc ltd plc press news times journal network union federation chamber
commission office senate congress parliament government coalition alliance fund trust society club league board
enterprises industries""".split())
# Photo agencies are surnames too (Michael Bloomberg): an organisation only before another word ("Getty Polls").
_AGENCY_WORDS = frozenset({"reuters", "getty", "images", "ap", "afp", "epa", "bloomberg"})


def organisation_form(name: str) -> bool:
    """A name that reads as an organisation or a photo credit, not a person: a word such as Institute, Foundation,
    Center, White House, a party caucus ("House Democrats"), a photo agency before another word ("Getty Polls"),
    or "Name/Agency".

    >>> [organisation_form(n) for n in ("George W. Bush Institute", "Jonathan Ernst/Reuters", "Steny Hoyer",
    ...                                 "Getty Polls", "Michael Bloomberg", "Obama White House", "Steve House")]
    [True, True, False, True, False, True, False]
    """
    if "/" in name:
        return True
    words = [w.strip(".,’'").casefold() for w in name.split()]
    if "white house" in " ".join(words):
        return True
    return any(w in _ORGANISATION_WORDS for w in words) or any(w in _AGENCY_WORDS for w in words[:-1])
