"""`kg entities` (the entity report) and `kg stats` over real stores, and the landing page using the same counts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import requests
from click.testing import CliRunner

from kg.cli import cli
from kg.store import EmbeddedStore
from tests.conftest import copy_store
from tests.test_identity import ARTICLES, _ingest

CG = "https://w3id.org/claimgraph/ontology#"
ID = "https://w3id.org/claimgraph/id/"


def kg(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_entities_lists_people_with_claims_merges_and_suspects(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _ingest(store, tmp_path, ARTICLES)
    # a person no article names, quoted in farm-1, with furniture glued to the label: what the report must flag
    with EmbeddedStore(store) as s:
        s.update(f"""INSERT DATA {{
          GRAPH <https://w3id.org/claimgraph/graph/entities> {{
            <{ID}person/jane-roe> a <{CG}Person> ;
              <http://www.w3.org/2000/01/rdf-schema#label> "Jane RoeMORE"@en }}
          GRAPH <https://w3id.org/claimgraph/graph/article/farm-1> {{
            <{ID}claim/farm-1/0-5> <{CG}speaker> <{ID}person/jane-roe> ;
              <http://www.w3.org/ns/prov#wasDerivedFrom> <{ID}article/farm-1> }} }}""")
    r = kg("entities", "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    rows = {row["iri"]: row for row in json.loads(r.output)}
    kowalski = rows[f"{ID}person/bernard-kowalski"]
    assert kowalski["label"] == "Bernard Kowalski" and kowalski["claims"] >= 2 and "Person" in kowalski["types"]
    assert {"form": "Bernie Kowalski", "reason": "nickname: Bernie is Bernard"} in kowalski["merges"]
    assert "Bernie Kowalski" in kowalski["aliases"]
    assert "shared-surname" in kowalski["suspects"]  # Sarah Kowalski is another node
    assert "unseen-name" not in kowalski["suspects"]
    roe = rows[f"{ID}person/jane-roe"]
    assert {"unseen-name", "junk-label"} <= set(roe["suspects"])
    text = kg("entities", "--store", str(store), "--suspects", "--kind", "people")
    assert "Jane RoeMORE" in text.output and "SUSPECT" in text.output
    assert all("SUSPECT" in line for line in text.output.splitlines()[1:])


def test_an_unreachable_store_is_one_clear_error() -> None:
    import subprocess
    import sys

    from tests.conftest import free_port

    done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "entities", "--store",
                           f"http://127.0.0.1:{free_port()}/query"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "cannot reach the SPARQL endpoint" in done.stderr and "Traceback" not in done.stderr


def test_landing_page_and_kg_stats_give_the_same_counts(live_server: Any, seed_store_path: Path,
                                                        tmp_path: Path) -> None:
    from server.describe import STAT_NAMES

    r = kg("stats", "--store", str(copy_store(seed_store_path, tmp_path / "store")), "--json")
    counts = json.loads(r.output)
    html = requests.get(live_server.url + "/", timeout=30).text
    shown = {k: int(v.replace(",", "")) for k, v in
             re.findall(r'<li data-stat="(\w+)"><span class="count">([\d,]+)</span>', html)}
    assert set(shown) == {k for k, _ in STAT_NAMES}
    for key, value in shown.items():
        assert counts[key] == value, key
    assert counts["people"] >= counts["officials"] >= 1 and counts["countries"] >= 3
