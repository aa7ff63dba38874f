"""Rules of issue 10 drawn from the errors of eval/dev9 (docs/extraction.md, "eval/dev9: the errors read"), each
tested on sentences of its own: the shape of the error, never its words."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.extracting import claim_with, run

# -- wrong speakers ---------------------------------------------------------------------------------------------------

def test_a_dateline_with_its_country_is_no_speaker(extractor: Extractor) -> None:
    text = "ROME, Italy — Foreign Minister Anna Berg said on Monday that the ferry port would reopen in May."
    claims = run(extractor, text).claims
    assert [(c.speaker, c.text) for c in claims] == [("person/anna-berg", "the ferry port would reopen in May")]


def test_a_participle_after_including_by_keeps_the_subject_above(extractor: Extractor) -> None:
    text = ("Anna Berg has used the NATO summit to advance her agenda, including by announcing on Sunday that the two "
            "countries had reached a deal on ferries.")
    assert claim_with(run(extractor, text), "reached a deal").speaker == "person/anna-berg"


def test_he_is_the_subject_of_the_sentence_before_not_a_possessor_in_its_object(extractor: Extractor) -> None:
    text = ("“The ferries will run,” Mr. Berg said.\n\n"
            "Ministry spokesperson Lin Wei appeared to reject Mr. Berg's claim that the talks had stalled.\n\n"
            "“We have not heard of such talks,” he said.")
    assert claim_with(run(extractor, text), "We have not heard").speaker == "person/lin-wei"


def test_the_source_of_a_claim_someone_else_disputes_is_not_the_last_speaker(extractor: Extractor) -> None:
    text = ("Ministry spokesperson Lin Wei appeared to reject Mr. Berg's claim that the talks had stalled.\n\n"
            "“We have not heard of such talks,” he said.")
    assert claim_with(run(extractor, text), "We have not heard").speaker == "person/lin-wei"


@pytest.mark.parametrize(("text", "words", "group"), [
    # the parser made the subject the object of "after": it speaks, not the possessor of another clause's subject
    ("Mayor Lund's remarks came a day after harbour officials — seeking to calm the market — said the port would "
     "reopen in May.", "reopen", "harbour officials"),
    # several people named by their employer are not that person
    ("Anna Berg's trade advisers said the ferry deal was dead.", "ferry deal", "Anna Berg's trade advisers"),
    # a document presented by a group speaks for that group
    ("The talks came after Anna Berg's negotiators handed the Austrians a list of demands including a letter asking "
     "Vienna to cut its ferry fees by half.", "ferry fees", "Anna Berg's negotiators"),
])
def test_an_unnamed_group_speaks_as_written_not_the_name_beside_it(extractor: Extractor, text: str, words: str,
                                                                   group: str) -> None:
    claim = claim_with(run(extractor, text), words)
    assert claim.speaker is None and claim.speaker_text == group


# -- false claims -----------------------------------------------------------------------------------------------------

def test_a_markup_value_or_web_address_in_quotation_marks_is_no_quote(extractor: Extractor) -> None:
    text = ('poster="http://example.com/images/1155968404/201908/ferry.jpg?pubId=1155968404" Berg asked for new ferry '
            "talks\n\nThe mayor's office listed “www.example.com/ferries” as the place to book.")
    claims = run(extractor, text).claims
    assert not [c for c in claims if "example.com" in c.text]


def test_conceded_to_with_an_apposition_after_a_dash_reports_nothing(extractor: Extractor) -> None:
    text = ("Port negotiators eventually conceded to minimum terms of about five to eight years – something that the "
            "shipping industry, local harbour groups, and most of the other port cities insisted was a necessary "
            "incentive for investment.")
    assert not [c for c in run(extractor, text).claims if c.cue == "conceded"]


# -- content boundaries -----------------------------------------------------------------------------------------------

def test_said_a_but_that_b_is_two_claims(extractor: Extractor) -> None:
    text = ("Anna Berg said people around the world are unsettled by globalization but that trade has brought "
            "tremendous benefits and more jobs.")
    assert [c.text for c in run(extractor, text).claims] == ["people around the world are unsettled by globalization",
                                                             "trade has brought tremendous benefits and more jobs"]


def test_said_that_a_comma_but_that_b_is_two_claims(extractor: Extractor) -> None:
    text = ("Anna Berg, who farms wheat near Lyon, said on Monday that she is not following the talks, but that she "
            "hopes the outcome will help farmers.")
    assert [c.text for c in run(extractor, text).claims] == ["she is not following the talks",
                                                             "she hopes the outcome will help farmers"]


def test_even_though_after_a_comma_is_the_writers_concession(extractor: Extractor) -> None:
    text = "Anna Berg said she felt the same way, even though it was Austria that raised the ferry fees last year."
    assert claim_with(run(extractor, text), "same way").text == "she felt the same way"


# -- dev8's B causes of the same shapes --------------------------------------------------------------------------------

def test_say_a_and_warn_that_b_is_two_reports_of_the_same_speaker(extractor: Extractor) -> None:
    text = ("Harbour officials say the mayor is playing with fire and warn that millions of euros in ferry fees hang "
            "in the balance.")
    assert [(c.cue, c.text) for c in run(extractor, text).claims] == [
        ("say", "the mayor is playing with fire"),
        ("warn", "millions of euros in ferry fees hang in the balance")]


def test_a_report_inside_a_free_relative_does_not_end_the_claim(extractor: Extractor) -> None:
    text = ("Anna Berg raised the ferry tolls, warning that she will not tolerate what she says is unfair treatment "
            "of local shipping.")
    assert claim_with(run(extractor, text), "tolerate").text == \
        "she will not tolerate what she says is unfair treatment of local shipping"


def test_a_report_by_means_in_a_closing_adverbial_clause_is_its_own(extractor: Extractor) -> None:
    text = ("Harbour officials are urging Anna Berg to proceed cautiously on the ferry accord (FTA) after she shocked "
            "the council by threatening to pull out of the accord.")
    claims = run(extractor, text).claims
    assert [(c.speaker_text if c.speaker is None else c.speaker, c.text) for c in claims] == [
        ("Harbour officials", "Anna Berg to proceed cautiously on the ferry accord (FTA)"),
        ("person/anna-berg", "to pull out of the accord")]


# -- dev8's conventions as the lead decided them (docs/extraction.md, eval/dev9 section) -----------------------------

def test_denounce_and_praise_x_as_y_report_like_describe(extractor: Extractor) -> None:
    text = "Mayor Anna Berg denounced the ferry contract as a gift to the shipping lobby."
    claim = claim_with(run(extractor, text), "ferry contract")
    assert (claim.speaker, claim.text) == ("person/anna-berg", "the ferry contract as a gift to the shipping lobby")


def test_cite_x_as_y_keeps_the_object_with_the_description(extractor: Extractor) -> None:
    text = "Harbour officials cite the new tolls as a contributing factor."
    assert claim_with(run(extractor, text), "tolls").text == "the new tolls as a contributing factor"


def test_cite_a_source_as_y_still_reports_nothing(extractor: Extractor) -> None:
    text = "The ministry cited people familiar with the matter as its sources."
    assert run(extractor, text).claims == []


def test_hit_or_mock_x_for_a_gerund_reports_like_blame(extractor: Extractor) -> None:
    claims = run(extractor, "Anna Berg hit the mayor for backing the new ferry tolls.").claims
    assert [(c.speaker, c.text) for c in claims] == [("person/anna-berg", "the mayor for backing the new ferry tolls")]


def test_an_as_phrase_after_a_comma_is_not_the_frame_of_praise(extractor: Extractor) -> None:
    text = "Anna Berg praised the ferry pact in the past but, as a mayoral candidate, has voiced doubts about it."
    assert not [c for c in run(extractor, text).claims if c.cue == "praised"]


def test_a_quote_outside_a_praise_frame_does_not_take_it(extractor: Extractor) -> None:
    text = "Anna Berg praised the harbour as “very modern” and expressed hope of reaching a “fair deal.”"
    assert [c.text for c in run(extractor, text).claims] == ["very modern"]


def test_praise_or_hit_without_its_frame_reports_nothing(extractor: Extractor) -> None:
    text = "Anna Berg praised the mayor on Sunday. The storm hit farmers for a second year in a row."
    assert run(extractor, text).claims == []


def test_a_long_quoted_verb_phrase_conjunct_splits_the_report(extractor: Extractor) -> None:
    text = ("Anna Berg said the two ferry companies had kept in close contact and “made new and substantive progress "
            "on the timetable.”")
    assert [(c.kind, c.text) for c in run(extractor, text).claims] == [
        ("indirect", "the two ferry companies had kept in close contact"),
        ("mixed", "made new and substantive progress on the timetable.")]


def test_a_short_quoted_verb_phrase_conjunct_stays_one_fragment(extractor: Extractor) -> None:
    text = "Anna Berg said the two ferry companies had kept in close contact and “made progress.”"
    assert [c.kind for c in run(extractor, text).claims] == ["mixed"]


def test_others_after_some_officials_is_an_anonymous_source(extractor: Extractor) -> None:
    text = "While some officials said the ferry deal was dead, others said the talks would go on for weeks."
    claim = claim_with(run(extractor, text), "go on for weeks")
    assert claim.speaker is None and claim.speaker_text == "others"


def test_a_bare_others_with_no_group_before_is_no_source(extractor: Extractor) -> None:
    assert not [c for c in run(extractor, "Others said the talks would go on for weeks.").claims]
