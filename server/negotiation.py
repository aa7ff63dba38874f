"""Content negotiation for SPARQL answers: which serialisation a client gets for each kind of answer.

``choose(kind, accept)`` picks from the formats the service writes for that kind (``solutions``, ``boolean`` or
``graph``), honouring q-values; ``None`` means nothing fits (the server answers 406). Common client quirks are
tolerated: ``application/json`` stands for SPARQL JSON results and JSON-LD, and SPARQLWrapper's
``format``/``output``/``results`` parameter (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``...) may name a format.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg import formats

FORMATS: dict[str, dict[str, str]] = {
    kind: {f.media_type: f.name for f in formats.of_kind(kind)} for kind in formats.KINDS}
"""Media type -> format name (kg.formats), per kind of answer, preferred first."""
SOLUTIONS, BOOLEAN, GRAPH = FORMATS["solutions"], FORMATS["boolean"], FORMATS["graph"]

ALIASES: dict[str, dict[str, str]] = {
    kind: {alias: f.media_type for f in formats.of_kind(kind) for alias in f.aliases} for kind in formats.KINDS}
"""Other media types clients send, per kind of answer -> the media type of the format they mean."""

GRAPH_FOR_RESULTS = {"application/sparql-results+json": "application/ld+json",
                     "application/sparql-results+xml": "application/rdf+xml"}


def media_type_of(value: str) -> str:
    """The bare, lower-case media type of a Content-Type value: ``text/turtle; charset=utf-8`` -> ``text/turtle``."""
    return value.split(";")[0].strip().lower()


def format_parameter(value: str | None) -> str | None:
    """The media type a ``format``/``output``/``results`` parameter names, or None when it names none we know.

    >>> format_parameter("json")
    'application/sparql-results+json'
    >>> format_parameter("text/turtle")
    'text/turtle'
    >>> format_parameter("html") is None
    True
    """
    if not value:
        return None
    value = value.strip().lower()
    if "/" in value:
        return value
    return formats.short_name(value)


def choose(kind: str, accept: str | None, *, format_hint: str | None = None) -> str | None:
    """The media type to answer a ``kind`` answer with, given the Accept header; None when nothing fits.

    An absent or empty Accept header (or ``*/*``) gets the first format: SPARQL JSON or Turtle. A ``format_hint``
    (from a ``format=`` parameter) wins when it is a format of this kind.

    >>> choose("solutions", "application/x-sparqlstar-results+json,application/sparql-results+json;q=0.9")
    'application/sparql-results+json'
    >>> choose("graph", "application/sparql-results+xml")
    'application/rdf+xml'
    >>> choose("boolean", "text/csv") is None
    True
    """
    formats, aliases = FORMATS[kind], ALIASES[kind]
    if format_hint:
        hinted = aliases.get(format_hint, format_hint)
        if kind == "graph":
            hinted = GRAPH_FOR_RESULTS.get(hinted, hinted)
        if hinted in formats:
            return hinted
    if not accept or not accept.strip():
        return next(iter(formats))
    offered: MIMEAccept = parse_accept_header(accept, MIMEAccept)
    best: tuple[float, int, str] | None = None
    for position, (value, quality) in enumerate(offered):
        if quality <= 0:
            continue
        value = media_type_of(value)
        candidate = _resolve(kind, value)
        if candidate and (best is None or quality > best[0]):
            best = (quality, position, candidate)
    return best[2] if best else None


def _resolve(kind: str, value: str) -> str | None:
    formats, aliases = FORMATS[kind], ALIASES[kind]
    if value in formats:
        return value
    if value in aliases:
        return aliases[value]
    if kind == "graph" and value in GRAPH_FOR_RESULTS:  # a results-only client asking for a graph: nearest RDF
        return GRAPH_FOR_RESULTS[value]
    if value in ("*/*", "*"):
        return next(iter(formats))
    if value.endswith("/*"):
        family = value[:-1]
        return next((f for f in formats if f.startswith(family)), None)
    return None


def prefers_html(accept: str | None) -> bool:
    """True when the client is a browser: it lists text/html before any RDF or results format."""
    if not accept:
        return False
    offered: MIMEAccept = parse_accept_header(accept, MIMEAccept)
    html = offered["text/html"]
    if not html or "text/html" not in accept.lower():
        return False
    others = [q for v, q in offered if media_type_of(v) in SOLUTIONS or media_type_of(v) in GRAPH]
    return all(html >= q for q in others)
