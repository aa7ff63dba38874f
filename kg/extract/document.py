"""One parsed article: its blocks and docs, sentences with global offsets, quotes, and name mentions.

Everything downstream (attribution, posts, dates) works on global character offsets into ``article.text``;
``Sentence.base`` turns a token of its doc into one (``base + token.idx``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteer import Gazetteer, KnownName, new_key
from kg.extract.lexicon import load_lexicon
from kg.extract.model import EntityType
from kg.extract.pipeline import Block
from kg.extract.quotes import Quote, find_quotes

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
    genders: dict[str, str] | None = None  # person key -> "m" / "f", filled by kg.extract.gender
    reported: list[tuple[int, int]] = field(default_factory=list)  # content spans of reporting frames found so far
    _starts: list[int] = field(default_factory=list, repr=False)
    _mention_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]
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

    def mentions_before(self, char: int) -> list[NameMention]:
        """Name mentions ending before ``char``, nearest first."""
        i = bisect_right(self._mention_starts, char)
        return [m for m in reversed(self.mentions[:i]) if m.end <= char]

    def in_quote(self, start: int, end: int) -> Quote | None:
        """The quote whose marks enclose ``[start, end)``, if any."""
        for q in self.quotes:
            if q.contains(start, end):
                return q
            if q.open > end:
                break
        return None


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
    r"|caption:|listen to (?:this )?article|share this article|read more\b|related:|watch:|click here)",
    re.IGNORECASE)


def is_furniture(text: str, title: str | None) -> bool:
    """A paragraph that is not article body: the headline repeated as the first line, or a caption, credit,
    widget or link line ("Image caption ...", "Enlarge this image toggle caption ...", "Read more: ...")."""
    if title and " ".join(text.split()).casefold() == " ".join(title.split()).casefold():
        return True
    return bool(_FURNITURE.match(text.lstrip()))


def build_document(text: str, published: str | None, blocks: list[Block], docs: list[Doc],
                   gazetteer: Gazetteer, title: str | None = None) -> Document:
    """Assemble a Document from parsed blocks: sentences, quotes and linked name mentions. Headings and page
    furniture (:func:`is_furniture`) are kept as sentences marked ``heading``: no names, no claims."""
    sentences: list[Sentence] = []
    raw: list[tuple[Sentence, int, int, EntityType, KnownName | None, float]] = []
    for b, (block, doc) in enumerate(zip(blocks, docs, strict=True)):
        heading = is_heading(doc.text) or is_furniture(doc.text, title)
        names = [] if heading else gazetteer.names_in(doc)
        n = 0
        for span in doc.sents:
            sent = Sentence(len(sentences), span, block.start, block.paragraph, b, heading)
            sentences.append(sent)
            while n < len(names) and names[n].start < span.end:
                x = names[n]
                raw.append((sent, x.start, x.end, x.type, x.known, x.confidence))
                n += 1
    mentions, surnames = _link(raw)
    return Document(text, published, sentences, find_quotes(text), mentions, docs, surnames=surnames)


def _clean_person(span: Span) -> Span:
    """Drop courtesy titles a model left on a person's name ("Mr. Rahami" -> "Rahami")."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in _TITLES:
        start += 1
    return span.doc[start:span.end]


def _link(raw: list[tuple[Sentence, int, int, EntityType, KnownName | None, float]]
          ) -> tuple[list[NameMention], dict[str, str]]:
    """Give every name an entity key: the reference key where known; for other people the key of a fuller name of
    the same article that contains this one ("Feng" -> "Gao Feng"), else one made from the name itself. Also
    returns the parts of fuller names with their keys, for speakers the model did not tag as names."""
    full_names: dict[str, str] = {}  # token -> key of a multi-word person name holding it
    for sent, s, e, t, known, _ in sorted(raw, key=lambda x: x[1] - x[2]):  # longest names first
        if t in ("Person", "Official"):
            span = _clean_person(sent.span.doc[s:e])
            if len(span) > 1:
                key = known.key if known else full_names.get(span.text) or new_key("Person", span.text)
                for tok in span:
                    if tok.is_alpha and len(tok.text) > 1:
                        full_names.setdefault(tok.text, key)
                full_names.setdefault(span[1:].text, key)  # a surname of several tokens ("Holtz-Eakin")
    out = []
    for sent, s, e, t, known, confidence in raw:
        span = sent.span.doc[s:e]
        if known:
            key = known.key
        elif t == "Person":
            span = _clean_person(span)
            if span.text in full_names:
                key, confidence = full_names[span.text], 0.8
            else:
                key = new_key(t, span.text)
        else:
            key = new_key(t, span.text)
        out.append(NameMention(sent.base + span.start_char, sent.base + span.end_char, span.text, key, t, known,
                               confidence, sent.index, (span.start, span.end)))
    return out, full_names
