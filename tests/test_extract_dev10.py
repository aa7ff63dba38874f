"""Rules of issue 10 drawn from the causes that recur across eval/dev8, eval/dev9 and eval/dev10 (docs/extraction.md,
"eval/dev10: the errors read"), each tested on sentences of its own: the shape of the error, never its words."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.extracting import claim_with, run


def test_a_cue_inside_another_report_does_not_make_its_subject_the_last_speaker(extractor: Extractor) -> None:
    # "Reed said [Berg was arguing for ...]": "arguing" is a cue inside Reed's report; "he" after it is Reed, the one
    # who spoke, not Berg, who is only reported on
    text = ("Chancellor Paul Berg said the harbour plan would cost little.\n\n"
            "Senator Tom Reed said Mr Berg was effectively arguing for higher taxes.\n\n"
            "He said the chancellor had ignored the costs of the plan.")
    extraction = run(extractor, text)
    assert claim_with(extraction, "Mr Berg was effectively arguing").speaker == "person/thomas-reed"
    assert claim_with(extraction, "had ignored the costs").speaker == "person/thomas-reed"


@pytest.mark.parametrize(("text", "words", "group"), [
    # a plural noun of people whose named person only modifies it is a group as written, not that person
    ("Mayor Anna Lund's Liberal allies warn that the harbour toll will hurt commuters.", "harbour toll",
     "Mayor Anna Lund's Liberal allies"),
    ("Mayor Anna Lund's supporters say the harbour toll will pay for new buses.", "new buses",
     "Mayor Anna Lund's supporters"),
    # "they" after a group of backers is that group
    ("Backers have tried to win over reluctant councillors by promising new buses. They also said the toll requires "
     "a vote of the council every year.", "a vote of the council", "Backers"),
])
def test_a_group_of_people_speaks_as_written_not_the_name_beside_it(extractor: Extractor, text: str, words: str,
                                                                    group: str) -> None:
    claim = claim_with(run(extractor, text), words)
    assert claim.speaker is None and claim.speaker_text == group


def test_a_possessor_of_what_was_said_still_speaks(extractor: Extractor) -> None:
    text = "Mayor Anna Lund's remarks suggested that the harbour toll would stay."
    assert claim_with(run(extractor, text), "harbour toll").speaker == "person/anna-lund"


@pytest.mark.parametrize(("text", "content"), [
    # the parser hangs it on the noun before it, or on the verb of the content
    ("Mayor Anna Lund said the harbour fees could exceed $50 million, almost the same amount that the port earned "
     "last year.", "the harbour fees could exceed $50 million"),
    ("The city council announced last week that it would study whether the new ferries harm local fishing, the first "
     "step toward a ban similar to the one imposed on jet skis last year.",
     "it would study whether the new ferries harm local fishing"),
])
def test_a_closing_definite_apposition_that_places_the_content_is_the_writers(extractor: Extractor, text: str,
                                                                              content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]


def test_a_contrasting_apposition_stays_the_speakers(extractor: Extractor) -> None:
    text = "Mayor Anna Lund said she offered real change, not the kind promised by her rivals in the last campaign."
    assert [c.text for c in run(extractor, text).claims] == [
        "she offered real change, not the kind promised by her rivals in the last campaign"]


def test_a_participle_of_saying_on_a_passive_that_reports_nothing_has_no_speaker(extractor: Extractor) -> None:
    # the writer's inference from what was done to Berg: neither Berg nor the name in the title speaks
    text = ("Unlike in earlier visits, Mr. Berg wasn’t given the title of Mayor Lund’s “special envoy,” suggesting he "
            "may not have the power to make a deal.")
    assert not [c for c in run(extractor, text).claims if "power" in c.text]


def test_a_participle_of_saying_on_a_passive_report_keeps_the_one_asked(extractor: Extractor) -> None:
    text = "Mayor Anna Lund was asked about the harbour toll on Monday, saying it would stay until 2030."
    assert claim_with(run(extractor, text), "stay until 2030").speaker == "person/anna-lund"


@pytest.mark.parametrize(("text", "content"), [
    ("Mayor Anna Lund is threatening new fees on cruise ships that dock overnight in the harbour.",
     "new fees on cruise ships that dock overnight in the harbour"),
    ("Backers have tried to sweeten the deal for reluctant councillors by announcing assistance for ferry workers who "
     "lose jobs as a result of the tunnel.", "assistance for ferry workers who lose jobs as a result of the tunnel"),
])
def test_a_noun_phrase_object_of_a_progressive_or_a_means_participle_is_reported(extractor: Extractor, text: str,
                                                                                 content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]


def test_a_progressive_verb_that_reports_nothing_gives_no_claim(extractor: Extractor) -> None:
    assert run(extractor, "Mayor Anna Lund is visiting the new harbour tunnel on Monday.").claims == []


def test_a_closing_participle_of_what_the_report_led_to_is_the_writers(extractor: Extractor) -> None:
    text = ("But late last week, the city council said it had no intention of doing so, triggering Mayor Lund’s threat "
            "on Sunday to close the ferry and bringing the dispute into the open.")
    assert claim_with(run(extractor, text), "no intention").text == "it had no intention of doing so"


def test_what_a_prediction_would_lead_to_stays_in_it(extractor: Extractor) -> None:
    text = "Mayor Anna Lund said the new toll would hurt commuters, sending fares higher across the harbour district."
    assert [c.text for c in run(extractor, text).claims] == [
        "the new toll would hurt commuters, sending fares higher across the harbour district"]
