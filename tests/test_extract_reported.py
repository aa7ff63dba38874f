"""Reported-speech rules of issue 10 drawn from the errors of eval/dev7 (docs/extraction.md, Reported-speech rules
from eval/dev7), each tested on sentences of its own: a second report coordinated inside the reported clause, a
condition hung on the reporting verb, reporting verbs of reply and complaint, a speaking name the model missed, and
a quote continuing an anonymous source."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.extract import Extractor
from kg.extract.trimmers import coordinated_report, nested_report
from tests.extracting import claim_with, run

VOCAB = spacy.blank("en").vocab


def said(extractor: Extractor, text: str) -> list[tuple[str | None, str, str, str]]:
    """(speaker key, speaker words, kind, claim text) of every claim, in text order."""
    return [(c.speaker, c.speaker_text, c.kind, c.text) for c in run(extractor, text).claims]


# -- a second report coordinated inside the reported clause ----------------------------------------------------

def _said_and_told() -> Doc:
    """"He said he is building roads and told Ruiz: ...", parsed as the model does: "told" a conjunct of the
    reported clause's verb, without a subject of its own."""
    rows = [("He", "PRON", "PRP", "nsubj", 1), ("said", "VERB", "VBD", "ROOT", 1),
            ("he", "PRON", "PRP", "nsubj", 4), ("is", "AUX", "VBZ", "aux", 4),
            ("building", "VERB", "VBG", "ccomp", 1), ("roads", "NOUN", "NNS", "dobj", 4),
            ("and", "CCONJ", "CC", "cc", 4), ("told", "VERB", "VBD", "conj", 4),
            ("Ruiz", "PROPN", "NNP", "dobj", 7), (":", "PUNCT", ":", "punct", 7)]
    return Doc(VOCAB, words=[r[0] for r in rows], pos=[r[1] for r in rows], tags=[r[2] for r in rows],
               deps=[r[3] for r in rows], heads=[r[4] for r in rows],
               lemmas=["he", "say", "he", "be", "build", "road", "and", "tell", "Ruiz", ":"])


def test_a_coordinated_report_without_a_subject_ends_the_content_on_a_built_parse() -> None:
    doc = _said_and_told()
    said_verb, told = doc[1], doc[7]
    assert coordinated_report(told, said_verb)
    assert not coordinated_report(doc[4], said_verb)  # the reported clause's own verb
    kept = nested_report(list(doc[2:10]), said_verb)
    assert [t.text for t in kept] == ["he", "is", "building", "roads"]


def test_said_a_and_told_b_a_quote_gives_both_claims(extractor: Extractor) -> None:
    text = ("Mayor Elena Ruiz wrote to the council on Friday. She said she is building new roads with the region "
            "and told the council: \"Please remember that we keep our promises.\"")
    claims = said(extractor, text)
    assert ("person/elena-ruiz", "indirect", "she is building new roads with the region") in [
        (key, kind, text) for key, _, kind, text in claims]
    assert claim_with(run(extractor, text), "Please remember").speaker == "person/elena-ruiz"


def test_a_passive_conjunct_stays_inside_the_report(extractor: Extractor) -> None:
    text = "Elena Ruiz said people had voted to leave and were told their decision would be respected."
    claim = claim_with(run(extractor, text), "voted to leave")
    assert claim.text == "people had voted to leave and were told their decision would be respected"


# -- a condition hung on the reporting verb --------------------------------------------------------------------

def test_a_threat_keeps_its_condition(extractor: Extractor) -> None:
    text = "Elena Ruiz has repeatedly threatened to close the port if the ministry did not pay the dockers."
    claim = claim_with(run(extractor, text), "close the port")
    assert claim.text == "to close the port if the ministry did not pay the dockers"


def test_a_condition_before_the_cue_is_not_content(extractor: Extractor) -> None:
    text = "If the talks fail, Elena Ruiz said, the port of Bergen will close within a week."
    claim = claim_with(run(extractor, text), "port of Bergen")
    assert not claim.text.startswith("If")


# -- reporting verbs of reply, complaint and demand --------------------------------------------------------------

def test_responded_attributes_the_quote_after_it(extractor: Extractor) -> None:
    text = "Elena Ruiz visited the port on Monday.\n\nRuiz responded, \"We did not know that the dock was closed.\""
    claim = claim_with(run(extractor, text), "dock was closed")
    assert claim.speaker == "person/elena-ruiz" and claim.kind == "direct"


def test_charged_that_reports_the_clause(extractor: Extractor) -> None:
    text = "Elena Ruiz has charged that the new contract betrays the dockers of Bergen."
    assert claim_with(run(extractor, text), "betrays").text == "the new contract betrays the dockers of Bergen"


def test_quipped_attributes_the_quote(extractor: Extractor) -> None:
    text = "Elena Ruiz spoke at the port.\n\nShe quipped, \"So much for the new ferry.\""
    assert claim_with(run(extractor, text), "So much").speaker == "person/elena-ruiz"


