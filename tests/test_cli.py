"""The `kg` command end to end: real extraction, a real store on disk, and a real remote store over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.mapping import article_graph
from kg.store import EmbeddedStore
from tests.conftest import SAMPLE

OTHER = {"id": "ottawa-briefing", "published": "2018-06-05", "title": "Briefing",
         "text": "Canada's trade minister said the talks were making progress on dairy.\n\n"
                 "“We are closer than we were last month,” she told reporters on Monday."}


def kg(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result


def export_lines(store: str, tmp_path: Path, name: str) -> list[bytes]:
    out = tmp_path / name
    r = kg("export", "--store", store, "--format", "nquads", "-o", str(out))
    assert r.exit_code == 0, r.output
    return out.read_bytes().splitlines()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A store holding the sample article, and a folder for outputs."""
    tmp = tmp_path_factory.mktemp("seeded")
    store = str(tmp / "store")
    r = kg("ingest", str(SAMPLE), "--store", store)
    assert r.exit_code == 0, r.output
    return store, tmp


def test_ingesting_twice_exports_the_same_quads(seeded: tuple[str, Path]) -> None:
    store, tmp = seeded
    first = export_lines(store, tmp, "first.nq")
    r = kg("ingest", str(SAMPLE), "--store", store)
    assert r.exit_code == 0 and "1 unchanged" in r.output
    second = export_lines(store, tmp, "second.nq")
    assert first == second
    graph = article_graph("nafta-talks-2018").encode()
    in_article = [line for line in first if line.rstrip(b" .").endswith(b"<" + graph + b">")]
    assert len(in_article) >= 300, "hundreds of quads in the article's own graph"
    assert len(first) == len(set(first)), "no duplicate quads"


def test_force_replaces_the_article_graph_with_the_same_quad_count(seeded: tuple[str, Path]) -> None:
    store, tmp = seeded
    with EmbeddedStore(store) as s:
        before = s.count(article_graph("nafta-talks-2018"))
    r = kg("ingest", str(SAMPLE), "--store", store, "--force")
    assert r.exit_code == 0 and "ingested 1 article(s)" in r.output
    with EmbeddedStore(store) as s:
        assert s.count(article_graph("nafta-talks-2018")) == before


def test_bad_input_is_reported_and_loses_nothing(seeded: tuple[str, Path]) -> None:
    store, tmp = seeded
    with EmbeddedStore(store) as s:
        before = s.count(article_graph("nafta-talks-2018"))
    batch = tmp / "batch.jsonl"
    batch.write_text(json.dumps(OTHER) + "\n{\"id\": \"broken\", \"text\": \n" + json.dumps({"id": "no-text"}) + "\n",
                     encoding="utf-8")
    latin = tmp / "latin.txt"
    latin.write_bytes("Le négociateur a déclaré".encode("latin-1"))
    r = kg("ingest", str(batch), str(latin), "--store", store)
    assert r.exit_code == 1
    assert f"{batch}:2: malformed JSON" in r.output
    assert f"{batch}:3: missing 'text'" in r.output
    assert f"{latin}: not UTF-8" in r.output
    assert "ingested 1 article(s)" in r.output and "3 skipped" in r.output
    with EmbeddedStore(store) as s:
        assert s.count(article_graph("nafta-talks-2018")) == before, "the stored article is untouched"
        assert s.count(article_graph("ottawa-briefing")) > 0, "the good record of the batch went in"


def test_validate_conforms_after_ingest(seeded: tuple[str, Path]) -> None:
    store, _ = seeded
    r = kg("validate", "--store", store)
    assert r.exit_code == 0, r.output


def test_stats_counts_the_sample(seeded: tuple[str, Path]) -> None:
    store, _ = seeded
    r = kg("stats", "--store", store, "--json")
    s = json.loads(r.output)
    assert s["articles"] >= 1 and s["claims"] >= 10 and s["claims_direct"] >= 1


def test_remote_store_holds_the_same_quads(oxigraph_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.store import RemoteStore
    url = oxigraph_server.url + "/query"
    RemoteStore(url).update("DROP ALL")
    assert kg("ingest", str(SAMPLE), env={"KG_STORE": url}).exit_code == 0
    assert kg("ingest", str(SAMPLE), "--store", str(tmp_path / "local")).exit_code == 0
    remote = export_lines(url, tmp_path, "remote.nq")
    local = export_lines(str(tmp_path / "local"), tmp_path, "local.nq")
    assert len(remote) == len(local) > 1000

    def comparable(lines: list[bytes]) -> list[bytes]:
        # Extraction times differ between two runs, and each store labels the ontology's blank nodes its own way.
        return [line for line in lines
                if b"prov#startedAtTime" not in line and b"prov#endedAtTime" not in line and b"_:" not in line]
    assert comparable(remote) == comparable(local)


def test_extract_prints_claims_with_exact_spans(tmp_path: Path) -> None:
    r = kg("extract", str(SAMPLE))
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    text = json.loads(SAMPLE.read_text(encoding="utf-8"))["text"]
    assert out["article"]["id"] == "nafta-talks-2018" and len(out["claims"]) >= 10
    assert all(text[c["start"]:c["end"]] == c["text"] for c in out["claims"])


def test_extract_several_articles_prints_json_lines(tmp_path: Path) -> None:
    f = tmp_path / "two.jsonl"
    f.write_text(json.dumps(OTHER) + "\n" + json.dumps({**OTHER, "id": "second"}) + "\n", encoding="utf-8")
    r = kg("extract", str(f))
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["article"]["id"] for x in lines] == ["ottawa-briefing", "second"]


def test_a_missing_store_server_is_one_clear_line() -> None:
    from tests.conftest import free_port
    r = CliRunner().invoke(cli, ["stats", "--store", f"http://127.0.0.1:{free_port()}/query"])
    assert r.exit_code != 0
    assert "cannot reach the SPARQL endpoint" in str(r.exception) or "cannot reach" in r.output


def wal_bytes(folder: Path) -> int:
    """Bytes in RocksDB's write-ahead log files (``NNNNNN.log``; ``LOG`` is its info log)."""
    return sum(p.stat().st_size for p in folder.glob("*.log"))


def test_ingest_compacts_the_store_so_no_write_ahead_log_is_left(tmp_path: Path) -> None:
    """A write-ahead log is kept until the folder is opened again: after a long ingest it was most of the folder
    (README, `kg ingest`). `kg ingest` compacts the store when it ends, so none is left behind."""
    store = tmp_path / "store"
    r = kg("ingest", str(SAMPLE), "--store", str(store))
    assert r.exit_code == 0, r.output
    assert wal_bytes(store) == 0
    with EmbeddedStore(str(store), read_only=True) as s:  # the data went into the store files, not lost with the log
        assert s.count(article_graph("nafta-talks-2018")) >= 300
