"""One parsed article: its blocks and docs, sentences with global offsets, quotes, and name mentions.

Everything downstream (attribution, posts, dates) works on global character offsets into ``article.text``;
``Sentence.base`` turns a token of its doc into one (``base + token.idx``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from kg.extract import identity
from kg.extract.cues import speech_base
from kg.extract.furniture import mask_furniture
from kg.extract.gazetteer import Gazetteer, KnownName, new_key
from kg.extract.lexicon import load_lexicon
from kg.extract.model import EntityType
from kg.extract.pipeline import Block
from kg.extract.quotes import Quote, find_quotes
from kg.reference import Reference

if TYPE_CHECKING:
    from kg.extract.discourse import Discourse

_TITLES = load_lexicon().courtesy_titles
_END_PUNCT = re.compile(r"[.!?:;\"”’)…]\s*$")


@dataclass
class Sentence:
    """A sentence of the article; ``base`` is the offset of its doc in the article text."""

    index: int
    span: Span
    base: int
    paragraph: int
    block: int
    heading: bool

    @property
    def start(self) -> int:
        return self.base + self.span.start_char

    @property
    def end(self) -> int:
        return self.base + self.span.end_char

    def char(self, token: Token) -> int:
        """Global offset of ``token``."""
        return self.base + token.idx

    def char_end(self, token: Token) -> int:
        return self.base + token.idx + len(token.text)


@dataclass
class NameMention:
    """A name in the article, linked to an entity key."""

    start: int
    end: int
    text: str
    key: str
    type: EntityType
    known: KnownName | None
    confidence: float
    sentence: int
    tokens: tuple[int, int]  # token offsets in the sentence's doc


@dataclass
class Document:
    text: str
    published: str | None
    sentences: list[Sentence]
    quotes: list[Quote]
    mentions: list[NameMention]
    docs: list[Doc] = field(repr=False)
    post_titles: dict[str, str] = field(default_factory=dict)  # person key -> post title stated in the text
    surnames: dict[str, str] = field(default_factory=dict)  # "Holtz-Eakin" -> key of "Douglas Holtz-Eakin"
    # the discourse state the rule stages ended with (kg.extract.discourse), set once by kg.extract.arbiter for the
    # stages after them (the learned proposer's arbiter); no rule stage reads it
    discourse: Discourse | None = None
    _starts: list[int] = field(default_factory=list, repr=False)
    _mention_starts: list[int] = field(default_factory=list, repr=False)
    _quote_opens: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]
        self._quote_opens = [q.open for q in self.quotes]
        self._mention_starts = [m.start for m in self.mentions]
        self._by_token = {(m.sentence, i): m for m in self.mentions for i in range(*m.tokens)}

    def sentence_at(self, char: int) -> Sentence | None:
        """The sentence holding the character at ``char`` (or the one just before it)."""
        i = bisect_right(self._starts, char) - 1
        return self.sentences[i] if i >= 0 else None

    def mention_at(self, sentence: Sentence, token: Token) -> NameMention | None:
        """The name mention covering ``token``, if any."""
        return self._by_token.get((sentence.index, token.i))

    def mentions_between(self, start: int, end: int) -> list[NameMention]:
        """Name mentions lying within ``[start, end)``."""
        i = bisect_right(self._mention_starts, start - 1)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def mentions_before(self, char: int) -> Iterator[NameMention]:
        """Name mentions ending before ``char``, nearest first (lazily: callers stop early, and building the whole
        list per lookup made long articles quadratic)."""
        for i in range(bisect_right(self._mention_starts, char) - 1, -1, -1):
            if self.mentions[i].end <= char:
                yield self.mentions[i]

    def in_quote(self, start: int, end: int) -> Quote | None:
        """The quote whose marks enclose ``[start, end)``, if any. Quotes are in order and do not overlap, so only the
        last one opening at or before ``start`` can (a bisection: scanning from the first quote made long articles
        quadratic)."""
        i = bisect_right(self._quote_opens, start) - 1
        return self.quotes[i] if i >= 0 and self.quotes[i].contains(start, end) else None


def is_heading(text: str) -> bool:
    """A subheading or caption line: short, no closing punctuation, mostly capitalised words."""
    words = text.split()
    if not words or len(words) > 10 or _END_PUNCT.search(text):
        return False
    capitalised = sum(w[:1].isupper() or not w[:1].isalpha() for w in words)
    return capitalised >= max(1, len(words) - 2) or len(words) <= 4


# Page furniture that opens a paragraph: photo captions and credits, audio and share widgets, link lines.
_FURNITURE = re.compile(
    r"(?:image (?:copyright|caption)|enlarge this image|toggle caption|hide caption|photo(?:graph)?\b(?! of)"
    r"|caption:|listen to (?:this )?article|share this article|read more\b|related:|watch:|click here"
    r"|media playback is unsupported|media caption)",
    re.IGNORECASE)


def is_furniture(text: str, title: str | None) -> bool:
    """A paragraph that is not article body: the headline repeated as the first line, or a caption, credit,
    widget or link line ("Image caption ...", "Enlarge this image toggle caption ...", "Read more: ...")."""
    if title and " ".join(text.split()).casefold() == " ".join(title.split()).casefold():
        return True
    return bool(_FURNITURE.match(text.lstrip()))


_LINK_LINE_WORDS = 30


def is_link_line(doc: Doc) -> bool:
    """A headline printed as a line of the body, a link to another story or a caption: "The IMF says the global
    outlook is worse as tensions rise", "Greenland not for sale: Trump calls the Danish PM 'nasty' after ...",
    "..., says US tariffs have hit his business. Photograph: ...": a short paragraph without closing punctuation
    whose reporting verb is in the headline's present tense, or that opens with a link label ("SEE ALSO:", "Read
    more:", "Related:"). It names people but states no claims, and its names are no pronoun's antecedent."""
    text = doc.text.strip()
    if not text or _END_PUNCT.search(text) or len(text.split()) > _LINK_LINE_WORDS:
        return False
    return bool(_LINK_LABEL.match(text)) or any(t.tag_ == "VBZ" and speech_base(t) is not None for t in doc)


