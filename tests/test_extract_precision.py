"""Speaker and content rules of issue 10 drawn from the errors of eval/dev6 (docs/extraction.md, Speaker precision
rules), each tested on short sentences of its own."""

from __future__ import annotations

from kg.extract import Extractor
from tests.extracting import claim_with, run

# -- a report of a report ------------------------------------------------------------------------------------------

def test_a_relayed_report_is_the_claim_of_the_inner_speaker(extractor: Extractor) -> None:
    text = ("The Guardian reports that Anna Berg, the finance minister, told colleagues that she would resign if "
            "the budget failed.")
    claims = run(extractor, text).claims
    assert [(c.speaker, c.text) for c in claims] == [("person/anna-berg", "she would resign if the budget failed")]


def test_a_relayed_report_by_an_anonymous_source_keeps_its_words(extractor: Extractor) -> None:
    text = "Axios reported on Monday that a senior ministry official said the port would reopen within a week."
    claim = claim_with(run(extractor, text), "port")
    assert claim.text == "the port would reopen within a week"
    assert claim.speaker is None and claim.speaker_text == "a senior ministry official"


def test_a_finding_inside_a_persons_report_stays_theirs(extractor: Extractor) -> None:
    text = "Ana Ruiz, a union leader, says the new study shows the port could lose 900 jobs."
    claim = claim_with(run(extractor, text), "900 jobs")
    assert claim.speaker == "person/ana-ruiz"


# -- pronouns ------------------------------------------------------------------------------------------------------

def test_she_does_not_point_back_to_a_one_word_name_of_no_known_person(extractor: Extractor) -> None:
    text = ("Mrs Kallas sent the Brexit letter on Monday. Officials cheered the Brexit deal. "
            "\"We will not delay,\" she said.")
    claim = claim_with(run(extractor, text), "We will not delay")
    assert claim.speaker == "person/kallas"


# -- passive reporting verbs -----------------------------------------------------------------------------------

def test_a_passive_reporting_verb_is_said_by_its_agent_not_its_subject(extractor: Extractor) -> None:
    text = "The mayor of Bergen was warned by engineers from Oslo that the old bridge should be closed."
    claim = claim_with(run(extractor, text), "bridge")
    assert claim.speaker is None and claim.speaker_text.startswith("engineers")


def test_a_passive_reporting_verb_without_an_agent_names_no_speaker(extractor: Extractor) -> None:
    text = "Ms. Lund was told that the ferry to Bergen would be late."
    assert not [c for c in run(extractor, text).claims if "ferry" in c.text]


def test_quoted_as_saying_keeps_the_passive_subject(extractor: Extractor) -> None:
    text = "Ms. Lund was quoted as saying the ferry to Bergen would be late."
    assert claim_with(run(extractor, text), "ferry").speaker == "person/lund"
