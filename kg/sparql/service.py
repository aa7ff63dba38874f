"""SERVICE rewriting: binding canned-query parameters inside ``SERVICE`` groups, which Oxigraph does not do by itself.

Oxigraph (0.5) sends the text of a ``SERVICE`` group to the remote endpoint as it is written: neither SEP-0007
substitutions, nor ``VALUES``, nor ``LATERAL`` bindings from outside reach the remote query. Against Wikidata, a
group such as ``{ ?item wdt:P102 ?party }`` with ``?item`` bound only locally asks for every party membership in
Wikidata and times out. ``bind_service_values`` writes the bound parameters into each ``SERVICE`` group that uses
them, as a ``VALUES`` block of N-Triples terms (escaped by pyoxigraph, so nothing a user typed becomes query syntax)
- the same technique as ``kg.sparql.bind_values`` - so the remote endpoint receives a selective query. The
substitutions still apply outside the groups, so the result is the same with or without this rewriting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode

from kg.sparql.binding import values_block
from kg.sparql.tokens import SPARQL_TOKEN, group_end

if TYPE_CHECKING:
    from kg.query_job import Term


def bind_service_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with a ``VALUES`` block opening every ``SERVICE`` group that mentions a substituted variable.

    >>> from pyoxigraph import NamedNode
    >>> q = "SELECT ?item ?p WHERE { SERVICE <http://e/sparql> { ?item <http://p> ?p } }"
    >>> bind_service_values(q, {"item": NamedNode("http://www.wikidata.org/entity/Q1")})
    'SELECT ?item ?p WHERE { SERVICE <http://e/sparql> { VALUES (?item) { (<http://www.wikidata.org/entity/Q1>) } \
?item <http://p> ?p } }'
    """
    if not bindings:
        return sparql
    tokens = list(SPARQL_TOKEN.finditer(sparql))
    inserts: list[tuple[int, str]] = []
    for i, m in enumerate(tokens):
        if m.group(0).upper() != "SERVICE":
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].group(0) != "{":
            j += 1
        if j == len(tokens):
            break
        end = group_end(tokens, j)
        used = {tokens[k + 1].group(0) for k in range(j, end - 1)
                if tokens[k].group(0) in ("?", "$") and tokens[k + 1].start() == tokens[k].end()}
        bound = {name: term for name, term in bindings.items() if name in used}
        if bound:
            inserts.append((tokens[j].end(), f" {values_block(bound)}"))
    for pos, text in reversed(inserts):
        sparql = sparql[:pos] + text + sparql[pos:]
    return sparql


def bind_service_endpoints(sparql: str, bindings: Mapping[str, Term]) -> str:
    """``sparql`` with every ``SERVICE ?v`` whose ``?v`` is substituted by an IRI written as ``SERVICE <iri>``.

    The server calls only endpoints it can check before the query runs (server.federation), so a canned query's
    ``endpoint`` parameter must reach the text as an IRI, not as a binding.

    >>> from pyoxigraph import NamedNode
    >>> q = "SELECT ?e WHERE { SERVICE SILENT ?e { ?s ?p ?o } }"
    >>> bind_service_endpoints(q, {"e": NamedNode("https://query.wikidata.org/sparql")})
    'SELECT ?e WHERE { SERVICE SILENT <https://query.wikidata.org/sparql> { ?s ?p ?o } }'
    """
    iris = {name: str(term) for name, term in bindings.items() if isinstance(term, NamedNode)}
    tokens = list(SPARQL_TOKEN.finditer(sparql))
    edits: list[tuple[int, int, str]] = []
    for i, m in enumerate(tokens):
        if m.group(0).upper() != "SERVICE":
            continue
        j = i + 1 + (i + 1 < len(tokens) and tokens[i + 1].group(0).upper() == "SILENT")
        if j + 1 < len(tokens) and tokens[j].group(0) in ("?", "$") and tokens[j + 1].group(0) in iris \
                and tokens[j + 1].start() == tokens[j].end():
            edits.append((tokens[j].start(), tokens[j + 1].end(), iris[tokens[j + 1].group(0)]))
    for start, end, text in reversed(edits):
        sparql = sparql[:start] + text + sparql[end:]
    return sparql