def test_an_answer_with_an_object_reports_nothing(extractor: Extractor) -> None:
    text = "Elena Ruiz answered questions from dockers at the port of Bergen on Monday."
    assert not run(extractor, text).claims


# -- a speaking name the model missed ---------------------------------------------------------------------------

def test_a_missed_name_that_speaks_is_a_person_a_pronoun_resolves_to(extractor: Extractor) -> None:
    text = ("\u201cMany countries have the capacity to take over the market,\u201d Han Jun told the Xinhua news "
            "agency.\n\nHe also warned that American farmers could lose their place in the Chinese market.")
    quote = claim_with(run(extractor, text), "Many countries")
    warned = claim_with(run(extractor, text), "American farmers")
    assert quote.speaker == warned.speaker == "person/han-jun"


def test_a_place_that_speaks_is_not_made_a_person(extractor: Extractor) -> None:
    text = "South Korea said the new tariffs on steel would hurt its shipyards."
    keys = {e.key for e in run(extractor, text).entities}
    assert not any(k.startswith("person/") for k in keys)


# -- a quote continuing an anonymous source -----------------------------------------------------------------------

def test_a_split_quote_continues_an_anonymous_source(extractor: Extractor) -> None:
    text = ("\u201cThe port will reopen in May,\u201d a senior ministry official said. \u201cWe have the money "
            "for the new cranes.\u201d")
    second = claim_with(run(extractor, text), "new cranes")
    assert second.speaker is None and second.speaker_text == "a senior ministry official"
    assert second.method == "quote-continued"


# -- requests: "called for X to Y", "asked for X to Y" ------------------------------------------------------------

def test_called_for_someone_to_be_replaced_reports_the_request(extractor: Extractor) -> None:
    text = ("Jonas Berg, the leader of the dockers, submitted his letter on Thursday and called for "
            "Mrs. Lund to be replaced.")
    claim = claim_with(run(extractor, text), "to be replaced")
    assert claim.text == "Mrs. Lund to be replaced" and claim.speaker == "person/jonas-berg"


def test_asking_for_a_country_to_act_reports_the_request_without_for(extractor: Extractor) -> None:
    text = "The U.S. is asking for Japan to double its rice imports before the summit."
    claim = claim_with(run(extractor, text), "double its rice imports")
    assert claim.text.startswith("Japan to double") and claim.speaker == "country/US"


# -- "went on to say", "went as far as to say" --------------------------------------------------------------------

def test_went_on_to_say_is_a_report_of_the_subject(extractor: Extractor) -> None:
    text = "Anna Berg went on to say that the deal was dead for the dockers of Bergen."
    claim = claim_with(run(extractor, text), "deal was dead")
    assert claim.speaker == "person/anna-berg"


def test_went_as_far_as_to_say_is_a_report_and_its_participle_is_the_same_speakers(extractor: Extractor) -> None:
    text = ("Indeed Anna Berg went as far as to say the council should send in the harbour master, Olav Lie, to "
            "negotiate with the ministry, calling him an \"asset to the port.\"")
    claims = run(extractor, text).claims
    assert claim_with(run(extractor, text), "council should send").speaker == "person/anna-berg"
    assert claim_with(run(extractor, text), "asset to the port").speaker == "person/anna-berg"
    assert all(c.speaker != "person/olav-lie" for c in claims)


def test_going_somewhere_to_say_something_is_still_an_intention(extractor: Extractor) -> None:
    text = "Anna Berg went to the port to say that the ferry would be late."
    assert not run(extractor, text).claims


# -- a gendered role word, and a title that is no fragment ------------------------------------------------------

def test_she_resolves_to_a_woman_named_after_a_preposition_by_a_gendered_role(extractor: Extractor) -> None:
    text = ("Peter Lie also weighed in on comments made in 2016, when she was better known as actress Kari "
            "Moen.\n\nSpeaking on \"The Late Show with Per Dahl,\" she said his politics were divisive.")
    claims = run(extractor, text).claims
    assert [(c.speaker, c.text) for c in claims] == [("person/kari-moen", "his politics were divisive")]


def test_a_name_after_a_preposition_without_a_gender_stays_no_antecedent(extractor: Extractor) -> None:
    text = ("Peter Lie also weighed in on comments by Kari Moen in 2016.\n\n"
            "Speaking on the radio, she said his politics were divisive.")
    assert not run(extractor, text).claims


# -- the writer's gloss after a comma ------------------------------------------------------------------------------

def test_a_gloss_after_the_content_is_the_writers(extractor: Extractor) -> None:
    cases = {
        "Experts at the institute said the weapon appeared to be a short-range missile, meaning that it could "
        "pose a risk to forces.": "the weapon appeared to be a short-range missile",
        "Anna Berg said she did not see many protesters, so the coverage amounted to fake news.":
            "she did not see many protesters",
        "Anna Berg said she still wants an orderly transition, though it will be up to her successor to do it.":
            "she still wants an orderly transition",
    }
    for text, content in cases.items():
        assert [c.text for c in run(extractor, text).claims] == [content], text


