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
* ``CONTAINS(LCASE(text), LCASE(needle))``: a case-insensitive substring of the text, by a phrase query on the
  trigram table of the lower-cased texts (not the Porter-stemmed full-text table), or for a needle under three
  characters by testing each text in order;
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


@dataclass(frozen=True)
class Test:
    """A selective test of a claim: ``many`` (``SELECT 1 FROM ...``) lists what passes it, to count; ``listed``
    keeps the claims that pass, as a set built once (sort every candidate); ``checked`` tests one claim (read in
    order). ``args`` are the arguments of each."""

    many: str
    listed: str
    checked: str
    args: tuple[object, ...]


@dataclass
class Plan:
    """The claims a canned query's key sub-select keeps, as SQL over ``claims c``: the ``where`` clauses with
    their ``args``, the selective ``tests`` (which decide how the page is found), and for search-claims the
    lower-cased ``needle`` its text must contain."""

    where: list[str] = field(default_factory=list)
    args: list[object] = field(default_factory=list)
    tests: list[Test] = field(default_factory=list)
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


def _speakers(speakers: list[str]) -> Test:
    """The claims of one of ``speakers`` (a list the size of a country's officials, not of the store)."""
    clause = "c.speaker IN (SELECT value FROM json_each(?))"
    return Test(f"SELECT 1 FROM claims c WHERE {clause}", clause, clause, (json.dumps(speakers),))


def _terms(facet: str, values: list[str]) -> Test:
    """The claims with a ``claim_terms`` row of ``facet`` for one of ``values`` (issues, mentioned countries)."""
    terms = f"FROM claim_terms t WHERE t.facet = '{facet}' AND t.value IN (SELECT value FROM json_each(?))"
    return Test(f"SELECT 1 {terms}", f"c.id IN (SELECT t.claim {terms})",
                f"EXISTS (SELECT 1 {terms} AND t.claim = c.id)", (json.dumps(values),))


def _who_said_what(bound: Mapping[str, Term], select: Select) -> Plan:
    plan = Plan(["c.speaker IS NOT NULL"])
    speaker, country, issue = _iri(bound, "speaker"), _iri(bound, "country"), _iri(bound, "issue")
    if speaker is not None:  # the speaker's claims, in order, by the (speaker, date, iri) index
        plan.where.append("c.speaker = ?")
        plan.args.append(speaker)
    if country is not None:  # FILTER(?speaker = ?country || EXISTS { ?speaker cg:actsFor ?country })
        plan.tests.append(_speakers(sorted({country, *_acting_for(select, country)})))
    if issue is not None:  # the issue, or one narrower through the stored closure
        plan.tests.append(_terms("issue", sorted({issue, *_looked_up(select, NARROWER, {"issue": ox.NamedNode(issue)},
                                                                      "narrower")})))
    dated = "c.date BETWEEN ? AND ?"
    plan.args += [_day(bound, "from", "0001-01-01"), _day(bound, "to", "9999-12-31")]
    plan.where.append(f"({dated} OR c.date IS NULL)" if _flag(bound, "undated") else dated)
    if speaker is not None:
        plan.where += [t.listed for t in plan.tests]
        plan.args += [arg for t in plan.tests for arg in t.args]
        plan.tests = []
    return plan


def phrase(text: str) -> str:
    """``text`` as an FTS5 phrase: in double quotes, a double quote doubled. Over the trigram table, the rows
    whose text holds ``text`` as a substring (three characters or more).

    >>> phrase('the "deal" is')
    '"the ""deal"" is"'
    """
    return '"' + text.replace('"', '""') + '"'


def _search_claims(bound: Mapping[str, Term], select: Select) -> Plan:
    text = bound.get("text")
    if not isinstance(text, ox.Literal):
        raise Unanswerable("text is not a literal")
    plan = Plan(needle=text.value.lower())
    kind = _iri(bound, "kind")
    if kind is not None:
        plan.where.append("c.kind = ?")
        plan.args.append(kind)
    return plan


def _claims_mentioning_country(bound: Mapping[str, Term], select: Select) -> Plan:
    country = _iri(bound, "country")
    if country is None:
        raise Unanswerable("country is required")
    plan = Plan(tests=[_terms("mentions", [country])])
    speaker_country = _iri(bound, "speakerCountry")
    if speaker_country is not None:  # ?claim cg:speaker ?speaker . ?speaker cg:actsFor ?speakerCountry
        plan.tests.append(_speakers(_acting_for(select, speaker_country)))
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


CANDIDATES = 2_000
"""Above this many candidates for each selective test, the page is found by reading the claims in the query's
order (the ``(date, iri)`` index) and testing each, which stops at the page's end, rather than by sorting every
candidate. On a copy of a 4,224-article index (59,682 claims), the first page of the 4,072 claims mentioning the
US took 64 ms by sorting them and 1.8 ms in order (77 ms at offset 1,000, where in order reads 16,000 claims);
at 2,000 candidates a sort takes about 25 ms."""


def _many(index: SearchIndex, test: Test) -> bool:
    return bool(index.db.execute(f"SELECT COUNT(*) >= ? FROM ({test.many} LIMIT ?)",
                                 [CANDIDATES, *test.args, CANDIDATES]).fetchone()[0])


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
    with index.lock:
        if plan.needle is not None:
            iris = _text_keys(index, plan, plan.needle, keyed.order, page)
        else:
            in_order = bool(plan.tests) and all(_many(index, t) for t in plan.tests)
            where = plan.where + [t.checked if in_order else t.listed for t in plan.tests]
            hint = "INDEXED BY claims_date_iri " if in_order else ""
            iris = [row[0] for row in index.db.execute(
                f"SELECT c.iri FROM claims c {hint}WHERE {' AND '.join(where) or '1'} ORDER BY {keyed.order} "
                "LIMIT ? OFFSET ?", [*plan.args, *(a for t in plan.tests for a in t.args), page.limit + 1,
                                     page.offset])]
    rows: list[dict[str, Term]] = [{"claim": ox.NamedNode(iri)} for iri in iris[:page.limit]]
    return Solutions(["claim"], rows), len(iris) > page.limit


def _text_keys(index: SearchIndex, plan: Plan, needle: str, order: str, page: Page) -> list[str]:
    """search-claims' keys: the claims holding ``needle`` by the trigram index, sorted, when there are at most
    CANDIDATES of them; else (and for a needle under three characters, which has no trigram) every claim read in
    the query's order and tested until the page is full."""
    if len(needle) >= 3:
        ids = [r[0] for r in index.db.execute("SELECT rowid FROM claim_grams WHERE claim_grams MATCH ? LIMIT ?",
                                              (phrase(needle), CANDIDATES + 1))]
        if len(ids) <= CANDIDATES:
            where = ["c.id IN (SELECT value FROM json_each(?))", *plan.where]
            return [row[0] for row in index.db.execute(
                f"SELECT c.iri FROM claims c WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ? OFFSET ?",
                [json.dumps(ids), *plan.args, page.limit + 1, page.offset])]
    sql = (f"SELECT c.iri, c.text FROM claims c INDEXED BY claims_date_iri WHERE {' AND '.join(plan.where) or '1'} "
           f"ORDER BY {order}")
    found: list[str] = []
    wanted = page.offset + page.limit + 1
    for iri, text in index.db.execute(sql, plan.args):
        if needle in text.lower():
            found.append(iri)
            if len(found) == wanted:
                break
    return found[page.offset:]
