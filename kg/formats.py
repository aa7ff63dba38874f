"""Every serialisation claimgraph reads or writes, one entry each: the format registry.

A ``Format`` names its media type, the other media types clients send for it, its short names (``kg export
--format``, ``kg query --format``, SPARQLWrapper's ``format=``), its file extension (``/queries/<name>.csv``,
export file names) and its writer. The CLI, ``/sparql``, the canned queries, the ``/id/`` pages, the Graph Store
and ``kg export`` all read this table, so a new format is one entry here.

Results formats write SPARQL solutions (``solutions``) and, where the format can, ASK answers (``boolean``); graph
formats write triples or quads (``graph``). The order of ``FORMATS`` is the order of preference when a client
accepts anything: SPARQL JSON for results, Turtle for graphs.

This module imports only pyoxigraph, so query worker processes can use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Literal

import pyoxigraph as ox

Kind = Literal["solutions", "boolean", "graph"]
KINDS: tuple[Kind, ...] = ("solutions", "boolean", "graph")


@dataclass(frozen=True)
class Format:
    """One serialisation. Exactly one of ``rdf`` (a graph format) and ``results`` (a results format) is set."""

    name: str
    """The name the CLI takes (``kg export --format``, ``kg query --format``)."""
    media_type: str
    extension: str
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    writes_boolean: bool = False
    aliases: tuple[str, ...] = ()
    """Other media types clients send for this format (``application/json``, ``text/xml``...)."""
    short_names: tuple[str, ...] = ()
    """Other names of a ``format=`` / ``output=`` parameter for this format."""

    @property
    def kinds(self) -> tuple[Kind, ...]:
        if self.rdf is not None:
            return ("graph",)
        return ("solutions", "boolean") if self.writes_boolean else ("solutions",)

    @property
    def supports_datasets(self) -> bool:
        """Whether the format keeps graph names (N-Quads, TriG)."""
        return self.rdf is not None and self.rdf.supports_datasets

    def write_results(self, results: ox.QuerySolutions | ox.QueryBoolean, output: IO[bytes]) -> None:
        """Write SELECT solutions or an ASK answer. Raises ValueError for a graph format."""
        if self.results is None:
            raise ValueError(f"{self.name} is not a SPARQL results format")
        results.serialize(output, self.results)

    def write_graph(self, data: Iterable[ox.Triple] | Iterable[ox.Quad], output: IO[bytes], *,
                    prefixes: Mapping[str, str] | None = None) -> None:
        """Write triples (or quads, in a dataset format); ``prefixes`` where the format has prefixed names.
        Raises ValueError for a results format."""
        if self.rdf is None:
            raise ValueError(f"{self.name} is not an RDF format")
        uses_prefixes = self.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
        ox.serialize(data, output, self.rdf, prefixes=dict(prefixes) if prefixes and uses_prefixes else None)


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "json", results=ox.QueryResultsFormat.JSON,
           writes_boolean=True, aliases=("application/json",)),
    Format("xml", "application/sparql-results+xml", "xml", results=ox.QueryResultsFormat.XML,
           writes_boolean=True, aliases=("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv", results=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "tsv", results=ox.QueryResultsFormat.TSV),
    Format("turtle", "text/turtle", "ttl", rdf=ox.RdfFormat.TURTLE, aliases=("application/x-turtle",),
           short_names=("ttl", "n3")),
    Format("ntriples", "application/n-triples", "nt", rdf=ox.RdfFormat.N_TRIPLES, aliases=("text/plain",),
           short_names=("nt",)),
    Format("nquads", "application/n-quads", "nq", rdf=ox.RdfFormat.N_QUADS),
    Format("trig", "application/trig", "trig", rdf=ox.RdfFormat.TRIG),
    Format("jsonld", "application/ld+json", "jsonld", rdf=ox.RdfFormat.JSON_LD, aliases=("application/json",),
           short_names=("json-ld",)),
    Format("rdfxml", "application/rdf+xml", "rdf", rdf=ox.RdfFormat.RDF_XML,
           aliases=("application/xml", "text/xml"), short_names=("rdf+xml",)),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}
RESULTS: tuple[Format, ...] = tuple(f for f in FORMATS if f.results is not None)
GRAPHS: tuple[Format, ...] = tuple(f for f in FORMATS if f.rdf is not None)


def of_kind(kind: Kind) -> tuple[Format, ...]:
    """The formats that write a ``kind`` answer, preferred first.

    >>> [f.name for f in of_kind("boolean")]
    ['json', 'xml']
    """
    return tuple(f for f in FORMATS if kind in f.kinds)


def named(name: str) -> Format:
    """The format called ``name`` (``turtle``, ``csv``...). Raises ValueError naming the known ones."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}: choose one of {', '.join(BY_NAME)}") from None


def for_media_type(media_type: str) -> Format:
    """The format whose media type is ``media_type`` (exactly). Raises ValueError."""
    try:
        return BY_MEDIA_TYPE[media_type]
    except KeyError:
        raise ValueError(f"no format has the media type {media_type!r}") from None


def short_name(value: str) -> str | None:
    """The media type a short name stands for (``json`` -> SPARQL JSON, ``ttl`` -> Turtle), or None.

    >>> short_name("jsonld"), short_name("nt"), short_name("html")
    ('application/ld+json', 'application/n-triples', None)
    """
    for f in FORMATS:
        if value == f.name or value in f.short_names:
            return f.media_type
    return None
