"""The one SPARQL tokenizer: strings, IRIs, comments, names and punctuation, enough to find keywords, groups and
variables outside strings and IRIs without a full parser (binding parameters, SERVICE and LOAD targets, USING
clauses, query forms and projections)."""

from __future__ import annotations

import re
from collections.abc import Sequence

SPARQL_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|"
    r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>|'
    r"#[^\n]*|[{}]|[A-Za-z_][A-Za-z_0-9]*|\S")
"""One token per match. IRIs may hold ``\\u`` escapes (which Oxigraph resolves inside IRIs); a ``<`` followed by
a space is the less-than operator, not an IRI."""


def tokens(sparql: str) -> list[str]:
    """The tokens of ``sparql`` without its comments.

    >>> tokens('SELECT ?s # the subject\\nWHERE { ?s <http://e/p> "a # b" }')
    ['SELECT', '?', 's', 'WHERE', '{', '?', 's', '<http://e/p>', '"a # b"', '}']
    """
    return [t for t in (m.group(0) for m in SPARQL_TOKEN.finditer(sparql)) if not t.startswith("#")]


def group_end(matches: Sequence[re.Match[str]], position: int) -> int:
    """The index after the ``{ ... }`` group that starts at or after ``position`` in ``matches`` (of
    ``SPARQL_TOKEN``); ``len(matches)`` when it is not closed."""
    depth = 0
    for k in range(position, len(matches)):
        token = matches[k].group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(matches)
