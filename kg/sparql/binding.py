"""Binding variables by writing their terms into the query text, for endpoints and groups that take no
substitutions: a ``VALUES`` block (terms in N-Triples form, escaped by pyoxigraph, so nothing a user typed becomes
query syntax)."""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import Variable

from kg.errors import BadQuery
from kg.query_job import Term
from kg.sparql.tokens import SPARQL_TOKEN


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for ``bindings`` (variable name -> term).

    >>> from pyoxigraph import Literal
    >>> print(values_block({"text": Literal('say "no" } DROP ALL')}))
    VALUES (?text) { ("say \\"no\\" } DROP ALL") }
    """
    variables = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(t) for t in bindings.values())
    return f"VALUES ({variables}) {{ ({values}) }}"


def bind_values(sparql: str, substitutions: Mapping[Variable, Term]) -> str:
    """Bind variables to RDF terms for an endpoint without SEP-0007: a ``VALUES`` block opening the WHERE group.

    Terms are written in N-Triples form (escaped by pyoxigraph), so nothing the user typed becomes query syntax.
    The binding joins with the top-level pattern; unlike SEP-0007 it does not reach into sub-SELECTs.
    """
    if not substitutions:
        return sparql
    block = f" {values_block({v.value: t for v, t in substitutions.items()})} "
    depth, groups, seen_construct, seen_where = 0, 0, False, False
    for m in SPARQL_TOKEN.finditer(sparql):
        tok = m.group(0)
        upper = tok.upper()
        if depth == 0 and upper == "CONSTRUCT":
            seen_construct = True
        elif depth == 0 and upper == "WHERE":
            seen_where = True
        elif tok == "{":
            if depth == 0:
                groups += 1
                if seen_where or not seen_construct or groups == 2:
                    return sparql[: m.end()] + block + sparql[m.end():]
            depth += 1
        elif tok == "}":
            depth -= 1
    raise BadQuery("cannot bind parameters: the query has no WHERE group")
