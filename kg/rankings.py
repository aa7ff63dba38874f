"""Store-wide summaries for the ranking queries (top-issues, contested-issues, co-quoted), kept in the search index.

The ranking queries sum every article's tallies (``kg.summaries``), so their cost grows with the store. The search
index (``kg.search``, a SQLite file kept in step with the store per article graph) holds every claim's issues,
day, speaker, article and graph already; these tables roll them up for the whole store, the way a data warehouse
keeps a rollup or Datasette precomputes facet counts:

* ``rank_issue_days`` (issue, day, claims): the dated claims about each issue on each day;
* ``rank_issue_speakers`` (issue, day, speaker, claims) and ``rank_issue_articles`` (issue, day, article, claims):
  the sets that distinct speakers and articles over a range are counted from (a COUNT(DISTINCT) over a range is not
  a sum of counts);
* ``rank_pairs`` (a, b, articles, first_graph): per two speakers quoted in one article, ``a`` first in code point
  order, the articles quoting both and the first of their graphs by IRI (co-quoted's example article);
* ``rank_speakers`` (speaker, claims), ``rank_issues`` (issue, claims) and ``rank_kinds`` (kind, claims; ``''`` for
  none): every claim, dated or not, per speaker, issue and kind (the landing page's lists and counts: kg.overview).

The grain is the day, so every date range is answered exactly. An article's summary is added when its claims are
indexed and subtracted, from the same claim rows, before they are deleted (``add_graphs``, ``subtract_graphs``, in
the index's own transaction), so re-ingest, replacement and deletion stay exact; rows that fall to zero are
deleted. ``build`` makes the tables from the claim tables alone (an index made before they existed gains them when
opened). ``answer`` gives one page of a ranking's rows from them, exactly the rows, values, datatypes and order of
the SPARQL query, with labels and countries read from the store (a few lookups), or None where the summaries
cannot answer exactly, and the SPARQL runs instead (docs/queries.md, "Rankings from summaries").
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox

from kg.paging import Page
from kg.query_job import Solutions, Term
from kg.vocab import BASE, PREFIXES

VERSION = "2"
"""Stored in the index's meta table as ``rankings``; a missing or older version makes ``ensure`` build again."""
STALE = "stale"
"""The ``rankings`` meta value once the store was written outside ``kg ingest`` (the server's SPARQL Update or
Graph Store endpoint): the claims of the index may no longer be the store's, so the queries run as SPARQL until
``kg reindex`` rebuilds the index."""
MOST_CANDIDATES = 5_000
"""co-quoted: the most pairs whose labels are read to order one page (the page's ties on ``articles``); past it the
SPARQL query runs."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS rank_issue_days (issue TEXT NOT NULL, day TEXT NOT NULL, claims INTEGER NOT NULL,
  PRIMARY KEY (issue, day)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rank_issue_speakers (issue TEXT NOT NULL, day TEXT NOT NULL, speaker TEXT NOT NULL,
  claims INTEGER NOT NULL, PRIMARY KEY (issue, day, speaker)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rank_issue_articles (issue TEXT NOT NULL, day TEXT NOT NULL, article TEXT NOT NULL,
  claims INTEGER NOT NULL, PRIMARY KEY (issue, day, article)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rank_pairs (a TEXT NOT NULL, b TEXT NOT NULL, articles INTEGER NOT NULL,
  first_graph TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rank_speakers (speaker TEXT PRIMARY KEY, claims INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rank_issues (issue TEXT PRIMARY KEY, claims INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rank_kinds (kind TEXT PRIMARY KEY, claims INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rank_speakers_claims ON rank_speakers(claims);
CREATE INDEX IF NOT EXISTS rank_issues_claims ON rank_issues(claims);
CREATE INDEX IF NOT EXISTS rank_issue_speakers_of ON rank_issue_speakers(issue, speaker, day, claims);
CREATE INDEX IF NOT EXISTS rank_issue_articles_of ON rank_issue_articles(issue, article, day);
CREATE INDEX IF NOT EXISTS rank_pairs_articles ON rank_pairs(articles);
CREATE INDEX IF NOT EXISTS rank_pairs_b ON rank_pairs(b);
CREATE INDEX IF NOT EXISTS rank_pairs_first ON rank_pairs(first_graph);
CREATE INDEX IF NOT EXISTS rank_issue_days_zero ON rank_issue_days(claims) WHERE claims <= 0;
CREATE INDEX IF NOT EXISTS rank_issue_speakers_zero ON rank_issue_speakers(claims) WHERE claims <= 0;
CREATE INDEX IF NOT EXISTS rank_issue_articles_zero ON rank_issue_articles(claims) WHERE claims <= 0;
CREATE INDEX IF NOT EXISTS rank_pairs_zero ON rank_pairs(articles) WHERE articles <= 0;
"""
TABLES = ("rank_issue_days", "rank_issue_speakers", "rank_issue_articles", "rank_pairs", "rank_speakers",
          "rank_issues", "rank_kinds")

