"""Training the claim tagger: labelled paragraphs in, the best epoch's weights out (``scripts/train_claim_tagger.py``
is the command line).

The parse of the training articles is the expensive part (the whole pipeline with the lemmatizer), so it is done
once and cached as a DocBin with the labels beside it; training then updates only the tagger, on the pipeline's own
tags, dependency labels and entity types as features, exactly those it sees when it runs inside the extractor.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import fix_random_seed  # what spacy.util.fix_random_seed is

from kg.evaluate import iou
from kg.extract.learned import component
from kg.extract.learned.corpus import (
    Paragraph,
    gold_attributions,
    is_speech,
    label_paragraphs,
    parse_blocks,
    polnear_attributions,
    read_polnear,
    speech_lemmas,
)
from kg.extract.learned.decode import candidates, runs
from kg.extract.learned.rescore import RESCORER_FILE, fit, span_features
from kg.extract.pipeline import DEFAULT_PIPELINE

IOU = 0.5


@dataclass(frozen=True)
class TrainingOptions:
    epochs: int = 12
    seed: int = 0
    dropout: float = 0.1
    batch_paragraphs: int = 32
    width: int = 64
    depth: int = 4
    window: int = 2
    pipeline_tensor: bool = True
    rule_features: bool = True
    max_minutes: float | None = None  # start no epoch after this much training time


@dataclass(frozen=True)
class EpochScore:
    epoch: int
    recall: float
    precision: float

    @property
    def f1(self) -> float:
        return 2 * self.recall * self.precision / (self.recall + self.precision or 1)


Parsed = list[list[tuple[int, Doc]]]  # per article, its blocks as (offset, doc)


def _label(articles: list[tuple[str, str, Any]], parsed: Parsed, lemmas: frozenset[str], *,
           from_gold: bool) -> list[Paragraph]:
    """Label the parsed blocks of ``(id, text, record-or-gold)`` articles."""
    out: list[Paragraph] = []
    for (aid, text, source), docs in zip(articles, parsed, strict=True):
        if from_gold:
            attributions = gold_attributions(source, text)
        else:
            attributions = [replace(a, speech=is_speech(docs, a.cue, text, lemmas))
                            for a in polnear_attributions(source)]
        out.extend(label_paragraphs(aid, docs, attributions))
    return out


def _parsed(path: Path, nlp: Language, texts: list[str]) -> Parsed:
    """The blocks of ``texts`` parsed, from the cache at ``path`` (``.spacy`` + ``.blocks.jsonl`` + ``.tensors.npy``,
    the pipeline's ``doc.tensor`` that a DocBin does not keep), else parsed and written there. Labels are not
    cached: they are made from the annotations on every run, so a change of convention needs no new parse."""
    blocks_path = path.with_suffix(".blocks.jsonl")
    tensors_path = path.with_suffix(".tensors.npy")
    if path.is_file() and blocks_path.is_file() and tensors_path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        rows = [json.loads(line) for line in blocks_path.read_text(encoding="utf-8").splitlines()]
        tensors = numpy.load(tensors_path)
        out: Parsed = [[] for _ in texts]
        at = 0
        for d, r in zip(docs, rows, strict=True):
            d.tensor = tensors[at:at + len(d)].astype("float32")
            at += len(d)
            out[r["article"]].append((r["start"], d))
        return out
    out = list(parse_blocks(nlp, texts))
    flat = [(n, base, d) for n, docs in enumerate(out) for base, d in docs]
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=[d for _, _, d in flat]).to_disk(path)
    blocks_path.write_text("".join(json.dumps({"article": n, "start": base}) + "\n" for n, base, _ in flat),
                           encoding="utf-8")
    width = next((d.tensor.shape[1] for _, _, d in flat if d.tensor.ndim == 2 and len(d)), 0)
    numpy.save(tensors_path, numpy.concatenate(
        [d.tensor if d.tensor.shape == (len(d), width) else numpy.zeros((len(d), width)) for _, _, d in flat]
    ).astype("float16"))
    return out


def prepare(polnear: Path, ours: list[tuple[dict[str, Any], dict[str, Any]]], *, cache: Path,
            limit: int | None = None, validation: int = 40, ours_weight: int = 3,
            pipeline: str = DEFAULT_PIPELINE) -> tuple[list[Paragraph], list[Paragraph]]:
    """Labelled paragraphs for training and for validation: ``polnear`` records (the last ``validation`` of them
    held out) and our ``(corpus record, gold)`` pairs, repeated ``ours_weight`` times, for training only."""
    nlp = spacy.load(pipeline)  # with the lemmatizer: the speech filter reads lemmas
    lemmas = speech_lemmas()
    records = list(read_polnear(polnear, limit))
    tag = f"{polnear.name.split('.')[0]}-{limit or 'all'}"
    pol_articles = [(r["id"], r["text"], r) for r in records]
    pol = _label(pol_articles, _parsed(cache / f"{tag}.spacy", nlp, [r["text"] for r in records]), lemmas,
                 from_gold=False)
    held = {r["id"] for r in records[len(records) - validation:]} if validation else set()
    ids = "-".join(sorted(g["article"]["id"] for _, g in ours))[:60] or "none"
    own: list[Paragraph] = []
    if ours:
        own_articles = [(r["id"], r["text"], g) for r, g in ours]
        own = _label(own_articles, _parsed(cache / f"ours-{len(ours)}-{ids}.spacy", nlp, [r["text"] for r, _ in ours]),
                     lemmas, from_gold=True)
    train_set = [p for p in pol if p.article not in held] + own * ours_weight
    return train_set, [p for p in pol if p.article in held]


def new_pipeline(options: TrainingOptions = TrainingOptions()) -> Language:
    """A blank English pipeline holding only an untrained claim tagger of the options' size."""
    nlp = spacy.blank("en")
    nlp.add_pipe(component.COMPONENT, config={"model": component.model_config(
        options.width, options.depth, options.window, options.pipeline_tensor, options.rule_features)})
    return nlp


def _example(nlp: Language, p: Paragraph) -> Example:
    predicted = Doc(nlp.vocab).from_bytes(p.doc.to_bytes())
    reference = Doc(nlp.vocab, words=[t.text for t in predicted], spaces=[bool(t.whitespace_) for t in predicted],
                    tags=[label or None for label in p.labels])  # type: ignore[misc]  # None: no tag; spaCy's stub says str
    return Example(predicted, reference)


def score(nlp: Language, paragraphs: Iterable[Paragraph]) -> tuple[int, int, int, int]:
    """``(matched gold, matched predicted, gold, predicted)`` counts of content spans at IoU >= 0.5, gold being
    the speech contents labelled in the paragraphs; returns ``(tp_gold, n_gold, tp_pred, n_pred)``."""
    tagger = component.claim_tagger(nlp)
    tp_gold = n_gold = tp_pred = n_pred = 0
    paragraphs = list(paragraphs)
    docs = [Doc(nlp.vocab).from_bytes(p.doc.to_bytes()) for p in paragraphs]
    for p, doc in zip(paragraphs, tagger.pipe(docs, batch_size=128), strict=True):
        gold = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in runs(p.labels, "CONTENT")]
        pred = [c.content for c in candidates(doc)]
        n_gold += len(gold)
        n_pred += len(pred)
        tp_gold += sum(any(iou(g, x) >= IOU for x in pred) for g in gold)
        tp_pred += sum(any(iou(g, x) >= IOU for g in gold) for x in pred)
    return tp_gold, n_gold, tp_pred, n_pred


