"""Binding variables by writing their terms into the query text, for endpoints and groups that take no
substitutions: a ``VALUES`` block (terms in N-Triples form, escaped by pyoxigraph, so nothing a user typed becomes
query syntax)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pyoxigraph import Variable

from kg.errors import BadQuery
from kg.sparql.tokens import SPARQL_TOKEN, group_end

if TYPE_CHECKING:
    from kg.query_job import Term


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
    """Bind variables to RDF terms for an endpoint without SEP-0007: a ``VALUES`` block opening the WHERE group, and
    one opening each group nested in it whose own ``FILTER`` or ``BIND`` expression names a bound variable (bottom-up
    evaluation gives such an expression no outer binding; SEP-0007's substitution does, and a constant joined in
    again changes no answer). Triple patterns need none: they join with the outer block. Never into ``VALUES``
    data, ``SERVICE`` groups (kg.sparql.service binds those), a CONSTRUCT template, or ``EXISTS`` groups (they see
    the row's bindings; Virtuoso 7.2 answers who-said-what with no rows with a ``VALUES`` inside its ``EXISTS``).

    Terms are written in N-Triples form (escaped by pyoxigraph), so nothing the user typed becomes query syntax.

    >>> from pyoxigraph import Literal
    >>> print(bind_values("SELECT * WHERE { ?s ?p ?x { ?s ?q ?t FILTER(?t = ?x) } OPTIONAL { ?s ?r ?x } }",
    ...                   {Variable("x"): Literal("1")}))
    SELECT * WHERE { VALUES (?x) { ("1") }  ?s ?p ?x {  VALUES (?x) { ("1") }  ?s ?q ?t FILTER(?t = ?x) } \
OPTIONAL { ?s ?r ?x } }
    """
    if not substitutions:
        return sparql
    terms = {v.value: t for v, t in substitutions.items()}
    matches = list(SPARQL_TOKEN.finditer(sparql))
    where = _where_group(matches)
    if where is None:
        raise BadQuery("cannot bind parameters: the query has no WHERE group")
    inserts = {matches[where].end(): values_block(terms)}
    end = group_end(matches, where)
    k = where + 1
    while k < end - 1:
        tok = matches[k].group(0)
        if tok == "{":
            close = group_end(matches, k)
            before = [matches[j].group(0).upper() for j in range(max(where, k - 4), k)]
            if _opens_data(matches, k) or "SERVICE" in before or before[-1:] == ["EXISTS"]:
                k = close  # VALUES data, a SERVICE group, or an EXISTS (which sees the bindings): left as written
                continue
            if matches[k + 1].group(0).upper() == "SELECT":
                _bind_sub_select(matches, k, close, terms, inserts)
            else:
                named = _in_expressions(matches[k + 1:close - 1], terms)
                if named and matches[k].end() not in inserts:
                    inserts[matches[k].end()] = values_block({n: terms[n] for n in named})
        k += 1
    out, last = [], 0
    for at in sorted(inserts):
        out += [sparql[last:at], f" {inserts[at]} "]
        last = at
    return "".join(out) + sparql[last:]


def _where_group(matches: list[re.Match[str]]) -> int | None:
    """The index of the ``{`` opening the WHERE group (after a CONSTRUCT template, if any)."""
    depth, groups, seen_construct, seen_where = 0, 0, False, False
    for k, m in enumerate(matches):
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
                    return k
            depth += 1
        elif tok == "}":
            depth -= 1
    return None


def _bind_sub_select(matches: list[re.Match[str]], k: int, close: int, terms: Mapping[str, Term],
                     inserts: dict[int, str]) -> None:
    """A ``VALUES`` block opening the WHERE group of the sub-SELECT whose group opens at ``k`` (and closes at
    ``close``), for every bound variable the sub-SELECT names anywhere. Its solutions are computed before the outer
    block joins them, so without it a ``LIMIT`` inside counts the rows of every value, not of the bound one."""
    where = next((j for j in range(k + 2, close) if matches[j].group(0) == "{"), None)
    if where is None:
        return
    named = {matches[j + 1].group(0) for j in range(k + 1, close - 1) if matches[j].group(0) in ("?", "$")}
    bound = [n for n in terms if n in named]
    if bound:
        inserts[matches[where].end()] = values_block({n: terms[n] for n in bound})


def _opens_data(matches: list[re.Match[str]], k: int) -> bool:
    """Whether the ``{`` at ``k`` opens the data of a ``VALUES`` block (``VALUES ?x {``, ``VALUES (?a ?b) {``)."""
    j = k - 1
    while j >= 0:
        tok = matches[j].group(0)
        if tok in ("(", ")"):
            j -= 1
        elif j > 0 and matches[j - 1].group(0) in ("?", "$"):
            j -= 2
        else:
            return tok.upper() == "VALUES"
    return False


def _in_expressions(matches: list[re.Match[str]], terms: Mapping[str, Term]) -> list[str]:
    """The names in ``terms`` that a ``FILTER`` or ``BIND`` expression at the level of ``matches`` (a group's
    content, nested groups left out) writes as ``?name`` or ``$name``, in the order of ``terms``."""
    seen: set[str] = set()
    braces, parens, in_expression = 0, 0, False
    for k, m in enumerate(matches):
        tok = m.group(0)
        if tok == "{":
            braces += 1
        elif tok == "}":
            braces -= 1
        elif braces:
            continue
        elif tok.upper() in ("FILTER", "BIND"):
            in_expression, parens = True, 0
        elif in_expression and tok == "(":
            parens += 1
        elif in_expression and tok == ")":
            parens -= 1
            in_expression = parens > 0
        elif in_expression and tok in ("?", "$") and k + 1 < len(matches):
            seen.add(matches[k + 1].group(0))
    return [n for n in terms if n in seen]


KEYS_GIVEN = "#@ keys given"
"""The first line of a query whose evaluation should start from its own VALUES block, not from the parameters'."""


def with_values_hint(sparql: str, substitutions: Mapping[Variable, Term] | None) -> str:
    """``sparql`` with :func:`bind_values`'s ``VALUES`` blocks added, for a store that also applies
    ``substitutions`` itself (SEP-0007, as pyoxigraph does): the answers stay SEP-0007's (a constant joined in again
    changes none), and the planner gets the constant. pyoxigraph applies a substitution after evaluating the
    pattern, so a parameter did not narrow the search: article-claims took 650 ms at 4,224 articles with the
    substitution alone and 2 ms with the block. A query that has no WHERE group to bind in is returned as it is, and
    so is one whose first line is ``KEYS_GIVEN`` (kg.paging's details step of a page, whose keys are constants
    already: there the block made Oxigraph start from the parameter's triples instead, every claim of a speaker, 75 s
    against 0.2 s for a page of donald-trump's claims at 37,534 articles)."""
    if not substitutions or sparql.startswith(KEYS_GIVEN + "\n"):
        return sparql
    try:
        return bind_values(sparql, substitutions)
    except BadQuery:
        return sparql
