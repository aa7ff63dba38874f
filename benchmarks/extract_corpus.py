"""The first N articles of the shared corpus, for the extraction benchmarks.

Records are read as ``kg.articles`` reads them, except that one rejected only for its ``published`` value (the corpus
has a few such as "7/23/17") is kept without a date, so that "the first N articles" are N articles.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from kg.articles import RecordError, article_from_record
from kg.extract.model import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news-37k.jsonl.gz"


def corpus_articles(path: Path, n: int, undated: list[str] | None = None) -> Iterator[Article]:
    """The first ``n`` records of the JSON Lines file ``path`` as Articles; ids of those kept without their
    unreadable date are appended to ``undated``. Raises RecordError on any other bad record."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in islice(f, n):
            record = json.loads(line)
            try:
                yield article_from_record(record)
            except RecordError as e:
                if "published" not in str(e):
                    raise
                if undated is not None:
                    undated.append(str(record.get("id")))
                yield article_from_record({**record, "published": None})
