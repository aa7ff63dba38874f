"""What the landing page and ``kg stats`` count and list, kept in the search index beside the ranking summaries.

The landing page's counts (``kg.stats``) and its lists (most quoted speakers, issues discussed, latest articles)
read the whole store: at 37,534 articles its queries took past the 30 s timeout. The ranking summaries
(``kg.rankings``: claims per speaker, issue and kind) answer the claim counts; the rest needs facts of each article
graph that the claim rows do not hold, kept here per graph and written in the index's transaction with its claims:

* ``overview_articles`` (graph, article, published): each article graph's ``cg:Article`` and its
  ``schema:datePublished`` (the latest articles, in order, by an index);
* ``overview_named`` (graph, how, entity): who the graph names, ``how`` one of ``mention`` (``cg:mentionOf``),
  ``speaker`` (``cg:speaker``) and ``country`` (``cg:mentionsCountry``);
* ``overview_types`` (entity, type): the kinds ``kg.stats`` counts by (person, official, organisation, government
  body, country) of every entity of those types, read again for the entities a graph names whenever it is indexed
  (an entity gains a type only from an article that names it) and for every entity at a full sync.

An index made before these tables gains them at its next sync (``kg reindex --check``, or the server's first use),
read from the store in batches; until then (``current`` false) the counts and lists come from the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg import rankings
from kg.rankings import _integer, _label_key, _labels
from kg.vocab import PREFIXES

VERSION = "1"
MARK = "overview"
"""The meta key holding VERSION once every graph's facts are in the tables."""
CG = PREFIXES["cg"]
TYPES = tuple(CG + t for t in ("Person", "Official", "Organization", "GovernmentBody", "Country"))
"""The entity types ``kg.stats`` counts by."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS overview_articles (graph TEXT PRIMARY KEY, article TEXT NOT NULL, published TEXT)
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS overview_articles_published ON overview_articles(published, article);
CREATE INDEX IF NOT EXISTS overview_articles_article ON overview_articles(article);
CREATE TABLE IF NOT EXISTS overview_named (graph TEXT NOT NULL, how TEXT NOT NULL, entity TEXT NOT NULL,
  PRIMARY KEY (graph, how, entity)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS overview_named_how ON overview_named(how, entity);
CREATE TABLE IF NOT EXISTS overview_types (entity TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (entity, type))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS overview_types_type ON overview_types(type, entity);
"""
TABLES = ("overview_articles", "overview_named", "overview_types")

PREFIX_TEXT = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
FACTS = PREFIX_TEXT + "SELECT DISTINCT ?g ?how ?x ?article ?published WHERE { %s }"
FACTS_IN_GRAPH = """
    { ?article a cg:Article . OPTIONAL { ?article schema:datePublished ?published } }
    UNION { ?m cg:mentionOf ?x BIND("mention" AS ?how) }
    UNION { ?c cg:speaker ?x BIND("speaker" AS ?how) }
    UNION { ?c cg:mentionsCountry ?x BIND("country" AS ?how) }"""
_TYPE_VALUES = " ".join(f"<{t}>" for t in TYPES)
TYPES_OF = PREFIX_TEXT + "SELECT DISTINCT ?x ?t WHERE { %s ?x a ?t . VALUES ?t { " + _TYPE_VALUES + " } }"

Selector = Callable[[str], Iterable[Mapping[str, Any]]]
"""A SELECT's rows of terms by variable name (kg.search.Selector)."""
InGraphs = Callable[[str, Sequence[str]], str]
"""kg.search.in_graphs: a pattern in each of some graphs, ``?g`` bound to the graph."""


@dataclass
class Facts:
    """What a batch of article graphs holds for the overview, read before the index's transaction."""

    articles: list[tuple[str, str, str | None]] = field(default_factory=list)
    named: set[tuple[str, str, str]] = field(default_factory=set)
    types: set[tuple[str, str]] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)