def test_a_second_act_after_while_is_a_claim_of_its_own(extractor: Extractor) -> None:
    text = ("Anna Berg said she hoped to finish the talks within two years, while acknowledging that the plan was "
            "ambitious.")
    assert [c.text for c in run(extractor, text).claims] == ["she hoped to finish the talks within two years",
                                                             "the plan was ambitious"]


def test_so_that_and_a_bare_though_stay_in_the_content(extractor: Extractor) -> None:
    text = "Anna Berg said the deal would pass, so that the port can reopen in May."
    assert claim_with(run(extractor, text), "deal would pass").text.endswith("reopen in May")
    text = "Anna Berg said the deal would help the port, though not by all that much."
    assert claim_with(run(extractor, text), "deal would help").text.endswith("all that much")


# -- a quoted label on the noun after it -------------------------------------------------------------------------

def test_a_quoted_label_on_the_next_noun_is_no_fragment_the_clause_is_the_claim(extractor: Extractor) -> None:
    text = "Anna Berg said the port is part of the \u201cphase one\u201d trade deal with Oslo."
    claims = run(extractor, text).claims
    assert [(c.kind, c.text) for c in claims] == [("indirect", "the port is part of the \u201cphase one\u201d trade "
                                                               "deal with Oslo")]


def test_a_quoted_adjective_stays_the_speakers_fragment(extractor: Extractor) -> None:
    text = "Anna Berg said the \"unfair\" tariffs would hurt the port."
    assert [(c.kind, c.text) for c in run(extractor, text).claims] == [("mixed", "unfair")]


# -- more nouns of saying, and a time phrase before their clause ------------------------------------------------

def test_comments_and_a_statement_that_report_their_clause(extractor: Extractor) -> None:
    text = ("Anna Berg's comments that the port is losing money angered the council. Olav Lie's statement that "
            "the ferry would stop in May surprised the dockers.")
    claims = [(c.speaker, c.text, c.method) for c in run(extractor, text).claims]
    assert claims == [("person/anna-berg", "the port is losing money", "noun-of-saying"),
                      ("person/olav-lie", "the ferry would stop in May", "noun-of-saying")]


def test_a_time_phrase_between_a_noun_of_saying_and_its_clause(extractor: Extractor) -> None:
    text = "Anna Berg did not back off her announcement a day earlier that she would close the port of Bergen."
    claim = claim_with(run(extractor, text), "close the port")
    assert claim.text == "she would close the port of Bergen" and claim.speaker == "person/anna-berg"


def test_a_comment_with_no_source_is_no_claim(extractor: Extractor) -> None:
    text = "The comments that the port is losing money angered the council of Bergen."
    assert not run(extractor, text).claims


# -- a report the parser subordinated to the clause it reports ----------------------------------------------------

def test_when_x_said_a_y_suggested_b_gives_both_reports(extractor: Extractor) -> None:
    text = ("In January last year, when Anna Berg said she had scrapped a planned visit to the port because she "
            "didn't want to open the new terminal, Olav Lie suggested the real reason was because she wouldn't be "
            "welcome in the city.")
    claims = [(c.speaker, c.text) for c in run(extractor, text).claims]
    assert ("person/anna-berg", "she had scrapped a planned visit to the port because she didn't want to open the "
                                "new terminal") in claims
    assert ("person/olav-lie", "the real reason was because she wouldn't be welcome in the city") in claims


def test_a_subordinate_clause_of_no_reporting_verb_reports_nothing(extractor: Extractor) -> None:
    text = "When Anna Berg spoke, the dockers of Bergen cheered at the port."
    assert not run(extractor, text).claims


def test_a_name_in_apposition_to_a_speaking_role_is_a_person(extractor: Extractor) -> None:
    text = ("\u201cThe museum stays open,\u201d the curator, Ines Paulo, said. \u201cWe have the money for ten "
            "years.\u201d")
    assert {c.speaker for c in run(extractor, text).claims} == {"person/ines-paulo"}


def test_a_name_in_apposition_to_a_place_noun_is_no_person(extractor: Extractor) -> None:
    text = "The city, San Jose, said the new tariffs would hurt its port."
    assert not any(e.key.startswith("person/") for e in run(extractor, text).entities)


# -- noun-phrase objects of acknowledging and mentioning ------------------------------------------------------------

def test_acknowledged_and_mentioned_report_their_object_when_finite(extractor: Extractor) -> None:
    text = ("Aides to Anna Berg acknowledged a close working relationship with the ministry on ports. "
            "At the debate, Olav Lie mentioned disparaging remarks the mayor had made about the dockers.")
    claims = [(c.speaker_text, c.text) for c in run(extractor, text).claims]
    assert ("Aides", "a close working relationship with the ministry on ports") in claims
    assert ("Olav Lie", "disparaging remarks the mayor had made about the dockers") in claims


def test_a_mention_in_an_infinitive_reports_nothing(extractor: Extractor) -> None:
    text = "Olav Lie wants to mention the new ferry timetable at the meeting on Monday."
    assert not run(extractor, text).claims
