"""From the claim tagger's BIO labels on a parsed block to candidate claims: content spans, each with the nearest
cue and that cue's nearest source.

A content run needs a cue within ``MAX_CUE_DISTANCE`` tokens in the same block ("...," he said after a quote of
several sentences; "said that ..."); a content without one is not attributed and gives no candidate. The score is
the lower of the mean label probabilities of the content and of the cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

MAX_CUE_DISTANCE = 40  # tokens between a content run and its cue
MIN_CONTENT_TOKENS = 3  # shorter runs are tagging noise ("it", "this"), not contents
MAX_CONTENT_GAP = 2  # untagged tokens inside a content that do not cut it in two


@dataclass(frozen=True)
class Candidate:
    """A proposed claim in character offsets of its doc (``base`` added by the caller): ``content`` and ``cue``
    always, ``source`` when the tagger marked one near the cue; ``score`` in (0, 1]."""

    content: tuple[int, int]
    cue: tuple[int, int]
    source: tuple[int, int] | None
    score: float
    tokens: tuple[int, int] = (0, 0)  # the same spans as token ranges [i, j) of the doc
    cue_tokens: tuple[int, int] = (0, 0)
    source_tokens: tuple[int, int] | None = None


def runs(labels: list[str], role: str) -> list[tuple[int, int]]:
    """Token ranges ``[i, j)`` of ``role``: a ``B-`` starts one, as does an ``I-`` after another label.

    >>> runs(["O", "B-CUE", "I-CUE", "I-CUE", "O", "I-CUE"], "CUE")
    [(1, 4), (5, 6)]
    """
    out: list[tuple[int, int]] = []
    start = None
    for i, label in enumerate([*labels, "O"]):
        inside = label.endswith("-" + role)
        if start is not None and (not inside or label.startswith("B-")):
            out.append((start, i))
            start = None
        if inside and start is None:
            start = i
    return out


def bridge(labels: list[str], role: str = "CONTENT", gap: int = MAX_CONTENT_GAP) -> list[str]:
    """``labels`` with runs of at most ``gap`` ``O`` tokens between two ``role`` tokens relabelled inside, and the
    ``B-`` after such a gap made ``I-``: a content the tagger lost a word of stays one content.

    >>> bridge(["B-CONTENT", "O", "B-CONTENT", "O", "O", "O", "I-CONTENT"])
    ['B-CONTENT', 'I-CONTENT', 'I-CONTENT', 'O', 'O', 'O', 'I-CONTENT']
    """
    out = list(labels)
    last = None
    for i, label in enumerate(labels):
        if not label.endswith("-" + role):
            continue
        if last is not None and 0 < i - last - 1 <= gap and all(x == "O" for x in labels[last + 1:i]):
            out[last + 1:i + 1] = ["I-" + role] * (i - last)
        last = i
    return out


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def candidates(doc: Doc) -> list[Candidate]:
    """The candidates of a doc the claim tagger has run on (an empty list when it has not)."""
    if doc._.claim_bio is None:
        return []
    labels, probs = doc._.claim_bio
    labels = bridge(labels)
    cues = runs(labels, "CUE")
    sources = runs(labels, "SOURCE")
    out = []
    for lo, hi in runs(labels, "CONTENT"):
        while hi > lo and (doc[hi - 1].is_punct and doc[hi - 1].text not in ".!?" or doc[hi - 1].is_space):
            hi -= 1  # a trailing comma or quotation mark is not content
        while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        if hi - lo < MIN_CONTENT_TOKENS or not cues:
            continue
        cue = min(cues, key=lambda c: _gap(c, (lo, hi)))
        if _gap(cue, (lo, hi)) > MAX_CUE_DISTANCE or lo <= cue[0] < hi:
            continue
        near = [s for s in sources if not (s[0] < hi and lo < s[1]) and _gap(s, cue) <= 8]
        source = min(near, key=lambda s: _gap(s, cue)) if near else None
        content_score = sum(probs[lo:hi]) / (hi - lo)
        cue_score = sum(probs[cue[0]:cue[1]]) / (cue[1] - cue[0])
        out.append(Candidate(_chars(doc, lo, hi), _chars(doc, *cue), _chars(doc, *source) if source else None,
                             round(min(content_score, cue_score), 4), (lo, hi), cue, source))
    return out


def _chars(doc: Doc, start: int, end: int) -> tuple[int, int]:
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
