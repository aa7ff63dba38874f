"""The members of Congress in the reference data: built from ../shared/refdata/us-legislators.csv by
scripts/build_reference.py, merged with officials.csv by Wikidata id, valid against the shapes, counted by VoID.

Checked against the source CSV (not against the committed Turtle alone): every member is one node with its
Wikidata and DBpedia links, a post per chamber and state, a dated tenure and a party membership.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.reference import REFERENCE_DIR, load_reference
from kg.store import EmbeddedStore
from kg.validate import validate_graph
from kg.vocab import CG, ORG, OWL, RDFS, SCHEMA, WD, id_iri
from kg.void import void_quads
from tests.conftest import ROOT


def legislators(shared: Path) -> dict[str, list[dict[str, str]]]:
    """The rows of us-legislators.csv by Wikidata id."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (shared / "refdata" / "us-legislators.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows[r["wikidata_qid"] or r["name"]].append(r)
    return rows


@pytest.fixture(scope="module")
def officials() -> Graph:
    return Graph().parse(REFERENCE_DIR / "officials.ttl")


def test_every_member_is_one_node_with_its_links(officials: Graph, shared_dir: Path) -> None:
    rows = legislators(shared_dir)
    assert len(rows) == 537
    for qid, member_rows in rows.items():
        if not member_rows[0]["wikidata_qid"]:
            continue  # one member has no Wikidata id: nothing to link, nothing invented
        nodes = set(officials.subjects(OWL.sameAs, WD[qid]))
        assert len(nodes) == 1, (qid, nodes)
        node = nodes.pop()
        assert (node, OWL.sameAs, URIRef(member_rows[0]["dbpedia"])) in officials
        posts = {str(officials.value(p, RDFS.label)) for p in officials.objects(node, ORG.holds)}
        for r in member_rows:
            assert any(t.startswith(r["post"] + " from ") for t in posts), (qid, r["post"], posts)


def test_a_member_of_officials_csv_is_merged_by_wikidata_id() -> None:
    pelosi = load_reference().people["person/nancy-pelosi"]
    titles = {p.title for p in pelosi.posts}
    assert {"House Minority Leader", "Speaker of the United States House of Representatives",
            "United States Representative from California"} <= titles
    assert pelosi.wikidata == "Q170581" and pelosi.dbpedia == "http://dbpedia.org/resource/Nancy_Pelosi"
    assert pelosi.family_name == "Pelosi" and pelosi.party == "Democratic Party"
    assert not any(k.startswith("person/nancy-pelosi-") for k in load_reference().people)


def test_posts_are_for_the_country_and_the_state_with_dated_tenures(officials: Graph) -> None:
    post = URIRef(id_iri("post/US/united-states-senator-from-iowa"))
    assert (post, CG.postCountry, URIRef(id_iri("country/US"))) in officials
    assert (post, CG.postRegion, URIRef(id_iri("region/US-IA"))) in officials
    assert (post, ORG.postIn, URIRef(id_iri("org/united-states-senate"))) in officials
    iowa = URIRef(id_iri("region/US-IA"))
    assert (iowa, SCHEMA.containedInPlace, URIRef(id_iri("country/US"))) in officials
    assert str(officials.value(iowa, RDFS.label)) == "Iowa"
    tenure = URIRef(id_iri("tenure/chuck-grassley/US/united-states-senator-from-iowa"))
    assert str(officials.value(tenure, SCHEMA.startDate)) == "1981-01-05"
    assert (tenure, CG.tenureOf, post) in officials
    schumer = load_reference().people["person/charles-e-schumer"]
    assert [(p.title, p.start, p.end) for p in schumer.posts] == [
        ("United States Representative from New York", "1981-01-05", "1999-01-03"),
        ("United States Senator from New York", "1999-01-06", "2029-01-03")]


def test_party_membership_is_an_org_membership(officials: Graph) -> None:
    grassley = URIRef(id_iri("person/chuck-grassley"))
    memberships = list(officials.subjects(ORG.member, grassley))
    assert len(memberships) == 1
    party = officials.value(memberships[0], ORG.organization)
    assert str(officials.value(party, RDFS.label)) == "Republican Party"
    sanders = load_reference().people["person/bernard-sanders"]
    assert sanders.party is None  # an independent is a member of no party


def test_the_reference_data_conforms_to_the_shapes(officials: Graph) -> None:
    data = Graph()
    for name in ("countries.ttl", "officials.ttl", "organizations.ttl"):
        data.parse(REFERENCE_DIR / name)
    report = validate_graph(data)
    assert report.conforms, report.text[:2000]


def test_void_counts_the_member_links(tmp_path: Path) -> None:
    from kg.ingest import ensure_static_graphs

    with EmbeddedStore(tmp_path / "s") as store:
        ensure_static_graphs(store)
        quads = void_quads(store)
    counts = {q.subject.value.rsplit("/", 1)[1]: int(q.object.value) for q in quads
              if q.subject.value.startswith(id_iri("dataset/linkset/")) and q.predicate.value.endswith("#triples")}
    officials = Graph().parse(REFERENCE_DIR / "officials.ttl")
    people_wd = sum(1 for o in officials.objects(None, OWL.sameAs) if str(o).startswith(str(WD)))
    people_dbr = sum(1 for o in officials.objects(None, OWL.sameAs) if str(o).startswith("http://dbpedia.org/"))
    assert people_wd > 540 and people_dbr > 530
    assert counts["wikidata"] >= 249 - 3 + people_wd
    assert counts["dbpedia"] >= people_dbr


def test_the_committed_files_are_what_the_script_builds(tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "reference"
    out.mkdir()
    for name in ("organizations.csv", "us-states.csv"):
        (out / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--refdata",
                    str(shared_dir / "refdata"), "--out", str(out)], check=True, capture_output=True)
    for name in ("countries.ttl", "officials.ttl", "organizations.ttl"):
        assert Graph().parse(out / name).isomorphic(Graph().parse(REFERENCE_DIR / name)), name
