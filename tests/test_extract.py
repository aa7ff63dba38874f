"""Claim extraction on articles written for these tests: quotes of every shape, reported speech, speakers through
pronouns and descriptions, non-claims, dates, entities from the gazetteer, posts from the text. The real spaCy
pipeline runs; every claim's span is checked against the text."""

from __future__ import annotations

import pytest

from kg.errors import BadInput
from kg.extract import Extractor
from kg.extract.model import Article
from tests.extracting import claim_with, run


def test_empty_and_blank_text_give_nothing(extractor: Extractor) -> None:
    for text in ("", "   \n\n  "):
        e = run(extractor, text)
        assert e.claims == [] and e.entities == []


def test_text_must_be_a_string(extractor: Extractor) -> None:
    with pytest.raises(BadInput, match="text must be a string"):
        extractor.extract(Article(id="x", text=None))  # type: ignore[arg-type]


def test_text_without_quotes_or_reporting_verbs_has_no_claims(extractor: Extractor) -> None:
    e = run(extractor, "Soybean futures rose in Chicago. Shipments to Rotterdam fell for a third month.")
    assert e.claims == []


def test_curly_and_straight_quotes_split_by_attribution(extractor: Extractor) -> None:
    text = ("“We are not going to sign just any deal,” Mexican Economy Minister Ildefonso Guajardo told reporters. "
            "“Mexico has time.”\n\n"
            '"A deal by Friday is possible," Justin Trudeau said. "But not at any price."')
    e = run(extractor, text)
    first, second = claim_with(e, "just any deal"), claim_with(e, "Mexico has time")
    assert first.kind == second.kind == "direct"
    assert first.speaker == second.speaker == "person/ildefonso-guajardo"
    assert first.confidence > second.confidence  # the continuation is attributed by position only
    assert claim_with(e, "A deal by Friday").speaker == claim_with(e, "not at any price").speaker \
        == "person/justin-trudeau"
    assert not any(c.text.startswith(("“", '"')) or c.text.endswith(("”", '"')) for c in e.claims)


def test_paragraph_opening_quote_continues_the_previous_speaker(extractor: Extractor) -> None:
    text = ("Kevin Brady, chairman of the House Ways and Means Committee, said lawmakers needed the final text "
            "by June.\n\n"
            "“If it comes later, the vote slips into next year,” he added.\n\n"
            "“There is no shortcut around Congress.”")
    e = run(extractor, text)
    assert claim_with(e, "lawmakers needed the final text").speaker == "person/kevin-brady"
    assert claim_with(e, "the vote slips").speaker == "person/kevin-brady"  # through "he"
    last = claim_with(e, "no shortcut around Congress")
    assert last.speaker == "person/kevin-brady" and last.kind == "direct"


def test_a_quote_over_several_paragraphs_is_one_claim_per_paragraph(extractor: Extractor) -> None:
    text = ("The steel users' group issued a statement. Its president, Dana Whitcomb, said:\n\n"
            "“Manufacturers depend on open borders. Tariffs would cost thousands of jobs.\n\n"
            "“We urge both governments to settle this before the summer.”")
    e = run(extractor, text)
    first, second = claim_with(e, "Manufacturers depend"), claim_with(e, "settle this before the summer")
    assert first.text == "Manufacturers depend on open borders. Tariffs would cost thousands of jobs."
    assert second.text == "We urge both governments to settle this before the summer."
    assert first.kind == second.kind == "direct"
    assert first.speaker == second.speaker == "person/dana-whitcomb"


def test_unbalanced_quote_marks_do_not_break_extraction(extractor: Extractor) -> None:
    text = ("Wilbur Ross said the talks were “going well. He gave no timetable.\n\n"
            "The peso rose \" against the dollar on the news.\n\n"
            "“Nobody wants a trade war,” a Canadian official said.")
    e = run(extractor, text)
    assert claim_with(e, "Nobody wants a trade war").kind == "direct"
    assert any(c.speaker == "person/wilbur-ross" for c in e.claims)


def test_reported_speech_is_the_content_clause_only(extractor: Extractor) -> None:
    text = ("Chrystia Freeland said on Tuesday that Canada would retaliate against the steel tariffs. "
            "Beijing will cut tariffs on imported cars to 15 percent from July, according to China's Finance "
            "Ministry.")
    e = run(extractor, text, "2018-05-24")
    c = claim_with(e, "Canada would retaliate")
    assert c.kind == "indirect" and c.text == "Canada would retaliate against the steel tariffs"
    assert c.speaker == "person/chrystia-freeland" and c.cue == "said"
    according = claim_with(e, "Beijing will cut tariffs")
    assert according.cue == "according to" and "according" not in according.text
    assert according.speaker is not None and "ministry" in according.speaker


