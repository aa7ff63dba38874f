"""Reporting frames beyond "X said that ...": participial speech acts (", saying ..."), their speakers, and how
they bound the claim before them. Articles are written for these tests; the real spaCy pipeline runs and every
span is checked against the text."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.model import Article, Claim, Extraction


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(extractor: Extractor, text: str, published: str | None = "2018-06-14") -> Extraction:
    extraction = extractor.extract(Article(id="t", text=text, published=published))
    for c in extraction.claims:
        assert text[c.start:c.end] == c.text, c
    return extraction


def claim_with(extraction: Extraction, words: str) -> Claim:
    found = [c for c in extraction.claims if words in c.text]
    assert found, f"no claim holds {words!r}: {[c.text for c in extraction.claims]}"
    return found[0]


def test_a_participial_speech_act_is_a_claim_of_its_own(extractor: Extractor) -> None:
    text = ("Chrystia Freeland denied the charge was unfair, saying Ottawa was simply enforcing the "
            "agreement it signed.")
    e = run(extractor, text)
    first = claim_with(e, "the charge was unfair")
    assert first.text == "the charge was unfair"
    second = claim_with(e, "Ottawa was simply enforcing")
    assert second.speaker == first.speaker == "person/chrystia-freeland"


def test_participle_speaker_is_the_subject_not_a_nearby_noun(extractor: Extractor) -> None:
    text = ("Wilbur Ross promised to renegotiate the agreement with Mexico, saying it had cost thousands of "
            "factory jobs.")
    c = claim_with(run(extractor, text), "cost thousands")
    assert c.speaker == "person/wilbur-ross"


def test_participle_inside_reported_speech_belongs_to_the_reporter(extractor: Extractor) -> None:
    text = ("Robert Lighthizer announced on Friday he plans to raise duties on imported solar panels, arguing "
            "the measure will protect American manufacturers.")
    e = run(extractor, text)
    plan = claim_with(e, "raise duties")
    assert "arguing" not in plan.text
    argued = claim_with(e, "protect American manufacturers")
    assert argued.speaker == plan.speaker == "person/robert-lighthizer"


def test_she_skips_a_man_named_nearer(extractor: Extractor) -> None:
    text = ("Sarah Huckabee Sanders briefed reporters on Tuesday. The president has asked for daily updates from "
            "Acting Chief of Staff Mick Mulvaney, she said.")
    c = claim_with(run(extractor, text), "asked for daily updates")
    assert c.speaker_text == "she" and c.speaker == "person/sarah-huckabee-sanders"


def test_a_courtesy_title_gives_the_gender(extractor: Extractor) -> None:
    text = ("Mr Trump met Mrs May at Downing Street on Tuesday. May said both sides wanted a deal soon.\n\n"
            '"The potential is tremendous," he said.')
    c = claim_with(run(extractor, text), "potential is tremendous")
    assert c.speaker == "person/donald-trump"


def test_he_skips_names_inside_an_aside_or_a_reported_clause(extractor: Extractor) -> None:
    text = ("Wilbur Ross - speaking alongside Mr Lighthizer - denied the tariffs were protectionist. "
            '"Enforcing rules is not protectionism," he said.\n\n'
            "Chrystia Freeland said Justin Trudeau would not accept a sunset clause. She said the talks would "
            "continue in Washington.")
    e = run(extractor, text)
    assert claim_with(e, "Enforcing rules").speaker == "person/wilbur-ross"
    assert claim_with(e, "talks would continue").speaker == "person/chrystia-freeland"
