"""A page's keys from the search index, for the claim listings whose key sub-select reads every claim.

``who-said-what``, ``search-claims`` and ``claims-mentioning-country`` pick their page's claims in a sub-select
(kg.paging, "#@ page") that must read and sort every claim of the store: Oxigraph has no ordered index on a
claim's date and no text index. The search index (kg.search) holds what those sub-selects test of each claim: its
speaker, date, kind, text, issues and mentioned countries, with indexes on ``(date, iri)`` and trigrams of the
text. ``page_keys`` asks it for the page's claims, in the query's order, the way Fuseki's jena-text and Virtuoso's
text index answer a text pattern; the details of those claims are then read from the store as before
(``kg.paging.select_page``), so every row still comes from the store.

The semantics are the SPARQL's, exactly:

* the speaker and country tests: ``speaker``; the country itself or any speaker that ``cg:actsFor`` it (those
  speakers, and an issue's narrower issues through the stored ``skos:broaderTransitive`` closure, are looked up
  in the store: small indexed lookups, so the index holds no copy of them that could drift);
* dates between ``from`` and ``to`` inclusive, undated claims only with ``undated``;
* ``CONTAINS(LCASE(text), LCASE(needle))``: a case-insensitive substring of the text, by a GLOB over the
  lower-cased text that the trigram table answers from its index (not the Porter-stemmed full-text table);
* ``ORDER BY ?date ?claim`` (undated claims first) and ``ORDER BY DESC(?date) ?claim`` (undated claims last),
  IRIs compared as strings (SQLite's BINARY collation compares UTF-8 bytes: the code-point order).

``page_keys`` answers None when the index cannot answer exactly: a query it does not know, a parameter it cannot
express, or a value of a type it does not hold. Whether the index is in step with the store is the caller's to
decide (server.keys).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.paging import Page, Select
from kg.query_job import Solutions, Term
from kg.search import SearchIndex
from kg.vocab import PREFIXES

CG = PREFIXES["cg"]
XSD = "http://www.w3.org/2001/XMLSchema#"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

NARROWER = (f"PREFIX skos: <{PREFIXES['skos']}>\n"
            "SELECT DISTINCT ?narrower ?issue WHERE { ?narrower skos:broaderTransitive ?issue }")
"""The issues narrower than ``?issue``, by the closure the store holds (kg.summaries.broader_closure)."""
ACTING_FOR = f"SELECT DISTINCT ?speaker ?country WHERE {{ ?speaker <{CG}actsFor> ?country }}"
"""Everyone acting for ``?country``."""


class Unanswerable(Exception):
    """A parameter the index cannot express exactly: the SPARQL path answers."""


@dataclass
class Plan:
    """The claims a canned query's key sub-select keeps, as SQL over ``claims c``: ``where`` with ``args``;
    ``probes``, the candidate sets of the selective tests (``SELECT 1 FROM ...`` with their arguments), which
    decide the plan; ``needle``, the lower-cased text of search-claims' substring test."""

    where: list[str] = field(default_factory=list)
    args: list[object] = field(default_factory=list)
    probes: list[tuple[str, list[object]]] = field(default_factory=list)
    needle: str | None = None


@dataclass(frozen=True)
class KeysQuery:
    """How the index picks one canned query's keys: the parameters it takes, its Plan and its ``ORDER BY``."""

    params: frozenset[str]
    build: Callable[[Mapping[str, Term], Select], Plan]
    order: str


def _iri(bound: Mapping[str, Term], name: str) -> str | None:
    term = bound.get(name)
    if term is None:
        return None
    if not isinstance(term, ox.NamedNode):
        raise Unanswerable(f"{name} is not an IRI")
    return term.value


def _day(bound: Mapping[str, Term], name: str, default: str) -> str:
    term = bound.get(name)
    if term is None:
        return default
    if not (isinstance(term, ox.Literal) and term.datatype.value == XSD + "date" and _DAY.fullmatch(term.value)):
        raise Unanswerable(f"{name} is not a plain xsd:date")
    return term.value


def _flag(bound: Mapping[str, Term], name: str) -> bool:
    term = bound.get(name)
    if term is None:
        return False
    if not (isinstance(term, ox.Literal) and term.datatype.value == XSD + "boolean"):
        raise Unanswerable(f"{name} is not an xsd:boolean")
    return term.value.strip() in ("true", "1")