def test_mixed_quote_inside_reported_speech(extractor: Extractor) -> None:
    text = "Mexican President Enrique Peña Nieto said the agreement was “good for both nations” and would last."
    c = claim_with(run(extractor, text, "2018-08-28"), "good for both nations")
    assert c.kind == "mixed" and c.text == "good for both nations"
    assert c.speaker == "person/enrique-pena-nieto"


def test_pronoun_and_description_speakers(extractor: Extractor) -> None:
    text = ("Jean-Claude Juncker arrived in Washington on Wednesday. He said Europe would buy more soybeans.\n\n"
            "The Railway Association of Canada represents freight carriers. The rail group warned that steel "
            "tariffs would raise costs for its members.\n\n"
            "Donald Trump met Mexican officials later. The president said the talks were going very well.")
    e = run(extractor, text, "2018-07-26")
    assert claim_with(e, "buy more soybeans").speaker == "person/jean-claude-juncker"
    rail = claim_with(e, "raise costs")
    assert rail.speaker == "org/railway-association-of-canada" and rail.speaker_text == "The rail group"
    assert claim_with(e, "going very well").speaker == "person/donald-trump"


def test_a_document_speaks_for_whoever_issued_it(extractor: Extractor) -> None:
    text = ("The Commerce Department published a summary of the talks on Friday. The summary said exporters "
            "faced new delays at the border.")
    c = claim_with(run(extractor, text), "exporters faced new delays")
    assert c.speaker == "org/united-states-department-of-commerce" and c.speaker_text == "The summary"


@pytest.mark.parametrize("text", [
    "A Ford spokesman said the company declined to comment on the talks.",
    "Honda said it had no immediate comment.",
    "Toyota didn't respond to requests for comment on Monday.",
])
def test_declining_to_comment_is_not_a_claim(extractor: Extractor, text: str) -> None:
    assert run(extractor, text).claims == []


@pytest.mark.parametrize(("text", "date", "precision"), [
    ("Justin Trudeau said on Tuesday that Ottawa would not accept a sunset clause.", "2018-05-15", "day"),
    ("Last week, Chrystia Freeland said the dairy issue was settled.", "2018-05-07", "week"),
    ("In late April, Chrystia Freeland said Canada would not accept the proposal.", "2018-04-01", "month"),
    ("Chrystia Freeland said Canada would not accept the proposal.", "2018-05-17", "day"),
])
def test_dates_resolve_against_the_published_date(extractor: Extractor, text: str, date: str,
                                                  precision: str) -> None:
    (c,) = run(extractor, text, "2018-05-17").claims  # a Thursday
    assert (c.date, c.date_precision) == (date, precision)


def test_without_a_published_date_a_weekday_gives_no_date(extractor: Extractor) -> None:
    (c,) = run(extractor, "Justin Trudeau said on Tuesday that Ottawa would not move.", None).claims
    assert c.date is None and c.date_precision is None


def test_demonyms_name_their_country(extractor: Extractor) -> None:
    e = run(extractor, "Canadian officials said the talks had stalled over Mexican dairy quotas.")
    canada = e.entity("country/CA")
    assert canada is not None and "Canadian" in [m.text for m in canada.mentions]
    assert e.entity("country/MX") is not None


def test_known_names_beat_the_model(extractor: Extractor) -> None:
    e = run(extractor, "Freeland met Lighthizer on Monday. Trump said the deal was close.", "2018-08-30")
    for key in ("person/chrystia-freeland", "person/robert-lighthizer", "person/donald-trump"):
        entity = e.entity(key)
        assert entity is not None and entity.type == "Official" and entity.known
    assert not [x for x in e.entities if x.type in ("Country", "Organization") and x.name in ("Freeland", "Trump")]
    assert claim_with(e, "the deal was close").speaker == "person/donald-trump"


def test_posts_from_text_link_official_post_and_country(extractor: Extractor) -> None:
    text = ("U.S. Trade Representative Robert Lighthizer said the United States wanted more regional content in "
            "cars. Mexico's deputy trade negotiator, Elena Montserrat Ruiz, said Mexico would answer next week.")
    e = run(extractor, text, "2018-04-02")
    posts = {p.holder: p for p in e.posts}
    known = posts["person/robert-lighthizer"]
    # the stated post of a known official is the reference post, so the graph holds one node for it
    assert (known.title, known.country) == ("United States Trade Representative", "US")
    new = posts["person/elena-ruiz"]
    assert new.country == "MX" and "negotiator" in new.title
    person = e.entity("person/elena-ruiz")
    assert person is not None and not person.known and person.type == "Official" and person.country == "MX"
    assert claim_with(e, "Mexico would answer").speaker == "person/elena-ruiz"


