#!/usr/bin/env python3
"""The learned proposer's effect: rules alone, the model alone, both, on PolNeAR's dev split and on our sets.

    nice -n 10 python benchmarks/learned_eval.py [--polnear PATH] [--sets eval/holdout eval/dev3] [--limit N]
                                                 [--unresolved drop keep]
    nice -n 10 python benchmarks/learned_eval.py --speed 60 [--rounds 2]

**PolNeAR dev** (``../shared/polnear/polnear-dev.jsonl.gz``): ``kg.extract.Extractor`` with
``KG_LEARNED_PROPOSER`` = off / only / on over the articles. Gold contents are trimmed to our convention (no
quotation marks, no leading "that"); *speech* attributions are those with a cue of saying
(``kg/extract/learned/speech_lemmas.txt``). A predicted claim matches a gold content at character IoU >= 0.5
(one-to-one, best overlap first). Printed: recall of speech attributions (the target: >= 0.75 for the
combination), precision against all of PolNeAR's attributions (a claim matching a belief or poll attribution is not
counted wrong), and the share of matched claims whose speaker words agree with PolNeAR's source span (one contains
the other; approximate, since PolNeAR sources are words and ours are resolved names). ``mapped R`` / ``mapped P``
score the same claims under our conventions (:func:`mapped_counts`): a discontinuous content as its pieces, and a
``mixed`` claim (our quoted fragment) as recalling the reported clause that holds it.

**Our sets**: ``benchmarks/dev_eval.py --set S`` (score.py, attribution at IoU 0.5) run with each setting; only the
summary figures are printed, never individual errors (holdout and dev3 are measurement sets).

**Speed** (``--speed N``): the tagger's own cost, ``nlp.pipe`` over the paragraphs of the first N corpus articles
with the extractor's pipeline without and with it, alternately (ABBA) in one process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluate import match_claims  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.learned.corpus import (  # noqa: E402
    Attribution,
    is_speech,
    parse_blocks,
    polnear_attributions,
    read_polnear,
    speech_lemmas,
)
from kg.extract.model import Article  # noqa: E402
from kg.extract.pipeline import DEFAULT_PIPELINE  # noqa: E402

MODES = (("rules alone", "off"), ("model alone", "only"), ("rules + model", "on"))


def _match(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) at IoU >= 0.5, best overlap first (kg evaluate's matching)."""
    return match_claims([{"start": s, "end": e} for s, e in gold], [{"start": s, "end": e} for s, e in pred], 0.5)


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def mapped_counts(gold: list[tuple[Attribution, bool]], claims: list[tuple[int, int, str]]) -> tuple[int, int, int]:
    """``(speech pieces found, speech pieces, claims right)`` under our conventions (README of PolNeAR): each
    content is scored as its pieces (a discontinuous content without its cue: a quote and its continuation are
    two claims of ours), and a ``mixed`` claim inside a content recalls it (ours is the quoted fragment, PolNeAR's
    the whole reported clause). ``claims`` are ``(start, end, kind)``; a claim is right when it matches a piece of
    any attribution (speech or not) or is a mixed fragment inside a content."""
    units = [(p, speech) for a, speech in gold for p in a.parts]
    spans = [(s, e) for s, e, _ in claims]
    pairs = _match([u for u, _ in units], spans)
    found = {i for i, _ in pairs}
    right = {j for _, j in pairs}
    for j, (s, e, kind) in enumerate(claims):
        if kind != "mixed" or j in right:
            continue
        for i, (u, _) in enumerate(units):
            if i not in found and _inside((s, e), u):
                found.add(i)
                right.add(j)
                break
        else:
            right.update(j for a, _ in gold if _inside((s, e), a.content))
    return sum(units[i][1] for i in found), sum(speech for _, speech in units), len(right)


