"""The one translator from extraction results into RDF (``docs/data-model.md``).

``article_quads`` returns the quads of one article's named graph and the quads of shared nodes (people, posts,
organisations, publishers found in the text), which live in the ``entities`` graph so that Robert Lighthizer is one
node however many articles quote him. IRIs are deterministic: the same extraction always gives the same quads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.extract import identity
from kg.extract.model import Article, Claim, Entity, Extraction, Mention, Post
from kg.reference import REFERENCE_DIR, load_reference
from kg.summaries import Counted, tallies
from kg.vocab import (
    CG,
    DCTERMS,
    ENTITIES_GRAPH,
    FOAF,
    ID_BASE,
    OA,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
    article_key,
    graph_iri,
    id_iri,
    node,
    slug,
)

KIND = {"direct": CG.DirectQuote, "indirect": CG.IndirectQuote, "mixed": CG.MixedQuote}
ENTITY_TYPES = {
    "Official": (CG.Official, FOAF.Person),
    "Person": (CG.Person, FOAF.Person),
    "Organization": (CG.Organization, SCHEMA.Organization),
    "GovernmentBody": (CG.GovernmentBody, SCHEMA.GovernmentOrganization),
    "Country": (CG.Country, SCHEMA.Country),
}
CONTEXT_CHARS = 32


@dataclass(frozen=True)
class ArticleQuads:
    """The quads one article contributes: its own graph, and additions to the shared ``entities`` graph."""

    graph: str
    article: list[Quad]
    shared: list[Quad]
    digest: str


def article_graph(article_id: str) -> str:
    """The named graph IRI of an article."""
    return graph_iri(f"article/{article_key(article_id)}")


def article_iri(article_id: str) -> str:
    return id_iri(f"article/{article_key(article_id)}")


DATA_MODEL = "3"
"""The version of this mapping's layout, part of every content digest: when it changes (2: tallies and direct
properties, kg/summaries.py; 3: pair tallies, kg.summaries.pairs), `kg ingest` writes every
stored article again instead of leaving it unchanged."""


def content_digest(article: Article, software: str, pipeline: str) -> str:
    """A digest of everything that determines an article's graph: its input record, the software and pipeline, and
    the data model (``DATA_MODEL``)."""
    record = {"id": article.id, "text": article.text, "url": article.url, "title": article.title,
              "publisher": article.publisher, "published": article.published, "software": software,
              "pipeline": pipeline, "model": DATA_MODEL}
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _date_literal(value: str) -> Literal:
    """An ``xsd:date`` or ``xsd:dateTime`` literal of an ISO string (already validated by the reader)."""
    return Literal(value, datatype=node(XSD.dateTime if "T" in value else XSD.date))


def _decimal(x: float) -> Literal:
    return Literal(f"{min(max(x, 0.0), 1.0):.3f}", datatype=node(XSD.decimal))


def _int(x: int) -> Literal:
    return Literal(str(x), datatype=node(XSD.nonNegativeInteger))


class _Terms:
    """A vocabulary (an rdflib Namespace) whose terms are looked up once: the mapping reads ``CG.speaker`` and the
    like hundreds of thousands of times per thousand articles, and rdflib's lookup is a Python call each time."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term  # type: ignore[no-any-return]  # an rdflib term, a str

    def __getitem__(self, name: str) -> str:
        return self._namespace[name]  # type: ignore[index,no-any-return]  # an rdflib Namespace, typed here as object


CG, DCTERMS, FOAF, OA, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD = (  # type: ignore[assignment,misc]  # the namespaces rebound to cached lookups of the same terms
    _Terms(ns) for ns in (CG, DCTERMS, FOAF, OA, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD))


@lru_cache(maxsize=8192)
def _term_node(iri: str) -> NamedNode:
    """The node of a predicate or a class (few, used in every article)."""
    return NamedNode(iri)


class _Writer:
    """Collects quads of one graph."""

    def __init__(self, graph: str) -> None:
        self.graph = NamedNode(graph)
        self.quads: list[Quad] = []
        self._subject = ("", NamedNode(graph))  # the last subject: each is written several times in a row

    def add(self, s: str, p: str, o: NamedNode | Literal | str) -> None:
        obj = o if isinstance(o, (NamedNode, Literal)) else _term_node(o)
        if self._subject[0] != s:
            self._subject = (s, NamedNode(s))
        self.quads.append(Quad(self._subject[1], _term_node(p), obj, self.graph))

    def text(self, s: str, p: str, value: str | None, lang: str | None = None) -> None:
        if value:
            self.add(s, p, Literal(value, language=lang) if lang else Literal(value))


