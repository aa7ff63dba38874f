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


# -- expressed concerns ------------------------------------------------------------------------------------------

def test_expressed_concerns_that_reports_the_clause(extractor: Extractor) -> None:
    text = "Ms. Lund has expressed concerns that the new levy could cut farm incomes."
    claim = claim_with(run(extractor, text), "levy")
    assert claim.text == "the new levy could cut farm incomes" and claim.speaker == "person/lund"


def test_voiced_concern_without_that_reports_the_clause(extractor: Extractor) -> None:
    text = "Ms. Lund met farmers on Monday. She expressed concerns the plant in Bergen would close."
    claim = claim_with(run(extractor, text), "plant")
    assert claim.text == "the plant in Bergen would close"


def test_concern_over_a_noun_phrase_is_no_claim(extractor: Extractor) -> None:
    assert not run(extractor, "Ms. Lund expressed concern over the new levy.").claims


def test_a_relative_clause_on_concerns_is_not_what_was_feared(extractor: Extractor) -> None:
    text = "Ms. Lund dismissed the concerns farmers raised on Monday about the levy."
    assert not [c for c in run(extractor, text).claims if "farmers" in c.text]


def test_an_event_raising_concerns_that_reports_nothing(extractor: Extractor) -> None:
    text = "Ms. Lund's resignation had raised concerns that the port of Bergen would close."
    assert not [c for c in run(extractor, text).claims if "port" in c.text]