def _looked_up(select: Select, sparql: str, bindings: Mapping[str, Term], name: str) -> list[str]:
    rows = select(sparql, bindings, None).rows
    return sorted({t.value for row in rows if isinstance(t := row.get(name), ox.NamedNode)})


def _acting_for(select: Select, country: str) -> list[str]:
    return _looked_up(select, ACTING_FOR, {"country": ox.NamedNode(country)}, "speaker")


def _in_list(column: str, values: list[str]) -> tuple[str, str]:
    return f"{column} IN (SELECT value FROM json_each(?))", json.dumps(values)


def _who_said_what(bound: Mapping[str, Term], select: Select) -> Plan:
    plan = Plan(["c.speaker IS NOT NULL"])
    speaker, country, issue = _iri(bound, "speaker"), _iri(bound, "country"), _iri(bound, "issue")
    if speaker is not None:
        plan.where.append("c.speaker = ?")
        plan.args.append(speaker)
    if country is not None:  # FILTER(?speaker = ?country || EXISTS { ?speaker cg:actsFor ?country })
        clause, arg = _in_list("c.speaker", sorted({country, *_acting_for(select, country)}))
        plan.where.append(clause)
        plan.args.append(arg)
        if speaker is None:
            plan.probes.append((f"SELECT 1 FROM claims c WHERE {clause}", [arg]))
    if issue is not None:  # the issue, or one narrower through the stored closure
        issues = sorted({issue, *_looked_up(select, NARROWER, {"issue": ox.NamedNode(issue)}, "narrower")})
        clause, arg = _in_list("t.value", issues)
        terms = f"SELECT t.claim FROM claim_terms t WHERE t.facet = 'issue' AND {clause}"
        plan.where.append(f"c.id IN ({terms})")
        plan.args.append(arg)
        if speaker is None:
            plan.probes.append((terms, [arg]))
    dated = "c.date BETWEEN ? AND ?"
    plan.args += [_day(bound, "from", "0001-01-01"), _day(bound, "to", "9999-12-31")]
    plan.where.append(f"({dated} OR c.date IS NULL)" if _flag(bound, "undated") else dated)
    return plan


GRAMS = "SELECT rowid FROM claim_grams WHERE low GLOB ?"
"""The claims whose lower-cased text matches a GLOB pattern, found by the trigram index (at least three characters
of the pattern in a row; a shorter one reads every claim's text)."""


def glob_escaped(text: str) -> str:
    """``text`` as a GLOB pattern matching itself: ``*``, ``?`` and ``[`` in brackets.

    >>> glob_escaped("a*b?[c]")
    'a[*]b[?][[]c]'
    """
    return re.sub(r"([*?\[])", r"[\1]", text)


def _search_claims(bound: Mapping[str, Term], select: Select) -> Plan:
    text = bound.get("text")
    if not isinstance(text, ox.Literal):
        raise Unanswerable("text is not a literal")
    needle = text.value.lower()
    plan = Plan(probes=[(GRAMS, [f"*{glob_escaped(needle)}*"])], needle=needle)
    kind = _iri(bound, "kind")
    if kind is not None:
        plan.where.append("c.kind = ?")
        plan.args.append(kind)
    return plan


def _claims_mentioning_country(bound: Mapping[str, Term], select: Select) -> Plan:
    country = _iri(bound, "country")
    if country is None:
        raise Unanswerable("country is required")
    terms = "SELECT t.claim FROM claim_terms t WHERE t.facet = 'mentions' AND t.value = ?"
    plan = Plan([f"c.id IN ({terms})"], [country], [(terms, [country])])
    speaker_country = _iri(bound, "speakerCountry")
    if speaker_country is not None:  # ?claim cg:speaker ?speaker . ?speaker cg:actsFor ?speakerCountry
        clause, arg = _in_list("c.speaker", _acting_for(select, speaker_country))
        plan.where.append(clause)
        plan.args.append(arg)
        plan.probes.append((f"SELECT 1 FROM claims c WHERE {clause}", [arg]))
    return plan