def test_every_referenced_key_is_an_entity(extractor: Extractor) -> None:
    text = ("Commerce Secretary Wilbur Ross met Kevin Brady, chairman of the House Ways and Means Committee. "
            "Ross said steel tariffs would stay. Brady said Congress wanted a vote by December.\n\n"
            "Jean-Claude Juncker said soybean purchases would rise.\n\n"  # his reference post is in the EU
            "Tailor Georges de Paris has dressed presidents. “We work for that,” de Paris said.")
    e = run(extractor, text, "2018-07-26")
    keys = {x.key for x in e.entities}
    referenced = {c.speaker for c in e.claims if c.speaker} | {p.holder for p in e.posts} \
        | {p.organization for p in e.posts if p.organization} \
        | {k for c in e.claims for k in (*c.people, *c.organizations)}
    assert referenced <= keys
    assert "org/european-union" in keys
    assert claim_with(e, "We work for that").speaker == "person/tailor-de-paris"
    assert "org/commerce" not in keys


def test_issues_come_from_the_taxonomy(extractor: Extractor) -> None:
    e = run(extractor, "Lighthizer said the auto rules of origin and the sunset clause were still open.")
    assert {"auto-rules-of-origin", "sunset-clause"} <= set(claim_with(e, "sunset clause").issues)


def test_a_very_long_article_keeps_exact_spans(extractor: Extractor) -> None:
    filler = " ".join(f"Freight volume on route {n} rose by {n % 7} percent." for n in range(3000))  # one paragraph
    text = filler + " Wilbur Ross said the steel tariffs would remain in place. " + filler[:5000] + \
        "\n\n“The tariffs stay,” Ross said."
    assert len(text) > 140_000  # seven times the largest block spaCy is given
    e = run(extractor, text)
    assert claim_with(e, "steel tariffs would remain").start > 100_000
    assert claim_with(e, "The tariffs stay").speaker == "person/wilbur-ross"


def test_extract_many_keeps_order_and_matches_extract(extractor: Extractor) -> None:
    articles = [Article(id=str(n), text=f"Chrystia Freeland said round {n} of the talks went well.",
                        published="2018-05-17") for n in range(5)] + [Article(id="empty", text="")]
    many = list(extractor.extract_many(articles, batch_size=2))
    assert [x.article.id for x in many] == [a.id for a in articles]
    assert [c.text for c in many[3].claims] == [c.text for c in extractor.extract(articles[3]).claims]


def test_a_bare_surname_is_the_fuller_name_of_the_article(extractor: Extractor) -> None:
    text = ("Douglas Holtz-Eakin, a former budget official, said retaliation was likely.\n\n"
            "“They have matched every move,” Holtz-Eakin said.")
    c = claim_with(run(extractor, text), "matched every move")
    assert c.speaker == "person/douglas-holtz-eakin"


def test_plural_officials_are_not_one_named_official(extractor: Extractor) -> None:
    text = ("Martin Moen met the delegation in Ottawa on Monday. Senior administration officials said the goal was "
            "to knock down barriers to exports.")
    c = claim_with(run(extractor, text), "knock down barriers")
    assert c.speaker is None and c.speaker_text.lower().endswith("officials")


def test_a_platform_is_not_a_speaker(extractor: Extractor) -> None:
    text = ("Marcelo Ebrard posted a message on Twitter late on Friday. He wrote that talks would resume in "
            "Washington next week.")
    c = claim_with(run(extractor, text), "talks would resume")
    assert c.speaker == "person/marcelo-ebrard"


def test_speaker_is_named_as_the_article_writes_them(extractor: Extractor) -> None:
    text = ('"Tariffs on steel will stay for now," Treasury Secretary Steve Mnuchin said in Ottawa on Monday.\n\n'
            "Mnuchin said the talks would resume in the autumn.")
    e = run(extractor, text)
    out = e.to_json()
    speakers = {c["speaker"]["name"] for c in out["claims"]}
    assert speakers == {"Steve Mnuchin"}
    who = out["claims"][0]["speaker"]
    assert who["label"] == "Steven Mnuchin" and who["id"] == e.claims[0].speaker
    assert e.entity(who["id"]).name == "Steven Mnuchin"  # the entity keeps the reference label
