"""The search index: entities by name (typo-tolerant) and claims by full text, in one SQLite file (FTS5).

The RDF store stays the source of truth; the index is a derived copy of what search needs, kept per article:

* ``articles`` — one row per article graph with the content digest of its extraction run, so ``sync`` can tell
  which graphs changed since the index last saw them;
* ``claims`` + ``claim_fts`` (FTS5, Porter stemmer, BM25 ranking) + ``claim_terms`` (issues and mentioned
  countries of each claim, for filters and facet counts) + ``claim_grams`` (FTS5 trigrams of each claim's text in
  lower case, for the case-insensitive substring test of the canned search-claims: kg.keys);
* ``entities`` + ``entity_names`` (label and every alias) + ``entity_grams`` (character trigrams of each name
  word, for names typed wrong: "lightiz" finds Lighthizer) + ``entity_countries`` (``cg:actsFor``).

``kg ingest`` writes an article's rows right after its graph (``index_article``), in one SQLite transaction; the
store write is the commit point, and ``sync`` (run by the server before it answers a search after the store
changed, and by ``kg reindex``) repairs anything that was not written, by comparing digests. ``rebuild`` starts
from nothing. Everything is read from the store by SPARQL, so the same code indexes an embedded or a remote store.
"""

from __future__ import annotations

import hashlib
import math
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Protocol

from kg import config, overview, rankings
from kg.errors import BadInput
from kg.paging import Page
from kg.vocab import BASE, PREFIXES

ID_BASE = BASE + "id/"
SCHEMA_VERSION = "1"
GRAMS_MARK = "claim_grams"
"""The meta key saying ``claim_grams`` holds every claim (an index made before it gains it when next opened)."""
KEYS_MARK = "keys_unsafe"
"""The meta key saying why the index may not pick canned queries' keys (SearchIndex.keys_unsafe)."""
CG = PREFIXES["cg"]

KINDS: dict[str, tuple[str, ...]] = {
    "person": (CG + "Person", CG + "Official", PREFIXES["foaf"] + "Person"),
    "organisation": (CG + "Organization", CG + "GovernmentBody"),
    "publisher": (CG + "Publisher",),
    "country": (CG + "Country",),
    "issue": (CG + "Issue", PREFIXES["skos"] + "Concept"),
}
"""Entity kinds the index knows, with the RDF types that make a node one (the first kind that matches wins)."""

CLAIM_KINDS = {CG + "DirectQuote": "direct quote", CG + "IndirectQuote": "indirect quote",
               CG + "MixedQuote": "mixed quote"}
"""Human names of the claim kinds."""


class Selector(Protocol):
    """Anything that answers a SELECT with rows of pyoxigraph terms by variable name (a Store, a QueryRunner)."""

    def __call__(self, sparql: str) -> Iterable[Mapping[str, Any]]: ...


def store_selector(store: Any) -> Selector:
    """A Selector over a ``kg.store.Store`` (the union of all graphs as default graph)."""
    def select(sparql: str) -> Iterator[dict[str, Any]]:
        result = store.query(sparql)
        names = [v.value for v in result.variables]
        for solution in result:
            yield {n: solution[n] for n in names if solution[n] is not None}
    return select


# -- locations ---------------------------------------------------------------------------------------------------

def index_path(location: str, override: str | None = None) -> Path:
    """Where the index of the store at ``location`` lives: ``override``, else ``KG_SEARCH_INDEX``, else beside an
    embedded store (``<store>.search.sqlite``), or for a remote store ``./data/search-<hash of its URL>.sqlite``."""
    chosen = override or config.env("SEARCH_INDEX")
    if chosen:
        return Path(chosen)
    if location.startswith(("http://", "https://")):
        digest = hashlib.sha256(location.encode()).hexdigest()[:12]
        return Path(config.DEFAULT_STORE).parent / f"search-{digest}.sqlite"
    store = Path(location)
    return store.parent / (store.name + ".search.sqlite")


# -- normalising names -------------------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: ``"Peña Nieto"`` -> ``"pena nieto"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def trigrams(word: str) -> set[str]:
    """Character trigrams of a word padded with ``^`` and ``$``: ``"ab"`` -> ``{"^ab", "ab$"}``."""
    padded = f"^{word}$"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def word_score(typed: str, word: str) -> float:
    """How well one typed word matches one word of a name, 0..1: exact 1, a prefix 0.95, else the similarity
    of the typed word to the name word's beginning or whole (difflib ratio), whichever is better."""
    if typed == word:
        return 1.0
    if word.startswith(typed) and len(typed) >= 2:
        return 0.95 if len(typed) >= 3 else 0.8
    head = word[:len(typed) + 1]
    return max(SequenceMatcher(None, typed, head).ratio(), SequenceMatcher(None, typed, word).ratio()) * 0.9


def name_score(query_words: Sequence[str], name_words: Sequence[str]) -> float:
    """Mean over the typed words of their best match among the name's words (0 for a name with no words)."""
    if not query_words or not name_words:
        return 0.0
    return sum(max(word_score(q, w) for w in name_words) for q in query_words) / len(query_words)


# -- SPARQL --------------------------------------------------------------------------------------------------------