def train(train_set: list[Paragraph], validation: list[Paragraph], out: Path,
          options: TrainingOptions = TrainingOptions()) -> EpochScore:
    """Train for ``options.epochs``, save the best epoch by validation F1 of content spans in ``out`` (the
    component only, without the vocabulary) and return its score. Progress is printed per epoch."""
    random.seed(options.seed)
    fix_random_seed(options.seed)
    nlp = new_pipeline(options)
    examples = [_example(nlp, p) for p in train_set]
    optimizer = nlp.initialize(lambda: examples[:2000])
    best = EpochScore(0, 0.0, 0.0)
    started = time.perf_counter()
    for epoch in range(1, options.epochs + 1):
        if options.max_minutes is not None and time.perf_counter() - started > options.max_minutes * 60:
            print(f"stopping before epoch {epoch}: {options.max_minutes:g} minutes of training spent", flush=True)
            break
        t0 = time.perf_counter()
        random.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=options.batch_paragraphs):  # type: ignore[no-untyped-call]  # spaCy's is untyped
            nlp.update(batch, drop=options.dropout, sgd=optimizer, losses=losses)
        if validation:
            tp_gold, n_gold, tp_pred, n_pred = score(nlp, validation)
            result = EpochScore(epoch, tp_gold / (n_gold or 1), tp_pred / (n_pred or 1))
        else:
            result = EpochScore(epoch, 0.0, 0.0)
        print(f"epoch {epoch}: loss {losses.get(component.COMPONENT, 0):.0f}, validation content recall "
              f"{result.recall:.3f} precision {result.precision:.3f}, {time.perf_counter() - t0:.0f} s", flush=True)
        if result.f1 >= best.f1 or epoch == 1:
            best = result
            save(nlp, out, options)
    return best


def fit_rescorer(model: Path, validation: list[Paragraph]) -> tuple[int, float]:
    """Fit the span rescorer (``rescore.py``) on the candidates the tagger saved in ``model`` decodes on the
    ``validation`` paragraphs, and write it beside the tagger; returns the number of candidates and the share that
    match a gold content at IoU >= 0.5."""
    from kg.extract.learned import add_claim_tagger

    nlp = add_claim_tagger(spacy.blank("en"), "on", model)
    tagger = component.claim_tagger(nlp)
    rows: list[list[float]] = []
    right: list[bool] = []
    docs = [Doc(nlp.vocab).from_bytes(p.doc.to_bytes()) for p in validation]
    for p, doc in zip(validation, tagger.pipe(docs, batch_size=128), strict=True):
        gold = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in runs(p.labels, "CONTENT")]
        for c in candidates(doc):
            rows.append(span_features(doc, c))
            right.append(any(iou(g, c.content) >= IOU for g in gold))
    if not rows:
        return 0, 0.0
    (model / RESCORER_FILE).write_text(fit(rows, right).to_json(), encoding="utf-8")
    return len(rows), sum(right) / len(right)


def save(nlp: Language, out: Path, options: TrainingOptions) -> None:
    """Write the claim tagger's weights and labels to ``out`` (a folder), with its size in ``size.json``."""
    out.mkdir(parents=True, exist_ok=True)
    component.claim_tagger(nlp).to_disk(out, exclude=["vocab"])
    size = {"width": options.width, "depth": options.depth, "window": options.window,
            "pipeline_tensor": options.pipeline_tensor, "rule_features": options.rule_features}
    (out / component.SIZE_FILE).write_text(json.dumps(size) + "\n", encoding="utf-8")