def _iri_values(iris: Iterable[str]) -> str:
    return "VALUES ?x { " + " ".join(f"<{i}>" for i in sorted(iris) if not any(c in i for c in '<>"{}|^`\\ ')) + " }"


def read(select: Selector, graphs: Sequence[str], in_graphs: InGraphs) -> Facts:
    """The facts of ``graphs`` in the store: their articles and dates, who they name, and those entities' types."""
    facts = Facts()
    if not graphs:
        return facts
    for row in select(FACTS % in_graphs(FACTS_IN_GRAPH, graphs)):
        graph, how, entity = row["g"].value, row.get("how"), row.get("x")
        if how is not None and entity is not None:
            facts.named.add((graph, how.value, entity.value))
        elif row.get("article") is not None:
            published = row.get("published")
            facts.articles.append((graph, row["article"].value, published.value if published is not None else None))
    facts.entities = {entity for _, _, entity in facts.named}
    for chunk in _chunks(sorted(facts.entities), 1000):
        facts.types |= {(r["x"].value, r["t"].value) for r in select(TYPES_OF % _iri_values(chunk))}
    return facts


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def create(db: sqlite3.Connection) -> None:
    """Create the tables; an index holding no article yet has nothing to fill, so they are current."""
    db.executescript(SCHEMA)
    if not filled(db) and db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (MARK, VERSION))


def delete(db: sqlite3.Connection, graphs: Sequence[str]) -> None:
    """Forget the facts of ``graphs`` (inside the index's transaction); their entities' types stay."""
    marks = ",".join("?" * len(graphs))
    for table in ("overview_articles", "overview_named"):
        db.execute(f"DELETE FROM {table} WHERE graph IN ({marks})", list(graphs))


def write(db: sqlite3.Connection, graphs: Sequence[str], facts: Facts) -> None:
    """Replace the facts of ``graphs`` by ``facts`` and their entities' types (inside the index's transaction)."""
    delete(db, graphs)
    db.executemany("INSERT OR REPLACE INTO overview_articles VALUES (?, ?, ?)", sorted(set(facts.articles),
                                                                                     key=str))
    db.executemany("INSERT OR IGNORE INTO overview_named VALUES (?, ?, ?)", sorted(facts.named))
    db.executemany("DELETE FROM overview_types WHERE entity = ?", [(e,) for e in sorted(facts.entities)])
    db.executemany("INSERT OR IGNORE INTO overview_types VALUES (?, ?)", sorted(facts.types))


def clear(db: sqlite3.Connection) -> None:
    """Empty the tables and mark them current (an index being rebuilt from nothing)."""
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (MARK, VERSION))


def refresh_types(db: sqlite3.Connection, select: Selector) -> None:
    """Every entity's types again (a full sync: the store may have changed where no graph was re-indexed)."""
    rows = sorted({(r["x"].value, r["t"].value) for r in select(TYPES_OF % "")})
    db.execute("BEGIN")
    db.execute("DELETE FROM overview_types")
    db.executemany("INSERT OR IGNORE INTO overview_types VALUES (?, ?)", rows)
    db.execute("COMMIT")