PREFIX_TEXT = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

ARTICLE_DIGESTS = PREFIX_TEXT + """SELECT ?g ?digest WHERE {
  GRAPH ?g { ?article a cg:Article . OPTIONAL { ?run cg:contentDigest ?digest } }
}"""

CLAIMS = PREFIX_TEXT + """SELECT ?g ?claim ?text ?kind ?date ?speaker ?speakerText ?start ?end ?article ?headline
       ?publisher ?published WHERE { %s }"""
CLAIMS_IN_GRAPH = """
    ?claim a cg:Claim ; cg:claimText ?text ; prov:wasDerivedFrom ?article .
    OPTIONAL { ?claim cg:kind ?kind }
    OPTIONAL { ?claim cg:statedOn ?date }
    OPTIONAL { ?claim cg:speaker ?speaker }
    OPTIONAL { ?claim cg:speakerText ?speakerText }
    OPTIONAL { ?claim cg:evidence ?span . ?span oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }
    OPTIONAL { ?article schema:headline ?headline }
    OPTIONAL { ?article schema:publisher ?publisher }
    OPTIONAL { ?article schema:datePublished ?published }"""

CLAIM_TERMS = PREFIX_TEXT + """SELECT ?claim ?p ?o WHERE { %s }"""
CLAIM_TERMS_IN_GRAPH = """ VALUES ?p { cg:about cg:mentionsCountry } ?claim a cg:Claim ; ?p ?o """

ARTICLE_DIGESTS_IN = PREFIX_TEXT + """SELECT ?g ?digest WHERE { %s }"""
ARTICLE_DIGEST_IN_GRAPH = """ ?article a cg:Article . OPTIONAL { ?run cg:contentDigest ?digest } """


GRAPHS_PER_QUERY = 40
"""Article graphs asked for in one query (one ``GRAPH <iri>`` block each, :func:`in_graphs`): the fixed cost of a
query (parsing, the round trip to a remote store) is shared by that many."""


def in_graphs(pattern: str, graphs: Sequence[str]) -> str:
    """``pattern`` in each of ``graphs``, with ``?g`` bound to the graph: a UNION of one block per graph, each over
    its constant graph IRI. ``VALUES ?g { ... } GRAPH ?g { ... }`` gives the same rows, but Oxigraph evaluates the
    graph pattern over every graph before joining the VALUES, so its cost grew with the store (1.6 s for 40 graphs
    at 4,000 articles; 0.08 s in this form), which made each ingest batch's search indexing slower than the last."""
    return " UNION ".join(f"{{ VALUES ?g {{ <{g}> }} GRAPH <{g}> {{{pattern}}} }}" for g in graphs)


ENTITY_TYPES = PREFIX_TEXT + """SELECT ?e ?type WHERE {
  VALUES ?type { %s }
  ?e a ?type .%s
}"""

ENTITY_NAMES = PREFIX_TEXT + """SELECT ?e ?p ?name WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel }
  ?e a ?type ; ?p ?name .
  VALUES ?type { %s }%s
}"""

ENTITY_NAMES_OF = PREFIX_TEXT + """SELECT ?e ?p ?name WHERE {%s
  ?e ?p ?name .
  FILTER(?p IN (rdfs:label, skos:prefLabel, skos:altLabel, skos:hiddenLabel))
  FILTER EXISTS { ?e a ?type . VALUES ?type { %s } }
}"""
"""ENTITY_NAMES for the entities of a ``VALUES ?e`` block (a batch's): each one's triples, then the name predicates
and a kind. Oxigraph answered ENTITY_NAMES's form for 200 entities of a 1,600-article store in 550-1,260 ms (the
names of every entity of a kind, then the join), this one in 8-14 ms, with the same names."""

ENTITY_COUNTRIES = PREFIX_TEXT + """SELECT ?e ?country WHERE {
  ?e cg:actsFor ?country .%s
}"""

ENTITY_BROADER = PREFIX_TEXT + """SELECT ?e ?broader WHERE {
  ?e skos:broader ?broader .%s
}"""


def _iri_list(iris: Iterable[str]) -> str:
    out = []
    for iri in iris:
        if any(c in iri for c in '<>"{}|^`\\ '):
            continue  # not a valid IRI: the store cannot hold it anyway
        out.append(f"<{iri}>")
    return " ".join(out)


def _value(row: Mapping[str, Any], name: str) -> str | None:
    term = row.get(name)
    return None if term is None else term.value


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# -- the index -----------------------------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (graph TEXT PRIMARY KEY, digest TEXT);
CREATE TABLE IF NOT EXISTS claims (
  id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, graph TEXT NOT NULL, article TEXT, headline TEXT,
  text TEXT NOT NULL, kind TEXT, date TEXT, speaker TEXT, speaker_text TEXT, start INTEGER, "end" INTEGER,
  publisher TEXT, published TEXT);
