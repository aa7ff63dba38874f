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


def test_a_past_conjunct_after_a_content_told_in_the_past_stays(extractor: Extractor) -> None:
    # backshifted reported speech may coordinate past verbs: "the union had agreed ... and accepted ..."
    text = "Mayor Anna Lund said the union had agreed to the terms and accepted the new pay scale."
    assert [c.text for c in run(extractor, text).claims] == [
        "the union had agreed to the terms and accepted the new pay scale"]


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


def test_a_family_name_written_first_is_the_person_for_later_pronouns(extractor: Extractor) -> None:
    # the model calls the bare family name "Zhang" an organisation: it is Zhang Wenli, so "he" after "Zhang
    # referred to ..." is Zhang, not the last person named in the object
    text = ("“Nothing is settled yet,” Zhang Wenli said at the port.\n\n"
            "Asked what the city needed to do, Zhang referred to a memorandum signed by Mayor John Berg in May.\n\n"
            "“The memorandum was meant to lower the fees for every shipper,” he said.")
    extraction = run(extractor, text)
    assert claim_with(extraction, "lower the fees").speaker == claim_with(extraction, "Nothing is settled").speaker
    assert claim_with(extraction, "Nothing is settled").speaker is not None


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
