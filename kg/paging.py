"""Pages of a canned query's answer: ``_limit`` rows from ``_offset``, the way Datasette and Fuseki-fronted tools
page (docs/queries.md, "Pages").

A canned query over HTTP answers one page: ``_limit`` rows (default ``DEFAULT_LIMIT``, at most ``MAX_LIMIT``)
after skipping ``_offset`` rows of its order. The server asks the store for one row more than the page holds, so it
knows whether another page follows without counting the whole answer; when one does, the answer says so (a
``Link: <...>; rel="next"`` header on every format, and a link on the HTML page). ``kg query`` (the export path)
answers every row unless told ``--limit``.

The page's ``LIMIT`` and ``OFFSET`` are written at the end of the query, or where the query file has a line
holding only the comment ``#@ page``: inside a sub-select that picks the page's keys (a claim and its date, a run
and its graph) before the outer query looks up their details. Such a query is asked in two steps (``select_page``):
the sub-select alone, as a query of its own with the page's LIMIT and OFFSET, then the outer query with the
sub-select replaced by a ``VALUES`` block of the keys it gave. The answer is the same as the one query's (a
sub-select's solutions are joined like a VALUES block of them), but Oxigraph joins every other pattern of the
query by a hash join over the whole store when one side is a sub-select, and by index lookups when it is a VALUES
block of constants: describing a page then costs the page, not the store. The sub-select must give the outer
query one row per row of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO

import pyoxigraph as ox

from kg import formats
from kg.errors import BadInput
from kg.query_job import Solutions, Term
from kg.sparql.binding import KEYS_GIVEN, bind_values
from kg.sparql.tokens import SPARQL_TOKEN, group_end

DEFAULT_LIMIT = 100
"""Rows of a page when the request gives no ``_limit``."""
MAX_LIMIT = 10_000
"""The largest ``_limit`` a request may give; more rows are read page by page, or with ``kg query``."""
PAGE_MARK = re.compile(r"^[ \t]*#@[ \t]*page[ \t]*$", re.MULTILINE)
"""A line holding only ``#@ page``: where the page's LIMIT and OFFSET are written."""


@dataclass(frozen=True)
class Page:
    """``limit`` rows after skipping ``offset`` rows of the query's order."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def next(self) -> Page:
        return Page(self.limit, self.offset + self.limit)


def _whole(values: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = values.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"option {name!r}: {raw!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high:,}" if high is not None else f"{low} or more"
        raise BadInput(f"option {name!r}: {value} is out of range ({bound})")
    return value


def page_of(values: Mapping[str, str], *, default: int = DEFAULT_LIMIT, most: int = MAX_LIMIT) -> Page:
    """The page a request asks for: ``_limit`` (1 to ``most``) and ``_offset`` (0 or more).

    Raises BadInput naming the option and what it takes.

    >>> page_of({"_limit": "20", "_offset": "40"})
    Page(limit=20, offset=40)
    >>> page_of({})
    Page(limit=100, offset=0)
    """
    return Page(_whole(values, "_limit", default, 1, most), _whole(values, "_offset", 0, 0, None))


def paged(sparql: str, page: Page, *, extra: int = 1) -> str:
    """``sparql`` asking for ``extra`` rows more than ``page`` holds (so that a next page shows), from its offset:
    at the ``#@ page`` line if there is one, else at the end.

    >>> paged("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", Page(10, 20)).splitlines()[-1]
    'LIMIT 11 OFFSET 20'
    """
    clause = f"LIMIT {page.limit + extra} OFFSET {page.offset}"
    if PAGE_MARK.search(sparql):
        return PAGE_MARK.sub(clause, sparql, count=1)
    return sparql.rstrip() + "\n" + clause + "\n"


def split(solutions: Solutions, page: Page) -> tuple[Solutions, bool]:
    """The rows of ``page`` from the answer of ``paged`` (which asked for one more), and whether more follow."""
    more = len(solutions.rows) > page.limit
    return Solutions(solutions.variables, solutions.rows[:page.limit]), more


def _value_text(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple | None) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.BlankNode | ox.Triple):
        raise ValueError("blank nodes and triples cannot be written in VALUES")
    return str(term)  # N-Triples syntax, which SPARQL reads


def serialize(solutions: Solutions, media_type: str) -> bytes:
    """``solutions`` written in a SPARQL results format by Oxigraph's own writers (the rows are given back by an
    in-memory store as one ``VALUES`` block, in their order). Raises ValueError for a row holding a blank node.
    """
    fmt = formats.for_media_type(media_type)
    if solutions.variables:
        head = " ".join(f"?{n}" for n in solutions.variables)
        text = f"SELECT {head} WHERE {{ {_values(solutions)} }}"
    else:
        text = "SELECT * WHERE { FILTER(false) }"
    results = ox.Store().query(text)
    assert isinstance(results, ox.QuerySolutions)
    out = BytesIO()
    fmt.write_results(results, out)
    return out.getvalue()


def next_link(url_path: str, args: Sequence[tuple[str, str]], page: Page) -> str:
    """The URL of the page after ``page``: ``url_path`` with the request's arguments and ``_offset`` moved on."""
    from urllib.parse import urlencode

    kept = [(k, v) for k, v in args if k not in ("_offset", "_limit")]
    nxt = page.next()
    return url_path + "?" + urlencode([*kept, ("_limit", str(nxt.limit)), ("_offset", str(nxt.offset))])


