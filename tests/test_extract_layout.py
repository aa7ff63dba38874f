"""Article layout around the claims: page furniture (repeated headline, captions, widgets) is not body text, and
quote layouts beyond "X said". Articles are written for these tests; the real spaCy pipeline runs."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.document import is_furniture
from tests.extracting import run


@pytest.mark.parametrize(("paragraph", "title", "expected"), [
    ("Report Says Tariffs Would Hurt Farmers", "Report Says  Tariffs Would Hurt Farmers", True),
    ("Image copyright AFP Image caption Wilbur Ross said the tariffs would stay", None, True),
    ("Enlarge this image toggle caption Susan Walsh/AP", None, True),
    ("Read more: Canada says talks will resume", None, True),
    ("LISTEN TO ARTICLE 3:35 SHARE THIS ARTICLE", None, True),
    ("Photographs of the summit showed the leaders apart.", None, False),
    ("Report says tariffs would hurt farmers, the ministry said.", "Farm report", False),
])
def test_page_furniture_is_recognised(paragraph: str, title: str | None, expected: bool) -> None:
    assert is_furniture(paragraph, title) is expected


def test_captions_and_a_repeated_headline_give_no_claims(extractor: Extractor) -> None:
    title = "Report Says Trade Deal Would Boost Exports"
    text = (f"{title}\n\n"
            "Image copyright Reuters Image caption Wilbur Ross said the tariffs were coming\n\n"
            "Chrystia Freeland said Canada would answer any tariffs in kind.")
    e = run(extractor, text, title=title)
    assert [c.text for c in e.claims] == ["Canada would answer any tariffs in kind"]


def test_an_inverted_cue_before_a_quote(extractor: Extractor) -> None:
    text = ("Wilbur Ross spoke in Ottawa on Monday.\n\n"
            "Said Ross: “We have large trade deficits with Mexico and Canada. That has to change.”")
    e = run(extractor, text)
    c = next(c for c in e.claims if c.text.startswith("We have large trade deficits"))
    assert c.kind == "direct" and c.speaker == "person/wilbur-ross"


def test_an_embedded_tweet_is_a_direct_claim_of_its_author(extractor: Extractor) -> None:
    tweet = "Canada has treated our dairy farmers very badly. We will not stand for it! #TradeWar"
    text = ("Donald Trump took to Twitter on Friday.\n\n"
            f"{tweet} https://t.co/AbC123 — Donald J. Trump (@realDonaldTrump) June 1, 2018\n\n"
            "Ottawa did not respond.")
    e = run(extractor, text)
    c = next(c for c in e.claims if c.text == tweet)
    assert c.kind == "direct" and c.speaker == "person/donald-trump"


def test_a_signature_without_a_known_author_or_words_is_no_claim(extractor: Extractor) -> None:
    text = ("Markets fell on Friday.\n\n"
            "pic.twitter.com/xyz — Jane Roe (@janeroe) June 1, 2018\n\n"
            "Prices were lower.")
    assert run(extractor, text).claims == []


@pytest.mark.parametrize("text", [
    "“Too many jobs lost. The department has been told to get it done!” Wilbur Ross wrote on Twitter, saying a "
    "solution was near.",
    "“If you don’t do this deal, what are your levers of power?” Singapore’s foreign minister, K. Shanmugam, "
    "said in a speech on Monday.",
])
def test_an_attribution_after_an_exclamation_or_question(extractor: Extractor, text: str) -> None:
    e = run(extractor, text)
    c = e.claims[0]
    assert c.kind == "direct" and c.speaker is not None and c.text.endswith(("!", "?"))
