"""``kg ingest --cluster``: a Dask LocalCluster of two worker processes started here, against a real ``oxigraph
serve``, and the N-Quads route loaded by ``oxigraph load``; compared with plain ``kg ingest`` of the same records."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import dask
import pytest
from click.testing import CliRunner, Result
from distributed import LocalCluster
from pyoxigraph import RdfFormat

from kg.cli import cli
from kg.ingest import is_whole, stored_digest
from kg.mapping import article_graph
from kg.store import EmbeddedStore, RemoteStore
from tests.conftest import SAMPLE, free_port, oxigraph_binary
from tests.test_fingerprint import store_as_older_rules

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ARTICLES = [
    {"id": "ottawa-briefing", "published": "2018-06-05", "title": "Briefing", "publisher": "Example Wire",
     "text": "Canada's trade minister Chrystia Freeland said the talks were making progress on dairy.\n\n"
             "“We are closer than we were last month,” Freeland told reporters on Monday."},
    {"id": "geneva-talks", "published": "2019-03-02", "title": "WTO talks", "publisher": "Example Wire",
     "text": "Robert Lighthizer, the U.S. Trade Representative, said on Friday that China had not done enough on "
             "subsidies.\n\n\"We need structural change,\" Lighthizer said. Chinese officials said the tariffs "
             "were unfair."},
]
LATER = {**ARTICLES[0], "title": "Briefing (updated)"}  # the same id again: the last good record wins
IDS = ["nafta-talks-2018", "ottawa-briefing", "geneva-talks"]


def kg(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["ingest", "--no-progress", *args], env=env, catch_exceptions=False)


def kg_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``kg ingest`` as a process, with its error handling (an error is one line and exit status 1)."""
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "ingest", "--no-progress", *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample article, and a JSON Lines file of two articles, a malformed line and a later duplicate."""
    batch = tmp_path_factory.mktemp("cluster-in") / "batch.jsonl"
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES] + ['{"id": "broken", "text": ', json.dumps(LATER)]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(SAMPLE), str(batch)]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A LocalCluster of two worker processes (one thread each, not daemonic, as `dask worker` runs with
    DASK_DISTRIBUTED__WORKER__DAEMON=False: docs/cluster.md): its scheduler's address."""
    with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def reference(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """What plain ``kg ingest`` of the same records stores."""
    folder = tmp_path_factory.mktemp("cluster-ref") / "store"
    r = kg("--store", str(folder), *inputs)
    assert r.exit_code == 1 and "1 skipped" in r.output, r.output
    return comparable(EmbeddedStore(folder), close=True)


def comparable(store: EmbeddedStore | RemoteStore, *, close: bool = False) -> list[bytes]:
    """The store's quads as sorted N-Quads lines, without the extraction times (they differ between two runs)."""
    out = BytesIO()
    store.dump(out, RdfFormat.N_QUADS)
    if close:
        store.close()
    return sorted(line for line in out.getvalue().splitlines()
                  if b"prov#startedAtTime" not in line and b"prov#endedAtTime" not in line)


def test_cluster_ingest_stores_every_article_whole_reports_the_bad_one_and_reruns_unchanged(
        oxigraph_server, scheduler: str, inputs: list[str], reference: list[bytes]) -> None:  # type: ignore[no-untyped-def]
    url = oxigraph_server.url + "/query"
    remote = RemoteStore(url)
    remote.update("DROP ALL")
    env = {"KG_SEARCH_INDEX": "off"}
    first = kg("--cluster", scheduler, "--store", url, *inputs, env=env)
    assert first.exit_code == 1, first.output
    assert "skipped" in first.output and "batch.jsonl:3: malformed JSON" in first.output
    assert "ingested 3 article(s), 0 unchanged" in first.output
    assert "duplicate id 'ottawa-briefing'" in first.output and "batch.jsonl:4 is stored" in first.output
    for i in IDS:
        assert is_whole(remote, article_graph(i)) and stored_digest(remote, i) is not None, i
    title = remote.query(f"SELECT ?t WHERE {{ GRAPH <{article_graph('ottawa-briefing')}> {{ ?a "
                         "<http://schema.org/headline> ?t } }", union_default_graph=False)
    assert [r["t"].value for r in title] == ["Briefing (updated)"]  # type: ignore[index,union-attr]
    stored = comparable(remote)
    assert stored == reference, "the cluster stores what kg ingest stores"

    second = kg("--cluster", scheduler, "--store", url, *inputs, env=env)
    assert second.exit_code == 1 and "ingested 0 article(s), 3 unchanged" in second.output, second.output
    assert "batch.jsonl:3: malformed JSON" in second.output
    assert comparable(remote) == stored, "a second run changes nothing"

    store_as_older_rules(remote, IDS[0])  # as an earlier release's rules stored it
    kept = kg("--cluster", scheduler, "--store", url, "--keep-stored", *inputs, env=env)
    assert "ingested 0 article(s), 3 unchanged" in kept.output, kept.output
    third = kg("--cluster", scheduler, "--store", url, *inputs, env=env)
    assert "ingested 1 article(s), 2 unchanged" in third.output, third.output
    assert comparable(remote) == stored, "extracted again by this release's rules"


def test_nquads_files_load_into_the_quads_kg_ingest_stores(scheduler: str, inputs: list[str], reference: list[bytes],
                                                            tmp_path: Path) -> None:
    out = tmp_path / "nq"
    out.mkdir()
    (out / "part-00099.nq").write_text("stale\n", encoding="utf-8")  # an earlier run's file: removed
    r = kg("--cluster", scheduler, "--nquads", str(out), *inputs)
    assert r.exit_code == 1 and "ingested 3 article(s)" in r.output, r.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = [f["file"] for f in manifest["files"]]
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, "manifest.json"])
    assert manifest["skipped"][0]["source"].endswith("batch.jsonl:3") and manifest["articles"] == 3
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` CLI (the bulk loader) is not installed (pip install '.[test]')")
    loaded = tmp_path / "loaded"
    subprocess.run([binary, "load", "--location", str(loaded), "--file", *[str(out / f) for f in files]],
                   check=True, capture_output=True, timeout=120)
    assert comparable(EmbeddedStore(loaded), close=True) == reference


def test_an_article_past_the_time_bound_is_skipped_alone_with_the_reason(scheduler: str, tmp_path: Path) -> None:
    text = json.loads(SAMPLE.read_text(encoding="utf-8"))["text"]
    long = {"id": "long", "published": "2018-05-01", "text": "\n\n".join([text] * 30)}  # about 20 s to extract
    batch = tmp_path / "bound.jsonl"
    batch.write_text(f"{json.dumps(long)}\n{json.dumps(ARTICLES[1])}\n", encoding="utf-8")
    out = tmp_path / "nq"
    r = kg("--cluster", scheduler, "--nquads", str(out), str(batch), env={"KG_EXTRACT_TIMEOUT": "3"})
    assert r.exit_code == 1 and "ingested 1 article(s)" in r.output, r.output
    assert "skipped " + str(batch) + ":1: article 'long': extraction passed the time bound of 3 s" in r.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][0]["articles"] == ["geneva-talks"]


def test_an_embedded_store_is_refused_saying_what_to_do_instead(inputs: list[str], tmp_path: Path) -> None:
    r = kg_process("--cluster", "local:2", "--store", str(tmp_path / "store"), *inputs)
    assert r.returncode == 1 and r.stderr.startswith("Error: kg ingest --cluster cannot write to the embedded store")
    assert "--nquads DIR" in r.stderr and "KG_STORE=http://" in r.stderr and not (tmp_path / "store").exists()


def test_an_unreachable_scheduler_is_one_clear_error(inputs: list[str], tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    r = kg_process("--cluster", address, "--nquads", str(tmp_path / "nq"), *inputs, env={"KG_CLUSTER_TIMEOUT": "2"})
    assert r.returncode == 1 and r.stderr.startswith(f"Error: cannot reach the Dask scheduler at {address}"), r.stderr
    assert "dask scheduler" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nq" / "manifest.json").exists()
