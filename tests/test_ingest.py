"""Ingest that loses nothing good: bad records beside good ones, duplicate ids, time and memory bounds, the CLI's
order of checks (paths, lock, then spaCy). Real files, the real `kg ingest`, real stores on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.config import Bounds
from kg.extract import Extractor
from kg.extract.model import Article
from kg.extract.pipeline import MAX_WORD_CHARS, blocks
from kg.ingest import ingest
from kg.mapping import article_graph
from kg.store import EmbeddedStore
from kg.workers import Failed, extract_bounded

GOOD = [
    {"id": "good-1", "published": "2018-05-01",
     "text": 'Canadian Foreign Minister Chrystia Freeland said on Monday that a deal was close. "We are making real '
             'progress on the autos file," she told reporters in Washington.'},
    {"id": "good-2", "published": "2018-05-02",
     "text": "Mexico's Economy Minister Ildefonso Guajardo said talks would resume next week in Washington."},
    {"id": "good-3", "published": "2018-05-03",
     "text": '"We will not sign a bad deal," U.S. Trade Representative Robert Lighthizer said on Thursday.'},
]


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os
    return subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def line(record: object) -> bytes:
    return json.dumps(record).encode() + b"\n"


def article_graphs(store_path: Path) -> dict[str, int]:
    """Article id -> quads in its graph, for every article graph of a closed store."""
    with EmbeddedStore(store_path, read_only=True) as store:
        rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                           union_default_graph=False)
        counts = {r["g"].value: int(r["n"].value) for r in rows}  # type: ignore[union-attr,index]
    return {a["id"]: counts[article_graph(a["id"])] for a in GOOD if article_graph(a["id"]) in counts}


def test_bad_records_are_skipped_with_their_line_and_every_good_one_goes_in(tmp_path: Path) -> None:
    good_only = tmp_path / "good.jsonl"
    good_only.write_bytes(b"".join(line(r) for r in GOOD))
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"".join([
        line(GOOD[0]),
        b'{"id": "surrogate", "text": "He said \\ud800 nothing of the kind."}\n',  # valid JSON, not Unicode
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",  # nested 100,000 deep
        b'{"id": "latin1", "text": "caf\xe9"}\n',  # not UTF-8
        b'{"id": "cut", "text": "unterminated\n',  # malformed JSON
        line({"id": "no-text"}),
        line({"id": "slow", "text": '"' * 60_000}),  # passes the time bound below
        line(GOOD[1]),
        line(GOOD[2]),
    ]))
    done = kg("ingest", "--no-progress", "--store", str(tmp_path / "mixed"), str(mixed),
              env={"KG_EXTRACT_TIMEOUT": "2"})
    assert done.returncode == 1, done.stderr
    skipped = {s.split(": ", 1)[0]: s.split(": ", 1)[1] for s in done.stderr.splitlines() if s.startswith("skipped ")}
    assert set(skipped) == {f"skipped {mixed}:{n}" for n in (2, 3, 4, 5, 6, 7)}
    assert "lone surrogate" in skipped[f"skipped {mixed}:2"]
    assert "nested too deeply" in skipped[f"skipped {mixed}:3"]
    assert "not UTF-8" in skipped[f"skipped {mixed}:4"]
    assert "malformed JSON" in skipped[f"skipped {mixed}:5"]
    assert "missing 'text'" in skipped[f"skipped {mixed}:6"]
    assert "time bound of 2 s (KG_EXTRACT_TIMEOUT)" in skipped[f"skipped {mixed}:7"]
    assert "ingested 3 article(s)" in done.stderr and "6 skipped" in done.stderr

    reference = kg("ingest", "--no-progress", "--store", str(tmp_path / "good"), str(good_only))
    assert reference.returncode == 0, reference.stderr
    stored = article_graphs(tmp_path / "mixed")
    assert stored == article_graphs(tmp_path / "good")  # every good article, whole
    assert len(stored) == 3 and all(n > 10 for n in stored.values())


def test_a_duplicate_id_is_reported_counted_once_and_the_last_good_one_wins(tmp_path: Path) -> None:
    later = {**GOOD[0], "text": GOOD[0]["text"].replace("Monday", "Tuesday")}
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line(GOOD[0]) + line(GOOD[1]) + line(later))
    done = kg("ingest", "--no-progress", "--store", str(tmp_path / "store"), str(feed))
    assert done.returncode == 0, done.stderr
    assert f"duplicate id 'good-1' in {feed}:1, {feed}:3: {feed}:3 is stored" in done.stderr
    assert "ingested 2 article(s)" in done.stderr and "1 duplicate id(s)" in done.stderr
    graph = article_graph("good-1")

    def says(word: str) -> bool:
        return store.ask(f'ASK {{ GRAPH <{graph}> {{ ?a ?p ?t FILTER(CONTAINS(STR(?t), "{word}")) }} }}',
                         union_default_graph=False)

    with EmbeddedStore(tmp_path / "store", read_only=True) as store:
        assert says("Tuesday") and not says("Monday")


def test_a_missing_input_fails_and_creates_no_store(tmp_path: Path) -> None:
    done = kg("ingest", "--store", str(tmp_path / "store"), str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2
    assert "missing.jsonl" in done.stderr and "does not exist" in done.stderr
    assert not (tmp_path / "store").exists()


def test_a_locked_store_is_reported_before_the_pipeline_is_loaded(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line(GOOD[0]))
    with EmbeddedStore(tmp_path / "store"):
        # a pipeline that does not exist: had it been loaded first, the error would be about the pipeline
        done = kg("ingest", "--store", str(tmp_path / "store"), str(feed), env={"KG_SPACY_PIPELINE": "no_such_pipe"})
    assert done.returncode == 1
    assert "open in another process" in done.stderr and "no_such_pipe" not in done.stderr


def test_a_bad_bound_setting_is_a_usage_error(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line(GOOD[0]))
    done = kg("ingest", "--store", str(tmp_path / "store"), str(feed), env={"KG_EXTRACT_MAX_MB": "lots"})
    assert done.returncode == 2 and "KG_EXTRACT_MAX_MB" in done.stderr and "'lots'" in done.stderr
    assert not (tmp_path / "store").exists()


def test_an_article_over_the_memory_bound_is_skipped_and_the_next_goes_in(extractor: Extractor,
                                                                          tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line({"id": "big", "text": '"' * 60_000}) + line(GOOD[0]))
    with EmbeddedStore(tmp_path / "store") as store:
        # the bound is checked every 0.1 s: one MB fails the 60,000 marks (seconds of work) at the first look
        summary = ingest(store, [str(feed)], extractor=extractor, bounds=Bounds(timeout=0, max_mb=1))
        assert [s.source for s in summary.skipped][:1] == [f"{feed}:1"]
        assert "memory bound of 1 MB" in summary.skipped[0].reason
        assert not store.ask(f"ASK {{ GRAPH <{article_graph('big')}> {{ ?s ?p ?o }} }}", union_default_graph=False)


def test_an_article_that_raises_fails_alone_and_its_batch_is_extracted(extractor: Extractor) -> None:
    articles = [Article(id=a["id"], text=a["text"]) for a in GOOD]
    articles.insert(1, Article(id="broken", text=None))  # type: ignore[arg-type]
    out = list(extract_bounded(extractor, [(a.id, a) for a in articles], bounds=Bounds()))
    assert [tag for tag, _ in out] == ["good-1", "broken", "good-2", "good-3"]
    assert isinstance(out[1][1], Failed) and "text must be a string" in out[1][1].reason
    assert [r.article.id for _, r in out if not isinstance(r, Failed)] == ["good-1", "good-2", "good-3"]


def test_long_whitespace_free_runs_are_cut_into_bounded_blocks() -> None:
    text = "Hello world. " + '"' * (2 * MAX_WORD_CHARS + 3) + " end.\n\nNext."
    cut = blocks(text)
    assert max(b.end - b.start for b in cut) <= MAX_WORD_CHARS
    assert "".join("".join(text[b.start:b.end].split()) for b in cut) == "".join(text.split())  # nothing lost
    assert [b.paragraph for b in cut] == [0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_bounds_from_env_name_a_bad_value(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KG_EXTRACT_TIMEOUT", value)
    with pytest.raises(ValueError, match="KG_EXTRACT_TIMEOUT"):
        Bounds.from_env()


def test_ingest_drops_what_a_cut_short_write_left_on_any_store(extractor: Extractor, tmp_path: Path) -> None:
    """`kg ingest` asks the store (any Store, not one class of it) to drop what an earlier write left half-done
    before it writes: the remote store's staging graphs (tests/test_store.py), nothing on the embedded store."""
    asked: list[str] = []

    class Recording(EmbeddedStore):
        def drop_staging(self) -> list[str]:
            asked.append(self.location)
            return super().drop_staging()

    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(line(GOOD[2]))
    with Recording(tmp_path / "store") as store:
        summary = ingest(store, [str(feed)], extractor=extractor)
        assert asked == [store.location]
        assert summary.articles == 1 and store.has_graph(article_graph("good-3"))


