"""Stopping a long `kg ingest` on request (Ctrl-C, SIGTERM): what is extracted goes in whole, the rest is not read,
and running the same command again goes on where it stopped."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.ingest import ingest, is_whole
from kg.mapping import article_graph
from kg.store import EmbeddedStore


def article(n: int) -> dict[str, str]:
    return {"id": f"talks-{n:05d}", "published": "2018-05-01",
            "text": f'"We are making progress on round {n}," Canadian Foreign Minister Chrystia Freeland said on '
                    "Monday. Mexico's Economy Minister Ildefonso Guajardo said talks would resume next week."}


def stored_ids(location: Path) -> list[str]:
    with EmbeddedStore(location, read_only=True) as store:
        graphs = set(store.named_graphs())
        ids = [a["id"] for a in map(article, range(5000)) if article_graph(a["id"]) in graphs]
        assert all(is_whole(store, article_graph(i)) for i in ids), "an interrupted ingest left a partial article"
    return ids


def test_a_stop_request_writes_what_is_extracted_and_reads_no_further(extractor: Extractor, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(article(n)) + "\n" for n in range(6)), encoding="utf-8")
    stop = threading.Event()
    with EmbeddedStore(tmp_path / "store") as store:
        summary = ingest(store, [str(feed)], extractor=extractor, batch_articles=1, stop=stop,
                         after_batch=lambda graphs: stop.set())
        assert summary.interrupted and summary.ok
        assert summary.articles == 1, summary.outcomes  # the first written, then nothing further was taken
    assert stored_ids(tmp_path / "store") == ["talks-00000"]
    with EmbeddedStore(tmp_path / "store") as store:  # the same input again goes on from there
        again = ingest(store, [str(feed)], extractor=extractor)
        assert not again.interrupted and (again.unchanged, again.articles) == (1, 5)
    assert len(stored_ids(tmp_path / "store")) == 6


def feed_forever(stdin: subprocess.Popen[bytes]) -> None:
    """Articles into the ingest's stdin until it closes it: the input never ends by itself."""
    assert stdin.stdin is not None
    try:
        for n in range(5000):
            stdin.stdin.write((json.dumps(article(n)) + "\n").encode())
            stdin.stdin.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass


@pytest.mark.slow
@pytest.mark.parametrize("sent, to_group, status", [
    (signal.SIGINT, True, 130),  # Ctrl-C in a terminal: the whole process group, extraction processes too
    (signal.SIGTERM, True, 143),  # a service manager stopping the unit
    (signal.SIGTERM, False, 143),  # `kill PID`
], ids=["ctrl-c", "sigterm-group", "sigterm"])
def test_kg_ingest_stops_on_a_signal_with_every_stored_article_whole(tmp_path: Path, sent: signal.Signals,
                                                                     to_group: bool, status: int) -> None:
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "ingest", "-", "--store",
                             str(store), "--workers", "2", "--progress"], stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "OMP_NUM_THREADS": "1"},
                            start_new_session=True)
    threading.Thread(target=feed_forever, args=(proc,), daemon=True).start()
    assert proc.stderr is not None
    err = b""
    deadline = time.monotonic() + 300
    while b"ingesting:" not in err and time.monotonic() < deadline:  # the first article is stored
        chunk = proc.stderr.read1(4096)  # type: ignore[attr-defined]  # BufferedReader has read1
        if not chunk:
            break
        err += chunk
    assert b"ingesting:" in err, err.decode(errors="replace")
    if to_group:
        os.killpg(proc.pid, sent)
    else:
        proc.send_signal(sent)
    rest = proc.stderr.read()
    code = proc.wait(120)
    text = (err + rest).decode(errors="replace")
    assert code == status, text
    assert text.count(f"{sent.name}: stopping") == 1 and "interrupted:" in text, text  # said once, by kg ingest
    assert not re.search(r"^skipped ", text, re.M) and " 0 skipped" in text, text  # no article was failed
    ids = stored_ids(store)
    assert ids and len(ids) < 5000
    assert f"ingested {len(ids)} article(s)" in text, text
