"""Rules by cause, not by shape (issue 10, seventh round; docs/extraction.md, "Rules by cause"): the speaker a
relative "who" stands for, and the end of a content before the writer's narration after it, each on sentences of
its own."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.extracting import claim_with, run


@pytest.mark.parametrize(("text", "words", "group"), [
    # the parser hangs the relative clause on "objections", which cannot speak: the groups before "who" do
    ("The port deal drew objections from farm unions and consumer groups, who said it would hurt growers.",
     "it would hurt growers", "farm unions and consumer groups"),
    # the parser makes "who" the subject of a complement clause far from it; a name elsewhere in the sentence is
    # no stand-in for it
    ("The toll could be a large part of Mr. Lund's legacy, but first he will need to win votes in the face of loud "
     "objections by farm unions and consumer groups, who already have declared it a betrayal of rural voters.",
     "a betrayal of rural voters", "farm unions and consumer groups"),
])
def test_a_relative_who_is_the_people_before_it(extractor: Extractor, text: str, words: str, group: str) -> None:
    claim = claim_with(run(extractor, text), words)
    assert claim.speaker is None and claim.speaker_text == group


def test_a_relative_who_on_a_person_keeps_that_person(extractor: Extractor) -> None:
    text = "Jeremy Hunt, Britain's foreign minister who has warned that the harbour deal is dead, spoke on Monday."
    assert claim_with(run(extractor, text), "the harbour deal is dead").speaker == "person/jeremy-hunt"


@pytest.mark.parametrize(("text", "content"), [
    # a past-tense "as" clause after a content not told in the past is the writer's narration, whatever its subject
    # and whatever the parse hangs it on
    ("The dock workers' union threatened to strike at the three ports as the two shipping companies exchanged angry "
     "letters.", "to strike at the three ports"),
    ("Governor Ray Lund said prices are rising across the region as demand recovered.",
     "prices are rising across the region"),
])
def test_a_past_clause_narrating_around_a_content_not_in_the_past_is_the_writers(extractor: Extractor, text: str,
                                                                                  content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]


@pytest.mark.parametrize(("text", "content"), [
    # backshifted reported speech may hold such a clause: it stays whole
    ("Governor Ray Lund said the talks would resume when the ministers met in June.",
     "the talks would resume when the ministers met in June"),
    # a "when" clause is left to the content, whatever its tense: an order or a request may hold it
    ("Governor Ray Lund told his staff never to discuss the toll when reporters raised concerns about it.",
     "his staff never to discuss the toll when reporters raised concerns about it"),
    ("Governor Ray Lund said prices were rising across the region as demand recovered.",
     "prices were rising across the region as demand recovered"),
])
def test_a_clause_inside_a_content_told_in_the_past_stays(extractor: Extractor, text: str, content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]
