"""Cross-article identity of people: keys from name variants, the one label, types from a name's form, and the
recorded merges, from the extractor through a real store to `kg validate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract.identity import clean_name, display_name, merge_reason, name_type, person_key, reference_person
from kg.reference import load_reference
from kg.store import EmbeddedStore


@pytest.mark.parametrize(("a", "b"), [
    ("Bernie Sanders", "Bernard Sanders"), ("Chuck Schumer", "Charles E. Schumer"), ("Steve Bannon", "Stephen Bannon"),
    ("Hillary Rodham Clinton", "Hillary Clinton"), ("Donald J. Trump", "Donald Trump"), ("Erdoğan", "Erdogan"),
    ("Roy] Blunt", "Roy Blunt"), ("Charles Schumer Charles", "Charles Schumer"), ("Orrin G. Hatch", "Orrin Hatch"),
    ("H. Ross Perot", "Ross Perot"),
])
def test_variants_of_one_name_get_one_key(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Bill Clinton", "Hillary Clinton"), ("Sarah Sanders", "Bernie Sanders"), ("Ted Cruz", "Edward Cruz"),
    ("U.S. Trade Representative Lighthizer", "Trade Lighthizer"),  # "U.S." is no leading initial of a name
    ("Paul Ryan", "Ryan Paul"), ("Clinton", "Hillary Clinton"),
])
def test_people_who_share_a_surname_stay_apart(a: str, b: str) -> None:
    # "Ted" is listed under Edward and Theodore, so it is no evidence; a bare surname is not a full name
    assert person_key(a) != person_key(b)


def test_one_label_per_person_whatever_the_form() -> None:
    assert {display_name(n) for n in ("Bernie Sanders", "Bernard Sanders", "Sen. Bernard Sanders"[5:])} == {
        "Bernard Sanders"}
    assert display_name("Roy] Blunt") == display_name("Roy Blunt") == "Roy Blunt"
    assert clean_name("“Jane Doe”") == "Jane Doe"


def test_a_variant_of_a_reference_name_is_the_reference_person() -> None:
    ref = load_reference()
    found = reference_person("Steve Mnuchin", ref)
    assert found is not None and found.key == "person/steven-mnuchin"
    assert reference_person("Wilbur Smith", ref) is None


def test_types_from_the_form_of_a_name() -> None:
    assert name_type("Obama White House", "Person") == "Organization"
    assert name_type("House Democrats", "Person") == "Organization"
    assert name_type("Chip Somodevilla/Getty Images", "Person") is None
    assert name_type("SalenaZito", "Person") is None and name_type("BuyAmerica", "Person", "#") is None
    assert name_type("Kevin McCarthy", "Person") == "Person" and name_type("Ron DeSantis", "Person") == "Person"


def test_merge_reasons_name_the_rule() -> None:
    assert merge_reason("Chuck Schumer", "Charles Schumer", "person/charles-schumer") == "nickname: Chuck is Charles"
    assert "middle names" in merge_reason("Orrin G. Hatch", "Orrin Hatch", "person/orrin-hatch")


# people of no reference data (a member of Congress is a reference official: a variant of the name is an alias there)
ARTICLES = [
    {"id": "farm-1", "published": "2019-03-01", "title": "Farm bill",
     "text": "State Senator Bernie Kowalski said the trade deal would hurt dairy farmers.\n\n"
             "“This deal is a disaster for Vermont,” Kowalski said on Tuesday."},
    {"id": "farm-2", "published": "2019-03-02", "title": "Farm bill, again",
     "text": "State Senator Bernard Kowalski of Vermont said the agreement lacked labor protections.\n\n"
             "Sarah Kowalski, the state's press secretary, said the president disagreed."},
]


def _ingest(store: Path, tmp: Path, records: list[dict[str, str]]) -> None:
    path = tmp / f"{store.name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    r = CliRunner().invoke(cli, ["ingest", str(path), "--store", str(store)], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def _entities_graph(store: Path) -> list[str]:
    with EmbeddedStore(store) as s:
        rows = s.query("SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/claimgraph/graph/entities> { ?s ?p ?o } }",
                       union_default_graph=False)
        return sorted(f"{r['s']} {r['p']} {r['o']}" for r in rows)  # type: ignore[union-attr]


def test_two_articles_naming_one_person_two_ways_give_one_node_in_either_order(tmp_path: Path) -> None:
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    _ingest(forward, tmp_path, ARTICLES)
    _ingest(backward, tmp_path, ARTICLES[::-1])
    assert _entities_graph(forward) == _entities_graph(backward)
    with EmbeddedStore(forward) as s:
        labels = [r["l"].value for r in s.query(  # type: ignore[union-attr]
            "SELECT ?l WHERE { <https://w3id.org/claimgraph/id/person/bernard-kowalski> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")]
        merges = {(r["form"].value, r["reason"].value) for r in s.query(  # type: ignore[union-attr]
            "PREFIX cg: <https://w3id.org/claimgraph/ontology#> SELECT ?form ?reason WHERE { "
            "?m cg:mergedInto <https://w3id.org/claimgraph/id/person/bernard-kowalski> ; cg:surfaceForm ?form ; "
            "cg:mergeReason ?reason }")}
        speakers = {r["s"].value for r in s.query(  # type: ignore[union-attr]
            "PREFIX cg: <https://w3id.org/claimgraph/ontology#> SELECT ?s WHERE { ?c cg:speaker ?s }")}
    assert labels == ["Bernard Kowalski"]
    assert ("Bernie Kowalski", "nickname: Bernie is Bernard") in merges
    assert {"https://w3id.org/claimgraph/id/person/bernard-kowalski",
            "https://w3id.org/claimgraph/id/person/sarah-kowalski"} <= speakers  # two people, one surname
    r = CliRunner().invoke(cli, ["validate", "--store", str(forward)], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def test_a_party_group_in_a_chamber_is_not_the_chamber(extractor) -> None:  # type: ignore[no-untyped-def]
    from tests.extracting import run

    e = run(extractor, "Some moderate House Republicans said the trade deal needed more support from farmers.\n\n"
                       "The House voted on the bill in June, and Senate Democrats said they would wait.")
    keys = {m.text: x.key for x in e.entities for m in x.mentions}
    assert keys.get("House Republicans") == "org/house-republicans", keys
    assert keys.get("Senate Democrats") == "org/senate-democrats", keys
    assert [c.speaker for c in e.claims if "farmers" in c.text] == ["org/house-republicans"]  # not org/house


# middle initials, the label articles use most, and a graph that does not keep what no article says


def test_middle_initials_tell_apart_the_namesakes_of_the_table_only() -> None:
    assert person_key("George H. W. Bush") == person_key("George H.W. Bush") != person_key("George W. Bush")
    assert person_key("George W Bush") == person_key("George W. Bush") == "person/george-w-bush"
    assert person_key("George Bush") not in {person_key("George W. Bush"), person_key("George H. W. Bush")}
    assert display_name("George W Bush") == "George W. Bush"
    assert person_key("Orrin G. Hatch") == person_key("Orrin Hatch")  # no namesakes: initials set aside
    assert "initials that tell namesakes apart" in merge_reason("George W Bush", "George W. Bush",
                                                                 "person/george-w-bush")


def test_a_bare_namesake_is_the_one_the_article_names_in_full(extractor) -> None:  # type: ignore[no-untyped-def]
    from tests.extracting import run

    one = run(extractor, "George W. Bush said the pact was fair.\n\nLater George Bush said Bush had been right.")
    assert {x.key for x in one.entities if x.type in ("Person", "Official")} == {"person/george-w-bush"}
    both = run(extractor, "George H. W. Bush signed the pact, and George W. Bush praised it.\n\n"
                          "George Bush said the pact helped Texas.")
    keys = {m.text: x.key for x in both.entities for m in x.mentions}
    assert keys["George Bush"] == "person/george-bush"  # two namesakes named: the bare name says neither


def _label(store: Path, key: str) -> list[str]:
    with EmbeddedStore(store) as s:
        return sorted(r["l"].value for r in s.query(  # type: ignore[union-attr]
            f"SELECT ?l WHERE {{ <https://w3id.org/claimgraph/id/{key}> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"))


def test_a_person_keeps_the_full_name_articles_write_most(tmp_path: Path) -> None:
    records = [{"id": f"port-{i}", "published": f"2019-03-0{i}", "title": "Port",
                "text": f"{name} said the trade deal would help the port.\n\n{name} spoke on Tuesday."}
               for i, name in enumerate(["Bill Zarnowski", "William Zarnowski", "Bill Zarnowski"], start=1)]
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    _ingest(forward, tmp_path, records)
    _ingest(backward, tmp_path, records[::-1])
    assert _label(forward, "person/william-zarnowski") == ["Bill Zarnowski"]  # not the formal "William"
    assert _entities_graph(forward) == _entities_graph(backward)


def test_an_article_written_again_leaves_nothing_of_its_earlier_names(tmp_path: Path) -> None:
    before = {"id": "dock-1", "published": "2019-04-01", "title": "Dock",
              "text": "Jane Quarrington, the mayor of Tulsa, said the trade deal would help.\n\n"
                      "Jane A. Quarrington spoke on Tuesday."}
    after = {**before, "text": "Joan Pemberton, the mayor of Tulsa, said the trade deal would help.\n\n"
                               "Pemberton spoke on Tuesday."}
    other = {"id": "dock-2", "published": "2019-04-02", "title": "Dock, again",
             "text": "Rita Okafor said the trade deal would hurt.\n\nOkafor spoke on Monday."}
    rewritten, fresh = tmp_path / "rewritten", tmp_path / "fresh"
    _ingest(rewritten, tmp_path, [before, other])
    assert any("quarrington" in t for t in _entities_graph(rewritten))
    _ingest(rewritten, tmp_path, [after])  # a changed text: the article is written again
    _ingest(fresh, tmp_path, [other, after])
    assert not [t for t in _entities_graph(rewritten) if "quarrington" in t.casefold()]
    assert _entities_graph(rewritten) == _entities_graph(fresh)
    r = CliRunner().invoke(cli, ["validate", "--store", str(rewritten)], catch_exceptions=False)
    assert r.exit_code == 0, r.output


def test_two_sets_of_initials_on_one_node_are_a_suspect(tmp_path: Path) -> None:
    from kg.entities import entity_rows

    records = [{"id": f"mill-{i}", "published": f"2019-05-0{i}", "title": "Mill",
                "text": f"{name} said the tariffs would close the mill.\n\nHe spoke on Friday."}
               for i, name in enumerate(["Robert J. Pemberton", "Robert K. Pemberton"], start=1)]
    _ingest(tmp_path / "mill", tmp_path, records)
    with EmbeddedStore(tmp_path / "mill") as s:
        rows = {r.iri.rsplit("/", 1)[-1]: r for r in entity_rows(s)}
    assert "conflicting-initials" in rows["robert-pemberton"].suspects


def test_an_office_of_a_body_is_its_holder_not_the_body(extractor) -> None:  # type: ignore[no-untyped-def]
    from tests.extracting import run

    named = run(extractor, "Senate Majority Leader Dale Brennock met the governors on Tuesday.\n\n"
                           "The Senate majority leader said the trade deal would pass in July.")
    assert [c.speaker for c in named.claims if "pass in July" in c.text] == ["person/dale-brennock"]
    unnamed = run(extractor, "The Senate majority leader said the trade deal would pass in July.", published=None)
    assert [c.speaker for c in unnamed.claims] == [None]  # no holder known: unresolved, not the Senate
    staff = run(extractor, "A spokesman for the Senate said the trade deal would pass in July.")
    assert [c.speaker for c in staff.claims] == ["org/united-states-senate"]  # staff speak for the body
