"""Dataset statistics: one definition of each count, used by ``kg stats`` and the landing page.

* ``articles``, ``claims``: nodes typed cg:Article, cg:Claim; ``claims_direct`` / ``_indirect`` / ``_mixed`` by kind;
* ``speakers``: distinct speakers of claims (people, organisations, countries);
* ``people``: nodes typed cg:Person or cg:Official that an article mentions or quotes (people of the reference data
  no article names are not counted);
* ``officials``: those people typed cg:Official (holding a known post);
* ``organisations``: organisations and government bodies an article mentions or quotes;
* ``countries``: countries an article mentions (a mention, or a claim's cg:mentionsCountry);
* ``issues``: issues some claim is about;
* ``quads``, ``graphs``: quads in the store, named graphs holding at least one (on a remote store: in claimgraph's
  graphs only, not the store's own, such as Virtuoso's five system graphs; see ``RemoteStore.named_graphs``).

Each count but ``quads`` and ``graphs`` is also written over the search index (``INDEX_COUNTS``: the ranking
summaries of kg.rankings and the per-graph facts of kg.overview), which answers in milliseconds where the query reads
the whole store (past 30 s at 37,534 articles); tests/test_overview.py checks the two give the same numbers.
``dataset_stats`` takes them from an index that is in step with the store, and the rest from the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg import overview
from kg.store import Reader, Store, solutions
from kg.vocab import CG, RDF

if TYPE_CHECKING:
    from kg.search import SearchIndex

_NAMED = f"{{ {{ ?c <{CG.speaker}> ?x }} UNION {{ ?m <{CG.mentionOf}> ?x }} }}"
_COUNTED: dict[str, str] = {
    "articles": f"(COUNT(DISTINCT ?x) AS ?articles) WHERE {{ ?x <{RDF.type}> <{CG.Article}> }}",
    "claims": f"(COUNT(DISTINCT ?x) AS ?claims) WHERE {{ ?x <{RDF.type}> <{CG.Claim}> }}",
    "claims_direct": f"(COUNT(DISTINCT ?x) AS ?claims_direct) WHERE {{ ?x <{CG.kind}> <{CG.DirectQuote}> }}",
    "claims_indirect": f"(COUNT(DISTINCT ?x) AS ?claims_indirect) WHERE {{ ?x <{CG.kind}> <{CG.IndirectQuote}> }}",
    "claims_mixed": f"(COUNT(DISTINCT ?x) AS ?claims_mixed) WHERE {{ ?x <{CG.kind}> <{CG.MixedQuote}> }}",
    "speakers": f"(COUNT(DISTINCT ?x) AS ?speakers) WHERE {{ ?c <{CG.speaker}> ?x }}",
    "people": f"""(COUNT(DISTINCT ?x) AS ?people) WHERE {{ {_NAMED}
       {{ ?x <{RDF.type}> <{CG.Person}> }} UNION {{ ?x <{RDF.type}> <{CG.Official}> }} }}""",
    "officials": f"(COUNT(DISTINCT ?x) AS ?officials) WHERE {{ {_NAMED} ?x <{RDF.type}> <{CG.Official}> }}",
    "organisations": f"""(COUNT(DISTINCT ?x) AS ?organisations) WHERE {{ {_NAMED}
       {{ ?x <{RDF.type}> <{CG.Organization}> }} UNION {{ ?x <{RDF.type}> <{CG.GovernmentBody}> }} }}""",
    "countries": f"""(COUNT(DISTINCT ?x) AS ?countries) WHERE {{
       {{ ?c <{CG.mentionsCountry}> ?x }} UNION {{ ?m <{CG.mentionOf}> ?x . ?x <{RDF.type}> <{CG.Country}> }} }}""",
    "issues": f"(COUNT(DISTINCT ?x) AS ?issues) WHERE {{ ?c <{CG.about}> ?x }}",
    "quads": "(COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } {ours} }",
    "graphs": "(COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } {ours} }",
}
"""Each count's sub-select (``{ours}``: the remote store's filter of our graphs)."""


def _query(names: Sequence[str]) -> str:
    unknown = set(names) - set(_COUNTED)
    if unknown:
        raise ValueError(f"unknown counts {sorted(unknown)!r}")
    return "SELECT * WHERE {\n" + "\n".join(f"  {{ SELECT {_COUNTED[n]} }}" for n in names) + "\n}"


_STATS = _query(list(_COUNTED))
STATS_QUERY = _STATS.replace("{ours}", "")
"""The one query of every count; run it with the union of all graphs as the default graph."""


def stats_query(store: Reader) -> str:
    """``STATS_QUERY`` for ``store``: on a remote store the quads and graphs are counted in our graphs only."""
    return _STATS.replace("{ours}", store.graph_filter())

STAT_NAMES = ("articles", "claims", "claims_direct", "claims_indirect", "claims_mixed", "speakers", "people",
              "officials", "organisations", "countries", "issues", "quads", "graphs")


def counts_from(row: Mapping[str, Any]) -> dict[str, int]:
    """The counts of one answer row of ``STATS_QUERY`` (terms with a ``value``), 0 for a missing one."""
    return {name: int(row[name].value) if row.get(name) is not None else 0 for name in STAT_NAMES}


def _named(types: tuple[str, ...], hows: tuple[str, ...]) -> str:
    """Entities of one of ``types`` that some article graph names in one of the ways ``hows`` (kg.overview)."""
    return (f"SELECT COUNT(*) FROM (SELECT DISTINCT t.entity FROM overview_types t WHERE t.type IN "
            f"({', '.join(repr(str(x)) for x in types)}) AND EXISTS (SELECT 1 FROM overview_named n "
            f"WHERE n.entity = t.entity AND n.how IN ({', '.join(repr(h) for h in hows)})))")


_NAMES = ("speaker", "mention")  # _NAMED: a claim's speaker or a mention
INDEX_COUNTS: dict[str, str] = {
    "articles": "SELECT COUNT(DISTINCT article) FROM overview_articles",
    "claims": "SELECT COALESCE(SUM(claims), 0) FROM rank_kinds",
    "claims_direct": f"SELECT COALESCE(SUM(claims), 0) FROM rank_kinds WHERE kind = '{CG.DirectQuote}'",
    "claims_indirect": f"SELECT COALESCE(SUM(claims), 0) FROM rank_kinds WHERE kind = '{CG.IndirectQuote}'",
    "claims_mixed": f"SELECT COALESCE(SUM(claims), 0) FROM rank_kinds WHERE kind = '{CG.MixedQuote}'",
    "speakers": "SELECT COUNT(*) FROM rank_speakers",
    "people": _named((CG.Person, CG.Official), _NAMES),
    "officials": _named((CG.Official,), _NAMES),
    "organisations": _named((CG.Organization, CG.GovernmentBody), _NAMES),
    "countries": (f"SELECT COUNT(*) FROM (SELECT entity FROM overview_named WHERE how = 'country' UNION "
                  f"SELECT t.entity FROM overview_types t WHERE t.type = '{CG.Country}' AND EXISTS (SELECT 1 FROM "
                  f"overview_named n WHERE n.how = 'mention' AND n.entity = t.entity))"),
    "issues": "SELECT COUNT(*) FROM rank_issues",
}
"""Each count of ``STATS_QUERY`` but quads and graphs, over the search index: the same definition, the same number."""
STORE_ONLY = tuple(name for name in STAT_NAMES if name not in INDEX_COUNTS)
"""The counts only the store can give (its quads and graphs)."""


def index_counts(db: sqlite3.Connection, names: tuple[str, ...] = tuple(INDEX_COUNTS)) -> dict[str, int] | None:
    """The counts ``names`` from a search index's tables, or None when they are not current (kg.overview)."""
    if not overview.current(db):
        return None
    return {name: int(db.execute(INDEX_COUNTS[name]).fetchone()[0]) for name in names}


def query_of(store: Reader, names: Sequence[str] | None = None) -> str:
    """``STATS_QUERY`` for ``store`` with the sub-selects of ``names`` only (default: every count)."""
    return (_STATS if names is None else _query(names)).replace("{ours}", store.graph_filter())


def dataset_stats(store: Store, index: SearchIndex | None = None) -> dict[str, int]:
    """Every count of the module doc: from ``index`` where it holds them and is in step with the store, the rest
    (or all) from the store. Raises StoreError when the store cannot answer."""
    from kg.search import store_selector

    counted = None
    if index is not None and index.in_step(store_selector(store)):
        with index.lock:
            counted = index_counts(index.db)
    if counted is None:
        rows = list(solutions(store.query(stats_query(store))))
        return counts_from({v: rows[0][v] for v in STAT_NAMES} if rows else {})
    rows = list(solutions(store.query(query_of(store, STORE_ONLY))))
    rest = counts_from({v: rows[0][v] for v in STORE_ONLY} if rows else {})
    return {name: counted[name] if name in counted else rest[name] for name in STAT_NAMES}
