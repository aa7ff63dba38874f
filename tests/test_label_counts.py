"""A person's label follows the names the stored articles write most, batch after batch of one ingest into a store
that already holds articles (kg.bulk_write.FormCounts keeps the counts instead of asking the store each batch), and
ends as a fresh ingest of the same articles would leave it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.ingest import ingest
from kg.store import EmbeddedStore

PERSON = "https://w3id.org/claimgraph/id/person/william-zarnowski"
ENTITIES = "https://w3id.org/claimgraph/graph/entities"


def port(n: int, name: str) -> dict[str, str]:
    return {"id": f"port-{n}", "published": f"2019-03-0{n}", "title": "Port",
            "text": f"{name} said the trade deal would help the port.\n\n{name} spoke on Tuesday."}


def feed(tmp: Path, name: str, records: list[dict[str, str]]) -> str:
    path = tmp / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def entities_graph(store: EmbeddedStore) -> list[str]:
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITIES}> {{ ?s ?p ?o }} }}", union_default_graph=False)
    return sorted(f"{r['s']} {r['p']} {r['o']}" for r in rows)  # type: ignore[union-attr]


def label(store: EmbeddedStore) -> list[str]:
    return [r["l"].value for r in store.query(  # type: ignore[union-attr]
        f"SELECT ?l WHERE {{ <{PERSON}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")]


@pytest.mark.parametrize("batch_articles, labels", [
    (1, ["William", "Bill", "Bill", "William", "William"]),  # William 2-2-2-3-4 articles, Bill 1-2-3-2-2; ties: Bill
    (2, ["Bill", "William", "William"]),  # batches port-3 + port-4, port-5 + port-3 again, port-6
])
def test_labels_follow_the_batches_of_one_ingest_and_match_a_fresh_store(extractor: Extractor, tmp_path: Path,
                                                                         batch_articles: int,
                                                                         labels: list[str]) -> None:
    first = [port(1, "William Zarnowski"), port(2, "William Zarnowski")]
    then = [port(3, "Bill Zarnowski"), port(4, "Bill Zarnowski"), port(5, "Bill Zarnowski"),
            port(3, "William Zarnowski"), port(6, "William Zarnowski")]  # port-3 again, changed: its "Bill" goes
    seen: list[str] = []
    with EmbeddedStore(tmp_path / "grown") as store:
        ingest(store, [feed(tmp_path, "first", first)], extractor=extractor)
        assert label(store) == ["William Zarnowski"]
        summary = ingest(store, [feed(tmp_path, "then", then)], extractor=extractor, batch_articles=batch_articles,
                         bulk_load=False, after_batch=lambda graphs: seen.extend(label(store)))
        assert summary.articles == 4
        assert seen == [f"{first_name} Zarnowski" for first_name in labels]
        grown = entities_graph(store)
    with EmbeddedStore(tmp_path / "fresh") as store:
        ingest(store, [feed(tmp_path, "final", first + then[1:])], extractor=extractor)
        assert entities_graph(store) == grown