CREATE INDEX IF NOT EXISTS claims_graph ON claims(graph);
CREATE INDEX IF NOT EXISTS claims_speaker ON claims(speaker);
CREATE INDEX IF NOT EXISTS claims_date ON claims(date);
CREATE INDEX IF NOT EXISTS claims_date_iri ON claims(date, iri);
CREATE INDEX IF NOT EXISTS claims_speaker_date ON claims(speaker, date, iri);
CREATE VIRTUAL TABLE IF NOT EXISTS claim_fts USING fts5(text, speaker_text, headline, content='claims',
  content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS claim_grams USING fts5(low, tokenize='trigram case_sensitive 1');
CREATE TABLE IF NOT EXISTS claim_terms (claim INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claim_terms_claim ON claim_terms(claim);
CREATE INDEX IF NOT EXISTS claim_terms_value ON claim_terms(facet, value);
CREATE TABLE IF NOT EXISTS entities (iri TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entity_names (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, name TEXT NOT NULL,
  folded TEXT NOT NULL, is_label INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entity_names_iri ON entity_names(iri);
CREATE INDEX IF NOT EXISTS entity_names_folded ON entity_names(folded);
CREATE TABLE IF NOT EXISTS entity_grams (gram TEXT NOT NULL, name INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entity_grams_gram ON entity_grams(gram);
CREATE INDEX IF NOT EXISTS entity_grams_name ON entity_grams(name);
CREATE TABLE IF NOT EXISTS entity_countries (iri TEXT NOT NULL, country TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entity_countries_iri ON entity_countries(iri);
CREATE INDEX IF NOT EXISTS entity_countries_country ON entity_countries(country);
CREATE TABLE IF NOT EXISTS entity_broader (iri TEXT NOT NULL, broader TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entity_broader_broader ON entity_broader(broader);
CREATE INDEX IF NOT EXISTS entity_broader_iri ON entity_broader(iri);
"""


ENTITY_TABLES = ("entities", "entity_names", "entity_grams", "entity_countries", "entity_broader")


@dataclass(frozen=True)
class Entity:
    """An entity found by name: its IRI, kind, label, the name that matched, a score 0..1 and its claim count."""

    iri: str
    kind: str
    label: str
    matched: str
    score: float
    claims: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "kind": self.kind, "label": self.label, "matched": self.matched,
                "score": round(self.score, 3), "claims": self.claims}


@dataclass(frozen=True)
class ClaimHit:
    """A claim found by text or filters, with its speaker's label, issues and a snippet with ``[[...]]`` marks."""

    iri: str
    text: str
    snippet: str
    kind: str | None
    date: str | None
    speaker: str | None
    speaker_label: str | None
    speaker_text: str | None
    article: str | None
    headline: str | None
    start: int | None
    end: int | None
    publisher: str | None
    publisher_label: str | None
    issues: list[tuple[str, str]] = field(default_factory=list)
    rank: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "text": self.text, "snippet": self.snippet, "kind": self.kind,
                "kindLabel": CLAIM_KINDS.get(self.kind or ""), "date": self.date, "speaker": self.speaker,
                "speakerLabel": self.speaker_label, "speakerText": self.speaker_text, "article": self.article,
                "headline": self.headline, "start": self.start, "end": self.end, "publisher": self.publisher,
                "publisherLabel": self.publisher_label,
                "issues": [{"iri": i, "label": label} for i, label in self.issues]}


@dataclass(frozen=True)
class ClaimFilters:
    """What a claim search keeps: IRIs of speaker, speaker's country, issue (or a narrower one), kind,
    publisher; a date range (inclusive, ISO dates); whether undated claims pass a date range."""

    speaker: str | None = None
    country: str | None = None
    issue: str | None = None
    kind: str | None = None
    publisher: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    undated: bool = False

    def active(self) -> dict[str, str]:
        out = {k: v for k, v in (("speaker", self.speaker), ("country", self.country), ("issue", self.issue),
                                  ("kind", self.kind), ("publisher", self.publisher), ("from", self.date_from),
                                  ("to", self.date_to)) if v}
        if self.undated and (self.date_from or self.date_to):
            out["undated"] = "true"
        return out


@dataclass
class ClaimResults:
    """A page of claims, the total that matched, and facet counts (facet -> [(value IRI, label, count)])."""

    hits: list[ClaimHit]
    total: int
    offset: int
    limit: int
    facets: dict[str, list[tuple[str, str, int]]]


@dataclass
class SyncReport:
    """What a sync did: article graphs (re)indexed and removed, entities indexed, claims in the index, seconds."""

    indexed: int = 0
    removed: int = 0
    entities: int = 0
    claims: int = 0
    seconds: float = 0.0


SORTS = {"rank": "rank, c.date DESC", "date": "c.date IS NULL, c.date DESC, c.id",
         "date-asc": "c.date IS NULL, c.date ASC, c.id", "speaker": "speaker_label IS NULL, speaker_label, c.date"}
"""Orders a claim search offers: relevance (without words: newest first), newest, oldest, speaker name."""


class SearchIndex:
    """The SQLite search index at ``path`` (created when missing). Safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
            overview.create(self.db)
        except sqlite3.DatabaseError as e:
            raise BadInput(f"the search index {path} cannot be opened ({e}); delete it and run kg reindex") from None
        self.lock = threading.RLock()
        version = self._meta("schema")
        if version is None:
            self._set_meta("schema", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            raise BadInput(f"the search index {path} has schema {version}, this version writes {SCHEMA_VERSION}: "
                           "delete it and run kg reindex")
        with self.lock:
            rankings.ensure(self.db)  # an index made before the ranking summaries gains them, from its claims
        if self._meta(GRAMS_MARK) is None:
            self._fill_grams()

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _fill_grams(self) -> None:
        """Give an index made before ``claim_grams`` its rows, from its own ``claims`` (not from the store)."""
        with self.lock, self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM claim_grams")
            self.db.executemany("INSERT INTO claim_grams (rowid, low) VALUES (?, ?)",
                                ((i, text.lower()) for i, text in self.db.execute("SELECT id, text FROM claims")))
            self._set_meta(GRAMS_MARK, "1")
            self.db.execute("COMMIT")

    def keys_unsafe(self) -> str | None:
        """Why the index may not pick a canned query's keys (kg.keys), or None when it may: the store was written
        by a client of the server (SPARQL Update, Graph Store) since the index was last rebuilt. The content digests
        that ``sync`` compares do not see such a write."""
        with self.lock:
            return self._meta(KEYS_MARK)

    def distrust_keys(self, reason: str) -> None:
        """Record that the store is written other than by ``kg ingest`` (until ``rebuild``): see keys_unsafe."""
        with self.lock:
            if self._meta(KEYS_MARK) is None:
                self._set_meta(KEYS_MARK, reason)

    # -- writing ------------------------------------------------------------------------------------------------

    def index_article(self, select: Selector, graph: str) -> int:
        """(Re)index the claims of one article graph and the entities they name. Returns the claims indexed."""
        return self._index_graphs(select, [graph], {graph: self._digests(select, [graph]).get(graph)},
                                  entities=True)

    def index_articles(self, select: Selector, graphs: Sequence[str]) -> int:
        """(Re)index the claims of several article graphs and the entities they name, ``GRAPHS_PER_QUERY`` graphs per
        query. Returns the claims indexed."""
        return self._index_graphs(select, graphs, self._digests(select, graphs), entities=True)

    def _digests(self, select: Selector, graphs: Sequence[str] | None = None) -> dict[str, str | None]:
        sparqls = [ARTICLE_DIGESTS] if graphs is None else [
            ARTICLE_DIGESTS_IN % in_graphs(ARTICLE_DIGEST_IN_GRAPH, chunk)
            for chunk in _chunks(list(graphs), GRAPHS_PER_QUERY)]
        out: dict[str, str | None] = {}
        for sparql in sparqls:
            for row in select(sparql):
                graph = row["g"].value
                out[graph] = _value(row, "digest") or out.get(graph)
        return out

    def _index_graphs(self, select: Selector, graphs: Sequence[str], digests: Mapping[str, str | None], *,
                      entities: bool, batch: int = GRAPHS_PER_QUERY) -> int:
        total = 0
        for chunk in _chunks(list(graphs), batch):
            claim_rows = list(select(CLAIMS % in_graphs(CLAIMS_IN_GRAPH, chunk)))
            term_rows = list(select(CLAIM_TERMS % in_graphs(CLAIM_TERMS_IN_GRAPH, chunk)))
            named = {v for r in claim_rows for v in (_value(r, "speaker"), _value(r, "publisher")) if v}
            named |= {r["o"].value for r in term_rows}
            facts = overview.read(select, chunk, in_graphs)
            with self.lock, self.db:
                self.db.execute("BEGIN")
                self._delete_graphs(chunk)
                ids: dict[str, int] = {}
                for r in claim_rows:
                    iri = r["claim"].value
                    if iri in ids:
                        continue
                    cursor = self.db.execute(
                        'INSERT INTO claims (iri, graph, article, headline, text, kind, date, speaker, speaker_text,'
                        ' start, "end", publisher, published) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                        (iri, r["g"].value, _value(r, "article"), _value(r, "headline"), r["text"].value,
                         _value(r, "kind"), (_value(r, "date") or "")[:10] or None, _value(r, "speaker"),
                         _value(r, "speakerText"), _int(_value(r, "start")), _int(_value(r, "end")),
                         _value(r, "publisher"), (_value(r, "published") or "")[:10] or None))
                    ids[iri] = int(cursor.lastrowid or 0)
                    self.db.execute("INSERT INTO claim_fts (rowid, text, speaker_text, headline) VALUES (?,?,?,?)",
                                    (ids[iri], r["text"].value, _value(r, "speakerText") or "",
                                     _value(r, "headline") or ""))
                    self.db.execute("INSERT INTO claim_grams (rowid, low) VALUES (?, ?)",
                                    (ids[iri], r["text"].value.lower()))
                facet_of = {CG + "about": "issue", CG + "mentionsCountry": "mentions"}
                self.db.executemany("INSERT INTO claim_terms VALUES (?,?,?)", sorted({
                    (ids[r["claim"].value], facet_of[r["p"].value], r["o"].value)
                    for r in term_rows if r["claim"].value in ids}))
                rankings.add_graphs(self.db, chunk)
                overview.write(self.db, chunk, facts)
                self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)",
                                    [(g, digests.get(g)) for g in chunk])
                self.db.execute("COMMIT")
            total += len(ids)
            if entities and named:
                self.index_entities(select, sorted(named))
        return total

    def _delete_graphs(self, graphs: Sequence[str]) -> None:
        rankings.subtract_graphs(self.db, graphs)
        overview.delete(self.db, graphs)
        marks = ",".join("?" * len(graphs))
        old = self.db.execute(f"SELECT id, text, speaker_text, headline FROM claims WHERE graph IN ({marks})",
                              list(graphs)).fetchall()
        self.db.executemany("INSERT INTO claim_fts (claim_fts, rowid, text, speaker_text, headline) "
                            "VALUES ('delete', ?, ?, ?, ?)", [(i, t, s or "", h or "") for i, t, s, h in old])
        self.db.executemany("DELETE FROM claim_terms WHERE claim = ?", [(i,) for i, *_ in old])
        self.db.executemany("DELETE FROM claim_grams WHERE rowid = ?", [(i,) for i, *_ in old])
        self.db.execute(f"DELETE FROM claims WHERE graph IN ({marks})", list(graphs))
        self.db.execute(f"DELETE FROM articles WHERE graph IN ({marks})", list(graphs))

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        """Forget the claims of article graphs that are no longer in the store."""
        with self.lock, self.db:
            self.db.execute("BEGIN")
            for chunk in _chunks(list(graphs), 200):
                self._delete_graphs(chunk)
            self.db.execute("COMMIT")

    def index_entities(self, select: Selector, iris: Sequence[str] | None = None) -> int:
        """(Re)index the names, kinds and countries of ``iris`` (default: every entity of a known kind)."""
        if iris is not None and not iris:
            return 0
        restrict = f"\n  VALUES ?e {{ {_iri_list(iris)} }}" if iris is not None else ""
        all_types = " ".join(f"<{t}>" for types in KINDS.values() for t in types)
        kinds: dict[str, str] = {}
        rank = {t: i for i, t in enumerate(t for types in KINDS.values() for t in types)}
        kind_of = {t: k for k, types in KINDS.items() for t in types}
        best: dict[str, int] = {}
        for row in select(ENTITY_TYPES % (all_types, restrict)):
            iri, rdf_type = row["e"].value, row["type"].value
            if not iri.startswith(ID_BASE):
                continue
            if iri not in best or rank[rdf_type] < best[iri]:
                best[iri], kinds[iri] = rank[rdf_type], kind_of[rdf_type]
        names: dict[str, list[tuple[str, bool, int]]] = {}
        label_rank = {PREFIXES["rdfs"] + "label": 0, PREFIXES["skos"] + "prefLabel": 0}
        names_query = ENTITY_NAMES % (all_types, restrict) if iris is None else ENTITY_NAMES_OF % (restrict, all_types)
        for row in select(names_query):
            iri = row["e"].value
            if iri not in kinds:
                continue
            name, lang = row["name"].value, getattr(row["name"], "language", None)
            is_label = row["p"].value in label_rank
            names.setdefault(iri, []).append((name, is_label, 0 if lang in (None, "", "en") else 1))
        countries = [(row["e"].value, row["country"].value) for row in select(ENTITY_COUNTRIES % restrict)
                     if row["e"].value in kinds]
        broader = [(row["e"].value, row["broader"].value) for row in select(ENTITY_BROADER % restrict)
                   if row["e"].value in kinds]
        with self.lock, self.db:
            self.db.execute("BEGIN")
            targets = list(kinds) if iris is None else list(iris)
            if iris is None:
                for table in ENTITY_TABLES:
                    self.db.execute(f"DELETE FROM {table}")
            else:
                for chunk in _chunks(targets, 400):
                    marks = ",".join("?" * len(chunk))
                    ids = [r[0] for r in self.db.execute(
                        f"SELECT id FROM entity_names WHERE iri IN ({marks})", list(chunk))]
                    self.db.executemany("DELETE FROM entity_grams WHERE name = ?", [(i,) for i in ids])
                    for table in ("entities", "entity_names", "entity_countries", "entity_broader"):
                        self.db.execute(f"DELETE FROM {table} WHERE iri IN ({marks})", list(chunk))
            for iri, kind in kinds.items():
                forms = sorted(names.get(iri, []), key=lambda n: (not n[1], n[2], n[0]))
                label = forms[0][0] if forms else iri.rsplit("/", 1)[-1]
                self.db.execute("INSERT INTO entities VALUES (?,?,?)", (iri, kind, label))
                seen: set[str] = set()
                slug = iri.rsplit("/", 1)[-1].replace("-", " ")
                for name, is_label in [(f[0], f[1]) for f in forms] + [(slug, False)]:
                    folded = " ".join(words(name))
                    if not folded or folded in seen:
                        continue
                    seen.add(folded)
                    cursor = self.db.execute("INSERT INTO entity_names (iri, name, folded, is_label) VALUES "
                                             "(?,?,?,?)", (iri, name, folded, int(is_label)))
                    grams = {g for w in folded.split() for g in trigrams(w)}
                    self.db.executemany("INSERT INTO entity_grams VALUES (?, ?)",
                                        [(g, cursor.lastrowid) for g in sorted(grams)])
            self.db.executemany("INSERT INTO entity_countries VALUES (?, ?)", sorted(set(countries)))
            self.db.executemany("INSERT INTO entity_broader VALUES (?, ?)", sorted(set(broader)))
            self.db.execute("COMMIT")
        return len(kinds)

    def sync(self, select: Selector, *, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Bring the index in step with the store: index article graphs that are new or whose digest changed,
        forget graphs that are gone, and re-read every entity when anything changed (or the index is empty)."""
        started = time.monotonic()
        report = SyncReport()
        stored = self._digests(select)
        with self.lock:
            known = dict(self.db.execute("SELECT graph, digest FROM articles").fetchall())
            empty = self.db.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == 0
        changed = sorted(g for g, d in stored.items() if g not in known or known[g] != d or d is None)
        gone = sorted(set(known) - set(stored))
        if gone:
            self.remove_graphs(gone)
        done = 0
        for chunk in _chunks(changed, GRAPHS_PER_QUERY):
            self._index_graphs(select, chunk, stored, entities=False)
            done += len(chunk)
            if progress:
                progress(done, len(changed))
        report.indexed, report.removed = len(changed), len(gone)
        if changed or gone or empty:
            report.entities = self.index_entities(select)
        with self.lock:  # an index made before kg.overview's tables gains them; a full sync re-reads the types
            if not overview.filled(self.db):
                overview.fill(self.db, select)
            elif changed or gone or empty:
                overview.refresh_types(self.db, select)
        report.claims = self.claim_count()
        report.seconds = time.monotonic() - started
        with self.lock:
            self._set_meta("synced", str(time.time()))
        return report

    def rebuild(self, select: Selector, *, progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Empty the index and index the whole store again."""
        with self.lock, self.db:
            self.db.execute("BEGIN")
            for table in ("articles", "claims", "claim_terms", *ENTITY_TABLES):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT INTO claim_fts (claim_fts) VALUES ('delete-all')")
            rankings.clear(self.db)  # and current again: the rebuild reads every claim from the store
            overview.clear(self.db)
            self.db.execute("DELETE FROM claim_grams")
            self.db.execute("DELETE FROM meta WHERE key = ?", (KEYS_MARK,))
            self.db.execute("COMMIT")
        return self.sync(select, progress=progress)

    # -- reading ------------------------------------------------------------------------------------------------

    def ranking(self, name: str, bound: Mapping[str, Any], page: Page, select: rankings.Select, *,
                memo: dict[str, object] | None = None) -> tuple[Any, bool] | None:
        """One page of the ranking query ``name`` from the index's summaries, or None (kg.rankings.answer)."""
        with self.lock:
            return rankings.answer(self.db, name, bound, page, select, memo=memo)

    def in_step(self, select: Selector) -> bool:
        """Whether the index holds every article graph of the store at its digest, and no other (what ``sync``
        would change nothing of)."""
        with self.lock:
            known = dict(self.db.execute("SELECT graph, digest FROM articles").fetchall())
        stored = self._digests(select)
        return known == stored and None not in stored.values()

    def mark_rankings_stale(self) -> None:
        """The store was written where the index cannot follow exactly: rankings run as SPARQL until a rebuild."""
        with self.lock:
            rankings.mark_stale(self.db)

    def claim_count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0])

    def article_count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def label(self, iri: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT label FROM entities WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else None

    def entity(self, iri: str) -> Entity | None:
        with self.lock:
            row = self.db.execute("SELECT iri, kind, label FROM entities WHERE iri = ?", (iri,)).fetchone()
        return Entity(row[0], row[1], row[2], row[2], 1.0, self._claims_of([row[0]])[row[0]]) if row else None

    def countries_of(self, iri: str) -> list[str]:
        with self.lock:
            return [r[0] for r in self.db.execute("SELECT country FROM entity_countries WHERE iri = ? "
                                                  "ORDER BY country", (iri,))]

    def aliases(self, iri: str) -> list[str]:
        with self.lock:
            return [r[0] for r in self.db.execute("SELECT name FROM entity_names WHERE iri = ? AND is_label = 0 "
                                                  "ORDER BY id", (iri,))]

    def _claims_of(self, iris: Sequence[str]) -> dict[str, int]:
        """Claims per entity: spoken (people, organisations, countries), about (issues), published (publishers)."""
        if not iris:
            return {}
        marks = ",".join("?" * len(iris))
        out = dict.fromkeys(iris, 0)
        queries = (f"SELECT speaker, COUNT(*) FROM claims WHERE speaker IN ({marks}) GROUP BY speaker",
                   f"SELECT value, COUNT(*) FROM claim_terms WHERE value IN ({marks}) GROUP BY value",
                   f"SELECT publisher, COUNT(*) FROM claims WHERE publisher IN ({marks}) GROUP BY publisher")
        with self.lock:
            for sql in queries:
                for iri, n in self.db.execute(sql, list(iris)):
                    out[iri] += n
        return out

    def entities(self, query: str, *, kinds: Iterable[str] | None = None, limit: int = 10,
                 countries: Iterable[str] | None = None, min_score: float = 0.6) -> list[Entity]:
        """Entities whose label or an alias matches ``query``: whole words, prefixes (autocomplete) and typos
        (character trigrams, then a similarity score per word), best first; ties go to the more quoted.

        ``kinds`` keeps some kinds (``person``, ``organisation``, ``publisher``, ``country``, ``issue``);
        ``countries`` keeps entities acting for one of those country IRIs (or being one).
        """
        typed = words(query)
        if not typed:
            return []
        wanted = set(kinds or KINDS)
        unknown = wanted - set(KINDS)
        if unknown:
            raise BadInput(f"unknown entity kind {sorted(unknown)[0]!r}; known: {', '.join(KINDS)}")
        grams = sorted({g for w in typed for g in trigrams(w)})
        marks = ",".join("?" * len(grams))
        with self.lock:
            candidates = self.db.execute(
                f"SELECT n.iri, n.name, n.folded, n.is_label, e.kind, e.label FROM entity_names n "
                f"JOIN entities e ON e.iri = n.iri WHERE n.id IN (SELECT name FROM entity_grams WHERE gram IN "
                f"({marks}) GROUP BY name ORDER BY COUNT(*) DESC LIMIT 120)", grams).fetchall()
            prefix = " ".join(typed)
            candidates += self.db.execute(
                "SELECT n.iri, n.name, n.folded, n.is_label, e.kind, e.label FROM entity_names n "
                "JOIN entities e ON e.iri = n.iri WHERE n.folded >= ? AND n.folded < ? LIMIT 200",
                (prefix, prefix + "\uffff")).fetchall()
            allowed = None
            if countries is not None:
                chosen = list(countries)
                cmarks = ",".join("?" * len(chosen))
                allowed = {r[0] for r in self.db.execute(
                    f"SELECT iri FROM entity_countries WHERE country IN ({cmarks})", chosen)} | set(chosen)
        best: dict[str, tuple[float, str, str, str]] = {}
        for iri, name, folded, is_label, kind, label in candidates:
            if kind not in wanted or (allowed is not None and iri not in allowed):
                continue
            score = name_score(typed, folded.split())
            whole = SequenceMatcher(None, " ".join(typed), folded).ratio()
            score = max(score, whole) + (0.01 if is_label else 0.0) + (0.05 if folded == prefix else 0.0)
            if iri not in best or score > best[iri][0]:
                best[iri] = (score, name, kind, label)
        kept = {iri: v for iri, v in best.items() if v[0] >= min_score}
        claims = self._claims_of(sorted(kept))
        ranked = sorted(kept.items(), key=lambda kv: (-(round(kv[1][0], 2) + 0.03 * math.log1p(claims[kv[0]])),
                                                      kv[1][3], kv[0]))
        return [Entity(iri, kind, label, name, min(score, 1.0), claims[iri])
                for iri, (score, name, kind, label) in ranked[:limit]]

    def claims(self, text: str = "", filters: ClaimFilters | None = None, *, offset: int = 0, limit: int = 20,
               sort: str = "rank", facets: bool = True) -> ClaimResults:
        """Claims matching the words of ``text`` (all of them, stemmed; ``"a phrase"`` and ``OR`` as FTS5 reads
        them) and ``filters``, ranked by BM25 (or ``sort``), with facet counts over all matches."""
        filters = filters or ClaimFilters()
        if sort not in SORTS:
            raise BadInput(f"unknown sort {sort!r}; known: {', '.join(SORTS)}")
        where, args = self._where(text, filters)
        join = "JOIN claim_fts f ON f.rowid = c.id" if text.strip() else ""
        rank = "bm25(claim_fts, 10.0, 2.0, 1.0)" if join else "0"
        order = SORTS[sort] if join or sort != "rank" else SORTS["date"]
        snippet = "snippet(claim_fts, 0, char(1), char(2), '…', 24)" if join else "c.text"
        with self.lock:
            try:
                total = self.db.execute(f"SELECT COUNT(*) FROM claims c {join} WHERE {where}", args).fetchone()[0]
                rows = self.db.execute(
                    f"SELECT c.id, c.iri, c.text, c.kind, c.date, c.speaker, sp.label AS speaker_label, "
                    f"c.speaker_text, c.article, c.headline, c.start, c.\"end\", c.publisher, pub.label, "
                    f"{rank} AS rank, {snippet} "
                    f"FROM claims c {join} LEFT JOIN entities sp ON sp.iri = c.speaker "
                    f"LEFT JOIN entities pub ON pub.iri = c.publisher WHERE {where} ORDER BY {order} "
                    f"LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
            except sqlite3.OperationalError as e:
                raise BadInput(f"cannot read the search words {text!r}: {e} (put words with punctuation in double "
                               "quotes)") from None
            issues: dict[int, list[tuple[str, str]]] = {}
            ids = [r[0] for r in rows]
            if ids:
                marks = ",".join("?" * len(ids))
                for claim, iri, label in self.db.execute(
                        f"SELECT t.claim, t.value, COALESCE(e.label, t.value) FROM claim_terms t LEFT JOIN entities e "
                        f"ON e.iri = t.value WHERE t.facet = 'issue' AND t.claim IN ({marks}) ORDER BY 3", ids):
                    issues.setdefault(claim, []).append((iri, label))
            counted = self._facets(join, where, args) if facets else {}
        hits = [ClaimHit(iri, ctext, snippet, kind, date, speaker, slabel, stext, article, headline, start, end,
                         publisher, plabel, issues.get(cid, []), rank_value)
                for cid, iri, ctext, kind, date, speaker, slabel, stext, article, headline, start, end, publisher,
                plabel, rank_value, snippet in rows]
        return ClaimResults(hits, int(total), offset, limit, counted)

    def _where(self, text: str, f: ClaimFilters) -> tuple[str, list[Any]]:
        clauses, args = ["1"], []
        if text.strip():
            clauses.append("claim_fts MATCH ?")
            args.append(fts_query(text))
        if f.speaker:
            clauses.append("c.speaker = ?")
            args.append(f.speaker)
        if f.country:
            clauses.append("(c.speaker = ? OR c.speaker IN (SELECT iri FROM entity_countries WHERE country = ?))")
            args += [f.country, f.country]
        if f.issue:
            clauses.append("c.id IN (SELECT claim FROM claim_terms WHERE facet = 'issue' AND value IN "
                           "(WITH RECURSIVE tree(i) AS (SELECT ? UNION SELECT b.iri FROM entity_broader b "
                           "JOIN tree ON b.broader = tree.i) SELECT i FROM tree))")
            args.append(f.issue)
        if f.kind:
            clauses.append("c.kind = ?")
            args.append(f.kind)
        if f.publisher:
            clauses.append("c.publisher = ?")
            args.append(f.publisher)
        if f.date_from or f.date_to:
            dated = "c.date BETWEEN ? AND ?"
            args += [f.date_from or "0001-01-01", f.date_to or "9999-12-31"]
            clauses.append(f"({dated} OR c.date IS NULL)" if f.undated else dated)
        return " AND ".join(clauses), args

    def _facets(self, join: str, where: str, args: list[Any]) -> dict[str, list[tuple[str, str, int]]]:
        base = f"SELECT c.id FROM claims c {join} WHERE {where}"
        sql = {
            "speaker": f"SELECT c.speaker, COALESCE(e.label, c.speaker), COUNT(*) FROM claims c LEFT JOIN entities e "
                       f"ON e.iri = c.speaker WHERE c.id IN ({base}) AND c.speaker IS NOT NULL GROUP BY c.speaker",
            "country": f"SELECT ec.country, COALESCE(e.label, ec.country), COUNT(DISTINCT c.id) FROM claims c "
                       f"JOIN entity_countries ec ON ec.iri = c.speaker LEFT JOIN entities e ON e.iri = ec.country "
                       f"WHERE c.id IN ({base}) GROUP BY ec.country",
            "issue": f"SELECT t.value, COALESCE(e.label, t.value), COUNT(DISTINCT t.claim) FROM claim_terms t "
                     f"LEFT JOIN entities e ON e.iri = t.value WHERE t.facet = 'issue' AND t.claim IN ({base}) "
                     f"GROUP BY t.value",
            "kind": f"SELECT c.kind, c.kind, COUNT(*) FROM claims c WHERE c.id IN ({base}) AND c.kind IS NOT NULL "
                    f"GROUP BY c.kind",
            "publisher": f"SELECT c.publisher, COALESCE(e.label, c.publisher), COUNT(*) FROM claims c LEFT JOIN "
                         f"entities e ON e.iri = c.publisher WHERE c.id IN ({base}) AND c.publisher IS NOT NULL "
                         f"GROUP BY c.publisher",
            "year": f"SELECT substr(c.date, 1, 4), substr(c.date, 1, 4), COUNT(*) FROM claims c WHERE c.id IN "
                    f"({base}) AND c.date IS NOT NULL GROUP BY 1",
        }
        out = {}
        for name, query in sql.items():
            rows = [(v, CLAIM_KINDS.get(label, label) if name == "kind" else label, n)
                    for v, label, n in self.db.execute(query, args)]
            rows.sort(key=lambda r: (r[0],) if name == "year" else (-r[2], r[1]))
            out[name] = rows[:15] if name != "year" else rows
        return out


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


_FTS_TOKEN = re.compile(r'"[^"]*"|\S+')


def fts_query(text: str) -> str:
    """The FTS5 query for words typed in a box: each word quoted (so ``U.S.`` or ``-`` cannot break the syntax),
    ``word*`` kept as a prefix, ``"a phrase"`` as a phrase and ``OR`` between words as OR; all words must match.

    >>> fts_query('auto tariffs')
    '"auto" "tariffs"'
    >>> fts_query('steel OR aluminum "national security" tariff*')
    '"steel" OR "aluminum" "national security" "tariff"*'
    """
    out: list[str] = []
    for token in _FTS_TOKEN.findall(text):
        if token == "OR":
            if out and out[-1] != "OR":
                out.append("OR")
            continue
        star = token.endswith("*") and not token.startswith('"')
        body = token.strip('"').rstrip("*") if not token.startswith('"') else token[1:-1]
        body = body.replace('"', "")
        if not body.strip():
            continue
        out.append(f'"{body}"' + ("*" if star else ""))
    while out and out[-1] == "OR":
        out.pop()
    return " ".join(out) or '""'