Select = Callable[[str, Mapping[str, Term], int | None], Solutions]
"""How a page asks the store: ``(sparql, bindings, max_rows) -> Solutions`` (a QueryRunner's or a Store's)."""


@dataclass(frozen=True)
class KeyedQuery:
    """A query whose ``#@ page`` mark lies in a sub-select: the text around that sub-select's group, and the
    sub-select as a query of its own (the outer prologue before it)."""

    before: str
    keys: str
    after: str


def keyed(sparql: str) -> KeyedQuery | None:
    """The parts of ``sparql`` around the sub-select holding its ``#@ page`` line; None when there is no such line
    or it is not inside a sub-select."""
    mark = PAGE_MARK.search(sparql)
    if not mark:
        return None
    matches = list(SPARQL_TOKEN.finditer(sparql))
    at = next(k for k, m in enumerate(matches) if m.start() >= mark.start() and m.group(0).startswith("#"))
    depth = 0
    for k in range(at - 1, -1, -1):
        token = matches[k].group(0)
        if token == "}":
            depth += 1
        elif token == "{":
            if depth == 0:
                following = next((m.group(0) for m in matches[k + 1:] if not m.group(0).startswith("#")), "")
                if following.upper() != "SELECT":
                    return None
                from kg.queries import projection  # kg.queries imports this module

                close = group_end(matches, k)
                prologue_end = next(m.start() for m in matches if m.group(0).upper() == "SELECT")
                inner = sparql[matches[k].end():matches[close - 1].start()]
                # asked as the sub-select of a query of its own, as it stands in the whole query: Virtuoso 7.2
                # fails to compile the same text at the top level with a VALUES block binding a parameter
                # (SP031 ssg_print_rvr_fixed_val), and the page's keys need no order of their own
                head = " ".join(f"?{v}" for v in projection(inner) or ())
                return KeyedQuery(sparql[:matches[k].start()],
                                  sparql[:prologue_end] + f"SELECT {head} WHERE {{ {{ {inner}\n}} }}",
                                  sparql[matches[close - 1].end():])
            depth -= 1
    return None


def _values(solutions: Solutions) -> str:
    head = " ".join(f"?{n}" for n in solutions.variables)
    rows = " ".join("(" + " ".join(_value_text(row.get(n)) for n in solutions.variables) + ")"
                    for row in solutions.rows)
    return f"VALUES ({head}) {{ {rows} }}"


Keys = Callable[[Page], tuple[Solutions, bool] | None]
"""Another source of a page's keys than the store (kg.keys: the search index): the key sub-select's rows for a
page and whether more follow, or None to ask the store."""


def select_page(select: Select, sparql: str, bindings: Mapping[str, Term], page: Page, *,
                keys: Keys | None = None) -> tuple[Solutions, bool]:
    """The rows of ``page`` of ``sparql``'s answer, and whether more follow: in two steps for a query whose
    ``#@ page`` line is in a sub-select (keys, then their details), else in one with the LIMIT at the end.
    ``keys``, when given and answering, gives the page's keys instead of the sub-select."""
    parts = keyed(sparql)
    if parts is not None:
        found = keys(page) if keys is not None else None
        keys_, more = found if found is not None else split(select(
            bind_values(paged(parts.keys, page), {ox.Variable(k): v for k, v in bindings.items()}), {},
            page.limit + 1), page)
        try:
            details = parts.before + _values(keys_) + parts.after
        except ValueError:  # a blank node among the keys, which VALUES cannot carry: one query
            pass
        else:
            selects = sum(m.group(0).upper() == "SELECT" for m in SPARQL_TOKEN.finditer(details))
            if selects == 1:  # (pyoxigraph's substitution does not reach into a sub-select: then keep the hint)
                details = KEYS_GIVEN + "\n" + details  # start from the keys (kg.sparql.binding.with_values_hint)
            return select(details, bindings, None), more
    return split(select(paged(sparql, page), bindings, page.limit + 1), page)
