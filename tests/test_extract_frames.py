"""Reporting frames beyond "X said that ...": participial speech acts (", saying ..."), their speakers, and how
they bound the claim before them. Articles are written for these tests; the real spaCy pipeline runs and every
span is checked against the text."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from tests.extracting import claim_with, run


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
    assert c.speaker_text == "she" and c.speaker == "person/sarah-sanders"  # middle names set aside


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


@pytest.mark.parametrize(("sentence", "content"), [
    ("Chrystia Freeland accused Washington of moving the goalposts in the talks.",
     "Washington of moving the goalposts in the talks"),
    ("Robert Lighthizer urged Canada to accept a review clause in the agreement.",
     "Canada to accept a review clause in the agreement"),
    ("Wilbur Ross pointed to rising imports of Chinese steel.", "rising imports of Chinese steel"),
    ("Chrystia Freeland warned against leaving the talks without a deal.", "leaving the talks without a deal"),
    ("Donald Trump called the agreement a disaster for American workers.",
     "the agreement a disaster for American workers"),
    ("Martin Moen described the proposal as a poison pill for the industry.",
     "the proposal as a poison pill for the industry"),
    ("Wilbur Ross refers to the trade deficits as a national emergency.",
     "the trade deficits as a national emergency"),
    ("Chrystia Freeland has made clear that the final decision rests with Ottawa.",
     "the final decision rests with Ottawa"),
    ("Martin Moen raised doubts about whether the deadline could be met.",
     "whether the deadline could be met"),
    ("The Canadian Association of Railway Suppliers concluded the rules would cost members millions.",
     "the rules would cost members millions"),
    ("Robert Lighthizer estimates the new rules will add 76,000 jobs in the auto sector.",
     "the new rules will add 76,000 jobs in the auto sector"),
    ("Wilbur Ross predicted modest gains for American farmers.", "modest gains for American farmers"),
])
def test_reporting_frames_beyond_said_that(extractor: Extractor, sentence: str, content: str) -> None:
    c = claim_with(run(extractor, sentence), content)
    assert c.text == content and c.kind == "indirect" and c.speaker is not None


@pytest.mark.parametrize("sentence", [
    "Chrystia Freeland wants to make clear that Canada will not sign a bad deal.",
    "Donald Trump can say he made a deal with China before the election.",
    "Wilbur Ross will announce on Friday that the duties on Canadian steel are lifted.",
    "The agreement rests on a widely criticized method of counting jobs in the auto sector.",
    "Wilbur Ross called on Mexico in the morning and left for Ottawa in the afternoon.",
])
def test_intentions_and_modifiers_are_not_reports(extractor: Extractor, sentence: str) -> None:
    assert run(extractor, sentence).claims == []


def test_a_relative_clause_speaks_for_the_person_not_the_post(extractor: Extractor) -> None:
    text = ("Donald Trump praised Chrystia Freeland, Canada's foreign minister who has warned against rushing "
            "the talks before the election.")
    c = claim_with(run(extractor, text), "rushing the talks")
    assert c.speaker == "person/chrystia-freeland"


def test_a_means_clause_takes_the_subject_of_the_main_verb(extractor: Extractor) -> None:
    text = "The U.S. tried to isolate Huawei by urging allies to reject the company's network equipment."
    c = claim_with(run(extractor, text), "allies to reject")
    assert c.speaker == "country/US"


def test_a_group_speaker_is_printed_as_the_article_names_it(extractor: Extractor) -> None:
    text = ("U.S. officials said the two proposals were not rivals. The talks resume in Geneva on Monday, "
            "America's trade office said.")
    out = run(extractor, text).to_json()
    names = {c["text"]: c["speaker"]["name"] for c in out["claims"]}
    assert names["the two proposals were not rivals"] == "U.S. officials"
    assert names["The talks resume in Geneva on Monday"] == "America's trade office"


def test_it_and_the_company_pass_over_a_body_after_a_preposition(extractor: Extractor) -> None:
    text = ("The International Trade Commission published a long study on the Trans-Pacific Partnership. It said "
            "the gains for the economy would be small.\n\n"
            "Harley-Davidson told investors in a filing with the Securities and Exchange Commission that costs "
            "would rise. In the filing to the Securities and Exchange Commission, the company said the tariffs "
            "would cost it about $100 million a year.")
    e = run(extractor, text)
    study = claim_with(e, "gains for the economy")
    assert study.speaker is not None and "trade-commission" in study.speaker
    costs = claim_with(e, "cost it about")
    assert costs.speaker is not None and "harley" in costs.speaker


def test_a_named_body_in_apposition_is_the_speaker(extractor: Extractor) -> None:
    text = "One of the company's suppliers, Magna International, said it would cut 200 jobs in Ontario."
    c = claim_with(run(extractor, text), "cut 200 jobs")
    assert c.speaker is not None and "magna" in c.speaker


@pytest.mark.parametrize(("sentence", "content", "speaker"), [
    ("Chrystia Freeland dismissed White House warnings that Canada would face new duties on cars.",
     "Canada would face new duties on cars", "org/white-house"),
    ("Donald Trump met reporters on Friday. He repeated his claim that Canada had cheated on dairy for decades.",
     "Canada had cheated on dairy for decades", "person/donald-trump"),
    ("Canada rejected a warning from Wilbur Ross that the talks could collapse by June.",
     "the talks could collapse by June", "person/wilbur-ross"),
])
def test_nouns_of_saying_with_a_that_clause(extractor: Extractor, sentence: str, content: str,
                                            speaker: str) -> None:
    c = claim_with(run(extractor, sentence), content)
    assert c.text == content and c.speaker is not None and c.speaker.endswith(speaker.split("/")[1])


def test_a_noun_of_saying_without_a_source_or_clause_is_no_claim(extractor: Extractor) -> None:
    text = "There were warnings that the talks could collapse. The threat that tariffs pose to farmers is real."
    assert run(extractor, text).claims == []


def test_a_surname_the_parser_reads_as_a_modal(extractor: Extractor) -> None:
    text = ("Theresa May hosted the president in London on Tuesday.\n\n"
            "May also told reporters that the two countries would start trade talks after Brexit.\n\n"
            "May 5 was the date set for the vote.")
    e = run(extractor, text)
    c = claim_with(e, "start trade talks")
    assert c.speaker == "person/theresa-may"
    assert all("date set" not in c.text for c in e.claims)


def test_a_speaker_beats_the_outlet_that_reported_the_quote(extractor: Extractor) -> None:
    text = ("“That is a hard-nosed approach, but it may work,” Chuck Grassley said on a radio show, according to "
            "the Washington Post.")
    c = claim_with(run(extractor, text), "hard-nosed approach")
    assert c.speaker_text == "Chuck Grassley" and c.cue == "said"


def test_a_name_inside_a_compound_modifier_is_no_antecedent(extractor: Extractor) -> None:
    text = ("Robert Scott of the Economic Policy Institute offered a Trump-style analogy.\n\n"
            "“The factory floor spans the border, so tariffs are a wall in the middle of it,” he said.")
    c = claim_with(run(extractor, text), "factory floor")
    assert c.speaker == "person/robert-scott"


def test_the_time_of_saying_is_not_part_of_the_content(extractor: Extractor) -> None:
    text = "The Commerce Department said on Monday six Chinese technology entities were among those it had banned."
    c = claim_with(run(extractor, text), "six Chinese")
    assert c.text.startswith("six Chinese technology entities")


def test_a_name_the_model_misses_is_found_through_its_role(extractor: Extractor) -> None:
    text = ("“The trade war has prompted thinking on whether a new cold war has begun,” said An Gang, a senior "
            "research fellow at the Pangoal Institution in Beijing. The dispute, he says, “now has military "
            "implications.”")
    e = run(extractor, text)
    first, second = claim_with(e, "new cold war"), claim_with(e, "military")
    assert first.speaker == second.speaker == "person/an-gang"


def test_the_writers_closing_apposition_is_not_content(extractor: Extractor) -> None:
    text = ("Donald Trump said he had refused to meet opposition leader Jeremy Corbyn, a veteran socialist who "
            "criticized him at a protest in London.")
    c = claim_with(run(extractor, text), "refused to meet")
    assert c.text == "he had refused to meet opposition leader Jeremy Corbyn"


def test_a_passive_participle_on_a_noun_is_no_frame(extractor: Extractor) -> None:
    text = ("The state visit, promised by Theresa May in January, was a chance to celebrate the “special "
            "relationship” between the two countries.")
    assert run(extractor, text).claims == []


def test_words_of_a_question_put_to_the_speaker_are_not_theirs(extractor: Extractor) -> None:
    text = ("Asked if the decision could be “walked back”, Wilbur Ross said the administration would decide in "
            "the autumn.")
    e = run(extractor, text)
    assert [c.text for c in e.claims] == ["the administration would decide in the autumn"]


def test_the_president_is_not_a_president_named_as_an_object(extractor: Extractor) -> None:
    text = ("Donald Trump flew to Seoul on Sunday. He has meetings lined up with President Moon Jae-in.\n\n"
            "The president said he might meet the North Korean leader at the border.")
    c = claim_with(run(extractor, text, published="2019-06-30"), "might meet")
    assert c.speaker == "person/donald-trump"


def test_the_senator_is_the_person_written_with_that_title(extractor: Extractor) -> None:
    text = ("Sen. Sherrod Brown voted for the bill on Thursday.\n\n"
            "“This new trade deal is a modest improvement,” the senator said.")
    c = claim_with(run(extractor, text), "modest improvement")
    assert c.speaker == "person/sherrod-brown"


def test_an_agreement_does_not_speak(extractor: Extractor) -> None:
    text = "The agreement adds a “sunset” clause that ends the pact after 16 years unless renewed."
    assert run(extractor, text).claims == []


@pytest.mark.parametrize(("text", "content"), [
    ("The deal would include $50 billion in new orders for American farm products, Wilbur Ross said, adding "
     "that farmers would meet the demand.",
     "The deal would include $50 billion in new orders for American farm products"),
    ("If interest rates come down, Wilbur Ross added, consumer spending is likely to rise in the autumn.",
     "consumer spending is likely to rise in the autumn"),
])
def test_a_cue_hung_on_the_reported_clause(extractor: Extractor, text: str, content: str) -> None:
    c = claim_with(run(extractor, text), content.split(",")[0][:30])
    assert content in c.text and c.speaker == "person/wilbur-ross"


def test_each_that_clause_is_a_claim(extractor: Extractor) -> None:
    text = ("Wilbur Ross said China had pledged action on counterfeit goods, and that the deal included strong "
            "protection of intellectual property.")
    e = run(extractor, text)
    first, second = claim_with(e, "pledged action"), claim_with(e, "strong protection")
    assert first.text == "China had pledged action on counterfeit goods"
    assert second.text == "the deal included strong protection of intellectual property"
    assert first.speaker == second.speaker == "person/wilbur-ross"


@pytest.mark.parametrize(("text", "claim"), [
    ("Donald Trump, who has embraced an “America First” policy, said China had pledged to buy more soybeans.",
     "China had pledged to buy more soybeans"),
    ("Economists at the IMF say his “America First” approach has left the United States isolated at the summit.",
     "his “America First” approach has left the United States isolated at the summit"),
])
def test_a_quoted_name_is_not_a_fragment_of_speech(extractor: Extractor, text: str, claim: str) -> None:
    e = run(extractor, text)
    assert [c.text for c in e.claims] == [claim]


def test_a_show_named_after_the_verb_is_not_a_fragment(extractor: Extractor) -> None:
    text = "“China cheats,” Lindsey Graham said on “Face the Nation.”"
    assert [c.text for c in run(extractor, text).claims] == ["China cheats,"]


def test_labelled_x_y_reports_the_label(extractor: Extractor) -> None:
    text = "Jeremy Corbyn labelled Theresa May the “runaway prime minister” in the Commons on Tuesday."
    c = claim_with(run(extractor, text), "runaway prime minister")
    assert c.kind == "mixed" and c.speaker == "person/jeremy-corbyn"


@pytest.mark.parametrize(("text", "content"), [
    ("So far 26 MPs have said they have written such letters - 48 of them are needed to trigger a vote.",
     "they have written such letters"),
    ("OTTAWA — Canada will not sign a deal without a dispute panel, Chrystia Freeland said on Friday.",
     "Canada will not sign a deal without a dispute panel"),
])
def test_an_unpaired_dash_ends_the_content_or_a_dateline(extractor: Extractor, text: str, content: str) -> None:
    assert [c.text for c in run(extractor, text).claims] == [content]


def test_a_group_is_printed_without_the_writers_additions(extractor: Extractor) -> None:
    text = "So far 26 MPs, who oppose the plan, have said they have written letters to the committee."
    out = run(extractor, text).to_json()
    assert [c["speaker"]["name"] for c in out["claims"]] == ["26 MPs"]


@pytest.mark.parametrize(("text", "content"), [
    ("Studies show tariffs imposed on China have resulted in higher prices for American consumers.",
     "tariffs imposed on China have resulted in higher prices for American consumers"),
    ("Officials from both countries have touted the deal as a new era for relations.",
     "the deal as a new era for relations"),
    ("The American Chamber of Commerce in China appealed to both sides to negotiate a settlement.",
     "both sides to negotiate a settlement"),
    ("Stephen Innes compared the market situation to reading tea leaves.",
     "the market situation to reading tea leaves"),
    ("Conservative MPs have called for an end to the Irish backstop.", "an end to the Irish backstop"),
])
def test_more_reporting_frames(extractor: Extractor, text: str, content: str) -> None:
    assert content in [c.text for c in run(extractor, text).claims]


@pytest.mark.parametrize("text", [
    "Bloomberg did not say who had asked the ministry to speed up the review.",
    "It cited people familiar with the matter.",
    "The United States hiked tariffs on Friday.",
    "Donald Trump called the minister on Friday.",
])
def test_not_reports(extractor: Extractor, text: str) -> None:
    assert run(extractor, text).claims == []


def test_a_model_person_name_ends_before_a_possessive(extractor: Extractor) -> None:
    text = ("Barack Obama spoke in Hanoi on Monday. Obama’s Asia pivot depends on the trade deal, "
            "he notes, since some power is going to set the rules of the road for the region.")
    e = run(extractor, text)
    assert all("Asia" not in x.name for x in e.entities if x.type in ("Person", "Official"))


def test_a_report_nested_in_another_is_its_own(extractor: Extractor) -> None:
    text = ("Downing Street has said a Commons vote will be held on the deal before 21 January and Brexit minister "
            "Robin Walker told MPs he hoped it would be “sooner than that”.")
    e = run(extractor, text)
    vote = claim_with(e, "Commons vote")
    assert "Walker" not in vote.text
    sooner = claim_with(e, "sooner than that")
    assert sooner.speaker == "person/robin-walker"


def test_the_conjunct_before_a_quoted_phrase_is_a_claim(extractor: Extractor) -> None:
    text = ("Jeremy Corbyn told MPs he had no confidence in the government but his party needed "
            "“to do the appropriate thing at the appropriate time”.")
    texts = [c.text for c in run(extractor, text).claims]
    assert "he had no confidence in the government" in texts
    assert "to do the appropriate thing at the appropriate time" in texts


def test_a_pollster_named_by_role_is_a_person(extractor: Extractor) -> None:
    text = ("“The trade war has prompted thinking on whether a new cold war has begun,” said An Gang, a pollster at "
            "the Pangoal Institution in Beijing.")
    c = claim_with(run(extractor, text), "new cold war")
    assert c.speaker == "person/an-gang"
