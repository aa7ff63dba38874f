"""Training and evaluation data for the claim tagger: PolNeAR articles and our own gold sets, as parsed paragraphs
with one BIO role per token, under our conventions (``../shared/polnear/README.md``, ``../shared/eval/FORMAT.md``).

PolNeAR annotates every attribution; a claim is a statement, so only attributions with a cue of saying are kept
(:func:`is_speech`, lemmas in ``speech_lemmas.txt``); the others are plain text (``O``), so the tagger learns to
leave beliefs and polls alone. Direct-quote contents lose their quotation marks and an indirect content its leading
"that". Our gold gives contents and cue words but no source span: the source is the nearest alias of the speaker in
the cue's sentence, and a cue or source that cannot be found is left unlabelled rather than guessed.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.pipeline import blocks

QUOTE_MARKS = "\"“”‘’'«»„"
_LEADING_THAT = re.compile(r"that\s+", re.IGNORECASE)


def speech_lemmas() -> frozenset[str]:
    """The lemmas of ``speech_lemmas.txt`` (comments and blank lines skipped)."""
    text = files("kg.extract.learned").joinpath("speech_lemmas.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@dataclass(frozen=True)
class Attribution:
    """One attribution in article offsets; a role is None where the annotation has none."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    speech: bool = True
    pieces: tuple[tuple[int, int], ...] = ()  # the content without the cue inside it (see content_pieces)

    @property
    def parts(self) -> tuple[tuple[int, int], ...]:
        """The content as pieces under our convention: ``pieces`` when given, else the whole content."""
        return self.pieces or (self.content,)


@dataclass
class Paragraph:
    """A parsed block of an article with one role label per token (``""`` = unlabelled, no loss)."""

    article: str
    start: int
    doc: Doc
    labels: list[str]


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Our content convention on a span: no surrounding spaces or quotation marks, no leading "that"."""
    for _ in range(3):
        while start < end and (text[start].isspace() or text[start] in QUOTE_MARKS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTE_MARKS):
            end -= 1
        m = _LEADING_THAT.match(text, start, end)
        if m:
            start = m.end()
    return start, end


_PIECE_EDGE = " \t\n,;:—–-" + QUOTE_MARKS


def content_pieces(text: str, raw: tuple[int, int], cue: tuple[int, int] | None,
                   source: tuple[int, int] | None) -> tuple[tuple[int, int], ...]:
    """PolNeAR gives a discontinuous content ("“It’s finished,” she said. “In my head.”") from its first to its
    last character, cue and source included; ours are the pieces, one claim each (a quote and its continuation).
    When the cue lies inside the ``raw`` content: the quoted segments of it (double quotation marks), else the
    parts before and after the cue and source; otherwise the whole content, trimmed. Empty pieces are dropped.

    >>> t = '“It is done,” she said. “In my head.”'
    >>> [t[a:b] for a, b in content_pieces(t, (0, len(t)), (18, 22), (14, 17))]
    ['It is done', 'In my head.']
    """
    if cue is None or not (raw[0] <= cue[0] and cue[1] <= raw[1]):
        return (trim_content(text, *raw),)
    segments, opened = [], None
    for i in range(raw[0], raw[1]):
        ch = text[i]
        if opened is None and (ch == "“" or ch == '"'):
            opened = i + 1
        elif opened is not None and (ch == "”" or ch == '"'):
            segments.append((opened, i))
            opened = None
    if opened is not None:
        segments.append((opened, raw[1]))
    if not segments or any(a <= cue[0] < b for a, b in segments):
        gap = (min(cue[0], source[0]) if source and raw[0] <= source[0] < raw[1] else cue[0],
               max(cue[1], source[1]) if source and raw[0] < source[1] <= raw[1] else cue[1])
        segments = [(raw[0], gap[0]), (gap[1], raw[1])]
    out = []
    for a, b in segments:
        a, b = trim_content(text, a, b)
        while b > a and text[b - 1] in _PIECE_EDGE:
            b -= 1
        while a < b and text[a] in _PIECE_EDGE:
            a += 1
        if b > a:
            out.append((a, b))
    return tuple(out)


def read_polnear(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The article records of a PolNeAR JSON Lines file (gzip or plain), the first ``limit`` if given."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def _span(role: dict[str, Any] | None) -> tuple[int, int] | None:
    return (int(role["start"]), int(role["end"])) if role and role.get("end", 0) > role.get("start", 0) else None


def polnear_attributions(record: dict[str, Any]) -> list[Attribution]:
    """The attributions of a PolNeAR record with contents under our convention (trimmed, and in pieces where the
    cue is inside: :func:`content_pieces`); ``speech`` not yet decided."""
    out = []
    text = record["text"]
    for a in record.get("attributions", []):
        content = _span(a.get("content"))
        if content is None:
            continue
        start, end = trim_content(text, *content)
        cue, source = _span(a.get("cue")), _span(a.get("source"))
        pieces = content_pieces(text, content, cue, source)
        if end > start and pieces:
            out.append(Attribution((start, end), cue, source, pieces=pieces if len(pieces) > 1 else ()))
    return out


def is_speech(docs: list[tuple[int, Doc]], cue: tuple[int, int] | None, text: str, lemmas: frozenset[str]) -> bool:
    """Whether a cue is one of saying: "according to", or a word whose lemma is in ``lemmas`` (``docs`` are the
    parsed blocks with their offsets, parsed with a lemmatizer)."""
    if cue is None:
        return False
    if "according to" in text[cue[0]:cue[1]].lower():
        return True
    for base, doc in docs:
        span = doc.char_span(cue[0] - base, cue[1] - base, alignment_mode="expand")
        if span is not None and any(t.lemma_.lower() in lemmas or t.lower_ in lemmas for t in span):
            return True
    return False


def parse_blocks(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> Iterator[list[tuple[int, Doc]]]:
    """Each text cut into the extractor's blocks and parsed, as ``(offset, doc)`` pairs, one list per text."""
    texts = list(texts)
    cuts = [blocks(t) for t in texts]
    pieces = [t[b.start:b.end] for t, bs in zip(texts, cuts, strict=True) for b in bs]
    parsed = iter(nlp.pipe(pieces, batch_size=batch_size))
    for bs in cuts:
        yield [(b.start, next(parsed)) for b in bs]


