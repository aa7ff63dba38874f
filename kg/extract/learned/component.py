"""The ``claim_tagger`` spaCy component: a token tagger for attributions in BIO form.

Each token gets one of ``O``, ``B-CUE``/``I-CUE`` (the words of saying), ``B-CONTENT``/``I-CONTENT`` (what was
said, without quotation marks or a leading "that") and ``B-SOURCE``/``I-SOURCE`` (who said it, as written). It is
spaCy's stock ``Tagger`` (softmax over a CNN ``tok2vec`` of its own) except where it writes: the labels and their
probabilities go to ``doc._.claim_bio``, never to ``token.tag_``, so the part-of-speech tags the rules read stay
those of the pipeline's own tagger. Its features include the pipeline's tags, dependency labels and entity types,
so it runs last, after the parser and the entity recogniser.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.pipeline.tagger import Tagger  # type: ignore[import-not-found]  # a Cython module; spaCy ships no stub
from spacy.tokens import Doc

from kg.extract.learned.features import FEATURE_WIDTH, TENSOR_WIDTH, Layer, register_layers

COMPONENT = "claim_tagger"
ROLES = ("CUE", "CONTENT", "SOURCE")
LABELS = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
# Features: lexical shape plus what the pipeline's tagger, parser and recogniser found.
FEATURES = ("NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG", "DEP", "ENT_TYPE")

SIZE_FILE = "size.json"  # width, depth and window of a trained model, beside its weights


def model_config(width: int = 64, depth: int = 6, window: int = 2, pipeline_tensor: bool = False,
                 rule_features: bool = False) -> dict[str, Any]:
    """The thinc config of the tagger's model: hash embeddings of ``FEATURES`` and a maxout CNN of ``depth``
    layers, each seeing ``window`` tokens either side (so ``depth * window`` in all). ``pipeline_tensor`` adds the
    pipeline's own ``tok2vec`` output (``doc.tensor``, computed anyway for its tagger and parser) to the embedding;
    ``rule_features`` adds the rules' cues (``features.rule_features``: inside a quotation, a word of saying, under
    or the subject of one)."""
    embed: dict[str, Any] = {"@architectures": "spacy.MultiHashEmbed.v2", "width": width, "attrs": list(FEATURES),
                             "rows": [5000, 1000, 2500, 2500, 500, 200, 100], "include_static_vectors": False}
    if pipeline_tensor or rule_features:
        embed = {"@architectures": "claim.TensorEmbed.v1", "width": width, "embed": embed,
                 "tensor_width": TENSOR_WIDTH if pipeline_tensor else 0,
                 "feature_width": FEATURE_WIDTH if rule_features else 0}
    return {
        "@architectures": "spacy.Tagger.v2",
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": embed,
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": depth,
                       "window_size": window, "maxout_pieces": 3},
        },
    }


register_layers()
DEFAULT_MODEL = model_config()

if not Doc.has_extension("claim_bio"):
    Doc.set_extension("claim_bio", default=None)
if not Doc.has_extension("claim_rescorer"):
    Doc.set_extension("claim_rescorer", default=None)  # the tagger's span rescorer (rescore.py), when it has one
if not Doc.has_extension("claim_rules"):
    Doc.set_extension("claim_rules", default=True)  # False: the arbiter keeps the model's candidates alone


class ClaimTagger(Tagger):  # type: ignore[misc]  # Tagger is untyped (Cython), so Any to mypy
    """A Tagger whose predictions are attribution roles, kept in ``doc._.claim_bio`` as ``(labels, probs)``:
    one label string and its probability per token. ``keep_rules`` False marks each doc ``doc._.claim_rules``
    False, for measuring the model alone."""

    keep_rules: bool = True
    rescorer: Any = None  # a rescore.Rescorer, set when the weights come with one

    def predict(self, docs: Iterable[Doc]) -> list[Any]:
        docs = list(docs)
        if not any(len(d) for d in docs):
            return [self.model.ops.alloc2f(len(d), len(self.labels)) for d in docs]
        return list(self.model.predict(docs))

    def set_annotations(self, docs: Iterable[Doc], scores: Sequence[Any]) -> None:
        labels = self.labels
        for doc, doc_scores in zip(docs, scores, strict=True):
            array = numpy.asarray(self.model.ops.to_numpy(doc_scores))
            if len(doc) == 0 or array.size == 0:
                doc._.claim_bio = ([], [])
                doc._.claim_rules = self.keep_rules
                continue
            best = array.argmax(axis=1)
            doc._.claim_bio = ([labels[i] for i in best], _probabilities(array, best).tolist())
            doc._.claim_rescorer = self.rescorer
            doc._.claim_rules = self.keep_rules


def claim_tagger(nlp: Language) -> ClaimTagger:
    """The claim tagger of ``nlp``, typed as such (spaCy types every pipe as a callable). Raises KeyError when
    ``nlp`` has none."""
    return cast(ClaimTagger, nlp.get_pipe(COMPONENT))


def _probabilities(scores: numpy.ndarray, best: numpy.ndarray) -> numpy.ndarray:
    """The probability of each row's best label: the scores as given when they are already normalised (training),
    else their softmax (spaCy's tagger skips it at prediction time)."""
    rows = numpy.arange(len(best))
    if numpy.allclose(scores.sum(axis=1), 1.0, atol=1e-3) and scores.min() >= 0:
        given: numpy.ndarray = scores[rows, best]
        return given
    top = scores[rows, best]
    softmax: numpy.ndarray = 1.0 / numpy.exp(scores - top[:, None]).sum(axis=1)
    return softmax


@Language.factory(COMPONENT, assigns=["doc._.claim_bio"], requires=["token.tag", "token.dep", "token.ent_type"],
                  default_config={"model": DEFAULT_MODEL, "overwrite": False, "scorer": None, "neg_prefix": "!",
                                  "label_smoothing": 0.0, "keep_rules": True})
def make_claim_tagger(nlp: Language, name: str, model: Layer, overwrite: bool, scorer: Any, neg_prefix: str,
                      label_smoothing: float, keep_rules: bool) -> ClaimTagger:
    """The factory spaCy calls for ``nlp.add_pipe("claim_tagger")``."""
    tagger = ClaimTagger(nlp.vocab, model, name, overwrite=overwrite, scorer=scorer, neg_prefix=neg_prefix,
                         label_smoothing=label_smoothing)
    tagger.keep_rules = keep_rules
    return tagger
