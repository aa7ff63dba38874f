"""The arbiter between rule claims and the claim tagger's candidates.

Policy, in order:

1. Every rule claim is kept: a rule-attributed claim beats the model (with ``doc._.claim_rules`` False, for
   measuring the model alone, there are none).
2. A candidate overlapping a rule claim, a quote a rule claim comes from, or a candidate already taken is dropped:
   the model only fills what no rule found. Candidates are taken best score first.
3. A candidate scoring under ``MIN_SCORE`` (its span rescorer's probability, ``rescore.py``, when the tagger has
   one, else the tagger's own score), or in a heading or page furniture, is dropped.
4. Its speaker is resolved by the rules' own speaker code (``kg.extract.speakers.resolve``): on the head of the
   source span the model marked, else on the subject of its cue word. Only an entity the article names counts (a
   description resolved to the reference data's holder of a post does not). A candidate without one is dropped
   unless ``keep_unresolved`` (``KG_LEARNED_UNRESOLVED=keep``): a wrong speaker is worse than no claim, and an
   unnamed one is no better for a reader (figures for both choices in docs/extraction.md).

A kept candidate is a Claim with ``method`` = ``claim_tagger``, kind ``direct`` when its content is inside quotation
marks, else ``indirect``, and a confidence of its score × how its speaker was found × 0.8.
"""

from __future__ import annotations

import os
from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.extract.document import Document, Sentence
from kg.extract.frames import Frame, subject_of
from kg.extract.learned.component import COMPONENT
from kg.extract.learned.decode import Candidate, candidates
from kg.extract.learned.rescore import span_features
from kg.extract.model import Claim, ClaimKind
from kg.extract.speakers import Speaker, resolve
from kg.reference import Reference

UNRESOLVED_SETTING = "KG_LEARNED_UNRESOLVED"
MIN_SCORE = 0.7

MODEL_FACTOR = 0.8  # a model claim is less sure than a rule claim of the same kind
_HOW = {"name": 1.0, "description": 0.85, "pronoun": 0.85}


def uses_tagger(docs: list[Doc]) -> bool:
    """Whether the claim tagger ran on these docs."""
    return any(d.has_extension("claim_bio") and d._.claim_bio is not None for d in docs)


def unresolved_policy(value: str | None = None) -> bool:
    """Whether to keep model candidates without a named speaker: ``value``, else ``KG_LEARNED_UNRESOLVED``
    (``drop``, the default, or ``keep``); raises ValueError naming the setting otherwise."""
    raw = (value if value is not None else os.environ.get(UNRESOLVED_SETTING, "")).strip().lower() or "drop"
    if raw not in ("drop", "keep"):
        raise ValueError(f"{UNRESOLVED_SETTING} must be drop or keep, got {raw!r}")
    return raw == "keep"


def arbitrate(doc: Document, found: list[tuple[Claim, Frame | None]], reference: Reference, *,
              keep_unresolved: bool | None = None,
              min_score: float = MIN_SCORE) -> list[tuple[Claim, Frame | None]]:
    """The rule claims ``found`` plus the candidates the policy above admits, in text order; ``found`` unchanged
    when the claim tagger did not run on ``doc``. ``keep_unresolved`` defaults to :func:`unresolved_policy`."""
    if not uses_tagger(doc.docs):
        return found
    if keep_unresolved is None:
        keep_unresolved = unresolved_policy()
    if not all(d._.claim_rules for d in doc.docs if d._.claim_bio is not None):
        found = []
    taken = [(c.start, c.end) for c, _ in found]
    for c, _ in found:  # a rule claim's quote is its own even where the claim is a fragment of it
        q = doc.in_quote(c.start, c.end)
        if q is not None:
            taken.append((q.start, q.end))
    out = list(found)
    named = {m.key for m in doc.mentions}
    for base, block_doc, sentence_of in _blocks(doc):
        for cand in sorted((rescored(block_doc, c) for c in candidates(block_doc)), key=lambda c: -c.score):
            claim = _admit(doc, cand, base, block_doc, sentence_of, taken, reference, keep_unresolved, min_score,
                           named)
            if claim is not None:
                out.append((claim, None))
                taken.append((claim.start, claim.end))
    return sorted(out, key=lambda c: c[0].start)


