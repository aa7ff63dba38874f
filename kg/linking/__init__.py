"""Linking claimgraph's people and organisations to Wikidata (and through it DBpedia).

- ``links``: the store side: which subjects to link, the candidates and links graphs, ``link_store``;
- ``endpoint``: ``SparqlClient``, the cached, polite client of a public SPARQL endpoint (retries through
  ``kg.http.retrying``);
- ``wikidata``: the Wikidata queries (search, details) and reading their answers into candidates;
- ``score``: scoring a candidate against a subject, and the decision to link;
- ``cli``: ``kg link``.

SERVICE rewriting for the federated canned queries is SPARQL text work, in ``kg.sparql.service``.
"""

from kg.linking.links import drop_links, link_store, stored_candidates, stored_links
from kg.vocab import CANDIDATES_GRAPH, LINKS_GRAPH

__all__ = ["CANDIDATES_GRAPH", "LINKS_GRAPH", "drop_links", "link_store", "stored_candidates", "stored_links"]