def article_quads(ex: Extraction) -> ArticleQuads:
    """All quads of one extraction. Raises ValueError if a claim or mention span does not match the text."""
    art = ex.article
    key = article_key(art.id)
    graph = article_graph(art.id)
    a = _Writer(graph)
    shared = _Writer(ENTITIES_GRAPH)
    article = article_iri(art.id)
    digest = content_digest(art, ex.software, ex.pipeline)

    a.add(article, RDF.type, CG.Article)
    a.add(article, RDF.type, SCHEMA.NewsArticle)
    a.add(article, RDF.type, PROV.Entity)
    a.text(article, SCHEMA.identifier, art.id)
    a.text(article, SCHEMA.headline, art.title)
    a.text(article, SCHEMA.articleBody, art.text)
    if art.url:
        a.add(article, SCHEMA.url, Literal(art.url, datatype=node(XSD.anyURI)))
    if art.published:
        a.add(article, SCHEMA.datePublished, _date_literal(art.published))
    if art.publisher:
        publisher = id_iri(f"org/{slug(art.publisher)}")
        a.add(article, SCHEMA.publisher, publisher)
        shared.add(publisher, RDF.type, CG.Publisher)
        shared.add(publisher, RDF.type, SCHEMA.Organization)
        shared.text(publisher, RDFS.label, art.publisher, "en")

    run = id_iri(f"run/{key}")
    version = ex.software.rsplit(" ", 1)[-1]
    software = id_iri(f"software/claimgraph/{version}")
    a.add(run, RDF.type, CG.ExtractionRun)
    a.add(run, RDF.type, PROV.Activity)
    a.add(run, PROV.used, article)
    a.add(run, PROV.wasAssociatedWith, software)
    a.text(run, CG.pipeline, ex.pipeline)
    a.add(run, PROV.startedAtTime, Literal(ex.started, datatype=node(XSD.dateTime)))
    a.add(run, PROV.endedAtTime, Literal(ex.ended, datatype=node(XSD.dateTime)))
    a.text(run, CG.contentDigest, digest)
    # the software is the same for every article: described once, in the shared graph (a copy in each article
    # graph multiplied every join on it by the number of articles in the union default graph)
    shared.add(software, RDF.type, CG.Software)
    shared.add(software, RDF.type, PROV.SoftwareAgent)
    shared.text(software, RDFS.label, ex.software)
    shared.text(software, SCHEMA.softwareVersion, version)

    def span(start: int, end: int, text: str) -> str:
        if art.text[start:end] != text or start >= end:
            raise ValueError(f"span {start}-{end} of article {art.id!r} is not {text!r}")
        iri = id_iri(f"span/{key}/{start}-{end}")
        a.add(iri, RDF.type, CG.Span)
        a.add(iri, RDF.type, OA.SpecificResource)
        a.add(iri, OA.hasSource, article)
        a.add(iri, OA.hasSelector, iri + "#position")
        a.add(iri, OA.hasSelector, iri + "#quote")
        a.add(iri + "#position", RDF.type, OA.TextPositionSelector)
        a.add(iri + "#position", OA.start, _int(start))
        a.add(iri + "#position", OA.end, _int(end))
        a.add(iri + "#quote", RDF.type, OA.TextQuoteSelector)
        a.add(iri + "#quote", OA.exact, Literal(text))
        a.text(iri + "#quote", OA.prefix, art.text[max(0, start - CONTEXT_CHARS):start])
        a.text(iri + "#quote", OA.suffix, art.text[end:end + CONTEXT_CHARS])
        return iri

    def provenance(subject: str) -> None:
        a.add(subject, PROV.wasDerivedFrom, article)
        a.add(subject, PROV.wasGeneratedBy, run)

    for entity in ex.entities:
        if not entity.known:
            _shared_entity(shared, entity, article)
        for m in entity.mentions:
            _mention(a, span, provenance, key, entity, m)
    for post in ex.posts:
        _post(shared, post, ex)
    claims = distinct_claims(ex.claims)
    shared_spans = Counter((c.start, c.end) for c in claims)
    sources: dict[str, str] = {}  # anonymous source slug -> its label: the words of the first claim it makes
    for claim in claims:
        if not claim.speaker and claim.speaker_text:
            sources.setdefault(slug(claim.speaker_text), claim.speaker_text)
    facts = _ArticleFacts.of(ex)
    counted = [_claim(a, span, provenance, key, claim, shared_spans[(claim.start, claim.end)] > 1, sources, facts)
               for claim in claims]
    _tallies(a, key, article, counted)
    return ArticleQuads(graph=graph, article=a.quads, shared=shared.quads, digest=digest)