def polnear_figures(path: Path, limit: int | None, unresolved: str, modes: tuple[tuple[str, str], ...]) -> None:
    import spacy

    records = list(read_polnear(path, limit))
    nlp = spacy.load(DEFAULT_PIPELINE)  # with the lemmatizer, for the speech filter
    lemmas = speech_lemmas()
    gold = []
    for r, docs in zip(records, parse_blocks(nlp, [r["text"] for r in records]), strict=True):
        atts = polnear_attributions(r)
        gold.append([(a, is_speech(docs, a.cue, r["text"], lemmas)) for a in atts])
    n_speech = sum(s for g in gold for _, s in g)
    articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), publisher=r.get("publisher"),
                        published=r.get("published") or None) for r in records]
    print(f"PolNeAR {path.name}: {len(records)} articles, {sum(map(len, gold))} attributions, {n_speech} of them "
          f"speech (a cue of saying); unresolved model speakers: {unresolved}")
    print(f"{'setting':16s} {'claims':>6s} {'speech R':>8s} {'P':>6s} {'F1':>6s} {'source agrees':>13s} "
          f"{'mapped R':>8s} {'mapped P':>8s} {'model claims':>12s} {'s':>5s}")
    for label, mode in modes:
        os.environ["KG_LEARNED_UNRESOLVED"] = unresolved
        t0 = time.perf_counter()
        extractor = Extractor(learned=mode)
        n_pred = tp_speech = tp_any = agree = model = 0
        mapped = [0, 0, 0]
        for r, g, x in zip(records, gold, extractor.extract_many(articles), strict=True):
            spans = [a.content for a, _ in g]
            pred = [(c.start, c.end) for c in x.claims]
            n_pred += len(pred)
            model += sum(c.method == "claim_tagger" for c in x.claims)
            pairs = _match(spans, pred)
            tp_any += len(pairs)
            speech = [i for i, (_, s) in enumerate(g) if s]
            tp_speech += len(_match([spans[i] for i in speech], pred))
            for k, v in enumerate(mapped_counts(g, [(c.start, c.end, c.kind) for c in x.claims])):
                mapped[k] += v
            for i, j in pairs:
                src = g[i][0].source
                words = (x.claims[j].speaker_text or "").lower()
                entity = x.entity(x.claims[j].speaker)
                names = {words, *(m.text.lower() for m in entity.mentions)} if entity else {words}
                gold_src = r["text"][src[0]:src[1]].lower() if src else ""
                agree += bool(gold_src) and any(n and (n in gold_src or gold_src in n) for n in names)
        recall = tp_speech / (n_speech or 1)
        precision = tp_any / (n_pred or 1)
        f1 = 2 * recall * precision / (recall + precision or 1)
        print(f"{label:16s} {n_pred:6d} {recall:8.3f} {precision:6.3f} {f1:6.3f} {agree / (tp_any or 1):13.3f} "
              f"{mapped[0] / (mapped[1] or 1):8.3f} {mapped[2] / (n_pred or 1):8.3f} "
              f"{model:12d} {time.perf_counter() - t0:5.0f}", flush=True)


def set_figures(set_dir: str, unresolved: str, modes: tuple[tuple[str, str], ...]) -> None:
    print(f"\n{set_dir} (benchmarks/dev_eval.py --set {set_dir}); unresolved model speakers: {unresolved}")
    for label, mode in modes:
        env = os.environ | {"KG_LEARNED_PROPOSER": mode, "KG_LEARNED_UNRESOLVED": unresolved}
        out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "dev_eval.py"), "--set", set_dir],
                             env=env, capture_output=True, text=True, check=True).stdout
        lines = [x for x in out.splitlines() if x.startswith(("span", "attribution", "skipped"))]
        print(f"  {label:14s} " + " | ".join(lines), flush=True)


def speed(n: int, rounds: int) -> None:
    """The claim tagger's own cost: ``nlp.pipe`` over the paragraphs of the first ``n`` corpus articles with the
    extractor's pipeline, without and with the tagger, alternately (ABBA), in this process."""
    from benchmarks.extract_corpus import DEFAULT_CORPUS, corpus_articles
    from kg.extract.pipeline import blocks, load_pipeline

    texts = [a.text[b.start:b.end] for a in corpus_articles(DEFAULT_CORPUS, n) for b in blocks(a.text)]
    words = sum(len(t.split()) for t in texts)
    pipelines = {"without": load_pipeline(DEFAULT_PIPELINE), "with": load_pipeline(DEFAULT_PIPELINE, "on")}
    spent = dict.fromkeys(pipelines, 0.0)
    order = [k for r in range(rounds) for k in (("without", "with") if r % 2 == 0 else ("with", "without"))]
    for key in order:
        t0 = time.perf_counter()
        for _ in pipelines[key].pipe(texts, batch_size=256):
            pass
        spent[key] += time.perf_counter() - t0
        print(f"  {key:7s} claim tagger {time.perf_counter() - t0:6.1f} s", flush=True)
    rate = {k: words * order.count(k) / v for k, v in spent.items()}
    print(f"speed: {n} articles, {words} words, {rounds} rounds: {rate['without']:,.0f} words/s without the claim "
          f"tagger, {rate['with']:,.0f} with; ratio {rate['with'] / rate['without']:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "polnear-dev.jsonl.gz")
    ap.add_argument("--sets", nargs="*", default=["eval/holdout", "eval/dev3"])
    ap.add_argument("--limit", type=int, help="only the first N PolNeAR articles")
    ap.add_argument("--unresolved", nargs="+", choices=("drop", "keep"), default=["drop"],
                    help="what the arbiter does with a model candidate whose speaker names nobody")
    ap.add_argument("--skip", nargs="*", default=[], choices=("rules", "model", "both"),
                    help="leave these rows out (rules: rules alone, model: model alone, both: rules + model)")
    ap.add_argument("--speed", type=int, metavar="N",
                    help="instead: time nlp.pipe with and without the claim tagger on N corpus articles")
    ap.add_argument("--rounds", type=int, default=2, help="with --speed: without/with pairs, ABBA")
    a = ap.parse_args()
    if a.speed:
        speed(a.speed, a.rounds)
        return 0
    skipped = {"rules": "off", "model": "only", "both": "on"}
    modes = tuple(m for m in MODES if m[1] not in {skipped[k] for k in a.skip})
    for unresolved in a.unresolved:
        if a.polnear.is_file():
            polnear_figures(a.polnear, a.limit, unresolved, modes)
        else:
            print(f"skipped: {a.polnear} not found")
        for s in a.sets:
            set_figures(s, unresolved, modes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
