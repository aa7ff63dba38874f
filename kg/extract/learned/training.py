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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.util import minibatch

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
from kg.extract.pipeline import DEFAULT_PIPELINE

IOU = 0.5


@dataclass(frozen=True)
class TrainingOptions:
    epochs: int = 6
    seed: int = 0
    dropout: float = 0.1
    batch_paragraphs: int = 32
    width: int = 64
    depth: int = 6
    window: int = 2


@dataclass(frozen=True)
class EpochScore:
    epoch: int
    recall: float
    precision: float

    @property
    def f1(self) -> float:
        return 2 * self.recall * self.precision / (self.recall + self.precision or 1)


def _parse_articles(nlp: Language, articles: list[tuple[str, str, list[Any]]], lemmas: frozenset[str],
                    *, from_gold: bool) -> list[Paragraph]:
    """Parse and label ``(id, text, record-or-gold)`` articles."""
    out: list[Paragraph] = []
    texts = [text for _, text, _ in articles]
    for (aid, text, source), docs in zip(articles, parse_blocks(nlp, texts), strict=True):
        if from_gold:
            attributions = gold_attributions(source, text)
        else:
            attributions = [a.__class__(a.content, a.cue, a.source, is_speech(docs, a.cue, text, lemmas))
                            for a in polnear_attributions(source)]
        out.extend(label_paragraphs(aid, docs, attributions))
    return out


def _cached(path: Path, build: Any, vocab: Any) -> list[Paragraph]:
    """Paragraphs from the cache at ``path`` (``.spacy`` + ``.labels.jsonl``), else built and written there."""
    labels_path = path.with_suffix(".labels.jsonl")
    if path.is_file() and labels_path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(vocab))
        rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()]
        return [Paragraph(r["article"], r["start"], d, r["labels"]) for d, r in zip(docs, rows, strict=True)]
    paragraphs = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=[p.doc for p in paragraphs]).to_disk(path)
    labels_path.write_text("".join(json.dumps({"article": p.article, "start": p.start, "labels": p.labels}) + "\n"
                                   for p in paragraphs), encoding="utf-8")
    return paragraphs


def prepare(polnear: Path, ours: list[tuple[dict[str, Any], dict[str, Any]]], *, cache: Path,
            limit: int | None = None, validation: int = 40, ours_weight: int = 3,
            pipeline: str = DEFAULT_PIPELINE) -> tuple[list[Paragraph], list[Paragraph]]:
    """Labelled paragraphs for training and for validation: ``polnear`` records (the last ``validation`` of them
    held out) and our ``(corpus record, gold)`` pairs, repeated ``ours_weight`` times, for training only."""
    nlp = spacy.load(pipeline)  # with the lemmatizer: the speech filter reads lemmas
    lemmas = speech_lemmas()
    records = list(read_polnear(polnear, limit))
    tag = f"{polnear.name.split('.')[0]}-{limit or 'all'}"
    pol = _cached(cache / f"{tag}.spacy", lambda: _parse_articles(
        nlp, [(r["id"], r["text"], r) for r in records], lemmas, from_gold=False), nlp.vocab)
    held = {r["id"] for r in records[len(records) - validation:]} if validation else set()
    ids = "-".join(sorted(g["article"]["id"] for _, g in ours))[:60] or "none"
    own = _cached(cache / f"ours-{len(ours)}-{ids}.spacy", lambda: _parse_articles(
        nlp, [(r["id"], r["text"], g) for r, g in ours], lemmas, from_gold=True), nlp.vocab) if ours else []
    train_set = [p for p in pol if p.article not in held] + own * ours_weight
    return train_set, [p for p in pol if p.article in held]


def new_pipeline(options: TrainingOptions = TrainingOptions()) -> Language:
    """A blank English pipeline holding only an untrained claim tagger of the options' size."""
    nlp = spacy.blank("en")
    nlp.add_pipe(component.COMPONENT, config={"model": component.model_config(options.width, options.depth,
                                                                             options.window)})
    return nlp


def _example(nlp: Language, p: Paragraph) -> Example:
    predicted = Doc(nlp.vocab).from_bytes(p.doc.to_bytes())
    reference = Doc(nlp.vocab, words=[t.text for t in predicted], spaces=[bool(t.whitespace_) for t in predicted],
                    tags=[label or None for label in p.labels])  # type: ignore[list-item]
    return Example(predicted, reference)


def score(nlp: Language, paragraphs: Iterable[Paragraph]) -> tuple[int, int, int]:
    """``(matched gold, matched predicted, gold, predicted)`` counts of content spans at IoU >= 0.5, gold being
    the speech contents labelled in the paragraphs; returns ``(tp_gold, n_gold, tp_pred, n_pred)``."""
    tagger = nlp.get_pipe(component.COMPONENT)
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
    return tp_gold, n_gold, tp_pred, n_pred  # type: ignore[return-value]


def train(train_set: list[Paragraph], validation: list[Paragraph], out: Path,
          options: TrainingOptions = TrainingOptions()) -> EpochScore:
    """Train for ``options.epochs``, save the best epoch by validation F1 of content spans in ``out`` (the
    component only, without the vocabulary) and return its score. Progress is printed per epoch."""
    random.seed(options.seed)
    spacy.util.fix_random_seed(options.seed)
    nlp = new_pipeline(options)
    examples = [_example(nlp, p) for p in train_set]
    optimizer = nlp.initialize(lambda: examples[:2000])
    best = EpochScore(0, 0.0, 0.0)
    for epoch in range(1, options.epochs + 1):
        t0 = time.perf_counter()
        random.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=options.batch_paragraphs):
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


def save(nlp: Language, out: Path, options: TrainingOptions) -> None:
    """Write the claim tagger's weights and labels to ``out`` (a folder), with its size in ``size.json``."""
    out.mkdir(parents=True, exist_ok=True)
    nlp.get_pipe(component.COMPONENT).to_disk(out, exclude=["vocab"])
    size = {"width": options.width, "depth": options.depth, "window": options.window}
    (out / component.SIZE_FILE).write_text(json.dumps(size) + "\n", encoding="utf-8")
