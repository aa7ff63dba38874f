"""What extraction produces: plain dataclasses, no RDF.

``kg.mapping`` is the only translator from these into RDF; ``Extraction.to_json`` gives the claims JSON of
``FORMAT.md`` that ``kg extract`` prints and ``score.py`` compares with gold.

Entity keys are stable, global strings of the form ``<kind>/<slug>``: ``country/US``, ``person/robert-lighthizer``,
``org/white-house``. The same person yields the same key in every article, which is how shared nodes are shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EntityType = Literal["Country", "Official", "Person", "Organization", "GovernmentBody"]
ClaimKind = Literal["direct", "indirect", "mixed"]
DatePrecision = Literal["day", "week", "month", "year"]


@dataclass(frozen=True)
class Article:
    """One input article (``FORMAT.md``). ``published`` is the ISO date or datetime string as given."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Mention:
    """A stretch of the article text naming an entity: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str
    confidence: float = 1.0


@dataclass
class Entity:
    """A country, person, official or organisation found in (or attributed in) the article."""

    key: str
    type: EntityType
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None  # ISO 3166-1 alpha-2 the entity belongs to or acts for
    wikidata: str | None = None  # QID, only when the reference data has it
    dbpedia: str | None = None
    known: bool = False  # True when the entity comes from the reference data
    confidence: float = 1.0
    mentions: list[Mention] = field(default_factory=list)

    @property
    def written_name(self) -> str:
        """The name as the article writes it: the reference label when the article uses it, else the fullest form
        among the mentions ("Steve Mnuchin" where the reference says "Steven Mnuchin"); the label without mentions."""
        forms = [m.text for m in self.mentions]
        if not forms or self.name in forms:
            return self.name
        return max(forms, key=lambda f: (len(f.split()), len(f)))


@dataclass(frozen=True)
class Post:
    """A post held by a person, as stated in the text or the reference data ("deputy chief Nafta negotiator")."""

    title: str
    holder: str  # entity key of the person
    country: str | None = None  # ISO alpha-2 the post belongs to
    organization: str | None = None  # entity key of the organisation the post is in
    start: str | None = None  # ISO dates, when known
    end: str | None = None
    confidence: float = 1.0


@dataclass
class Claim:
    """Something a source stated. ``text == article.text[start:end]`` always holds."""

    kind: ClaimKind
    text: str
    start: int
    end: int
    speaker: str | None  # entity key, None when unresolved
    speaker_text: str = ""  # the words that name the speaker where the claim is attributed ("he", "the summary")
    cue: str = ""
    issues: list[str] = field(default_factory=list)  # issue slugs of the SKOS taxonomy
    countries: list[str] = field(default_factory=list)  # ISO alpha-2 of countries mentioned in the claim
    people: list[str] = field(default_factory=list)  # entity keys of people mentioned in the claim
    organizations: list[str] = field(default_factory=list)  # entity keys of organisations mentioned
    date: str | None = None  # ISO date the claim was stated
    date_precision: DatePrecision | None = None
    confidence: float = 0.5
    method: str = ""  # what proposed the claim when it was not a rule ("claim_tagger")


@dataclass
class Extraction:
    """Everything extracted from one article, and how."""

    article: Article
    entities: list[Entity]
    posts: list[Post]
    claims: list[Claim]
    software: str  # "claimgraph 0.1.0"
    pipeline: str  # "en_core_web_sm 3.8.0"
    started: str  # ISO datetime
    ended: str

    def entity(self, key: str | None) -> Entity | None:
        """The entity with this key, or None."""
        return next((e for e in self.entities if e.key == key), None) if key else None

    def to_json(self) -> dict[str, Any]:
        """The claims JSON of ``FORMAT.md``."""
        posts = {p.holder: p for p in self.posts}
        entities = []
        for e in self.entities:
            item: dict[str, Any] = {"id": e.key.split("/", 1)[-1], "key": e.key, "type": e.type, "name": e.name}
            if e.wikidata:
                item["wikidata"] = e.wikidata
            if e.type == "Country":
                item["iso"] = e.country
            elif e.country:
                item["country"] = e.country
            if e.key in posts:
                item["post"] = posts[e.key].title
            item["aliases"] = e.aliases
            item["confidence"] = round(e.confidence, 3)
            entities.append(item)
        claims = []
        for c in self.claims:
            speaker = self.entity(c.speaker)
            who: dict[str, Any] = {"name": _speaker_name(speaker, c.speaker_text) if speaker else c.speaker_text}
            if speaker:
                who["id"] = speaker.key
                if who["name"] != speaker.name:
                    who["label"] = speaker.name
                if speaker.wikidata:
                    who["wikidata"] = speaker.wikidata
            claims.append({
                "speaker": who, "kind": c.kind, "cue": c.cue, "text": c.text, "start": c.start, "end": c.end,
                "issues": c.issues, "confidence": round(c.confidence, 3), "date": c.date,
                "date_precision": c.date_precision,
            } | ({"method": c.method} if c.method else {}))
        article = {"id": self.article.id, "published": self.article.published}
        return {"article": article, "entities": entities, "claims": claims}


def _speaker_name(speaker: Entity, words: str) -> str:
    """How a claim names its speaker: a person by the fullest name the article gives them; a country or body by the
    words of the attribution when they hold its name ("U.S. officials", "Canada's government"), so a group is not
    printed as its country."""
    if speaker.type in ("Person", "Official") or not words:
        return speaker.written_name
    forms = {m.text.lower() for m in speaker.mentions} | {speaker.name.lower()}
    lower = words.lower()
    return words if any(f and f in lower for f in forms) else speaker.written_name