def distinct_claims(claims: Sequence[Claim]) -> list[Claim]:
    """The claims one claim node each: a claim repeating an earlier one's span and speaker (its slug, as in its IRI)
    is the same claim said once, and is left out, the first kept. Two would share one IRI, so the node would hold
    two texts' worth of confidences and the article's tallies would count a claim the graph holds once."""
    seen: set[tuple[str, int, int]] = set()
    kept: list[Claim] = []
    for c in claims:
        identity = (slug(c.speaker or c.speaker_text or ""), c.start, c.end)
        if identity not in seen:
            seen.add(identity)
            kept.append(c)
    return kept


def _mention(a: _Writer, span: Callable[[int, int, str], str], provenance: Callable[[str], None], key: str,
             entity: Entity, m: Mention) -> None:
    iri = id_iri(f"mention/{key}/{m.start}-{m.end}")
    a.add(iri, RDF.type, CG.Mention)
    a.add(iri, CG.mentionOf, id_iri(entity.key))
    a.add(iri, CG.evidence, span(m.start, m.end, m.text))
    a.add(iri, CG.confidence, _decimal(m.confidence))
    provenance(iri)


def _claim(a: _Writer, span: Callable[[int, int, str], str], provenance: Callable[[str], None], key: str, c: Claim,
           shared_span: bool, sources: dict[str, str], facts: _ArticleFacts) -> Counted:
    """One claim; where several claims share a span ("A and B said X": one claim per speaker), each IRI also names
    its speaker (``claim/<key>/<speaker slug>/<start>-<end>``: every claim IRI ends in its offsets), so the claims
    stay apart. Besides the Web Annotation and PROV detail, the claim carries what users filter on directly: its
    speaker's country (``cg:speakerCountry``) and its article's date (``cg:articleDate``). Returns what its
    article's tallies count of it (kg.summaries)."""
    by = f"{slug(c.speaker or c.speaker_text)}/" if shared_span else ""
    iri = id_iri(f"claim/{key}/{by}{c.start}-{c.end}")
    a.add(iri, RDF.type, CG.Claim)
    a.add(iri, CG.claimText, Literal(c.text))
    a.add(iri, CG.kind, KIND[c.kind])
    a.text(iri, CG.cue, c.cue)
    if c.speaker:
        a.add(iri, CG.speaker, id_iri(c.speaker))
    elif c.speaker_text:  # "a senior official": a source of this article only, never a known person
        source = id_iri(f"source/{key}/{slug(c.speaker_text)}")
        a.add(source, RDF.type, CG.AnonymousSource)
        a.add(source, RDF.type, PROV.Agent)
        # "The aide" and "the aide" are one source with one label
        a.text(source, RDFS.label, sources[slug(c.speaker_text)])
        a.add(iri, CG.anonymousSource, source)
    a.text(iri, CG.speakerText, c.speaker_text)
    a.text(iri, CG.method, c.method)
    for issue in c.issues:
        a.add(iri, CG.about, id_iri(f"issue/{issue}"))
    for iso in c.countries:
        a.add(iri, CG.mentionsCountry, id_iri(f"country/{iso}"))
    for person in c.people:
        a.add(iri, CG.mentionsPerson, id_iri(person))
    for org in c.organizations:
        a.add(iri, CG.mentionsOrganization, id_iri(org))
    if c.date:
        a.add(iri, CG.statedOn, Literal(c.date[:10], datatype=node(XSD.date)))
        a.text(iri, CG.datePrecision, c.date_precision or "day")
    speaker_countries: tuple[str, ...] = ()
    if c.speaker and c.speaker in facts.countries:
        speaker_countries = (id_iri(f"country/{facts.countries[c.speaker]}"),)
        a.add(iri, CG.speakerCountry, speaker_countries[0])
    if facts.published:
        a.add(iri, CG.articleDate, facts.published)
    a.add(iri, CG.confidence, _decimal(c.confidence))
    a.add(iri, CG.evidence, span(c.start, c.end, c.text))
    provenance(iri)
    return Counted(tuple(id_iri(f"issue/{i}") for i in c.issues), id_iri(c.speaker) if c.speaker else None,
                   speaker_countries, c.date[:10] if c.date else None)


