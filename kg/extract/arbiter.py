"""The arbiter of the rule stages: which candidate claims become claims, by a written precedence and overlap policy.

    proposers (kg.extract.proposers) -> resolver (kg.extract.resolver) -> claim proposers (kg.extract.attribution)
    -> arbiter (here)

Precedence, highest first; a candidate is kept unless a rule below says otherwise:

1. **Quotes** (``quote``, ``verbless-attribution``, ``quote-continued``, ``conjunct-before-quote``): every one is
   kept, once (a conjunct before two quoted phrases is proposed for each). Quotes do not overlap one another, and a
   conjunct before a quote is proposed only where it overlaps none. The frame a quote takes is *used*: it gives no
   indirect claim of its own.
2. **Embedded posts** (``embedded-post``): kept unless they overlap a claim kept so far.
3. **Frames** (``reporting-verb``, ``participial``, ``noun-of-saying``, ``according-to``), in text order: a used
   frame is dropped, and so is a participle after a preposition, without a subject of its own, whose cue lies
   inside the content of a frame a quote took (a report nested in the one the quoted words come from: "accused the
   U.S. of being "irresponsible" in accusing Beijing of ..."); so
   is a *report of a report*, a "reported" whose content clause is itself a reporting verb
   with a claim of its own ("Axios reported that [a senior official said [X]]", "The Times reports that [Cohn
   warned Kelly that [X]]"): the inner report is the claim; one overlapping a claim kept so far is dropped,
   except a frame with the same cue and the same content span as a used frame, which is a second speaker of that
   report ("A and B said X": one claim per speaker on one span). A kept frame is used.

Overlap is any shared character. Claims come out in text order (ties: in the order they were kept). The learned
proposer's candidates are arbitrated after these, by kg.extract.learned.arbiter: a rule claim beats the model.
"""

from __future__ import annotations

from kg.extract.attribution import Candidate, FrameIndex, embedded_post_claims, frame_claims, quote_claims
from kg.extract.discourse import Spans
from kg.extract.document import Document
from kg.extract.frames import Frame
from kg.extract.lemmas import lemma
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
    kept = _distinct(quoted)
    spans = Spans()
    for claim, _ in kept:
        spans.add(claim.start, claim.end)
    for claim, frame in posts:
        if not spans.overlaps(claim.start, claim.end):
            kept.append((claim, frame))
            spans.add(claim.start, claim.end)
    reports = {_report(f) for _, f in quoted if f is not None and id(f) in used}
    relayed = _reports_of_reports(framed)
    taken = [f.content for _, f in quoted if f is not None and f.content]
    for claim, frame in framed:
        assert frame is not None
        if id(frame) in used or id(frame) in relayed:
            continue
        if frame.method == "participial" and frame.verb.dep_ == "pcomp" \
                and not any(c.dep_ == "nsubj" for c in frame.verb.children) \
                and any(start <= frame.at < end for start, end in taken):
            continue  # "accused the U.S. of being "irresponsible" in [accusing Beijing of ...]": inside that report
        if _report(frame) not in reports and spans.overlaps(claim.start, claim.end):
            continue
        kept.append((claim, frame))
        spans.add(claim.start, claim.end)
        used.add(id(frame))
        reports.add(_report(frame))
    return sorted(kept, key=lambda c: c[0].start)


def _distinct(quoted: list[Candidate]) -> list[Candidate]:
    """The quote candidates without repeats: one conjunct before two quoted phrases of a later conjunct ("said
    [some MPs were angry] and others were "fidgety" but many were glad not to be "going through ..."") is proposed
    for each of them, and is one claim."""
    seen: set[tuple[int, int, str | None, str | None]] = set()
    out = []
    for claim, frame in quoted:
        key = (claim.start, claim.end, claim.speaker, claim.speaker_text)
        if key not in seen:
            seen.add(key)
            out.append((claim, frame))
    return out


def _report(frame: Frame) -> tuple[int, int, tuple[int, int] | None]:
    """A frame's cue and content: frames sharing them are one report by several speakers."""
    return frame.sentence.index, frame.verb.i, frame.content


_RELAYING = frozenset({"report"})


def _reports_of_reports(framed: list[Candidate]) -> set[int]:
    """The ``id`` of each frame of a relaying verb ("reported") whose content clause is headed by the cue of another
    frame's claim, that cue before its content and that claim inside the outer one: "X reported that [Y said [Z]]"
    is Y's claim Z, relayed by X ("Lori Wallach says [the report shows [Z]]" stays hers)."""
    outer: set[int] = set()
    for claim, frame in framed:
        if frame is None or frame.method != "reporting-verb" or lemma(frame.verb) not in _RELAYING:
            continue
        for inner_claim, inner in framed:
            if inner is frame or inner is None or inner.method != "reporting-verb" \
                    or inner.sentence.index != frame.sentence.index:
                continue
            if inner.verb.dep_ == "ccomp" and inner.verb.head.i == frame.verb.i \
                    and claim.start <= inner.at < inner_claim.start and inner_claim.end <= claim.end:
                outer.add(id(frame))
    return outer
