#!/usr/bin/env python3
"""Time and peak memory of extracting one long article, against its length.

    python benchmarks/bench_long_article.py [--lengths 50000,100000,200000,400000] [--kinds prose,paragraph,marks]

Each (kind, length) runs in a fresh process, which loads the pipeline, records its resident memory, extracts one
article with ``Extractor.extract`` and prints the time and its peak resident memory (``ru_maxrss``). Kinds:

* **prose**: the sample article (``samples/``) repeated to the length, paragraphs as they are;
* **paragraph**: the same text with every paragraph break replaced by a space (one huge paragraph);
* **marks**: nothing but straight quotation marks (the pathological input of issue 12).

Printed per line: seconds, peak MB, MB above the loaded pipeline, and both per 100,000 characters, so that linear
growth shows as flat per-100k columns.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "nafta-talks-2018.json"

PROBE = """
import json, resource, sys, time
from kg.extract import Extractor
from kg.extract.model import Article
kind, length, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base_text = json.load(open(sample, encoding="utf-8"))["text"]
if kind == "marks":
    text = '"' * length
else:
    text = (base_text + "\\n\\n") * (length // (len(base_text) + 2) + 1)
    text = text[:length]
    if kind == "paragraph":
        text = " ".join(text.split())
extractor = Extractor()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
extraction = extractor.extract(Article(id="long", text=text))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak": peak, "base": base, "claims": len(extraction.claims)}))
"""


def run(kind: str, length: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE, kind, str(length), str(SAMPLE)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lengths", default="50000,100000,200000,400000")
    ap.add_argument("--kinds", default="prose,paragraph,marks")
    a = ap.parse_args()
    print(f"{'kind':10s} {'chars':>9s} {'seconds':>8s} {'peak MB':>8s} {'+MB':>7s} {'s/100k':>7s} {'+MB/100k':>8s}"
          f" {'claims':>6s}")
    for kind in a.kinds.split(","):
        for length in (int(n) for n in a.lengths.split(",")):
            r = run(kind, length)
            grown = r["peak"] - r["base"]
            per = 100_000 / length
            print(f"{kind:10s} {length:9d} {r['seconds']:8.1f} {r['peak']:8.0f} {grown:7.0f} {r['seconds'] * per:7.2f}"
                  f" {grown * per:8.0f} {r['claims']:6.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
