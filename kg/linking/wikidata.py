"""The two questions ``kg link`` asks a Wikidata-compatible endpoint, and how their answers become candidates.

1. ``search_query``: items whose English ``rdfs:label`` or ``skos:altLabel`` is one of our names and that are
   instances (``wdt:P31``, no subclass path) of a human or of one of the organisation classes.
2. ``details_query``: for those items, their types, countries (``wdt:P27``, ``wdt:P17``), positions held
   (``wdt:P39``), English label and description, with the English labels of the items they point to.

Names and QIDs are written into the query text as N-Triples terms by pyoxigraph, which escapes them; a QID is
checked against ``Q<digits>`` first. Both queries are deterministic for the same input, so the cache answers a rerun.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode

from kg.linking.endpoint import Bindings
from kg.linking.score import HUMAN, ORGANIZATION_CLASSES, Candidate, Subject
from kg.vocab import WD

MAX_NAMES = 20
_QID = re.compile(r"Q[1-9][0-9]*")
_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
"""


def qid_of(iri: str) -> str | None:
    """The QID of a Wikidata entity IRI, or None for any other IRI.

    >>> qid_of("http://www.wikidata.org/entity/Q30")
    'Q30'
    >>> qid_of("http://dbpedia.org/resource/Canada") is None
    True
    """
    if iri.startswith(str(WD)):
        rest = iri[len(str(WD)):]
        return rest if _QID.fullmatch(rest) else None
    return None


def _item(qid: str) -> str:
    if not _QID.fullmatch(qid):
        raise ValueError(f"not a Wikidata item id: {qid!r}")
    return str(NamedNode(str(WD) + qid))


def search_names(subject: Subject) -> list[str]:
    """The names searched for: our label first, then the aliases, without duplicates, at most ``MAX_NAMES``."""
    names: list[str] = []
    for n in (subject.label, *sorted(subject.aliases)):
        n = " ".join(n.split())
        if n and n not in names:
            names.append(n)
    return names[:MAX_NAMES]


def search_query(subject: Subject) -> str:
    """Items labelled (or aliased) in English with one of the subject's names, of the subject's kind."""
    names = " ".join(str(Literal(n, language="en")) for n in search_names(subject))
    classes = [HUMAN] if subject.kind == "person" else sorted(ORGANIZATION_CLASSES)
    values = " ".join(_item(q) for q in classes)
    return (f"{_PREFIXES}SELECT DISTINCT ?item ?name ?via WHERE {{\n"
            f"  VALUES ?name {{ {names} }}\n"
            f"  {{ ?item rdfs:label ?name . BIND(\"label\" AS ?via) }}\n"
            f"  UNION {{ ?item skos:altLabel ?name . BIND(\"alias\" AS ?via) }}\n"
            f"  ?item wdt:P31 ?class .\n"
            f"  VALUES ?class {{ {values} }}\n"
            f"}} ORDER BY ?item ?name LIMIT 200")


def details_query(qids: Iterable[str]) -> str:
    """Types, countries, positions, label and description of the items, with English labels of the values."""
    items = " ".join(_item(q) for q in sorted(set(qids)))
    return (f"{_PREFIXES}SELECT ?item ?p ?o ?oLabel WHERE {{\n"
            f"  VALUES ?item {{ {items} }}\n"
            f"  VALUES ?p {{ wdt:P31 wdt:P27 wdt:P17 wdt:P39 rdfs:label schema:description }}\n"
            f"  ?item ?p ?o .\n"
            f"  FILTER(!isLiteral(?o) || LANG(?o) = \"en\")\n"
            f"  OPTIONAL {{ ?o rdfs:label ?oLabel . FILTER(LANG(?oLabel) = \"en\") }}\n"
            f"}} LIMIT 5000")


def candidates_from(search: Bindings) -> dict[str, Candidate]:
    """Candidates by QID from the rows of ``search_query``."""
    found: dict[str, Candidate] = {}
    for row in search:
        qid = qid_of(row.get("item", {}).get("value", ""))
        if qid is None:
            continue
        c = found.setdefault(qid, Candidate(qid=qid))
        name, via = row["name"]["value"], row.get("via", {}).get("value", "label")
        if c.matched.get(name) != "label":
            c.matched[name] = via
    return found


def add_details(candidates: dict[str, Candidate], details: Bindings) -> None:
    """Fill in the candidates from the rows of ``details_query``."""
    fields = {"P31": "types", "P27": "countries", "P17": "countries", "P39": "positions"}
    for row in details:
        qid = qid_of(row["item"]["value"])
        c = candidates.get(qid or "")
        if c is None:
            continue
        p, o = row["p"]["value"], row["o"]
        if p.endswith("#label"):
            c.label = o["value"]
        elif p == "http://schema.org/description":
            c.description = o["value"]
        else:
            target = qid_of(o["value"]) if o["type"] == "uri" else None
            prop = p.rsplit("/", 1)[-1]
            if target and prop in fields:
                label = row.get("oLabel", {}).get("value", "")
                values: dict[str, str] = getattr(c, fields[prop])
                if label or target not in values:
                    values[target] = label
