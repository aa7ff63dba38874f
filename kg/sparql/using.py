"""The SPARQL 1.1 Protocol's update dataset (``using-graph-uri``, ``using-named-graph-uri``) written into the
update as ``USING`` clauses."""

from __future__ import annotations

from collections.abc import Sequence

from kg.errors import BadQuery
from kg.sparql.tokens import SPARQL_TOKEN


def with_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """``update`` with ``USING``/``USING NAMED`` clauses for the protocol's dataset added to every operation with a
    WHERE clause (SPARQL 1.1 Protocol 2.2.3). Raises BadQuery when the update has its own USING or WITH clause.

    >>> with_using("INSERT { ?s a <b> } WHERE { ?s a <c> }", ["http://g"], [])
    'INSERT { ?s a <b> } USING <http://g> WHERE { ?s a <c> }'
    """
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    out, position, depth, previous = [], 0, 0, ""
    for match in SPARQL_TOKEN.finditer(update):
        token = match.group(0)
        upper = token.upper()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and upper in ("USING", "WITH"):
            raise BadQuery(f"the update has its own {upper} clause, so using-graph-uri / using-named-graph-uri "
                           "cannot also be given")
        elif depth == 0 and upper == "WHERE":
            if previous == "DELETE":
                raise BadQuery("using-graph-uri cannot apply to the DELETE WHERE short form; write DELETE {...} "
                               "WHERE {...}")
            out.append(update[position:match.start()] + clause)
            position = match.start()
        if not token.startswith("#"):
            previous = upper
    out.append(update[position:])
    return "".join(out)
