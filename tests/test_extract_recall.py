"""Reported-speech rules of issue 10 item 4 (coverage and precision), each tested on short sentences of its own:
a definite crowd refers back to the anonymous source named before, a closing "as"/"while" clause narrating the
speaker is not content, a clause subject the parser read as the verb's object, an inverted cue after a clause the
parser read as a second subject, and headline or link lines are no claims."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.document import is_link_line
from tests.extracting import claim_with, run

VOCAB = spacy.blank("en").vocab


def said(extractor: Extractor, text: str) -> list[tuple[str | None, str, str]]:
    """(speaker key, speaker words, claim text) of every claim, in text order."""
    return [(c.speaker, c.speaker_text, c.text) for c in run(extractor, text).claims]


# -- anonymous sources named once, then referred to ---------------------------------------------------------------

def test_the_people_refers_back_to_people_familiar_with_the_matter(extractor: Extractor) -> None:
    text = ("Beijing is weighing new purchases of soybeans, people familiar with the matter said.\n\n"
            "Chinese importers are ready to sign contracts this month, the people said, asking not to be named.")
    first = claim_with(run(extractor, text), "weighing new purchases")
    second = claim_with(run(extractor, text), "ready to sign contracts")
    for claim in (first, second):  # an anonymous source, kept as the article's words, never a named person
        assert claim.speaker is None and claim.speaker_text == "people familiar with the matter"


def test_sources_close_to_the_talks_keep_the_words_that_say_who_they_are(extractor: Extractor) -> None:
    claim = claim_with(run(extractor, "Sources close to the talks said a deal on dairy was near."), "dairy")
    assert claim.speaker is None and claim.speaker_text == "Sources close to the talks"


def test_a_definite_crowd_with_nothing_named_before_is_still_no_source(extractor: Extractor) -> None:
    text = "Critics say the stadium will never break even. The critics said the mayor had ignored them."
    assert said(extractor, text) == []


# -- span boundaries ----------------------------------------------------------------------------------------------

def test_a_closing_as_clause_narrating_the_speaker_is_not_what_was_said(extractor: Extractor) -> None:
    text = ("President Trump said Tuesday he was not worried about a trade war with Asia as he signed an order "
            "on solar panels.")
    assert claim_with(run(extractor, text), "worried").text == "he was not worried about a trade war with Asia"
    text = ("The ministry said it froze the accounts of 26 people, while it detained at least 350 migrants on "
            "Wednesday.")
    assert claim_with(run(extractor, text), "accounts").text == "it froze the accounts of 26 people"


def test_an_as_clause_of_the_content_itself_stays(extractor: Extractor) -> None:
    claim = claim_with(run(extractor, "Ross said prices rose as the economy grew."), "prices")
    assert claim.text == "prices rose as the economy grew"


def test_a_clause_subject_read_as_the_object_of_said_joins_the_clause(extractor: Extractor) -> None:
    text = ("Lu, who runs a fruit shop in central Beijing, said the prices of imported US fruit – subject to "
            "tariffs of as much as 50% – are certain to rise.")
    claim = claim_with(run(extractor, text), "certain to rise")
    assert claim.text.startswith("the prices of imported US fruit")
    text = ("Angelique Brunner, a spokeswoman for the EB-5 Investment Coalition, said many of the examples that "
            "critics point to failed to note that the program helped transform poor places.")
    claim = claim_with(run(extractor, text), "examples")
    assert claim.text.startswith("many of the examples") and claim.text.endswith("transform poor places")


def test_an_object_of_said_that_is_a_thing_said_is_no_claim(extractor: Extractor) -> None:
    assert said(extractor, "The minister said the same thing he said last year.") == []


def test_an_inverted_cue_after_a_clause_read_as_its_subject_reports_that_clause(extractor: Extractor) -> None:
    text = ("The impact of the step hinges in part on which nations will be affected, said Alex Wolf, senior "
            "economist at Aberdeen Standard Investments.")
    claim = claim_with(run(extractor, text), "impact")
    assert claim.text == "The impact of the step hinges in part on which nations will be affected"
    assert claim.speaker_text == "Alex Wolf"


# -- lines that are not article prose -----------------------------------------------------------------------------

def test_headline_and_link_lines_state_no_claims_but_keep_their_names(extractor: Extractor) -> None:
    text = ("Lagarde spoke in Paris on Monday.\n\n"
            "The IMF says the global outlook is worse as tensions rise\n\n"
            "Greenland not for sale: Trump calls the Danish PM 'nasty' after she nixes notion of a sale\n\n"
            "Lagarde says the outlook is worse.")
    extraction = run(extractor, text)
    assert [c.text for c in extraction.claims] == ["the outlook is worse"]
    assert any(m.text == "Trump" for e in extraction.entities for m in e.mentions)


def _line(*rows: tuple[str, str, str, str]) -> Doc:
    """A hand-tagged line: (word, pos, tag, lemma) per token, no parse needed."""
    return Doc(VOCAB, words=[r[0] for r in rows], pos=[r[1] for r in rows], tags=[r[2] for r in rows],
               lemmas=[r[3] for r in rows])


def test_a_link_line_is_a_short_unpunctuated_line_with_a_present_tense_cue() -> None:
    imf = [("The", "DET", "DT", "the"), ("IMF", "PROPN", "NNP", "IMF"), ("says", "VERB", "VBZ", "say"),
           ("growth", "NOUN", "NN", "growth"), ("is", "AUX", "VBZ", "be"), ("slowing", "VERB", "VBG", "slow")]
    assert is_link_line(_line(*imf))
    assert not is_link_line(_line(*imf, (".", "PUNCT", ".", ".")))  # a sentence of the body
    has_said = [("Growth", "NOUN", "NN", "growth"), ("is", "AUX", "VBZ", "be"), ("slowing", "VERB", "VBG", "slow"),
                (",", "PUNCT", ",", ","), ("its", "PRON", "PRP$", "its"), ("PM", "PROPN", "NNP", "PM"),
                ("has", "AUX", "VBZ", "have"), ("said", "VERB", "VBN", "say")]
    assert not is_link_line(_line(*has_said))  # a standfirst in the perfect: prose, not a headline


# -- reports inside relative clauses, participles and "called for" ------------------------------------------------

def test_a_report_inside_a_relative_clause_is_a_claim_of_its_own(extractor: Extractor) -> None:
    text = ("Ottawa thanked Paris for the state visit which the president said had cemented the oldest alliance "
            "of the two nations.")
    claim = claim_with(run(extractor, text), "cemented")
    assert claim.text == "had cemented the oldest alliance of the two nations"
    text = "The rail levies that the minister threatened to impose on freight firms were dropped in March."
    assert claim_with(run(extractor, text), "to impose").text == "to impose on freight firms"


def test_a_restrictive_relative_clause_with_a_report_ends_the_outer_claim(extractor: Extractor) -> None:
    text = ("Beijing announced it was retaliating against American goods in a dispute that President Donald Trump "
            "says he is prepared to escalate.")
    claims = {c.text: c.speaker for c in run(extractor, text).claims}
    assert claims == {"it was retaliating against American goods in a dispute": "org/government-of-china",
                      "he is prepared to escalate": "person/donald-trump"}


def test_a_relative_clause_without_a_report_stays_in_the_claim(extractor: Extractor) -> None:
    claim = claim_with(run(extractor, "Ross said the tariffs that Trump announced would hurt farmers."), "hurt")
    assert claim.text == "the tariffs that Trump announced would hurt farmers"


def test_citing_after_a_comma_reports_its_object(extractor: Extractor) -> None:
    text = "Moody's cut Brazil's credit rating on Tuesday, citing weak growth and rising public debt."
    claim = claim_with(run(extractor, text), "weak growth")
    assert claim.text == "weak growth and rising public debt" and claim.cue == "citing"


def test_called_for_with_for_opening_the_clause_reports_the_call(extractor: Extractor) -> None:
    text = "Brexit Party leader Nigel Farage called for the deal to be rejected by Parliament."
    claim = claim_with(run(extractor, text), "rejected")
    assert claim.text == "the deal to be rejected by Parliament" and claim.speaker == "person/nigel-farage"


def test_citing_a_document_names_the_source_not_what_was_said(extractor: Extractor) -> None:
    text = "The minister wants calm talks, Reuters reported, citing a transcript of his remarks."
    assert not [c for c in run(extractor, text).claims if "transcript" in c.text]


def test_stressing_an_object_after_a_comma_is_no_claim(extractor: Extractor) -> None:
    text = "Mr. Trump described it as a business deal, stressing his personal relationship with Xi."
    assert not [c for c in run(extractor, text).claims if "relationship" in c.text]


def test_a_relative_clause_report_that_is_a_pro_form_is_no_claim(extractor: Extractor) -> None:
    text = "Sanders promised to lift the ban, which he said he would do, and the crowd cheered."
    assert not [c for c in run(extractor, text).claims if c.text == "he would do"]


def test_a_report_by_the_same_pronoun_inside_a_claim_stays_in_it(extractor: Extractor) -> None:
    text = ("In a second tweet, Trump said past trade talks posed a hurdle that he predicted the two countries "
            "would overcome.")
    claim = claim_with(run(extractor, text), "hurdle")
    assert claim.text.endswith("the two countries would overcome") and claim.text.startswith("past trade talks")


def test_a_relative_clause_report_does_not_take_a_clause_after_its_aside(extractor: Extractor) -> None:
    text = ("Mr. Sanders spoke first. After a question about ending the ban — which he said he would do — another "
            "audience member, Jeanny Aldrich from Chesterfield, stood and said, “I have a much bigger question.”")
    claim = claim_with(run(extractor, text), "bigger question")
    assert claim.speaker_text == "Jeanny Aldrich"