# "SEE ALSO: Donald Trump gives speech ...", "Read more: How steel became ...", "Related: The making of ...": a label
# that opens a link to another story
_LINK_LABEL = re.compile(r"(?i)(?:see also|read more|related|more)\s*:")


def build_document(text: str, published: str | None, blocks: list[Block], docs: list[Doc],
                   gazetteer: Gazetteer, title: str | None = None, reference: Reference | None = None) -> Document:
    """Assemble a Document from parsed blocks: sentences, quotes and linked name mentions. Headings and page
    furniture (:func:`is_furniture`) are kept as sentences marked ``heading``: no names, no claims."""
    sentences: list[Sentence] = []
    raw: list[tuple[Sentence, int, int, EntityType, KnownName | None, float]] = []
    headings = [is_heading(doc.text) or is_furniture(doc.text, title) for doc in docs]
    article_names = gazetteer.article_names(docs, headings, published)
    for b, (block, doc) in enumerate(zip(blocks, docs, strict=True)):
        heading, names = headings[b] or is_link_line(doc), article_names[b]  # a link line keeps its names
        n = 0
        for span in doc.sents:
            sent = Sentence(len(sentences), span, block.start, block.paragraph, b, heading)
            sentences.append(sent)
            while n < len(names) and names[n].start < span.end:
                x = names[n]
                raw.append((sent, x.start, x.end, x.type, x.known, x.confidence))
                n += 1
    mentions, surnames = _link(_typed(raw), reference)
    quotes = find_quotes(mask_furniture(text, title))  # no quotes inside captions and link widgets
    return Document(text, published, sentences, quotes, mentions, docs, surnames=surnames)


_CAUCUS = frozenset({"democrats", "republicans", "conservatives", "liberals"})


def _typed(raw: list[tuple[Sentence, int, int, EntityType, KnownName | None, float]]
           ) -> list[tuple[Sentence, int, int, EntityType, KnownName | None, float]]:
    """Names the model found, typed by their form (:func:`kg.extract.identity.name_type`); credits, handles and
    glued words dropped."""
    out: list[tuple[Sentence, int, int, EntityType, KnownName | None, float]] = []
    for sent, s, e, t, known, confidence in raw:
        doc = sent.span.doc
        if t in ("GovernmentBody", "Organization") and e < len(doc) and doc[e].lower_ in _CAUCUS:
            # "House Democrats", "Senate Republicans": a party's group in the chamber, not the chamber
            out.append((sent, s, e + 1, "Organization", None, confidence))
            continue
        if known is None and t in ("Person", "Official", "Organization"):
            span = sent.span.doc[s:e]
            before = span.doc.text[span.start_char - 1:span.start_char] if span.start_char else ""
            typed = identity.name_type(span.text, t, before)
            if typed is None:
                continue
            t = typed
        out.append((sent, s, e, t, known, confidence))
    return out


