"""Error-pattern sentences as a gold set: ``../shared/eval/patterns.jsonl`` (one invented text per pattern of
error seen on unseen articles, with the claims expected from it, or none) turned into articles and FORMAT.md gold
records that :func:`kg.evaluate.score` scores like any other set.

A pattern record holds ``id``, ``pattern``, ``text`` and ``claims`` (``speaker``, ``kind``, ``text``, optional
``aliases``: other names the speaker may go by). A claim's span is where its text first occurs in the pattern's
text; the speaker becomes a gold entity named by it (with its aliases), so the speaker must be named as written
(score.py's rules: normalised name, alias, containment of a form of several words).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import BadInput
from kg.extract.model import Article


@dataclass(frozen=True)
class Pattern:
    """One error pattern: its article and its gold claims record."""

    id: str
    pattern: str
    article: Article
    gold: dict[str, Any]


def load_patterns(path: Path) -> list[Pattern]:
    """The patterns of a JSON Lines file. Raises BadInput naming the line of a malformed record or of a claim
    whose text is not in the pattern's text."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: cannot read patterns: {e}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            out.append(_pattern(record))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            raise BadInput(f"{path}:{n}: not a pattern record: {e}") from e
    return out


def _pattern(record: dict[str, Any]) -> Pattern:
    text = record["text"]
    entities: dict[str, dict[str, Any]] = {}
    claims = []
    for c in record["claims"]:
        start = text.find(c["text"])
        if start < 0:
            raise ValueError(f"claim text {c['text']!r} is not in the pattern text")
        speaker = c["speaker"]
        entity = entities.setdefault(speaker, {"id": speaker, "name": speaker, "aliases": []})
        entity["aliases"] += [a for a in c.get("aliases", []) if a not in entity["aliases"]]
        claims.append({"speaker": speaker, "kind": c["kind"], "text": c["text"], "start": start,
                       "end": start + len(c["text"])})
    gold = {"article": {"id": record["id"]}, "entities": list(entities.values()), "claims": claims}
    return Pattern(record["id"], record["pattern"], Article(id=record["id"], text=text), gold)
