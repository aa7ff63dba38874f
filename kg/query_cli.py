"""``kg query``: run a canned query (``queries/*.rq``) or an ad-hoc SELECT against the store.

    kg query --list
    kg query claims-by-official -p speaker=cgid:person/robert-lighthizer --format csv
    kg query --sparql 'SELECT ?s WHERE { ?s a <https://w3id.org/claimgraph/ontology#Claim> }'
    kg query --sparql @my-query.rq

Parameter values are typed by the query's header and bound as RDF terms (see kg.queries).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import click
from pyoxigraph import Literal, NamedNode

from kg import config, formats, paging
from kg.errors import BadInput
from kg.queries import BadQueryFile, CannedQuery, get_query, load_queries, query_form
from kg.query_job import Answer, Job, Solutions, Term
from kg.store import Store, is_remote
from kg.vocab import PREFIXES

FORMATS = {f.name: f for f in formats.RESULTS}
"""``--format``: the results formats of kg.formats (an ASK answer is written as JSON where CSV or TSV is asked)."""
TABLE_CELL = 60  # characters of a cell in --format table; longer values are cut with an ellipsis


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` -> ``{"a": "1", "b": "x=y"}``. Raises BadInput for a pair without ``=``.

    >>> parse_params(["speaker=cgid:person/x", "text=a=b"])
    {'speaker': 'cgid:person/x', 'text': 'a=b'}
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name.strip():
            raise BadInput(f"--param takes NAME=VALUE, not {pair!r}")
        values[name.strip()] = value
    return values


def compact(term: object) -> str:
    """A term for a terminal: IRIs as prefixed names where a project prefix fits, literals as their text."""
    if isinstance(term, NamedNode):
        best = max((p for p in PREFIXES.items() if term.value.startswith(p[1])), key=lambda p: len(p[1]),
                   default=None)
        return f"{best[0]}:{term.value[len(best[1]):]}" if best else term.value
    if isinstance(term, Literal):
        return term.value
    return "" if term is None else str(term)


def table(results: Solutions) -> str:
    """Solutions as an aligned text table with a header and a row count."""
    names = results.variables
    rows = [[compact(s.get(n)).replace("\n", " ") for n in names] for s in results.rows]
    rows = [[c if len(c) <= TABLE_CELL else c[:TABLE_CELL - 1] + "…" for c in r] for r in rows]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def describe(query: CannedQuery) -> str:
    """A query's name, summary and parameters, for ``kg query --list``."""
    lines = [f"{query.name}\n    {query.summary}"]
    for p in query.params:
        flag = "required" if p.required else (f"default {p.default}" if p.default is not None else "optional")
        example = f"; e.g. {p.example}" if p.example else ""
        lines.append(f"    -p {p.name}=<{p.type}>  ({flag}) {p.description}{example}")
    return "\n".join(lines)


def summarised(name: str, location: str, store: Store, bound: Mapping[str, Term]) -> Solutions | None:
    """Every row of the ranking query ``name`` from the summaries of the store's search index, when it has one in
    step with the store (every article graph at its digest) and not marked stale; else None (SPARQL answers)."""
    from kg.rankings import ANSWERS
    from kg.search import SearchIndex, index_path, store_selector

    path = index_path(location)
    if name not in ANSWERS or not path.is_file():
        return None
    index = SearchIndex(path)
    try:
        if not index.in_step(store_selector(store)):
            return None
        answered = index.ranking(name, bound, paging.Page(sys.maxsize, 0),
                                 lambda text, subs, most: store.select(text, subs, max_rows=most))
    finally:
        index.close()
    return answered[0] if answered is not None else None


def _sparql_text(value: str) -> str:
    if value.startswith("@"):
        path = Path(value[1:])
        if not path.is_file():
            raise BadInput(f"--sparql {value}: no such file {path}")
        return path.read_text(encoding="utf-8")
    return value


def _close(store: Store) -> None:
    try:
        store.close()
    except RuntimeError:  # EmbeddedStore.close() flushes, which a read-only pyoxigraph store refuses
        pass


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", *FORMATS]), default="table", show_default=True,
              help="Output: an aligned table, or SPARQL results as JSON, XML, CSV or TSV.")
@click.option("--store", "store_location", envvar="KG_STORE", default=None,
              help="Store folder or http(s):// SPARQL endpoint. [env KG_STORE; default ./data/store]")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and their parameters.")
@click.option("--sparql", default=None, metavar="TEXT|@FILE", help="Run this SELECT or ASK query instead.")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Output file (default stdout).")
def query(name: str | None, params: tuple[str, ...], fmt: str, store_location: str | None, list_queries: bool,
          sparql: str | None, output: io.BufferedWriter) -> None:
    bound: Mapping[str, Term]
    """Run the canned query NAME (a file of queries/, see --list) with typed parameters.

    Each -p NAME=VALUE is checked against the type the query declares (iri, string, langString written
    text@lang, date, dateTime, integer, decimal, boolean); IRIs may be written with the project's prefixes,
    e.g. cgid:person/robert-lighthizer. Exit status 1 on an unknown query or a bad parameter.
    """
    from kg.store import open_store

    if list_queries:
        click.echo("\n\n".join(describe(q) for q in load_queries().values()))
        return
    if (name is None) == (sparql is None):
        raise click.UsageError("give a query NAME (see kg query --list) or --sparql, not both")
    if sparql is not None:
        if params:
            raise BadInput("--param applies to canned queries only")
        text, bound = _sparql_text(sparql), {}
    else:
        text, bound = get_query(str(name)).prepare(parse_params(params))
    location = config.store_location(store_location)
    remote = is_remote(location)
    if not remote and not Path(location).is_dir():
        raise BadInput(f"no store at {location}; ingest articles first (kg ingest) or give --store")
    try:
        form = query_form(text)
    except BadQueryFile:  # no query form at all: the store names the syntax error
        form = "SELECT"
    if form not in ("SELECT", "ASK"):
        raise BadInput("kg query runs SELECT and ASK queries; use the SPARQL endpoint for CONSTRUCT")
    store = open_store(location, read_only=not remote)
    try:
        ranked = None if remote or name is None else summarised(str(name), location, store, bound)
        if ranked is not None:  # a ranking from the search index's summaries (kg.rankings)
            output.write(table(ranked).encode("utf-8") if fmt == "table" else
                         paging.serialize(ranked, FORMATS[fmt].media_type))
        elif fmt == "table":
            answer = table(store.select(text, bound)) if form == "SELECT" else f"{store.ask(text, bound)}\n"
            output.write(answer.encode("utf-8"))
        else:
            chosen = FORMATS[fmt]
            boolean = chosen if "boolean" in chosen.kinds else FORMATS["json"]
            written = store.execute(Job(text, "answer", bound, media_types={
                "solutions": chosen.media_type, "boolean": boolean.media_type}, asked=chosen.media_type))
            assert isinstance(written, Answer)
            output.write(written.body)
    finally:
        _close(store)
    if output is sys.stdout.buffer:
        output.flush()
