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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.store import Reader, Store, solutions
from kg.vocab import CG, RDF

_NAMED = f"{{ {{ ?c <{CG.speaker}> ?x }} UNION {{ ?m <{CG.mentionOf}> ?x }} }}"
_STATS = f"""SELECT * WHERE {{
  {{ SELECT (COUNT(DISTINCT ?x) AS ?articles) WHERE {{ ?x <{RDF.type}> <{CG.Article}> }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?claims) WHERE {{ ?x <{RDF.type}> <{CG.Claim}> }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?claims_direct) WHERE {{ ?x <{CG.kind}> <{CG.DirectQuote}> }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?claims_indirect) WHERE {{ ?x <{CG.kind}> <{CG.IndirectQuote}> }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?claims_mixed) WHERE {{ ?x <{CG.kind}> <{CG.MixedQuote}> }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?speakers) WHERE {{ ?c <{CG.speaker}> ?x }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?people) WHERE {{ {_NAMED}
       {{ ?x <{RDF.type}> <{CG.Person}> }} UNION {{ ?x <{RDF.type}> <{CG.Official}> }} }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?officials) WHERE {{ {_NAMED} ?x <{RDF.type}> <{CG.Official}> }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?organisations) WHERE {{ {_NAMED}
       {{ ?x <{RDF.type}> <{CG.Organization}> }} UNION {{ ?x <{RDF.type}> <{CG.GovernmentBody}> }} }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?countries) WHERE {{
       {{ ?c <{CG.mentionsCountry}> ?x }} UNION {{ ?m <{CG.mentionOf}> ?x . ?x <{RDF.type}> <{CG.Country}> }} }} }}
  {{ SELECT (COUNT(DISTINCT ?x) AS ?issues) WHERE {{ ?c <{CG.about}> ?x }} }}
  {{ SELECT (COUNT(*) AS ?quads) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {{ours}} }} }}
  {{ SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {{ours}} }} }}
}}"""
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


def dataset_stats(store: Store) -> dict[str, int]:
    """Every count of the module doc, from one query. Raises StoreError when the store cannot answer."""
    rows = list(solutions(store.query(stats_query(store))))
    return counts_from({v: rows[0][v] for v in STAT_NAMES} if rows else {})
