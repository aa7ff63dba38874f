"""Members of Congress in articles: the gazetteer's rules (kg.extract.members), each on small articles written for
it, with the real extractor. A speaker is linked when its entity carries the member's Wikidata id."""

from __future__ import annotations

from pathlib import Path

from kg.extract import Extractor
from kg.extract.model import Extraction
from tests.extracting import claim_with, run

GRASSLEY, DURBIN, SANDERS, PELOSI = "Q529294", "Q434804", "Q359442", "Q170581"
RON_JOHNSON, TIM_SCOTT, RICK_SCOTT, COLLINS = "Q970272", "Q561315", "Q439729", "Q22279"


def speaker_qid(ex: Extraction, words: str) -> str | None:
    """The Wikidata id of the speaker of the claim holding ``words`` (None when it has none)."""
    claim = claim_with(ex, words)
    entity = ex.entity(claim.speaker) if claim.speaker else None
    return entity.wikidata if entity else None


def test_a_full_name_and_a_nickname_form_link(extractor: Extractor) -> None:
    ex = run(extractor, 'Chuck Grassley said the deal was good for farmers.\n\n'
                        'Dick Durbin said the vote would be close.\n\n'
                        'Bernie Sanders said the pact would cost jobs.', published="2019-06-01")
    assert speaker_qid(ex, "good for farmers") == GRASSLEY
    assert speaker_qid(ex, "vote would be close") == DURBIN  # "Richard J. Durbin" in the data
    assert speaker_qid(ex, "cost jobs") == SANDERS


def test_a_titled_form_links_only_while_a_tenure_covers_the_publication_date(extractor: Extractor) -> None:
    text = "Sen. Grassley said the committee would hold hearings on the agreement."
    assert speaker_qid(run(extractor, text, published="2019-06-01"), "hold hearings") == GRASSLEY
    assert speaker_qid(run(extractor, text, published="1978-06-01"), "hold hearings") is None  # in the House then
    assert speaker_qid(run(extractor, text, published=None), "hold hearings") is None
    ex = run(extractor, "House Speaker Nancy Pelosi said Democrats would not be rushed.", published="2019-11-01")
    assert speaker_qid(ex, "not be rushed") == PELOSI


def test_a_bare_surname_links_only_to_a_member_named_before(extractor: Extractor) -> None:
    alone = run(extractor, "Grassley said the deal was good for farmers in the state.", published="2019-06-01")
    assert speaker_qid(alone, "good for farmers") is None
    after = run(extractor, "Sen. Chuck Grassley met farmers on Monday.\n\n"
                           "Grassley said the deal was good for farmers in the state.", published="2019-06-01")
    assert speaker_qid(after, "good for farmers") == GRASSLEY


def test_a_bare_surname_after_someone_else_of_that_name_is_not_the_member(extractor: Extractor) -> None:
    ex = run(extractor, 'Sen. Ron Johnson (R-Wis.) said the tariffs were a mistake.\n\n'
                        'British Prime Minister Boris Johnson met the president on Tuesday.\n\n'
                        'Johnson said Britain wanted its own trade deal.', published="2019-08-01")
    assert speaker_qid(ex, "tariffs were a mistake") == RON_JOHNSON
    assert speaker_qid(ex, "its own trade deal") != RON_JOHNSON


def test_a_namesake_needs_the_chamber_or_party_in_the_text(extractor: Extractor) -> None:
    ceo = run(extractor, "Ron Johnson, the chief executive of a Wisconsin dairy, said milk prices had fallen.",
              published="2019-06-01")
    assert speaker_qid(ceo, "milk prices") is None
    member = run(extractor, "Ron Johnson (R-Wis.) said milk prices had fallen.", published="2019-06-01")
    assert speaker_qid(member, "milk prices") == RON_JOHNSON
    also = run(extractor, "Ron Johnson, a Wisconsin Republican, said milk prices had fallen.",
               published="2019-06-01")
    assert speaker_qid(also, "milk prices") == RON_JOHNSON
    plural = run(extractor, "GOP Sens. Susan Collins and Lisa Murkowski met him.\n\nCollins said the vote would "
                            "be close.", published="2018-09-20")  # "Sens." splits into "Sens" and "."
    assert speaker_qid(plural, "vote would be close") == COLLINS


def test_evidence_against_a_member_rules_the_member_out(extractor: Extractor) -> None:
    for text in ("Rep. Ron Johnson said milk prices had fallen.",  # he sits in the Senate
                 "Ron Johnson (D-Calif.) said milk prices had fallen."):  # a Wisconsin Republican
        assert speaker_qid(run(extractor, text, published="2019-06-01"), "milk prices") is None, text


def test_a_surname_two_members_bear_needs_the_party_or_state(extractor: Extractor) -> None:
    text = "Sen. Scott said the deal would help farmers."
    assert speaker_qid(run(extractor, text, published="2020-03-01"), "help farmers") is None
    tagged = run(extractor, "Sen. Scott (R-S.C.) said the deal would help farmers.", published="2020-03-01")
    assert speaker_qid(tagged, "help farmers") == TIM_SCOTT
    florida = run(extractor, "Florida Sen. Rick Scott said the deal would help farmers.", published="2020-03-01")
    assert speaker_qid(florida, "help farmers") == RICK_SCOTT


def test_a_bare_title_does_not_pick_one_of_a_hundred_senators(extractor: Extractor) -> None:
    ex = run(extractor, "The senator said the deal would help farmers.", published="2019-06-01")
    assert speaker_qid(ex, "help farmers") is None


def test_an_article_with_members_ingests_and_validates(tmp_path: Path, extractor: Extractor) -> None:
    from kg.ingest import ensure_static_graphs, write_extraction
    from kg.mapping import article_graph
    from kg.store import EmbeddedStore
    from kg.validate import validate_store
    from kg.vocab import CG, OWL, WD

    ex = run(extractor, "Senate Finance Chairman Chuck Grassley (R-Iowa) said the deal was good.\n\n"
                        "Ron Johnson, the chief executive of a dairy, said prices had fallen.", published="2019-06-01")
    with EmbeddedStore(tmp_path / "s") as store:
        ensure_static_graphs(store)
        write_extraction(store, ex)
        report = validate_store(store, graphs=[article_graph("t")])
        assert report.conforms, report.text[:2000]
        rows = {(r["s"].value, r["o"].value) for r in store.query(  # type: ignore[union-attr]
            f"SELECT ?s ?o WHERE {{ ?c <{CG.speaker}> ?s . ?s <{OWL.sameAs}> ?o }}")}
    assert {o for _, o in rows} == {str(WD[GRASSLEY]), "http://dbpedia.org/resource/Chuck_Grassley"}


def test_a_titled_member_holds_the_seat_of_the_reference_data(extractor: Extractor) -> None:
    ex = run(extractor, "Sen. Chuck Grassley said the deal was good. Rep. Richard Neal said it was fine.",
             published="2019-06-01")
    seats = {p.holder: (p.title, p.organization, p.start) for p in ex.posts}
    assert seats["person/chuck-grassley"] == ("United States Senator from Iowa", "org/united-states-senate",
                                              "1981-01-05")
    assert seats["person/richard-e-neal"][0] == "United States Representative from Massachusetts"
