"""From parsed blocks of one article to its Extraction: entities with mentions, posts, claims with issues and dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc

from kg.extract.arbiter import find_claims
from kg.extract.attribution import stated_when
from kg.extract.claim_gate import ClaimGate, gate_claims
from kg.extract.dates import published_day, resolve_date
from kg.extract.document import Document, NameMention, build_document
from kg.extract.gazetteer import Gazetteer
from kg.extract.issues import ArticleIssues, Taxonomy, article_issues, tag_claim
from kg.extract.learned.arbiter import arbitrate
from kg.extract.model import Article, Claim, Entity, EntityType, Extraction, Mention, Post
from kg.extract.pipeline import Block
from kg.extract.posts import find_posts
from kg.reference import Reference


def assemble(article: Article, blocks: list[Block], docs: list[Doc], *, gazetteer: Gazetteer,
             reference: Reference, taxonomy: Taxonomy, software: str, pipeline: str, started: str,
             ended: str, claim_gate: ClaimGate | None = None) -> Extraction:
    """The Extraction of ``article`` from its parsed ``blocks`` (``docs[i]`` parses ``blocks[i]``); ``claim_gate``
    drops the claims it does not trust (kg.extract.claim_gate, ``KG_CLAIM_GATE``)."""
    doc = build_document(article.text, article.published, blocks, docs, gazetteer, article.title, reference)
    posts = find_posts(doc, reference)
    doc.post_titles = {p.holder: p.title for p in posts}
    found = arbitrate(doc, find_claims(doc, reference), reference)  # adds the learned proposer's claims, if on
    found = gate_claims(doc, found, claim_gate)
    claims = [c for c, _ in found]
    for claim in claims:  # the parser read a text with page furniture masked: claims quote the published text
        claim.text = article.text[claim.start:claim.end]
    about = article_issues(taxonomy, article.text, article.title) if claims else None
    for claim, frame in found:
        _annotate(doc, claim, taxonomy, about)
        when = stated_when(doc, frame, claim) if frame is not None else None
        claim.date, claim.date_precision = resolve_date(when or "", 0, article.published)
    entities = _entities(doc, claims, posts, reference)
    keys = {e.key for e in entities}
    for claim in claims:
        claim.organizations = [k for k in claim.organizations if k in keys]
    posts += _reference_posts(entities, posts, reference, article.published)
    entities += _post_organizations(entities, posts, reference)
    keys = {e.key for e in entities}
    posts = [p if p.organization is None or p.organization in keys else replace(p, organization=None) for p in posts]
    return Extraction(article=article, entities=entities, posts=posts, claims=claims, software=software,
                      pipeline=pipeline, started=started, ended=ended)


def _annotate(doc: Document, claim: Claim, taxonomy: Taxonomy, about: ArticleIssues | None) -> None:
    """Issues and the countries, people and organisations a claim mentions."""
    claim.issues = tag_claim(taxonomy, doc, claim, about)
    inside = doc.mentions_between(claim.start, claim.end)
    claim.countries = _unique(m.known.country for m in inside if m.type == "Country" and m.known)
    claim.people = _unique(m.key for m in inside if m.type in ("Person", "Official"))
    claim.organizations = _unique(m.key for m in inside if m.type in ("Organization", "GovernmentBody"))


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _entities(doc: Document, claims: list[Claim], posts: list[Post], reference: Reference) -> list[Entity]:
    """One Entity per key mentioned (organisations only the model found: only those that speak or hold a post),
    plus speakers resolved from descriptions without a mention of their own."""
    speakers = {c.speaker for c in claims if c.speaker}
    wanted = speakers | {p.organization for p in posts if p.organization}
    by_key: dict[str, list[NameMention]] = {}
    for m in doc.mentions:
        by_key.setdefault(m.key, []).append(m)
    post_of = {p.holder: p for p in posts}
    out = []
    type_: EntityType
    for key in [*by_key, *sorted(speakers - set(by_key))]:
        mentions = by_key.get(key, [])
        known = next((m.known for m in mentions if m.known), None)
        if known is None and key in reference.people:
            p = reference.people[key]
            name, type_, country, wikidata = p.name, "Official", p.country, p.wikidata
        elif known is not None:
            name, type_, country, wikidata = known.name, known.type, known.country, known.wikidata
        elif mentions:
            if mentions[0].type not in ("Person", "Official") and key not in wanted:
                continue
            name = max((m.text for m in mentions), key=len)
            type_ = "Official" if key in post_of else mentions[0].type
            country, wikidata = (post_of[key].country if key in post_of else None), None
        else:
            continue
        if type_ == "Country":
            country = known.country if known else country
        aliases = list(dict.fromkeys(m.text for m in mentions if m.text != name))
        confidence = max((m.confidence for m in mentions), default=0.6)
        out.append(Entity(key=key, type=type_, name=name, aliases=aliases, country=country, wikidata=wikidata,
                          known=known is not None or key in reference.people, confidence=confidence,
                          mentions=[Mention(m.start, m.end, m.text, m.confidence) for m in mentions]))
    return out


def _post_organizations(entities: list[Entity], posts: list[Post], reference: Reference) -> list[Entity]:
    """Reference organisations a post belongs to that the article does not mention (Juncker's post is in the
    European Union): entities without mentions, so that every key the extraction refers to is one of its entities."""
    have = {e.key for e in entities}
    out = []
    for key in dict.fromkeys(p.organization for p in posts if p.organization and p.organization not in have):
        org = reference.organizations.get(key)
        if org is not None:
            out.append(Entity(key=key, type="GovernmentBody" if org.type == "GovernmentBody" else "Organization",
                              name=org.name, aliases=[], country=org.country, known=True, confidence=0.6))
    return out


def _reference_posts(entities: list[Entity], posts: list[Post], reference: Reference,
                     published: str | None) -> list[Post]:
    """For known officials the text gives no post: their post in the reference data at publication."""
    have = {p.holder for p in posts}
    day = published_day(published)
    out = []
    for e in entities:
        person = reference.people.get(e.key)
        if person is None or e.key in have or not person.posts:
            continue
        current = [p for p in person.posts if day is None or ((p.start or "") <= day.isoformat()
                                                              and (not p.end or day.isoformat() < p.end))]
        if day is not None and not current:
            continue
        p = (current or list(person.posts))[-1]
        out.append(Post(title=p.title, holder=e.key, country=p.country, organization=p.organization, start=p.start,
                        end=p.end, confidence=0.6))
    return out