def _clean_person(span: Span) -> Span:
    """Drop courtesy titles a model left on a person's name ("Mr. Rahami" -> "Rahami")."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in _TITLES:
        start += 1
    return span.doc[start:span.end]


def _link(raw: list[tuple[Sentence, int, int, EntityType, KnownName | None, float]],
          reference: Reference | None = None) -> tuple[list[NameMention], dict[str, str]]:
    """Give every name an entity key: the reference key where known (or where the name is a variant of a reference
    name, :func:`kg.extract.identity.reference_person`); for other people the key of a fuller name of the same
    article that contains this one ("Feng" -> "Gao Feng"), else the person's cross-article key
    (:func:`kg.extract.identity.person_key`). A one-word organisation the model found that is the surname of a
    person of the article is that person ("Walters" after "Lindsay Walters"), and so is its first word when that is
    no common given name (a family name written first: "Wang" after "Wang Shouwen"). Also returns the parts of fuller
    names with their keys, for speakers the model did not tag as names."""
    from kg.extract.gender import common_first_name  # gender reads this module's types

    full_names: dict[str, str] = {}  # token -> key of a multi-word person name holding it
    surnames: dict[str, str] = {}  # last word -> key of a multi-word person name ending in it
    variants: dict[str, KnownName] = {}  # key -> the reference person a variant of their name names
    shared: set[str] = set()  # tokens of two people's names ("Johnson" of Ron and of Boris Johnson): no one's
    namesakes: dict[str, set[str]] = {}  # "george bush" -> keys of the namesakes the article names in full
    for sent, s, e, t, _, _ in raw:
        if t == "Person" and (name := _clean_person(sent.span.doc[s:e]).text) and identity.plain_identity(name):
            namesakes.setdefault(identity.plain_identity(name) or "", set()).add(identity.person_key(name))

    def namesake(name: str) -> str | None:  # "George Bush" in an article naming George W. Bush (and no other)
        bare = identity.bare_namesake(name)
        named = namesakes.get(bare, set()) - {identity.person_key(name)} if bare else set()
        return next(iter(named)) if len(named) == 1 else None

    for sent, s, e, t, known, _ in sorted(raw, key=lambda x: x[1] - x[2]):  # longest names first
        if t in ("Person", "Official"):
            span = _clean_person(sent.span.doc[s:e])
            if len(span) > 1:
                ref = identity.reference_person(span.text, reference) if reference and not known else None
                if ref is not None:
                    variants[ref.key] = KnownName(ref.key, "Official", ref.name, ref.country, ref.wikidata, "alias")
                key = known.key if known else ref.key if ref else full_names.get(span.text) or namesake(
                    span.text) or identity.person_key(span.text)
                for part in [tok.text for tok in span if tok.is_alpha and len(tok.text) > 1] + [span[1:].text]:
                    if full_names.setdefault(part, key) != key:  # span[1:]: a surname of several tokens
                        shared.add(part)
                surnames.setdefault(span[-1].text, key)
                if span[0].is_alpha and span[0].is_title and not common_first_name(span[0].text):
                    surnames.setdefault(span[0].text, key)  # a family name written first: "Wang" of "Wang Shouwen"
    for part in shared:
        del full_names[part]
        surnames.pop(part, None)
    out = []
    for sent, s, e, t, known, confidence in raw:
        span = sent.span.doc[s:e]
        if known:
            key = known.key
        elif t == "Person":
            span = _clean_person(span)
            if span.text in full_names:
                key, confidence = full_names[span.text], 0.8
            elif namesake(span.text):
                key, confidence = namesake(span.text) or "", 0.8
            else:
                key = identity.person_key(span.text)
            known = variants.get(key)
        elif t == "Organization" and len(span) == 1 and span.text in surnames:
            key, t, confidence = surnames[span.text], "Person", 0.7
            known = variants.get(key)
        else:
            key = new_key(t, span.text)
        out.append(NameMention(sent.base + span.start_char, sent.base + span.end_char, span.text, key, t, known,
                               confidence, sent.index, (span.start, span.end)))
    return out, full_names