def label_paragraphs(article: str, docs: list[tuple[int, Doc]], attributions: list[Attribution]) -> list[Paragraph]:
    """BIO labels on every token of the parsed blocks: roles of the speech attributions, ``O`` elsewhere (also on
    attributions that are not speech), ``""`` where a gold role could not be placed. Cues and sources are placed
    first, then each piece of a content (:attr:`Attribution.parts`) as a run of its own."""
    out = []
    for base, doc in docs:
        labels = ["O"] * len(doc)
        for a in attributions:
            if not a.speech:
                continue
            roles = [("CUE", a.cue), ("SOURCE", a.source), *(("CONTENT", p) for p in a.parts)]
            for role, span in roles:
                if span is None:
                    continue
                lo, hi = max(span[0], base) - base, min(span[1], base + len(doc.text)) - base
                if hi <= lo:
                    continue
                tokens = doc.char_span(lo, hi, alignment_mode="expand")
                if tokens is None:
                    continue
                first = True
                for t in tokens:
                    if labels[t.i] != "O" or t.is_space:
                        continue
                    labels[t.i] = ("B-" if first else "I-") + role
                    first = False
        out.append(Paragraph(article, base, doc, labels))
    return out


def gold_attributions(gold: dict[str, Any], text: str) -> list[Attribution]:
    """Attributions from one of our gold files (FORMAT.md, clause spans): the content as annotated, the cue words
    found nearest the content in its sentence region, the source the nearest alias of the speaker to the cue."""
    aliases: dict[str, list[str]] = {}
    for e in gold.get("entities", []):
        aliases[e["id"]] = [e["name"], *e.get("aliases", [])]
    out = []
    for c in gold.get("claims", []):
        start, end = int(c["start"]), int(c["end"])
        lo, hi = max(0, start - 300), min(len(text), end + 300)
        cue = _nearest(text, c.get("cue") or "", lo, hi, start, end, exclude=(start, end))
        speaker = c.get("speaker")
        key = speaker if isinstance(speaker, str) else (speaker or {}).get("id") or (speaker or {}).get("name")
        names = sorted(set(aliases.get(key or "", []) or ([key] if key else [])), key=len, reverse=True)
        source = None
        anchor = cue or (start, end)
        for name in names:
            source = _nearest(text, name, lo, hi, *anchor, exclude=(start, end))
            if source:
                break
        out.append(Attribution((start, end), cue, source))
    return out


def _nearest(text: str, words: str, lo: int, hi: int, start: int, end: int,
             exclude: tuple[int, int]) -> tuple[int, int] | None:
    """The occurrence of ``words`` (whole words, any case) in ``text[lo:hi]`` outside ``exclude`` nearest to
    ``[start, end)``."""
    if not words.strip():
        return None
    found = []
    for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text[lo:hi], re.IGNORECASE):
        s, e = lo + m.start(), lo + m.end()
        if e <= exclude[0] or s >= exclude[1]:
            found.append((min(abs(s - end), abs(start - e)), s, e))
    return (min(found)[1], min(found)[2]) if found else None
