"""Every country and official of the reference data is owl:sameAs its Wikidata item and DBpedia resource, in a store.

Checked against the source CSVs in ../shared/refdata (not against the generated Turtle), in a store loaded as
`kg init` loads it, and in a store built by `kg ingest` of the seed article.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.store import EmbeddedStore, Store
from kg.vocab import OWL, WD, id_iri, slug
from tests.conftest import SAMPLE
from tests.test_linking import load_reference

SEED_LINKS = {  # what the seed article needs, spelled out
    "country/US": ("Q30", "http://dbpedia.org/resource/United_States"),
    "country/CA": ("Q16", "http://dbpedia.org/resource/Canada"),
    "country/MX": ("Q96", "http://dbpedia.org/resource/Mexico"),
    "country/CN": ("Q148", "http://dbpedia.org/resource/China"),
    "person/donald-trump": ("Q22686", None),
    "person/chrystia-freeland": ("Q4492815", None),
}


def expected_links(shared: Path) -> dict[str, set[str]]:
    """Entity key -> the owl:sameAs objects the reference CSVs call for."""
    links: dict[str, set[str]] = {}
    with (shared / "refdata" / "countries.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            links[f"country/{row['iso_alpha2']}"] = {str(WD) + row["wikidata_qid"]} if row["wikidata_qid"] else set()
            if row["dbpedia_uri"]:
                links[f"country/{row['iso_alpha2']}"].add(row["dbpedia_uri"])
    with (shared / "refdata" / "officials.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["wikidata_qid"]:
                links[f"person/{slug(row['name'])}"] = {str(WD) + row["wikidata_qid"]}
    return links


def assert_linked(store: Store, shared: Path) -> None:
    rows = store.query(f"SELECT ?s ?o WHERE {{ ?s <{OWL.sameAs}> ?o }}")
    stored: dict[str, set[str]] = {}
    for r in rows:  # type: ignore[union-attr]
        stored.setdefault(r["s"].value, set()).add(r["o"].value)  # type: ignore[index]
    expected = expected_links(shared)
    assert len(expected) > 260
    missing = {k: v - stored.get(id_iri(k), set()) for k, v in expected.items()}
    assert not {k: v for k, v in missing.items() if v}, "reference entities lack their links"
    for key, (qid, dbr) in SEED_LINKS.items():
        assert str(WD) + qid in stored[id_iri(key)], key
        if dbr:
            assert dbr in stored[id_iri(key)], key


def test_reference_links_in_a_store(store: Store, shared_dir: Path) -> None:
    load_reference(store)
    assert_linked(store, shared_dir)


def test_reference_links_after_ingest_of_the_seed(tmp_path: Path, shared_dir: Path) -> None:
    try:
        from kg.cli import cli
        from kg.extract import Extractor  # noqa: F401 - ingest needs it
    except ImportError as e:
        pytest.skip(f"`kg ingest` is not available yet: {e}")
    location = tmp_path / "store"
    r = CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--store", str(location)])
    assert r.exit_code == 0, r.output
    with EmbeddedStore(location) as store:
        assert_linked(store, shared_dir)