def rescored(block_doc: Doc, cand: Candidate) -> Candidate:
    """``cand`` with the span rescorer's probability as its score, when the tagger has a rescorer."""
    rescorer = block_doc._.claim_rescorer
    if rescorer is None:
        return cand
    return replace(cand, score=round(rescorer.probability(span_features(block_doc, cand)), 4))


def _blocks(doc: Document) -> list[tuple[int, Doc, dict[int, Sentence]]]:
    """Each parsed block with its offset and its sentences by first token."""
    by_block: dict[int, dict[int, Sentence]] = {}
    bases: dict[int, int] = {}
    for s in doc.sentences:
        by_block.setdefault(s.block, {})[s.span.start] = s
        bases[s.block] = s.base
    return [(bases[b], d, by_block[b]) for b, d in enumerate(doc.docs) if b in bases]


def _admit(doc: Document, cand: Candidate, base: int, block_doc: Doc, sentence_of: dict[int, Sentence],
           taken: list[tuple[int, int]], reference: Reference, keep_unresolved: bool,
           min_score: float, named: set[str]) -> Claim | None:
    start, end = base + cand.content[0], base + cand.content[1]
    if cand.score < min_score or any(s < end and start < e for s, e in taken):
        return None
    cue = block_doc.char_span(*cand.cue, alignment_mode="expand")
    if cue is None:
        return None
    sentence = sentence_of.get(cue.sent.start)
    if sentence is None or sentence.heading or doc.sentence_at(start) is None or doc.sentence_at(start).heading:  # type: ignore[union-attr]  # not None: tested just before
        return None
    speaker = _speaker(doc, sentence, cand, block_doc, cue.root, reference, named)
    if speaker is None or speaker.key is None and not keep_unresolved:
        return None
    kind: ClaimKind = "direct" if doc.in_quote(start, end) else "indirect"
    confidence = cand.score * _HOW.get(speaker.how, 0.55) * MODEL_FACTOR
    return Claim(kind=kind, text=doc.text[start:end], start=start, end=end, speaker=speaker.key,
                 speaker_text=speaker.text, cue=doc.text[base + cand.cue[0]:base + cand.cue[1]],
                 confidence=round(max(0.05, min(0.99, confidence)), 3), method=COMPONENT)


def _speaker(doc: Document, sentence: Sentence, cand: Candidate, block_doc: Doc, cue_root: Token,
             reference: Reference, named: set[str]) -> Speaker | None:
    """The speaker of a candidate: resolved from its source span's head, else from its cue's subject; an entity
    the article never names (``named``: the keys of its mentions) is no resolution ("one senior official" is not the
    reference data's holder of some post)."""
    heads: list[Token] = []
    if cand.source is not None:
        span = block_doc.char_span(*cand.source, alignment_mode="expand")
        if span is not None:
            heads.append(span.root)
    subject = subject_of(cue_root)
    if subject is not None:
        heads.append(subject)
    fallback = None
    for head in heads:
        where = sentence if sentence.span.start <= head.i < sentence.span.end else _sentence_of(doc, sentence, head)
        if where is None:
            continue
        speaker = resolve(doc, where, head, reference)
        if speaker is not None and speaker.key is not None and speaker.key not in named:
            speaker = Speaker(None, speaker.text, speaker.confidence, "unresolved")  # never named in the article
        if speaker is not None and speaker.key is not None:
            return speaker
        fallback = fallback or speaker
    return fallback


def _sentence_of(doc: Document, near: Sentence, token: Token) -> Sentence | None:
    return next((s for s in doc.sentences if s.block == near.block and s.span.start <= token.i < s.span.end), None)
