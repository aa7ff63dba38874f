"""The rules' digest in the software version: what it covers, and that `kg ingest` re-extracts an article stored by
other rules (a store of an earlier release) instead of calling it unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract.model import Article
from kg.fingerprint import RULE_FILES, digest_of, rules_digest, software
from kg.ingest import stored_digest
from kg.mapping import content_digest
from kg.resources import resource_dir
from kg.store import EmbeddedStore, Store
from tests.conftest import SAMPLE, copy_store

DIGEST = "<https://w3id.org/claimgraph/ontology#contentDigest>"
EXTRACT = Path(__file__).resolve().parents[1] / "kg" / "extract"


@pytest.fixture
def rules_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of kg/extract/ and of the ontology files the extractor reads."""
    extract = tmp_path / "extract"
    shutil.copytree(EXTRACT, extract, ignore=shutil.ignore_patterns("__pycache__"))
    ontology = tmp_path / "ontology"
    ontology.mkdir()
    for name in RULE_FILES:
        source = resource_dir("ontology") / name
        if source.is_dir():
            shutil.copytree(source, ontology / name)
        else:
            shutil.copy(source, ontology / name)
    return extract, ontology


def test_the_software_names_the_release_and_the_rules() -> None:
    assert re.fullmatch(r"claimgraph \d+\.\d+\.\d+\+rules\.[0-9a-f]{12}", software())
    assert software().endswith(rules_digest()[:12])


def test_a_copy_of_the_rules_has_the_installed_digest(rules_copy: tuple[Path, Path]) -> None:
    assert digest_of(*rules_copy) == rules_digest()


@pytest.mark.parametrize("change", ["a lexicon entry", "a rule's code", "the issue vocabulary", "reference data",
                                    "a new file"])
def test_any_change_to_what_decides_claims_changes_the_digest(rules_copy: tuple[Path, Path], change: str) -> None:
    extract, ontology = rules_copy
    before = digest_of(extract, ontology)
    target = {"a lexicon entry": extract / "lexicon" / "verbs.json", "a rule's code": extract / "trimmers.py",
              "the issue vocabulary": ontology / "issues.ttl",
              "reference data": ontology / "reference" / "countries.ttl"}.get(change)
    if target is None:
        (extract / "lexicon" / "extra.json").write_text("{}", encoding="utf-8")
    else:
        target.write_bytes(target.read_bytes().replace(b"e", b"E", 1))
    assert digest_of(extract, ontology) != before


def test_bytecode_caches_do_not_change_the_digest(rules_copy: tuple[Path, Path]) -> None:
    extract, ontology = rules_copy
    before = digest_of(extract, ontology)
    (extract / "__pycache__").mkdir(exist_ok=True)
    (extract / "__pycache__" / "trimmers.cpython-313.pyc").write_bytes(b"\0" * 16)
    assert digest_of(extract, ontology) == before


def store_as_older_rules(store: Store, article_id: str) -> str:
    """Make the stored version of ``article_id`` look extracted by an earlier release (whose rules differ): its
    content digest becomes the one that release computed. Returns the digest it had."""
    current = stored_digest(store, article_id)
    assert current is not None
    old = content_digest(Article(id=article_id, text=""), "claimgraph 0.1.0", "en_core_web_sm 3.8.0")
    store.update(f'DELETE {{ GRAPH ?g {{ ?run {DIGEST} "{current}" }} }} '
                 f'INSERT {{ GRAPH ?g {{ ?run {DIGEST} "{old}" }} }} '
                 f'WHERE {{ GRAPH ?g {{ ?run {DIGEST} "{current}" }} }}')
    assert stored_digest(store, article_id) == old
    return current


def test_an_article_stored_by_other_rules_is_extracted_again_unless_kept(seed_store_path: Path,
                                                                         tmp_path: Path) -> None:
    store = str(copy_store(seed_store_path, tmp_path / "store"))
    with EmbeddedStore(store) as s:
        current = store_as_older_rules(s, "nafta-talks-2018")
    kept = CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--store", store, "--keep-stored"], catch_exceptions=False)
    assert kept.exit_code == 0 and "ingested 0 article(s), 1 unchanged" in kept.output, kept.output
    again = CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--store", store], catch_exceptions=False)
    assert again.exit_code == 0 and "ingested 1 article(s), 0 unchanged" in again.output, again.output
    with EmbeddedStore(store) as s:
        assert stored_digest(s, "nafta-talks-2018") == current
        versions = [str(r["v"].value) for r in s.query(
            "SELECT ?v WHERE { ?run <http://www.w3.org/ns/prov#wasAssociatedWith> ?sw . "
            "?sw <http://schema.org/softwareVersion> ?v }")]
        assert versions == [software().split(" ", 1)[1]]


def test_force_and_keep_stored_together_are_refused(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--store", str(tmp_path / "s"), "--force", "--keep-stored"])
    assert r.exit_code == 2 and "give one" in r.output and not (tmp_path / "s").exists()
