"""Embedded posts printed as text: a tweet copied into the article without quotation marks and signed with its
author's name, handle and date ("... be patient! #MAGA — Donald J. Trump (@realDonaldTrump) June 25, 2018").
The words before the signature are the author's own, so they are a direct claim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.document import Document

_SIGNATURE = re.compile(
    r"\s*[—–-]{1,2}\s*(?P<name>[A-Z][\w.'’ -]{0,60}?)\s*\(@\w{1,15}\)\s*"
    r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})?\s*$")
_TRAILING_LINKS = re.compile(r"(?:\s*(?:https?://\S+|pic\.twitter\.com/\S+))+\s*$")


@dataclass(frozen=True)
class Embed:
    """The text of an embedded post (``start``/``end`` in the article) and its signed author."""

    start: int
    end: int
    author_key: str
    author: str


def embedded_posts(doc: Document) -> list[Embed]:
    """Every paragraph of ``doc`` that ends in a post signature naming a person the article mentions, with at
    least three words before the signature (trailing links dropped)."""
    found = []
    for start, end in _paragraphs(doc):
        signed = _SIGNATURE.search(doc.text, start, end)
        if signed is None:
            continue
        body = _TRAILING_LINKS.sub("", doc.text[start:signed.start()]).rstrip()
        lead = len(body) - len(body.lstrip())
        if len(body.split()) < 3:
            continue
        name_start, name_end = signed.start("name"), signed.end("name")
        people = [m for m in doc.mentions_between(name_start, name_end) if m.type in ("Person", "Official")]
        if people:  # an author the names stage did not find would be a speaker without an entity
            found.append(Embed(start + lead, start + len(body), people[0].key, signed.group("name")))
    return found


def _paragraphs(doc: Document) -> list[tuple[int, int]]:
    """Paragraph spans of the article (a long paragraph parsed in several blocks is one span)."""
    spans: dict[int, list[int]] = {}
    for s in doc.sentences:
        bounds = spans.setdefault(s.paragraph, [s.start, s.end])
        bounds[0], bounds[1] = min(bounds[0], s.start), max(bounds[1], s.end)
    return [(a, b) for a, b in spans.values()]