def current(db: sqlite3.Connection) -> bool:
    """Whether the tables hold every indexed graph's facts and the ranking summaries are current."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (MARK,)).fetchone()
    return bool(row and row[0] == VERSION) and rankings.state(db) == rankings.VERSION


FACTS_ALL = PREFIX_TEXT + """SELECT ?g ?how ?x ?article ?published WHERE { GRAPH ?g { %s } }"""
_EVERY = {
    "article": "?article a cg:Article . OPTIONAL { ?article schema:datePublished ?published }",
    "mention": '?m cg:mentionOf ?x BIND("mention" AS ?how)',
    "speaker": '?c cg:speaker ?x BIND("speaker" AS ?how)',
    "country": '?c cg:mentionsCountry ?x BIND("country" AS ?how)',
}


def fill(db: sqlite3.Connection, select: Selector) -> int:
    """Give an index made before these tables the facts of every graph it holds, from the store (one query per
    kind of fact over every graph: 40 graphs a query took an hour at 37,534 articles), and mark them current.
    Returns the graphs filled."""
    graphs = {g for (g,) in db.execute("SELECT graph FROM articles")}
    facts = Facts()
    for pattern in _EVERY.values():
        for row in select(FACTS_ALL % pattern):
            graph = row["g"].value
            if graph not in graphs:
                continue
            if row.get("how") is not None and row.get("x") is not None:
                facts.named.add((graph, row["how"].value, row["x"].value))
            elif row.get("article") is not None:
                published = row.get("published")
                facts.articles.append((graph, row["article"].value,
                                       published.value if published is not None else None))
    db.execute("BEGIN")
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
    db.executemany("INSERT OR REPLACE INTO overview_articles VALUES (?, ?, ?)", facts.articles)
    db.executemany("INSERT OR IGNORE INTO overview_named VALUES (?, ?, ?)", sorted(facts.named))
    db.execute("COMMIT")
    refresh_types(db, select)
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (MARK, VERSION))
    return len(graphs)


def filled(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (MARK,)).fetchone()
    return bool(row and row[0] == VERSION)


# -- answering -----------------------------------------------------------------------------------------------------

MOST_CANDIDATES = 5_000
"""The most speakers or issues whose labels are read to order a list (those tied at its end); past it the store's
query answers."""


def _top(db: sqlite3.Connection, table: str, key: str, cap: int) -> list[tuple[str, int]] | None:
    """The rows of ``table`` that can be among its ``cap`` largest counts (those tied with the last included)."""
    cutoff = db.execute(f"SELECT claims FROM {table} ORDER BY claims DESC LIMIT 1 OFFSET ?", (cap - 1,)).fetchone()
    least = cutoff[0] if cutoff else 0
    found = db.execute(f"SELECT {key}, claims FROM {table} WHERE claims >= ? LIMIT ?",
                       (least, MOST_CANDIDATES + 1)).fetchall()
    return None if len(found) > MOST_CANDIDATES else [(str(k), int(n)) for k, n in found]


def ranked(db: sqlite3.Connection, select: rankings.Select, what: str, predicates: Sequence[str], cap: int
           ) -> tuple[list[str], list[dict[str, Any]]] | None:
    """The landing page's ``what`` list (``speaker``: server.describe.TOP_SPEAKERS; ``issue``: TOP_ISSUES), its
    first ``cap`` rows exactly as the query orders them (claims descending, label, then IRI), each once per label
    (none: unbound), labels by ``predicates`` from the store; None when too many are tied at the end."""
    table = {"speaker": "rank_speakers", "issue": "rank_issues"}[what]
    top = _top(db, table, what, cap)
    if top is None:
        return None
    labels: dict[str, set[Any]] = {}
    for predicate in predicates:
        for iri, found in _labels(select, (k for k, _ in top), predicate).items():
            labels.setdefault(iri, set()).update(found)
    rows = []
    for iri, n in top:
        for label in sorted(labels.get(iri, []), key=_label_key) or [None]:
            row: dict[str, Any] = {what: ox.NamedNode(iri), "claims": _integer(n)}
            if label is not None:
                row[what + "Label"] = label
            rows.append(((-n, _label_key(label), iri), row))
    rows.sort(key=lambda r: r[0])
    return [what, what + "Label", "claims"], [r for _, r in rows[:cap]]


def latest_articles(db: sqlite3.Connection, cap: int) -> list[str]:
    """The ``cap`` article IRIs published last (undated last, then by IRI): server.describe.ARTICLES' order."""
    return [a for (a,) in db.execute("SELECT DISTINCT article FROM overview_articles ORDER BY published DESC, "
                                     "article LIMIT ?", (cap,))]