@dataclass(frozen=True)
class _ArticleFacts:
    """What every claim of one article repeats: the country each of its speakers acts for (a country speaking acts
    for none), and the article's day of publication."""

    countries: dict[str, str]
    published: Literal | None

    @classmethod
    def of(cls, ex: Extraction) -> _ArticleFacts:
        published = ex.article.published
        reference = _reference_countries()
        countries = {e.key: reference.get(e.key, e.country) for e in ex.entities if e.type != "Country"}
        return cls({k: c for k, c in countries.items() if c},
                   Literal(published[:10], datatype=node(XSD.date)) if published else None)


@lru_cache(maxsize=1)
def _reference_countries() -> dict[str, str]:
    """The country each person and organisation of the reference data acts for (cg:actsFor), by key: what the
    reference graph states, whatever the extraction read from the text."""
    acts_for = str(CG.actsFor)
    out = {}
    for name in ("officials.ttl", "organizations.ttl"):
        for t in parse(path=str(REFERENCE_DIR / name), format=RdfFormat.TURTLE):
            if t.predicate.value == acts_for:
                out[t.subject.value.removeprefix(ID_BASE)] = t.object.value.rsplit("/", 1)[-1]
    return out


def _tallies(a: _Writer, key: str, article: str, counted: list[Counted]) -> None:
    """The article's precomputed summaries (kg.summaries), in its own graph."""
    for t in tallies(key, counted):
        a.add(t.iri, RDF.type, CG[t.kind])
        a.add(t.iri, RDF.type, CG.Tally)
        a.add(t.iri, CG.tallyOf, t.of)
        a.add(t.iri, CG.claimCount, Literal(str(t.claims), datatype=node(XSD.integer)))
        a.add(t.iri, PROV.wasDerivedFrom, article)
        if t.date and t.month:
            a.add(t.iri, CG.tallyDate, Literal(t.date, datatype=node(XSD.date)))
            a.add(t.iri, CG.tallyMonth, Literal(t.month, datatype=node(XSD.gYearMonth)))
        for speaker in sorted(t.speakers):
            a.add(t.iri, CG.tallySpeaker, speaker)
        for country in sorted(t.countries):
            a.add(t.iri, CG.tallyCountry, country)
        if t.paired:
            a.add(t.iri, CG.pairedWith, t.paired)


def _shared_entity(w: _Writer, e: Entity, article: str) -> None:
    """A person or organisation found in text (not in the reference data), in the shared graph: one label (a
    person's :func:`kg.extract.identity.display_name`), the forms the article writes as alternative labels, and for
    each form that differs from the label a name merge saying why it names this node (``docs/data-model.md``)."""
    iri = id_iri(e.key)
    if e.type == "Country":
        return  # every ISO country is in the reference graph
    for t in ENTITY_TYPES[e.type]:
        w.add(iri, RDF.type, t)
    person = e.type in ("Person", "Official")
    label = identity.display_name(e.name) if person else _clean_label(e.name)
    w.text(iri, RDFS.label, label, "en")
    forms = sorted({_clean_label(f) for f in (e.name, *e.aliases)} - {label, ""})
    for form in forms:
        w.text(iri, SKOS.altLabel, form, "en")
        if person:
            _name_merge(w, iri, e.key, form, label, article)
    if e.country:
        w.add(iri, CG.actsFor, id_iri(f"country/{e.country}"))
    if e.wikidata:
        w.add(iri, OWL.sameAs, WD[e.wikidata])


def _clean_label(name: str) -> str:
    return " ".join(name.replace("[", " ").replace("]", " ").split())


def _name_merge(w: _Writer, iri: str, key: str, form: str, label: str, article: str) -> None:
    """The record that the written ``form`` names the person ``iri`` (labelled ``label``), with the reason."""
    # the form's digest keeps apart forms of one slug ("George H. W. Bush", "George H W Bush")
    digest = hashlib.sha1(form.encode("utf-8")).hexdigest()[:8]
    merge = id_iri(f"merge/{key.split('/', 1)[-1]}/{slug(form)}-{digest}")
    w.add(merge, RDF.type, CG.NameMerge)
    w.add(merge, RDF.type, PROV.Entity)
    w.add(merge, CG.mergedInto, iri)
    w.text(merge, CG.surfaceForm, form)
    w.text(merge, CG.mergeReason, identity.merge_reason(form, label, key))
    w.add(merge, PROV.wasDerivedFrom, article)


