"""The general rules behind ../shared/eval/patterns.jsonl, each tested on sentences of its own (not the pattern
file's), so that a rule is shown to be a rule: speakers never guessed, coordinated and plural speakers, frames,
nouns of saying, quotation-mark shapes, and what is not a claim."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.extract import Extractor
from kg.ingest import ensure_static_graphs, write_extraction
from kg.store import EmbeddedStore
from kg.validate import validate_store
from kg.vocab import CG, RDFS
from tests.extracting import claim_with, run


def speakers(extractor: Extractor, text: str, published: str | None = "2018-06-14") -> list[tuple[str | None, str]]:
    """(speaker key, claim text) of every claim, in text order."""
    return [(c.speaker, c.text) for c in run(extractor, text, published).claims]


# -- speakers are never guessed ---------------------------------------------------------------------------------

def test_a_bare_description_with_no_holder_named_stays_unresolved(extractor: Extractor) -> None:
    # the reference data holds prime ministers and trade ministers on this date: none of them is "the minister"
    text = "Canada's dairy farmers met in Ottawa.\n\nThe minister said the quota system would survive the talks."
    claim = claim_with(run(extractor, text, "2018-06-14"), "quota system")
    assert claim.speaker is None and claim.speaker_text == "The minister"


def test_an_indefinite_official_is_an_anonymous_source_not_a_known_one(extractor: Extractor) -> None:
    text = ("Canadian and U.S. negotiators met in Washington on Monday.\n\n"
            "One senior administration official said the two sides were close on autos.\n\n"
            "A Canadian official said Ottawa would not accept a sunset clause.")
    extraction = run(extractor, text, "2018-08-28")
    first, second = claim_with(extraction, "close on autos"), claim_with(extraction, "sunset clause")
    assert (first.speaker, first.speaker_text) == (None, "One senior administration official")
    assert (second.speaker, second.speaker_text) == (None, "A Canadian official")
    printed = extraction.to_json()["claims"]
    assert printed[0]["speaker"] == {"name": "One senior administration official", "anonymous": True}


def test_the_one_holder_of_a_titled_post_at_publication_speaks(extractor: Extractor) -> None:
    claim = claim_with(run(extractor, "The U.S. president said the tariffs would stay.", "2018-06-14"), "tariffs")
    assert claim.speaker == "person/donald-trump"


def test_a_description_resolves_to_the_named_holder_in_the_article(extractor: Extractor) -> None:
    text = ("Finance Minister Bill Morneau met bankers in Toronto.\n\n"
            "The minister said the budget would be balanced by 2023.")
    assert claim_with(run(extractor, text), "budget").speaker == "person/bill-morneau"


# -- method, in the JSON and the RDF ------------------------------------------------------------------------------

def test_every_claim_names_its_method(extractor: Extractor) -> None:
    text = ('"We will walk away," Ross said. Ross said the talks would go on. His warning that tariffs would '
            'rise was noted.\n\nThe deal is close, according to Lighthizer.')
    extraction = run(extractor, text)
    assert {c.text: c.method for c in extraction.claims} == {
        "We will walk away,": "quote", "the talks would go on": "reporting-verb",
        "tariffs would rise": "noun-of-saying", "The deal is close": "according-to"}
    assert all(c["method"] for c in extraction.to_json()["claims"])


def test_anonymous_sources_and_methods_are_typed_in_rdf_and_conform(extractor: Extractor, tmp_path: Path) -> None:
    extraction = run(extractor, "A senior official said the talks had stalled. Ross said the talks had resumed.")
    store = EmbeddedStore(str(tmp_path / "store"))
    ensure_static_graphs(store)
    write_extraction(store, extraction)
    rows = list(store.query(f"""SELECT ?label ?method WHERE {{ GRAPH ?g {{ ?claim <{CG.anonymousSource}> ?s ;
        <{CG.method}> ?method . ?s a <{CG.AnonymousSource}> ; <{RDFS.label}> ?label }} }}"""))
    assert [(r["label"].value, r["method"].value) for r in rows] == [("A senior official", "reporting-verb")]
    assert store.ask(f"ASK {{ ?c <{CG.speaker}> ?x ; <{CG.method}> \"reporting-verb\" }}")
    report = validate_store(store)
    assert report.conforms, report
    assert isinstance(rows[0]["label"], ox.Literal)
