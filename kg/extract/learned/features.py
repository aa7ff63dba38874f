"""Inputs of the claim tagger beyond its own hash embeddings: the pipeline's ``tok2vec`` output and the cues the
rules read, as thinc layers registered for spaCy's config system (``claim.TensorEmbed.v1``).

* ``doc.tensor``: the contextual vectors (96 wide in ``en_core_web_sm``) that the pipeline's ``tok2vec`` computes
  for its tagger and parser anyway, so the claim tagger gets them at no cost; frozen (no gradient flows back into
  the pipeline, whose tags and parse the rules read).
* :func:`rule_features`: per token, whether it is inside quotation marks, is a word of saying
  (``speech_lemmas.txt``, by ``kg.extract.lemmas``), lies under one in the parse (its content, or its subject), or
  heads the subject of one. These are what the rules decide by; the tagger learns how far to trust them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from typing import cast

import numpy
from spacy.tokens import Doc, Token
from spacy.util import registry
from thinc.api import Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d

from kg.extract.lemmas import lemma

TENSOR_WIDTH = 96  # en_core_web_sm's tok2vec width
FEATURE_WIDTH = 6
OPENING = "“‘«„"
CLOSING = "”’»"
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
CONTENTS = ("ccomp", "xcomp", "dobj", "parataxis", "advcl", "conj", "pobj", "prep")


@lru_cache(maxsize=1)
def _speech_words() -> frozenset[str]:
    text = files("kg.extract.learned").joinpath("speech_lemmas.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def is_saying(token: Token, words: frozenset[str] | None = None) -> bool:
    """A verb whose lemma is a word of saying, or "according" (of "according to")."""
    words = words if words is not None else _speech_words()
    if token.lower_ == "according":
        return True
    return token.pos_ in ("VERB", "AUX") and lemma(token) in words


def rule_features(doc: Doc) -> numpy.ndarray:
    """``(len(doc), FEATURE_WIDTH)`` floats: inside quotation marks; a word of saying; under one (any depth); in
    the subject of one; in the content-like dependents of one (``CONTENTS``); a quotation mark."""
    out = numpy.zeros((len(doc), FEATURE_WIDTH), dtype="float32")
    words = _speech_words()
    saying = [is_saying(t, words) for t in doc]
    inside = False
    for t in doc:
        if t.text in OPENING or t.text == '"' and not inside:
            out[t.i, 5] = 1.0
            inside = True
            continue
        if t.text in CLOSING or t.text == '"':
            out[t.i, 5] = 1.0
            inside = False
            continue
        out[t.i, 0] = inside
        out[t.i, 1] = saying[t.i]
        child, head, steps = t, t.head, 0
        while head is not child and steps < 12:
            if saying[head.i]:
                out[t.i, 2] = 1.0
                if child.dep_ in SUBJECTS:
                    out[t.i, 3] = 1.0
                elif child.dep_ in CONTENTS:
                    out[t.i, 4] = 1.0
                break
            child, head, steps = head, head.head, steps + 1
    return out


Layer = Model[list[Doc], list[Floats2d]]
Backprop = Callable[[list[Floats2d]], list[Doc]]


def _floats2d(array: numpy.ndarray) -> Floats2d:
    """A 2-d numpy array as thinc's Floats2d (which it is at run time; thinc's type is a stand-in for it)."""
    return cast(Floats2d, array)


def _doc_tensor(width: int) -> Layer:
    def forward(model: Layer, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Backprop]:
        out = []
        for doc in docs:
            tensor = doc.tensor
            if tensor is None or tensor.ndim != 2 or tensor.shape != (len(doc), width):
                tensor = numpy.zeros((len(doc), width), dtype="float32")
            out.append(model.ops.asarray2f(_floats2d(tensor), dtype="float32"))
        return out, lambda d_out: []

    return Model("doc_tensor", forward, dims={"nO": width})


def _rules(width: int) -> Layer:
    def forward(model: Layer, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Backprop]:
        return [model.ops.asarray2f(_floats2d(rule_features(d))) for d in docs], lambda d_out: []

    return Model("rule_features", forward, dims={"nO": width})


def tensor_embed(width: int, embed: Layer, tensor_width: int, feature_width: int) -> Layer:
    """``embed`` (hash embeddings, ``width`` wide) beside the pipeline's tensor and the rule features, mixed back
    to ``width`` by a maxout layer."""
    parts: list[Layer] = [embed]
    if tensor_width:
        parts.append(_doc_tensor(tensor_width))
    if feature_width:
        parts.append(_rules(feature_width))
    mixed: Layer = chain(concatenate(*parts), with_array(Maxout(width, width + tensor_width + feature_width, nP=3,
                                                               normalize=True, dropout=0.0)))
    mixed.set_dim("nO", width)
    return mixed


def register_layers() -> None:
    """Register ``claim.TensorEmbed.v1`` with spaCy (idempotent)."""
    if "claim.TensorEmbed.v1" not in registry.architectures:
        registry.architectures.register("claim.TensorEmbed.v1", func=tensor_embed)