def _owner(country: str | None, organization: str | None) -> str:
    return country or (organization or "org/unknown").split("/", 1)[-1]


def post_iri(post: Post) -> str:
    return id_iri(f"post/{_owner(post.country, post.organization)}/{slug(post.title)}")


_TITLE_ABBREVIATIONS = {
    "u.s.": "united states", "us": "united states", "u.s": "united states", "american": "united states",
    "u.k.": "united kingdom", "uk": "united kingdom", "british": "united kingdom", "e.u.": "european union",
    "eu": "european union", "sec.": "secretary", "rep.": "representative", "dept.": "department",
}
_TITLE_FILLERS = {"the", "of", "for", "and", "on", "to"}


def title_key(title: str) -> frozenset[str]:
    """The content words of a post title, abbreviations spelled out, in any order: "U.S. Trade Representative" and
    "Trade Representative of the United States" give the same key.

    >>> title_key("U.S. Trade Representative") == title_key("United States Trade Representative")
    True
    >>> title_key("Deputy Trade Representative") == title_key("Trade Representative")
    False
    """
    words: list[str] = []
    for raw in title.lower().replace("’s", "").replace("'s", "").split():
        token = raw.strip(",;:()\"“”")
        expanded = _TITLE_ABBREVIATIONS.get(token, token.rstrip("."))
        words += [w for w in expanded.split() if w and w not in _TITLE_FILLERS]
    return frozenset(words)


def _acronym(title: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", title) if w.lower() not in _TITLE_FILLERS).upper()


@lru_cache(maxsize=1)
def _reference_posts() -> dict[tuple[str, frozenset[str]], str]:
    """Every post of the reference data by (owner, title key), and by (owner, acronym) for "USTR"."""
    table: dict[tuple[str, frozenset[str]], str] = {}
    for person in load_reference().people.values():
        for p in person.posts:
            owner = _owner(p.country, p.organization)
            table[(owner, title_key(p.title))] = p.title
            acronym = _acronym(p.title)
            if len(acronym) >= 3:
                table[(owner, frozenset({acronym.lower()}))] = p.title
    return table


def reference_post_title(post: Post) -> str | None:
    """The title of the reference post that ``post`` (stated in text) names, if any: same country or organisation,
    same content words once abbreviations are spelled out, or the acronym of its title."""
    return _reference_posts().get((_owner(post.country, post.organization), title_key(post.title)))


def _post(w: _Writer, post: Post, ex: Extraction) -> None:
    """A post stated in the text, its holder and the tenure (dates when stated), in the shared graph.

    A post of the reference data named another way ("U.S. Trade Representative") is that post, not a new one.
    """
    known = reference_post_title(post)
    if known:
        post = dataclasses.replace(post, title=known)
    iri = post_iri(post)
    holder = id_iri(post.holder)
    if not known:
        w.add(iri, RDF.type, CG.Post)
        w.add(iri, RDF.type, ORG.Post)
        w.text(iri, RDFS.label, post.title, "en")
    if post.country:
        w.add(iri, CG.postCountry, id_iri(f"country/{post.country}"))
    if post.organization and ex.entity(post.organization):  # only organisations the graph describes
        w.add(iri, ORG.postIn, id_iri(post.organization))
    w.add(iri, ORG.heldBy, holder)
    w.add(holder, ORG.holds, iri)
    tenure = id_iri(f"tenure/{post.holder.split('/', 1)[-1]}/{iri.rsplit('/post/', 1)[1]}")
    w.add(tenure, RDF.type, CG.Tenure)
    w.add(tenure, CG.tenureOf, iri)
    w.add(tenure, CG.tenureHolder, holder)
    if post.start:
        w.add(tenure, SCHEMA.startDate, Literal(post.start, datatype=node(XSD.date)))
    if post.end:
        w.add(tenure, SCHEMA.endDate, Literal(post.end, datatype=node(XSD.date)))
    w.add(tenure, DCTERMS.source, article_iri(ex.article.id))
