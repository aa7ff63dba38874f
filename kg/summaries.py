"""Precomputed summaries: per article, how many of its claims fall on each issue, speaker and speaker's country, by
the day they were made (``docs/data-model.md``, "Summaries").

A tally is a node of the article's own graph, written by ``kg.mapping.article_quads`` with the claims it counts:

    cgid:tally/<article key>/issue/issue/<issue>/<date>  a cg:IssueTally ;
        cg:tallyOf cgid:issue/<issue> ; cg:tallyDate "2018-05-01"^^xsd:date ; cg:tallyMonth "2018-05"^^xsd:gYearMonth ;
        cg:claimCount 3 ; cg:tallySpeaker cgid:person/... ; cg:tallyCountry cgid:country/US ;
        prov:wasDerivedFrom cgid:article/<key> .

(``cg:SpeakerTally`` and ``cg:CountryTally`` count the claims of one speaker, or of speakers acting for one country;
undated claims are tallied under ``undated``, without a ``cg:tallyDate``. ``cg:PairTally``,
``cgid:tally/<key>/pair/<a>/<b>``, one per two speakers of the article, counts the claims of both whatever their
days, with ``cg:tallyOf`` the first in code point order and ``cg:pairedWith`` the other: co-quoted reads them.)
Because tallies live in the article's graph, they are written, replaced and deleted with it in the same
transaction: a re-ingest or a dropped graph can never leave a count that disagrees with the claims. The ranking
queries (top-issues, issue-by-label, co-quoted) read the few tallies of each article instead of joining every claim
with its issue, date, speaker and article. A summary per issue for the whole store would be smaller still, but
every article write would then have to read and rewrite shared counters, which a bulk load cannot do and a crash
between two articles would leave wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.vocab import ID_BASE, id_iri

UNDATED = "undated"


@dataclass(frozen=True)
class Counted:
    """What a tally needs of one claim: its IRIs of issues, speaker and speaker's countries, and its day."""

    issues: tuple[str, ...]
    speaker: str | None
    countries: tuple[str, ...]
    date: str | None  # ISO day


@dataclass
class Tally:
    """The claims of one article on one issue, speaker or country, on one day (or undated)."""

    iri: str
    kind: str  # "IssueTally", "SpeakerTally", "CountryTally" or "PairTally"
    of: str
    date: str | None
    paired: str | None = None  # a pair tally's second speaker (``of`` is the first in code point order)
    claims: int = 0
    speakers: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)

    @property
    def month(self) -> str | None:
        return self.date[:7] if self.date else None


def tallies(article_key: str, claims: Iterable[Counted]) -> list[Tally]:
    """The tallies of one article's claims, in a stable order (by IRI).

    >>> t = tallies("a", [Counted(("i/x",), "p/a", ("c/US",), "2018-05-01"), Counted(("i/x",), "p/b", (), None)])
    >>> [(x.kind, x.of, x.date, x.claims) for x in t][:2]
    [('CountryTally', 'c/US', '2018-05-01', 1), ('IssueTally', 'i/x', '2018-05-01', 1)]
    >>> len(t)
    6
    >>> [(x.of, x.paired, x.date, x.claims) for x in t if x.kind == "PairTally"]
    [('p/a', 'p/b', None, 2)]
    """
    claims = list(claims)  # read twice: here and by pairs()
    found: dict[str, Tally] = {}

    def tally(kind: str, dimension: str, of: str, date: str | None) -> Tally:
        iri = id_iri(f"tally/{article_key}/{dimension}/{of.removeprefix(ID_BASE)}/{date or UNDATED}")
        if iri not in found:
            found[iri] = Tally(iri, kind, of, date)
        return found[iri]

    for c in claims:
        day = c.date[:10] if c.date else None
        for issue in c.issues:
            t = tally("IssueTally", "issue", issue, day)
            t.claims += 1
            t.speakers |= {c.speaker} if c.speaker else set()
            t.countries |= set(c.countries)
        if c.speaker:
            tally("SpeakerTally", "speaker", c.speaker, day).claims += 1
        for country in c.countries:
            tally("CountryTally", "country", country, day).claims += 1
    for t in pairs(article_key, claims):
        found[t.iri] = t
    return [found[k] for k in sorted(found)]


def pairs(article_key: str, claims: Iterable[Counted]) -> list[Tally]:
    """One pair tally per two distinct speakers of an article's claims, ``of`` the first in code point order of
    their IRIs (the order of SPARQL's ``STR(?a) < STR(?b)``), counting the claims of both whatever their days: the
    co-quoted query reads these instead of pairing each article's speakers at query time (quadratic in them).

    >>> claims = [Counted((), s, (), None) for s in ("p/b", "p/a", None, "p/b")]
    >>> [(t.of, t.paired, t.claims) for t in pairs("a", claims)]
    [('p/a', 'p/b', 3)]
    """
    by: dict[str, int] = {}
    for c in claims:
        if c.speaker:
            by[c.speaker] = by.get(c.speaker, 0) + 1
    speakers = sorted(by)
    return [Tally(id_iri(f"tally/{article_key}/pair/{a.removeprefix(ID_BASE)}/{b.removeprefix(ID_BASE)}"),
                  "PairTally", a, None, claims=by[a] + by[b], paired=b)
            for n, a in enumerate(speakers) for b in speakers[n + 1:]]


BROADER = "http://www.w3.org/2004/02/skos/core#broader"
BROADER_TRANSITIVE = "http://www.w3.org/2004/02/skos/core#broaderTransitive"
TAXONOMY_CLOSURE = "skos:broaderTransitive closure, version 1"
"""Mixed into the ontology graph's version marker, so a store loaded before the closure existed is reloaded."""


def broader_closure(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (narrower, broader) pair of the transitive closure of ``skos:broader`` over ``pairs``, sorted.

    Written into the ontology graph as ``skos:broaderTransitive`` (SKOS's own super-property of ``skos:broader``),
    so the canned queries reach an issue's narrower issues by a plain join instead of a property path
    (``skos:broader*``), which Virtuoso 7.2 evaluates wrongly in some plans (docs/stores.md).

    >>> broader_closure([("a", "b"), ("b", "c"), ("x", "c")])
    [('a', 'b'), ('a', 'c'), ('b', 'c'), ('x', 'c')]
    >>> broader_closure([("a", "b"), ("b", "a")])  # a cycle closes on itself, and ends
    [('a', 'a'), ('a', 'b'), ('b', 'a'), ('b', 'b')]
    """
    up: dict[str, set[str]] = {}
    for narrower, broader in pairs:
        up.setdefault(narrower, set()).add(broader)
    closure: set[tuple[str, str]] = set()
    for start in up:
        seen: set[str] = set()
        todo = list(up[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo += up.get(node, ())
        closure |= {(start, b) for b in seen}
    return sorted(closure)