OLDEST_FIRST = "c.date, c.iri"
"""``ORDER BY ?date ?claim``: SQLite sorts NULL first in ascending order, as SPARQL sorts an unbound date."""
NEWEST_FIRST = "c.date DESC, c.iri"
"""``ORDER BY DESC(?date) ?claim``: NULL last in descending order, as SPARQL's reversed order puts it."""

KEYED: dict[str, KeysQuery] = {
    "who-said-what": KeysQuery(frozenset({"speaker", "country", "issue", "from", "to", "undated"}),
                               _who_said_what, OLDEST_FIRST),
    "search-claims": KeysQuery(frozenset({"text", "kind"}), _search_claims, NEWEST_FIRST),
    "claims-mentioning-country": KeysQuery(frozenset({"country", "speakerCountry"}), _claims_mentioning_country,
                                           OLDEST_FIRST),
}
"""The canned queries whose keys the index picks, the parameters each may be given, and how."""


CANDIDATES = 5_000
"""Above this many candidates for each selective test, the page is found by reading the claims in the query's
order (the ``(date, iri)`` index) and testing each, which stops at the page's end, rather than by sorting every
candidate: on a 1,600-article store, 1,565 claims mentioning the US took 3-20 ms to sort and 0.7 ms to scan in
order; the substring "the" 50 ms against 0.5 ms (benchmarks/bench_page_keys.py)."""


def _many(index: SearchIndex, probe: tuple[str, list[object]]) -> bool:
    sql, args = probe
    return bool(index.db.execute(f"SELECT COUNT(*) >= ? FROM ({sql} LIMIT ?)",
                                 [CANDIDATES, *args, CANDIDATES]).fetchone()[0])


def page_keys(index: SearchIndex, name: str, bound: Mapping[str, Term], page: Page,
              select: Select) -> tuple[Solutions, bool] | None:
    """The claims of ``page`` of the canned query ``name`` for its ``bound`` parameters, in the query's order, as
    the ``?claim`` rows its key sub-select would give, and whether more follow; None when the index cannot answer
    exactly (a query it does not know, a parameter it cannot express). ``select`` looks up the speakers acting
    for a country and an issue's narrower issues in the store."""
    keyed = KEYED.get(name)
    if keyed is None or not set(bound) <= keyed.params:
        return None
    try:
        plan = keyed.build(bound, select)
    except Unanswerable:
        return None
    wanted = page.offset + page.limit + 1
    with index.lock:
        short = plan.needle is not None and len(plan.needle) < 3  # no trigram: the GLOB would read every text
        in_order = short or (bool(plan.probes) and all(_many(index, probe) for probe in plan.probes))
        if plan.needle is not None and in_order:
            iris = _scan(index, plan, keyed.order, plan.needle, wanted)[page.offset:]
        else:
            where = plan.where + ([f"c.id IN ({GRAMS})"] if plan.needle is not None else [])
            args = plan.args + ([f"*{glob_escaped(plan.needle)}*"] if plan.needle is not None else [])
            hint = "INDEXED BY claims_date_iri " if in_order else ""
            sql = (f"SELECT c.iri FROM claims c {hint}WHERE {' AND '.join(where) or '1'} ORDER BY {keyed.order} "
                   "LIMIT ? OFFSET ?")
            iris = [row[0] for row in index.db.execute(sql, [*args, page.limit + 1, page.offset])]
    rows: list[dict[str, Term]] = [{"claim": ox.NamedNode(iri)} for iri in iris[:page.limit]]
    return Solutions(["claim"], rows), len(iris) > page.limit


def _scan(index: SearchIndex, plan: Plan, order: str, needle: str, wanted: int) -> list[str]:
    """The first ``wanted`` claims in ``order`` passing ``plan`` whose lower-cased text contains ``needle``, read in
    that order (for a needle most claims hold, where sorting every match costs more than reading in order)."""
    sql = (f"SELECT c.iri, c.text FROM claims c INDEXED BY claims_date_iri WHERE {' AND '.join(plan.where) or '1'} "
           f"ORDER BY {order}")
    found: list[str] = []
    for iri, text in index.db.execute(sql, plan.args):
        if needle in text.lower():
            found.append(iri)
            if len(found) == wanted:
                break
    return found
