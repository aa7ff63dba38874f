"""Helpers for tests that run the real extractor on articles written for them (the ``extractor`` fixture is in
conftest.py)."""

from __future__ import annotations

from kg.extract import Extractor
from kg.extract.model import Article, Claim, Extraction


def run(extractor: Extractor, text: str, published: str | None = "2018-06-14", title: str | None = None) -> Extraction:
    """Extract one article and check the span invariant of every claim and mention, and the confidence bounds."""
    extraction = extractor.extract(Article(id="t", text=text, title=title, published=published))
    for c in extraction.claims:
        assert c.text and text[c.start:c.end] == c.text, c
        assert 0.0 < c.confidence < 1.0
    for e in extraction.entities:
        assert 0.0 < e.confidence <= 1.0
        for m in e.mentions:
            assert text[m.start:m.end] == m.text, m
    return extraction


def claim_with(extraction: Extraction, words: str) -> Claim:
    """The first claim whose text holds ``words``; fails naming the claims found."""
    found = [c for c in extraction.claims if words in c.text]
    assert found, f"no claim holds {words!r}: {[c.text for c in extraction.claims]}"
    return found[0]
