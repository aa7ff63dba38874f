"""Rules of issue 10's eighth round, drawn from the causes that recur across the blind sets eval/dev8 .. eval/dev11
(docs/extraction.md, "eval/dev11: the errors read"), each tested on sentences of its own: the shape of the error,
never its words."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.extracting import claim_with, run


def test_a_dateline_that_swallows_the_subject_as_an_apposition_names_no_speaker(extractor: Extractor) -> None:
    # the parser reads "OSLO, Norway – Mayor Anna Lund" as one phrase, the place its head and the mayor its
    # apposition: the dateline is no speaker, the mayor is
    text = "OSLO, Norway – Mayor Anna Lund said Tuesday she is confident that the ferry strike will end soon."
    claims = run(extractor, text).claims
    assert [(c.speaker, c.text) for c in claims] == [
        ("person/anna-lund", "she is confident that the ferry strike will end soon")]


@pytest.mark.parametrize(("text", "content"), [
    # a subject-less verb in the past joined to a content in the present is the speaker's next act, narrated
    ("Mayor Anna Lund said Tuesday she is confident that the ferry strike will end soon but gave no date for a "
     "settlement with the union.", "she is confident that the ferry strike will end soon"),
    ("Governor Ray Lund said the toll plan needs more work and promised a new draft by the spring.",
     "the toll plan needs more work"),
])
def test_a_past_conjunct_after_a_present_content_is_the_writers_narration(extractor: Extractor, text: str,
                                                                           content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]


@pytest.mark.parametrize("text", [
    # backshifted reported speech may coordinate past verbs: "the union had agreed ... and accepted ..."
    "Mayor Anna Lund said the union had agreed to the terms and accepted the new pay scale.",
    # a past verb joined to a past one inside a present content is still the content's
    "Governor Ray Lund said he finally believes the mayor was born in the city and was therefore qualified to run.",
    # a copula the parser joined to the present verb is a state of the content's subject, not the speaker's act
    "Councillors met on Friday, shortly after Governor Ray Lund said he now believes the mayor was born in the city "
    "and was therefore qualified to run.",
])
def test_a_past_conjunct_joined_to_a_past_verb_stays(extractor: Extractor, text: str) -> None:
    content = text[text.index("said ") + 5:-1]
    assert [c.text for c in run(extractor, text).claims] == [content]


def test_single_quoted_words_scattered_in_one_clause_are_that_clause(extractor: Extractor) -> None:
    # two one-word quotes picked out of one reported clause: the clause is the claim, no word of it a fragment
    text = 'Senator Tom Reed said in a letter that the mayor lacked the "courage" to put her "flawed" plan to a vote.'
    claims = run(extractor, text).claims
    assert [(c.kind, c.text) for c in claims] == [
        ("indirect", 'the mayor lacked the "courage" to put her "flawed" plan to a vote')]


def test_one_quoted_word_in_a_clause_stays_a_fragment(extractor: Extractor) -> None:
    text = 'Senator Tom Reed said in a letter that the mayor lacked the "courage" to put her plan to a vote.'
    assert [(c.kind, c.text) for c in run(extractor, text).claims] == [("mixed", "courage")]


def test_a_short_quoted_word_in_a_later_conjunct_does_not_split_the_clause(extractor: Extractor) -> None:
    # "A and B "x" but C "a long stretch"": the one-word quote is a fragment of the clause before "but", which is
    # therefore no claim of its own beside it; the long stretch is a mixed claim, once
    text = ('Senator Tom Reed said some councillors were upset and others were "restless" but most were relieved '
            'not to be "voting on a plan that was bound to fail".')
    claims = run(extractor, text).claims
    assert [(c.kind, c.text) for c in claims] == [
        ("mixed", "restless"), ("mixed", "voting on a plan that was bound to fail")]


def test_a_long_quoted_stretch_in_a_later_conjunct_still_splits(extractor: Extractor) -> None:
    text = 'Senator Tom Reed said the plan had failed but the council needed "to do the decent thing and start again".'
    texts = [c.text for c in run(extractor, text).claims]
    assert texts == ["the plan had failed", "to do the decent thing and start again"]


def test_a_family_name_written_first_is_the_person(extractor: Extractor) -> None:
    # the model calls the bare family name "Wang" an organisation: it is Wang Lihua, named in full before (a "he"
    # after it then has its antecedent)
    text = ("Wang Lihua, the port's vice-director, spoke on Sunday.\n\n"
            "Speaking about the case, Wang said that any shipper suspected of breaking the rules would be "
            "investigated.\n\n"
            "At the same time, the rights of foreign shippers would always be protected, he said.")
    extraction = run(extractor, text)
    assert claim_with(extraction, "any shipper suspected").speaker == "person/wang-lihua"
    assert claim_with(extraction, "foreign shippers").speaker == "person/wang-lihua"


def test_a_common_given_name_alone_is_not_taken_for_a_family_name(extractor: Extractor) -> None:
    # "Paul" opening "Paul Berg" is a given name: a one-word organisation "Paul" elsewhere is not Paul Berg
    from kg.extract.gender import common_first_name
    assert common_first_name("Paul") and common_first_name("theresa") and not common_first_name("Zhang")


def test_a_quote_in_a_statement_naming_its_source_is_that_source(extractor: Extractor) -> None:
    # the outer cue reports that a statement exists; the quoted word is in the statement, so it is its source's
    # (the parser reads "that he wanted ..." as a relative clause with "that" as its mark: it is the content clause)
    text = 'Mayor John Berg pointed to a statement from Governor Ray Lund that he wanted both ports to "cool" tensions.'
    claim = claim_with(run(extractor, text), "cool")
    assert (claim.speaker, claim.cue) == ("person/raymond-lund", "statement")


def test_a_report_nested_in_a_quoted_accusation_is_no_claim_of_the_accuser(extractor: Extractor) -> None:
    # "accusing" is what the accused did, inside Lund's accusation: not a claim of Lund's
    text = ('Governor Ray Lund accused the council of being "reckless" in accusing the port of hiding its '
            'losses.')
    claims = run(extractor, text).claims
    assert [c.text for c in claims] == ["reckless"]


def test_a_participle_of_saying_in_an_absolute_with_phrase_speaks_for_its_object(extractor: Extractor) -> None:
    # the parser hangs "complaining" on the last noun of the phrase ("sides"): the object of "with" speaks, named
    # without the participle's clause
    text = ("The hearing ended in uproar, with councillors from both parties complaining that the mayor had kept them "
            "in the dark about the toll.")
    claim = claim_with(run(extractor, text), "the mayor had kept them")
    assert (claim.speaker, claim.speaker_text) == (None, "councillors from both parties")


def test_mps_can_speak_as_a_described_group(extractor: Extractor) -> None:
    # "MPs" is a noun of people like "lawmakers": "Some MPs called for ..." is their claim, as written
    text = "Some MPs called for it to return to the chamber before the summer recess."
    claim = claim_with(run(extractor, text), "it to return to the chamber")
    assert (claim.speaker, claim.speaker_text) == (None, "Some MPs")


@pytest.mark.parametrize(("text", "contents"), [
    ("Governor Ray Lund proclaimed that the ferry strike was over.", ["the ferry strike was over"]),
    # under a verb of going on, and with two quoted stretches of one report
    ("Governor Ray Lund continues to proclaim that the toll is “paid by the shipping companies” and that it brings "
     "“millions” into the city.", ["paid by the shipping companies", "millions"]),
])
def test_proclaim_is_a_reporting_verb(extractor: Extractor, text: str, contents: list[str]) -> None:
    assert [c.text for c in run(extractor, text).claims] == contents



def test_a_quote_closing_right_before_its_attribution_is_not_taken_by_a_cue_nested_before_it(
        extractor: Extractor) -> None:
    # "agreed" is part of what the spokesman reports; the quote, closing on a comma right before "a city hall
    # spokesman told", is the spokesman's, and his frame gives no second claim of the clause before it
    text = ("The ferry crews are working to carry out a May 3 meeting between Lund and Berg during which the two "
            "mayors agreed to seek a “fair and lasting settlement,” a city hall spokesman told reporters on Tuesday.")
    claims = run(extractor, text).claims
    assert [(c.speaker_text, c.text) for c in claims] == [("a city hall spokesman", "fair and lasting settlement,")]


@pytest.mark.parametrize(("text", "quote_by"), [
    # a new clause after the quote whose verb is not the cue, or a cue of the same speaker reporting more
    ('Later, when Lund told Berg to "relax," Mayor Anna Kerr jumped in and joked that the two were doing yoga.',
     "Lund"),
    ("Spokesman John Berg said the ruling was “good news,” but said it raised new questions for the port.",
     "John Berg"),
])
def test_a_clause_after_a_quote_that_is_no_attribution_leaves_it_alone(extractor: Extractor, text: str,
                                                                       quote_by: str) -> None:
    quote = next(c for c in run(extractor, text).claims if c.kind == "mixed")
    assert quote.speaker_text == quote_by
