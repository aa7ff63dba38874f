"""Precision rules (issue 10, items 3-4), each on sentences written for the test: a body named after a
person is not the person, an aside does not name the speaker, "he" after a speaker is that speaker, a capitalised
"He" inside a sentence can be a surname, "according to" beside a cue is a channel, a new document is not an earlier
one, a report said not to have been made is no claim, a quoted label is a name, a video caption is furniture."""

from __future__ import annotations

from kg.extract import Extractor
from tests.extracting import claim_with, run


def test_a_body_named_after_a_person_is_not_that_person(extractor: Extractor) -> None:
    text = ("President Joe Biden spoke in Ohio.\n\n"
            "The Biden administration said the new rules on steel would take effect in June.")
    claim = claim_with(run(extractor, text, "2022-03-01"), "new rules")
    assert claim.speaker is None and claim.speaker_text == "The Biden administration"


def test_an_aside_between_dashes_is_not_the_speakers_name(extractor: Extractor) -> None:
    text = "Mexico — the largest buyer of American corn — said the duties were unfair to its farmers."
    extraction = run(extractor, text, "2018-06-14")
    claim = claim_with(extraction, "duties were unfair")
    assert claim.speaker == "country/MX"
    assert extraction.to_json()["claims"][0]["speaker"]["name"] == "Mexico"


def test_he_after_a_speaker_is_that_speaker_not_a_name_in_the_object(extractor: Extractor) -> None:
    text = ("Senator Tom Harkin arrived in Des Moines on Monday.\n\nPaul Ryan's budget was released the same day.\n\n"
            "The senator said the cuts were too deep.\n\nHe added that farmers would suffer the most.")
    assert claim_with(run(extractor, text), "farmers would suffer").speaker == "person/thomas-harkin"


def test_a_capitalised_he_inside_a_sentence_is_the_surname_of_the_article(extractor: Extractor) -> None:
    text = ("Economist He Yafei of Renmin University spoke to reporters in Beijing on Monday.\n\n"
            "Gao Feng, a ministry spokesman, said talks would go on.\n\n"
            "“Prices of soybeans will not rise much,” He said.")
    # not a pronoun for the last speaker (Gao Feng): the capital inside the sentence is He Yafei's surname
    assert claim_with(run(extractor, text), "soybeans").speaker == "person/he-yafei"


def test_according_to_beside_a_cue_names_a_channel_not_the_speaker_of_the_next_quote(extractor: Extractor) -> None:
    text = ("“The tariffs hurt both sides,” said Gao Feng, a commerce ministry spokesman, according to the "
            "Reuters news agency. “We will respond firmly.”")
    extraction = run(extractor, text)
    assert [c.speaker for c in extraction.claims] == ["person/gao-feng", "person/gao-feng"]
    assert extraction.claims[1].method == "quote-continued"


def test_another_study_is_not_the_one_named_before(extractor: Extractor) -> None:
    text = ("A study by the Cato Institute found that the tariffs cost 10,000 jobs.\n\n"
            "Another study released in May by economists at Harvard University found that prices rose by 4 percent.")
    claim = claim_with(run(extractor, text), "prices rose")
    assert claim.speaker is None  # never the Cato Institute of the study before


def test_a_report_said_not_to_have_been_made_is_no_claim(extractor: Extractor) -> None:
    text = ("Lighthizer stopped short of saying the talks had collapsed.\n\n"
            "Ross refrained from saying that the tariffs would be lifted next month.\n\n"
            "Trudeau avoided saying whether Canada would retaliate against the duties.")
    assert run(extractor, text).claims == []


def test_a_document_issued_with_a_verb_speaks_for_the_verbs_subject(extractor: Extractor) -> None:
    text = "Senator Elizabeth Warren hit back at the bank on Tuesday, with a tweet saying “the fine is far too small.”"
    claim = claim_with(run(extractor, text), "far too small")
    assert (claim.speaker, claim.speaker_text) == ("person/elizabeth-warren", "a tweet")


def test_a_quoted_label_is_a_name_not_the_speakers_words(extractor: Extractor) -> None:
    cited = run(extractor, "Wilbur Ross defended the tariffs on Tuesday, citing the so-called “phase one” agreement.")
    assert [c.text for c in cited.claims if c.text == "phase one"] == []
    labelled = run(extractor, "Wilbur Ross said he welcomed the “tariff man” label that critics gave him.")
    assert [c.text for c in labelled.claims] == ["he welcomed the “tariff man” label that critics gave him"]


def test_a_video_caption_gives_no_claim(extractor: Extractor) -> None:
    text = ("Media playback is unsupported on your device Media caption Wilbur Ross says it is \"very likely\" that "
            "tariffs will rise\n\nWilbur Ross met the delegation on Monday.")
    assert run(extractor, text).claims == []


def test_he_after_an_unnamed_speaker_is_that_unnamed_speaker_never_an_earlier_name(extractor: Extractor) -> None:
    text = ("Paul Ryan praised the deal on Monday.\n\nA senior trade official said the talks had stalled.\n\n"
            "He added that a vote this year was unlikely.")
    extraction = run(extractor, text)
    assert [(c.speaker, c.speaker_text) for c in extraction.claims] == [(None, "A senior trade official")] * 2


def test_a_noun_of_saying_takes_its_that_clause_past_a_source_hung_on_the_verb(extractor: Extractor) -> None:
    text = "The rule drew warnings from the Texas Cattle Feeders Union that the fees would ruin small ranches."
    claims = run(extractor, text).claims
    assert [(c.speaker, c.text, c.method) for c in claims] == [
        ("org/texas-cattle-feeders-union", "the fees would ruin small ranches", "noun-of-saying")]