# -- keeping the summaries -----------------------------------------------------------------------------------------

# CROSS JOIN keeps SQLite's plan: the chosen graphs' claims first (by claims_graph), then their terms (by
# claim_terms_claim); with a plain JOIN it read every issue term of the index for a batch of 40 graphs
_DATED = ("FROM claims c CROSS JOIN claim_terms t ON t.claim = c.id AND t.facet = 'issue' "
          "WHERE c.date IS NOT NULL AND {graphs}")
_ISSUE_ROLLUPS = {
    "rank_issue_days": ("issue, day", "t.value, c.date", ""),
    "rank_issue_speakers": ("issue, day, speaker", "t.value, c.date, c.speaker", " AND c.speaker IS NOT NULL"),
    "rank_issue_articles": ("issue, day, article", "t.value, c.date, c.article", " AND c.article IS NOT NULL"),
}
_TOTALS = {  # every claim, dated or not: the landing page's lists and counts (kg.overview)
    "rank_speakers": ("speaker", "c.speaker", "FROM claims c WHERE c.speaker IS NOT NULL AND {graphs}"),
    "rank_issues": ("issue", "t.value", "FROM claims c CROSS JOIN claim_terms t ON t.claim = c.id AND "
                                        "t.facet = 'issue' WHERE {graphs}"),
    "rank_kinds": ("kind", "COALESCE(c.kind, '')", "FROM claims c WHERE {graphs}"),
}


def _in(graphs: Sequence[str] | None) -> tuple[str, list[str]]:
    if graphs is None:
        return "1", []
    return f"graph IN ({','.join('?' * len(graphs))})", list(graphs)


