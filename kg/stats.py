"""Dataset statistics for ``kg stats`` and the landing page."""

from __future__ import annotations

from kg.store import Store
from kg.vocab import CG, RDF

_COUNTS = {
    "articles": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{RDF.type}> <{CG.Article}> }}",
    "claims": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{RDF.type}> <{CG.Claim}> }}",
    "claims_direct": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{CG.kind}> <{CG.DirectQuote}> }}",
    "claims_indirect": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{CG.kind}> <{CG.IndirectQuote}> }}",
    "claims_mixed": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{CG.kind}> <{CG.MixedQuote}> }}",
    "speakers": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?c <{CG.speaker}> ?x }}",
    "people": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {{ ?x a <{CG.Person}> }} UNION "
              f"{{ ?x a <{CG.Official}> }} }}",
    "countries_mentioned": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?c <{CG.mentionsCountry}> ?x }}",
    "issues_discussed": f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?c <{CG.about}> ?x }}",
}


def dataset_stats(store: Store) -> dict[str, int]:
    """Quads, named graphs, and counts of articles, claims (by kind), speakers, people, countries and issues."""
    out = {"quads": store.count(), "graphs": len(store.named_graphs())}
    for name, sparql in _COUNTS.items():
        rows = list(store.query(sparql))  # type: ignore[arg-type]
        out[name] = int(rows[0]["n"].value)
    return out