def test_an_ingest_after_a_write_cut_short_removes_its_partial_graphs_and_writes_them_again(
        extractor: Extractor, tmp_path: Path) -> None:
    """What kill -9 in a bulk write leaves (tests/test_write_intent.py makes it with real kills): an intent record
    and part of an article graph. The next `kg ingest` says it removed the graph, and writes the article whole."""
    from kg.bulk_write import prepare
    from kg.ingest import is_whole
    from kg.write_intent import intent

    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"".join(line(r) for r in GOOD))
    folder = tmp_path / "store"
    with EmbeddedStore(folder) as store:
        ingest(store, [str(feed)], extractor=extractor)
        cut = prepare(extractor.extract(Article("good-4", GOOD[0]["text"] + " Talks went on.", published="2018-05-04")))
        store.oxigraph.extend(cut.article[: len(cut.article) // 2])
        with pytest.raises(KeyboardInterrupt), intent(folder, [cut.graph]):
            raise KeyboardInterrupt  # the record stays, as after a kill
    more = tmp_path / "more.jsonl"
    more.write_bytes(line({"id": "good-4", "published": "2018-05-04", "text": GOOD[0]["text"] + " Talks went on."}))
    with EmbeddedStore(folder) as store:
        summary = ingest(store, [str(more)], extractor=extractor)
        assert summary.cut_short == [cut.graph] and summary.articles == 1
        assert is_whole(store, cut.graph) and store.count(cut.graph) == len(cut.article)


def test_an_extraction_the_mapping_refuses_is_skipped_with_its_reason_and_the_others_go_in(
        extractor: Extractor, tmp_path: Path) -> None:
    """The mapping to quads runs in the extraction processes (kg.bulk_write.ship): a refusal there comes back as
    that article's reason, with its line, and the articles beside it are written."""
    import dataclasses

    class Misplacing:
        """The real extractor, but good-2's first claim is put one character off its text."""

        def __getattr__(self, name: str) -> object:
            return getattr(extractor, name)

        def extract_many(self, articles: list[Article]) -> list[object]:
            out = []
            for ex in extractor.extract_many(articles):
                if ex.article.id == "good-2" and ex.claims:
                    ex.claims[0] = dataclasses.replace(ex.claims[0], start=ex.claims[0].start + 1)
                out.append(ex)
            return out

    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"".join(line(r) for r in GOOD))
    with EmbeddedStore(tmp_path / "store") as store:
        summary = ingest(store, [str(feed)], extractor=Misplacing(), workers=2)  # type: ignore[arg-type]
    assert [s.source for s in summary.skipped] == [f"{feed}:2"]
    assert "article 'good-2': cannot store the extraction:" in summary.skipped[0].reason
    assert "span" in summary.skipped[0].reason, summary.skipped[0].reason
    assert sorted(article_graphs(tmp_path / "store")) == ["good-1", "good-3"]