def _pairs(db: sqlite3.Connection, where: str, args: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
    """Per two speakers of one article graph (``a`` first in code point order, which is Python's order of str and
    SQLite's of UTF-8 text), the graphs quoting both among the chosen ones: how many, and the first."""
    speakers: dict[str, set[str]] = {}
    for graph, speaker in db.execute(f"SELECT DISTINCT graph, speaker FROM claims WHERE speaker IS NOT NULL AND "
                                     f"{where}", args):
        speakers.setdefault(graph, set()).add(speaker)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for graph, of in speakers.items():
        ordered = sorted(of)
        for n, a in enumerate(ordered):
            for b in ordered[n + 1:]:
                count, first = found.get((a, b), (0, graph))
                found[(a, b)] = (count + 1, min(first, graph))
    return found


def _apply(db: sqlite3.Connection, graphs: Sequence[str] | None, sign: int) -> None:
    """Add (``sign`` 1) or subtract (-1) the summaries of the claims of ``graphs`` (None: every claim)."""
    where, args = _in(graphs)
    dated = _DATED.format(graphs=where.replace("graph", "c.graph"))
    for table, (keys, columns, extra) in _ISSUE_ROLLUPS.items():
        db.execute(f"INSERT INTO {table} ({keys}, claims) SELECT {columns}, {sign} * COUNT(*) {dated}{extra} "
                   f"GROUP BY {columns} ON CONFLICT DO UPDATE SET claims = claims + excluded.claims", args)
        db.execute(f"DELETE FROM {table} WHERE claims <= 0")
    for table, (key, column, source) in _TOTALS.items():
        db.execute(f"INSERT INTO {table} ({key}, claims) SELECT {column}, {sign} * COUNT(*) "
                   f"{source.format(graphs=where.replace('graph', 'c.graph'))} GROUP BY {column} "
                   "ON CONFLICT DO UPDATE SET claims = claims + excluded.claims", args)
        db.execute(f"DELETE FROM {table} WHERE claims <= 0")
    pairs = _pairs(db, where, args)
    if sign > 0:
        db.executemany("INSERT INTO rank_pairs VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                       "articles = articles + excluded.articles, first_graph = min(first_graph, excluded.first_graph)",
                       [(a, b, n, first) for (a, b), (n, first) in sorted(pairs.items())])  # in key order
        return
    db.executemany("UPDATE rank_pairs SET articles = articles - ? WHERE a = ? AND b = ?",
                   [(n, a, b) for (a, b), (n, _) in pairs.items()])
    db.execute("DELETE FROM rank_pairs WHERE articles <= 0")
    if graphs:  # a pair whose example article goes: the first of the other graphs quoting both
        gone = set(graphs)
        quoting: dict[str, set[str]] = {}

        def graphs_of(speaker: str) -> set[str]:
            if speaker not in quoting:
                quoting[speaker] = {g for (g,) in db.execute(
                    "SELECT DISTINCT graph FROM claims WHERE speaker = ?", (speaker,))} - gone
            return quoting[speaker]

        moved = db.execute(f"SELECT a, b FROM rank_pairs WHERE first_{where}", args).fetchall()
        db.executemany("UPDATE rank_pairs SET first_graph = ? WHERE a = ? AND b = ?",
                       [(min(graphs_of(a) & graphs_of(b), default=None), a, b) for a, b in moved])


def add_graphs(db: sqlite3.Connection, graphs: Sequence[str]) -> None:
    """Add the summaries of the claims of ``graphs``, just indexed (inside the index's transaction)."""
    if graphs:
        _apply(db, graphs, 1)


def subtract_graphs(db: sqlite3.Connection, graphs: Sequence[str]) -> None:
    """Subtract the summaries of the claims of ``graphs``, about to be deleted (inside the index's transaction)."""
    if graphs:
        _apply(db, graphs, -1)


PAIR_INDEXES = [statement.strip() for statement in SCHEMA.split(";") if "INDEX" in statement and "rank_pairs(" in
                statement]
"""Dropped while ``build`` fills ``rank_pairs`` and made again after: half the time of keeping them up to date."""


def build(db: sqlite3.Connection) -> None:
    """Make the summaries again from the index's claim tables alone (inside a transaction)."""
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -131072")  # 128 MB while building: the pairs' keys are long IRIs
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
    for statement in PAIR_INDEXES:
        db.execute("DROP INDEX IF EXISTS " + statement.split("EXISTS ", 1)[1].split(" ON ")[0])
    _apply(db, None, 1)
    for statement in PAIR_INDEXES:
        db.execute(statement)
    db.execute(f"PRAGMA cache_size = {int(cache)}")
    _set_state(db, VERSION)


def clear(db: sqlite3.Connection) -> None:
    """Empty the summaries and mark them current (an index being rebuilt from nothing)."""
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
    _set_state(db, VERSION)


def drop(db: sqlite3.Connection) -> None:
    """Remove the summaries and their version: the index as it was before they existed (``ensure`` builds them)."""
    for table in TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute("DELETE FROM meta WHERE key = 'rankings'")


def ensure(db: sqlite3.Connection) -> bool:
    """Create the tables; build them from the claim tables when this index has none of this version yet (an index
    made before them). Returns whether it built. A ``stale`` index stays stale."""
    db.executescript(SCHEMA)
    if state(db) in (VERSION, STALE):
        return False
    db.execute("BEGIN")
    try:
        build(db)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return True


def state(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'rankings'").fetchone()
    return row[0] if row else None


def _set_state(db: sqlite3.Connection, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES ('rankings', ?)", (value,))


def mark_stale(db: sqlite3.Connection) -> None:
    """The store was written where the index cannot follow exactly: the rankings run as SPARQL until a rebuild."""
    _set_state(db, STALE)


# -- answering -----------------------------------------------------------------------------------------------------

Select = Callable[[str, Mapping[str, Term], int | None], Solutions]
"""How labels and countries are read from the store (kg.paging.Select)."""

XSD = PREFIXES["xsd"]
INTEGER = ox.NamedNode(XSD + "integer")
DATE = ox.NamedNode(XSD + "date")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ARTICLE_ID = BASE + "id/article/"
ARTICLE_GRAPH = BASE + "graph/article/"
LABELS = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label")


def _int(term: Term | None) -> int | None:
    if isinstance(term, ox.Literal) and term.datatype == INTEGER:
        try:
            return int(term.value)
        except ValueError:
            return None
    return None


def _day(term: Term | None) -> str | None:
    """A plain ``xsd:date`` (no time zone) as ``YYYY-MM-DD``: what the claims' days compare with as text."""
    if isinstance(term, ox.Literal) and term.datatype == DATE and _DAY.fullmatch(term.value):
        return term.value
    return None


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=INTEGER)


def _label_key(label: ox.Literal | None) -> tuple[int, str, str]:
    """SPARQL's ascending order of an OPTIONAL label: unbound first, then by text (all labels here are strings)."""
    return (0, "", "") if label is None else (1, label.value, label.language or "")


def _labels(select: Select, iris: Iterable[str], predicate: str) -> dict[str, list[ox.Literal]]:
    """Every distinct ``predicate`` value of each of ``iris`` in the store (one query per 1,000 IRIs)."""
    chosen = sorted(set(iris))
    out: dict[str, list[ox.Literal]] = {}
    for i in range(0, len(chosen), 1000):
        values = " ".join(str(ox.NamedNode(iri)) for iri in chosen[i:i + 1000])
        rows = select(f"SELECT DISTINCT ?s ?label WHERE {{ VALUES ?s {{ {values} }} ?s <{predicate}> ?label }}",
                      {}, None).rows
        for row in rows:
            subject, label = row["s"], row["label"]
            if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
                out.setdefault(subject.value, []).append(label)
    return out


def _page(rows: list[dict[str, Term]], page: Page) -> tuple[list[dict[str, Term]], bool]:
    return rows[page.offset:page.offset + page.limit], len(rows) > page.offset + page.limit


def _echo(bound: Mapping[str, Term], names: Sequence[str]) -> dict[str, Term]:
    return {n: bound[n] for n in names if n in bound}


def _options(labels: dict[str, list[ox.Literal]], iri: str) -> list[ox.Literal | None]:
    """The labels an OPTIONAL gives ``iri``: each of them, or one row without."""
    return [*labels.get(iri, [])] or [None]


def _ordered(select: Select, keyed: dict[str, tuple[tuple[int, ...], dict[str, Term]]], page: Page
             ) -> tuple[list[dict[str, Term]], bool]:
    """The page of the issues' rows, each once per preferred label (none: the label unbound), as the OPTIONAL and
    GROUP BY give, in order of their counts (``keyed``'s tuples, descending), then label, then issue IRI."""
    labels = _labels(select, keyed, LABELS[0])
    rows = []
    for issue, (counts, row) in keyed.items():
        for label in _options(labels, issue):
            rows.append(((tuple(-n for n in counts), _label_key(label), issue),
                         {**row, "issueLabel": label} if label is not None else dict(row)))
    rows.sort(key=lambda r: r[0])
    return _page([r for _, r in rows], page)


TOP_ISSUES = ["from", "to", "minClaims", "issue", "issueLabel", "claims", "speakers", "articles", "first", "last"]


def top_issues(db: sqlite3.Connection, select: Select, bound: Mapping[str, Term], page: Page,
               memo: dict[str, object]) -> tuple[Solutions, bool] | None:
    """top-issues' page: claims, distinct speakers and articles per issue between two days, from the summaries."""
    start, end, least = _day(bound.get("from")), _day(bound.get("to")), _int(bound.get("minClaims"))
    if start is None or end is None or least is None:
        return None
    span = [start, end]
    found = db.execute(
        "WITH d AS (SELECT issue, SUM(claims) n, MIN(day) first, MAX(day) last FROM rank_issue_days "
        "WHERE day BETWEEN ? AND ? GROUP BY issue), "
        "s AS (SELECT issue, COUNT(DISTINCT speaker) n FROM rank_issue_speakers WHERE day BETWEEN ? AND ? "
        "GROUP BY issue), "
        "a AS (SELECT issue, COUNT(DISTINCT article) n FROM rank_issue_articles WHERE day BETWEEN ? AND ? "
        "GROUP BY issue) "
        "SELECT d.issue, d.n, COALESCE(s.n, 0), COALESCE(a.n, 0), d.first, d.last FROM d "
        "LEFT JOIN s ON s.issue = d.issue LEFT JOIN a ON a.issue = d.issue WHERE d.n >= ?",
        [*span, *span, *span, least]).fetchall()
    echo = _echo(bound, ["from", "to", "minClaims"])
    keyed: dict[str, tuple[tuple[int, ...], dict[str, Term]]] = {}
    for issue, n, s, a, first, last in found:
        keyed[issue] = ((n, s), {**echo, "issue": ox.NamedNode(issue), "claims": _integer(n), "speakers": _integer(s),
                                 "articles": _integer(a), "first": ox.Literal(first, datatype=DATE),
                                 "last": ox.Literal(last, datatype=DATE)})
    kept, more = _ordered(select, keyed, page)
    return Solutions(list(TOP_ISSUES), kept), more


CONTESTED = ["minCountries", "from", "to", "issue", "issueLabel", "countries", "countryNames", "speakers", "claims"]
ACTS_FOR = """SELECT DISTINCT ?speaker ?country ?countryName WHERE {
  ?speaker <https://w3id.org/claimgraph/ontology#actsFor> ?country .
  ?country <http://www.w3.org/2000/01/rdf-schema#label> ?countryName }"""
"""contested-issues' own join of a speaker with the countries it acts for and their names, over the whole store:
its size is the entities acting for a country, not the claims."""


def _sides(select: Select, memo: dict[str, object]) -> dict[str, dict[str, list[ox.Literal]]]:
    """Speaker -> country it acts for -> the country's names (ACTS_FOR), kept in ``memo`` while the store stays."""
    if "sides" not in memo:
        sides: dict[str, dict[str, list[ox.Literal]]] = {}
        for row in select(ACTS_FOR, {}, None).rows:
            speaker, country, name = row["speaker"], row["country"], row["countryName"]
            if isinstance(speaker, ox.NamedNode) and isinstance(country, ox.NamedNode):
                names = sides.setdefault(speaker.value, {}).setdefault(country.value, [])
                if isinstance(name, ox.Literal) and name not in names:
                    names.append(name)
        memo["sides"] = sides
    return memo["sides"]  # type: ignore[return-value]


def _concat(names: list[ox.Literal]) -> ox.Literal:
    """GROUP_CONCAT(DISTINCT ...; separator=", ") of ``names`` as Oxigraph writes it: the language kept when every
    name has the same one. SPARQL leaves the order of the names to the store; here it is code point order."""
    text = ", ".join(sorted(n.value for n in names))
    languages = {n.language for n in names}
    language = languages.pop() if len(languages) == 1 else None
    return ox.Literal(text, language=language) if language else ox.Literal(text)


def contested_issues(db: sqlite3.Connection, select: Select, bound: Mapping[str, Term], page: Page,
                     memo: dict[str, object]) -> tuple[Solutions, bool] | None:
    """contested-issues' page: per issue, the countries whose speakers made claims about it between two days."""
    start, end, least = _day(bound.get("from")), _day(bound.get("to")), _int(bound.get("minCountries"))
    if start is None or end is None or least is None:
        return None
    sides = _sides(select, memo)
    tallies: dict[str, list[tuple[str, int]]] = {}
    for issue, speaker, claims in db.execute(  # only the speakers acting for a country: the others do not count
            "SELECT issue, speaker, SUM(claims) FROM rank_issue_speakers WHERE day BETWEEN ? AND ? AND speaker IN "
            "(SELECT value FROM json_each(?)) GROUP BY issue, speaker", [start, end, json.dumps(sorted(sides))]):
        tallies.setdefault(issue, []).append((speaker, claims))
    echo = _echo(bound, ["minCountries", "from", "to"])
    keyed: dict[str, tuple[tuple[int, ...], dict[str, Term]]] = {}
    for issue, spoken in tallies.items():
        countries = {c: names for s, _ in spoken for c, names in sides[s].items()}
        if len(countries) < least:
            continue
        names = list({n: None for ns in countries.values() for n in ns})
        claims = sum(n for _, n in spoken)
        keyed[issue] = ((len(countries), claims), {
            **echo, "issue": ox.NamedNode(issue), "countries": _integer(len(countries)),
            "countryNames": _concat(names), "speakers": _integer(len(spoken)), "claims": _integer(claims)})
    kept, more = _ordered(select, keyed, page)
    return Solutions(list(CONTESTED), kept), more


CO_QUOTED = ["speaker", "minArticles", "a", "aName", "b", "bName", "articles", "exampleArticle"]


def co_quoted(db: sqlite3.Connection, select: Select, bound: Mapping[str, Term], page: Page,
              memo: dict[str, object]) -> tuple[Solutions, bool] | None:
    """co-quoted's page: pairs of speakers by the articles quoting both. Only the pairs that can reach the page are
    read (every pair with at least as many articles as the page's last row) and ordered by their labels; None when
    they are more than MOST_CANDIDATES."""
    least = _int(bound.get("minArticles"))
    speaker = bound.get("speaker")
    if least is None or (speaker is not None and not isinstance(speaker, ox.NamedNode)):
        return None
    if speaker is not None:
        where, args = "(a = ? OR b = ?) AND articles >= ?", [speaker.value, speaker.value, least]
    else:
        where, args = "articles >= ?", [least]
    last = db.execute(f"SELECT articles FROM rank_pairs WHERE {where} ORDER BY articles DESC LIMIT 1 OFFSET ?",
                      [*args, page.offset + page.limit]).fetchone()
    if last is not None:  # the page ends among the pairs with this many articles: none with fewer can be on it
        args[-1] = max(least, last[0])
    count = db.execute(f"SELECT COUNT(*) FROM rank_pairs WHERE {where}", args).fetchone()[0]
    if count > MOST_CANDIDATES:
        return None
    pairs = db.execute(f"SELECT a, b, articles, first_graph FROM rank_pairs WHERE {where}", args).fetchall()
    names = _labels(select, {s for a, b, *_ in pairs for s in (a, b)}, LABELS[1])
    echo = _echo(bound, ["speaker", "minArticles"])
    rows: list[tuple[tuple[object, ...], dict[str, Term]]] = []
    for a, b, articles, first in pairs:
        example = ox.NamedNode(ARTICLE_ID + (first.removeprefix(ARTICLE_GRAPH) if first.startswith(ARTICLE_GRAPH)
                                             else ""))
        for a_name in _options(names, a):
            for b_name in _options(names, b):
                row: dict[str, Term] = {**echo, "a": ox.NamedNode(a), "b": ox.NamedNode(b),
                                        "articles": _integer(articles), "exampleArticle": example}
                if a_name is not None:
                    row["aName"] = a_name
                if b_name is not None:
                    row["bName"] = b_name
                rows.append(((-articles, _label_key(a_name), _label_key(b_name), a, b), row))
    rows.sort(key=lambda r: r[0])
    kept, more = _page([r for _, r in rows], page)
    return Solutions(list(CO_QUOTED), kept), more


ISSUE_BY_LABEL = ["label", "issue", "prefLabel", "broader", "broaderLabel", "claims"]
ISSUES_LABELLED = f"""PREFIX cg: <{PREFIXES['cg']}>
PREFIX skos: <{PREFIXES['skos']}>
SELECT DISTINCT ?label ?issue ?prefLabel ?broader ?broaderLabel WHERE {{
  ?issue a cg:Issue ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?label .
  OPTIONAL {{ ?issue skos:prefLabel ?prefLabel }}
  OPTIONAL {{ ?issue skos:broader ?broader . OPTIONAL {{ ?broader skos:prefLabel ?broaderLabel }} }}
}}"""
"""issue-by-label without its claim counts: the issues of one label, looked up by it (a few triples)."""


def _term_key(term: Term | None) -> tuple[int, str, str]:
    """An order of optional terms for ties: unbound first, then by text and language or datatype."""
    if term is None or isinstance(term, ox.Triple):
        return (0, "", "")
    return (1, term.value, getattr(term, "language", None) or str(getattr(term, "datatype", "")))


def issue_by_label(db: sqlite3.Connection, select: Select, bound: Mapping[str, Term], page: Page,
                   memo: dict[str, object]) -> tuple[Solutions, bool] | None:
    """issue-by-label's page: the issues of a label from the store, their claims (dated or not) from
    ``rank_issues``, ordered by claims (descending) and preferred label, then by the other columns."""
    label = bound.get("label")
    if not isinstance(label, ox.Literal):
        return None
    rows = [r for r in select(ISSUES_LABELLED, {"label": label}, None).rows if isinstance(r.get("issue"), ox.NamedNode)]
    issues = sorted({r["issue"].value for r in rows})  # type: ignore[union-attr]
    marks = ",".join("?" * len(issues))
    claims = dict(db.execute(f"SELECT issue, claims FROM rank_issues WHERE issue IN ({marks})", issues).fetchall())
    found = []
    for row in rows:
        issue, pref = row["issue"].value, row.get("prefLabel")  # type: ignore[union-attr]
        n = int(claims.get(issue, 0))
        found.append(((-n, _label_key(pref if isinstance(pref, ox.Literal) else None), issue,
                       _term_key(row.get("broader")), _term_key(row.get("broaderLabel"))),
                      {**row, "label": label, "claims": _integer(n)}))
    found.sort(key=lambda r: r[0])
    kept, more = _page([r for _, r in found], page)
    return Solutions(list(ISSUE_BY_LABEL), kept), more


ANSWERS: dict[str, Callable[[sqlite3.Connection, Select, Mapping[str, Term], Page, dict[str, object]],
                            tuple[Solutions, bool] | None]] = {
    "top-issues": top_issues, "contested-issues": contested_issues, "co-quoted": co_quoted,
    "issue-by-label": issue_by_label}
"""The canned queries the summaries answer, by name."""


def answer(db: sqlite3.Connection, name: str, bound: Mapping[str, Term], page: Page, select: Select, *,
           memo: dict[str, object] | None = None) -> tuple[Solutions, bool] | None:
    """One page of the canned query ``name`` from the summaries in ``db``, and whether more rows follow; None when
    the summaries cannot answer it exactly (another query, a parameter they do not hold, stale summaries).

    ``memo`` keeps what is read from the store once (who acts for which country) for as long as the caller knows
    the store unchanged (the server, until a write through it)."""
    if name not in ANSWERS or state(db) != VERSION:
        return None
    return ANSWERS[name](db, select, bound, page, {} if memo is None else memo)
