"""Progress on a long ingest: how many records there are, the share done and the time left."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.articles import count_records
from kg.cli import _duration, _Progress

pytestmark = pytest.mark.unit


def record(n: int) -> str:
    return json.dumps({"id": f"r{n}", "text": f"Minister Ana Ruiz said round {n} went well."})


def test_records_are_counted_in_every_input_form(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(f"{record(1)}\n\n{record(2)}\n  \n{record(3)}", encoding="utf-8")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(record(n) + "\n" for n in range(4, 9)))
    folder = tmp_path / "folder"
    (folder / "deeper").mkdir(parents=True)
    (folder / "one.json").write_text(record(9), encoding="utf-8")
    (folder / "deeper" / "two.txt").write_text("Ana Ruiz said so.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    assert count_records([str(tmp_path / "a.jsonl")]) == 3  # blank lines are not records
    assert count_records([str(tmp_path / "b.jsonl.gz")]) == 5
    assert count_records([str(folder)]) == 2  # supported files only
    assert count_records([str(tmp_path / "a.jsonl"), str(folder)]) == 5
    assert count_records(["-"]) is None  # stdin: not known in advance
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    assert count_records([str(tmp_path / "broken.jsonl.gz")]) is None


def test_the_progress_line_gives_the_share_done_and_the_time_left() -> None:
    progress = _Progress("ingesting", enabled=True)
    progress.n, progress.started = 1281, 0.0
    assert progress.line(2562.0) == "ingesting: 1,281 article(s), 0.5/s"  # no total known
    progress.total = 37534
    assert progress.line(2562.0) == ("ingesting: 1,281 of 37,534 article(s) (3.4 %), 0.5/s, "
                                     "about 20 h 08 min left")
    progress.total = 1000  # more done than counted (an id given twice, a record counted wrong): no share
    assert progress.line(2562.0) == "ingesting: 1,281 article(s), 0.5/s"


@pytest.mark.parametrize("seconds, shown", [(0, "0 s"), (45.4, "45 s"), (59.6, "1 min"), (60, "1 min"),
                                            (725, "12 min"), (3599, "1 h 00 min"), (3600, "1 h 00 min"),
                                            (11_100, "3 h 05 min")])
def test_durations_read_as_people_write_them(seconds: float, shown: str) -> None:
    assert _duration(seconds) == shown


@pytest.mark.slow
def test_kg_ingest_shows_the_total_on_its_progress_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(record(n) + "\n" for n in range(3)), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "ingest", str(feed), "--store",
                           str(tmp_path / "store"), "--progress"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "1 of 3 article(s) (33.3 %)" in done.stderr and "left" in done.stderr, done.stderr
