"""The arbiter of the rule stages: which candidate claims become claims, by a written precedence and overlap policy.

    proposers (kg.extract.proposers) -> resolver (kg.extract.resolver) -> claim proposers (kg.extract.attribution)
    -> arbiter (here)

Precedence, highest first; a candidate is kept unless a rule below says otherwise:

1. **Quotes** (``quote``, ``verbless-attribution``, ``quote-continued``, ``conjunct-before-quote``): every one is
   kept. Quotes do not overlap one another, and a conjunct before a quote is proposed only where it overlaps none.
   The frame a quote takes is *used*: it gives no indirect claim of its own.
2. **Embedded posts** (``embedded-post``): kept unless they overlap a claim kept so far.
3. **Frames** (``reporting-verb``, ``participial``, ``noun-of-saying``, ``according-to``), in text order: a used
   frame is dropped; one overlapping a claim kept so far is dropped, except a frame with the same cue and the same
   content span as a used frame, which is a second speaker of that report ("A and B said X": one claim per
   speaker on one span). A kept frame is used.

Overlap is any shared character. Claims come out in text order (ties: in the order they were kept). The learned
proposer's candidates are arbitrated after these, by kg.extract.learned.arbiter: a rule claim beats the model.
"""

from __future__ import annotations

from kg.extract.attribution import Candidate, FrameIndex, embedded_post_claims, frame_claims, quote_claims
from kg.extract.discourse import Spans
from kg.extract.document import Document
from kg.extract.frames import Frame
from kg.extract.proposers import propose
from kg.extract.resolver import resolve_frames
from kg.reference import Reference


def find_claims(doc: Document, reference: Reference) -> list[Candidate]:
    """All rule claims of ``doc`` in text order, each with the frame that attributes it (None for a quote continuing
    an earlier speaker or an embedded post). Spans satisfy ``text[start:end] == claim.text``. Sets
    ``doc.discourse`` to the resolver's final state, for the stages after the rules."""
    frames, discourse = resolve_frames(doc, propose(doc), reference)
    doc.discourse = discourse
    index = FrameIndex(frames)
    quoted, used = quote_claims(doc, index)
    return arbitrate(quoted, used, embedded_post_claims(doc), frame_claims(doc, index))


def arbitrate(quoted: list[Candidate], used: set[int], posts: list[Candidate],
              framed: list[Candidate]) -> list[Candidate]:
    """The policy of the module doc. ``used``: the ``id`` of each frame a quote took."""
    kept = list(quoted)
    spans = Spans()
    for claim, _ in kept:
        spans.add(claim.start, claim.end)
    for claim, frame in posts:
        if not spans.overlaps(claim.start, claim.end):
            kept.append((claim, frame))
            spans.add(claim.start, claim.end)
    reports = {_report(f) for _, f in quoted if f is not None and id(f) in used}
    for claim, frame in framed:
        assert frame is not None
        if id(frame) in used:
            continue
        if _report(frame) not in reports and spans.overlaps(claim.start, claim.end):
            continue
        kept.append((claim, frame))
        spans.add(claim.start, claim.end)
        used.add(id(frame))
        reports.add(_report(frame))
    return sorted(kept, key=lambda c: c[0].start)


def _report(frame: Frame) -> tuple[int, int, tuple[int, int] | None]:
    """A frame's cue and content: frames sharing them are one report by several speakers."""
    return frame.sentence.index, frame.verb.i, frame.content
