"""Claims: quotes and reported speech, each tied to the speaker who stated it.

A *frame* is a reporting verb ("said", "warned", "cited", "has threatened", "according to") with its subject and,
where the parse has one, its content (the clause or object reported). Quotes take the frame that governs them or
stands next to them; frames left over give indirect claims. A quote with no frame of its own continues the speaker
of the quote before it in the paragraph (a quote split by its attribution) or, opening a paragraph, the speaker of
the paragraph before.
"""

from __future__ import annotations

import re

from kg.extract.content import first_conjunct
from kg.extract.document import Document, Sentence
from kg.extract.embeds import embedded_posts
from kg.extract.frames import Frame, find_frames, subject_of
from kg.extract.lexicon import load_lexicon
from kg.extract.model import Claim, ClaimKind
from kg.extract.quotes import Quote
from kg.extract.speakers import Speaker
from kg.reference import Reference

# Reports that a source said nothing: not claims.
NO_COMMENT = re.compile(
    r"\b(?:(?:declin|refus)\w* to (?:comment|say|discuss|elaborate)"
    r"|(?:no|without) (?:immediate |further )?comment"
    r"|(?:did not|didn[’']t|has not|hasn[’']t|have not|haven[’']t) (?:immediately )?(?:respond|return|reply|comment)"
    r"|could not be reached|not (?:immediately )?available for comment|requests? for comment)\b", re.IGNORECASE)
LEXICON = load_lexicon()
_ASKED = re.compile(r"\s*(?:when |after being |being )?asked\b", re.IGNORECASE)


def _opens_with_attribution(sentence: Sentence, frames: list[Frame], quoted: str) -> bool:
    """""... get it done!" Trump wrote on Twitter, saying ...": a quote ending in "!" or "?" ends its sentence for
    the parser, so the attribution opens the next one: a frame without content of its own whose subject starts it."""
    if not quoted.rstrip().endswith(("!", "?")):
        return False
    for f in frames:
        if f.sentence is sentence and f.content is None and f.speaker is not None:
            subject = subject_of(f.verb)
            return subject is not None and subject.left_edge.i == sentence.span.start
    return False


def _frame_for(doc: Document, q: Quote, frames: list[Frame]) -> Frame | None:
    """The frame attributing quote ``q``: one whose content holds it, else the nearest one in its sentences (or in
    a short "he said." sentence right after it, or a sentence ending in a colon right before it)."""
    first = doc.sentence_at(q.open)
    last = doc.sentence_at(q.close if q.close is not None else q.end - 1)
    if first is None or last is None:
        return None
    lo, hi = first.index, last.index
    after = doc.text[q.close + 1:last.end].strip() if q.close is not None else ""
    if not after and hi + 1 < len(doc.sentences):
        nxt = doc.sentences[hi + 1]
        if nxt.paragraph == last.paragraph and (nxt.span[0].text[:1].islower() and len(nxt.span) <= 15
                                                or _opens_with_attribution(nxt, frames, doc.text[q.start:q.end])):
            hi += 1
    before = doc.text[first.start:q.open].strip()
    if not before and lo > 0:
        prev = doc.sentences[lo - 1]
        if prev.paragraph == first.paragraph and doc.text[prev.start:prev.end].rstrip().endswith(":"):
            lo -= 1
    near = [f for f in frames if lo <= f.sentence.index <= hi and f.speaker is not None
            and not (q.open <= f.at <= (q.close or q.end))]
    if any(not f.according for f in near):  # "..., Grassley said, according to the Post": the speaker said it
        near = [f for f in near if not f.according]
    holding = [f for f in near if f.content and f.content[0] <= q.start < f.content[1]]
    if holding:
        return holding[0]
    if not near:
        return None
    return min(near, key=lambda f: min(abs(f.at - q.open), abs(f.at - (q.close or q.end))))


def _kind(doc: Document, q: Quote, frame: Frame | None) -> ClaimKind:
    """Direct when the quote opens its sentence or follows only its attribution ("X said:"); else mixed."""
    sent = doc.sentence_at(q.open)
    before = doc.text[sent.start:q.open].rstrip() if sent else ""
    if not before or before.endswith(":"):
        return "direct"
    if frame is not None and before.endswith(",") and frame.at < q.open and not frame.according:
        return "direct"
    return "mixed"




def _confidence(kind: str, speaker: Speaker, distance: int) -> float:
    """Higher for quotes with a named speaker in the same sentence; lower through pronouns, descriptions, distance."""
    value = LEXICON.kind_confidence[kind] * LEXICON.how_confidence.get(speaker.how, LEXICON.other_confidence) \
        * (0.6 + 0.4 * min(1.0, speaker.confidence))
    return round(max(0.05, min(0.99, value * (LEXICON.per_paragraph_confidence ** max(0, distance)))), 3)


def _spoken_fragment(doc: Document, q: Quote, frame: Frame | None, sentence: Sentence) -> bool:
    """Whether a quoted phrase inside a sentence is the speaker's own words. Not when it comes before the verb
    whose content follows ("Trump, who has embraced an "America First" policy, said China ..."), is a capitalised
    name or title ("said on "Face the Nation"", "his "America first" approach"), or is part of a question put to
    the speaker ("Asked if it could be "walked back", Kerry said ...")."""
    if frame is None:
        return True
    if frame.content and q.end <= frame.at < frame.content[0] and not frame.according:
        return False  # the phrase comes before the verb, what the verb reports after it
    if frame.at > q.end and _ASKED.match(doc.text, sentence.start):
        return False
    before = [t for t in sentence.span if sentence.char(t) < q.open and not t.is_space]
    if before and before[-1].lower_ in LEXICON.work_nouns:  # "author of the book "Rails Forgotten"": a title
        return False
    inside = [t for t in sentence.span if q.start <= sentence.char(t) < q.end and not t.is_punct]
    if inside and inside[0].text[:1].isupper() and all(t.is_alpha or t.like_num for t in inside) and len(inside) <= 4:
        if any(t.ent_type_ == "WORK_OF_ART" for t in inside):
            return False
        heads = {t.head.i for t in inside if not q.start <= sentence.char(t.head) < q.end}
        after = [sentence.span.doc[i] for i in heads]
        if after and all(h.i > inside[-1].i and h.pos_ == "NOUN" for h in after):
            return False  # a capitalised phrase modifying the noun after it is a name ("his "America first" approach")
        if any(h.i == frame.verb.i + 1 or h.dep_ == "prep" and h.head.i == frame.verb.i for h in after):
            return False  # a title after the verb: "told "Fox News Sunday"", "said on "Face the Nation""
    return True


def _verbless_speaker(doc: Document, q: Quote) -> Speaker | None:
    """"“The tunnel is safe,” Mira Castell, chief engineer at the transit authority.": a quote ending in a comma,
    then at once a person's name, then a comma or the sentence end, and no verb: the name is the speaker."""
    if q.close is None or not doc.text[q.start:q.end].rstrip().endswith(","):
        return None
    at = q.close + 1
    while at < len(doc.text) and (doc.text[at] in "'″" or doc.text[at].isspace()):
        at += 1
    person = next((m for m in doc.mentions_between(at, at + 200) if m.start == at), None)
    if person is None or person.type not in ("Person", "Official") or doc.text[person.end:person.end + 1] not in ",.":
        return None
    sent = doc.sentence_at(person.start)
    tail = [t for t in sent.span if sent.char(t) >= person.end] if sent else []
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("acl", "relcl") for t in tail):
        return None  # "..., Mira Castell, the engineer, said": a frame, found elsewhere
    return Speaker(person.key, person.text, person.confidence, "name")


def find_claims(doc: Document, reference: Reference) -> list[tuple[Claim, Frame | None]]:
    """All claims of ``doc`` in text order, each with the frame that attributes it (None for a quote continuing
    an earlier speaker). Spans satisfy ``text[start:end] == claim.text``."""
    frames = find_frames(doc, reference)
    claims: list[tuple[Claim, Frame | None]] = []
    spoken: list[tuple[int, Speaker]] = [(f.at, f.speaker) for f in frames if f.speaker and f.speaker.key]
    for q in doc.quotes:
        first = doc.sentence_at(q.open)
        if first is None or first.heading:
            continue
        frame = _frame_for(doc, q, frames)
        verbless = _verbless_speaker(doc, q) if frame is None else None
        method = "quote" if frame is not None else "verbless-attribution" if verbless else "quote-continued"
        if frame is not None:
            speaker, cue, distance = frame.speaker, frame.cue, 0
        elif verbless is not None:  # "“The tunnel is safe,” Mira Castell, chief engineer at ..."
            speaker, cue, distance = verbless, "", 0
        else:
            earlier = max((x for x in spoken if x[0] < q.open), key=lambda x: x[0], default=None)
            gap = first.paragraph - doc.sentence_at(earlier[0]).paragraph if earlier else 99
            opens_sentence = not doc.text[first.start:q.open].strip()
            if earlier is None or not opens_sentence or gap > 1 or (gap == 1 and first.span.start != 0):
                continue
            speaker = Speaker(earlier[1].key, earlier[1].text, earlier[1].confidence, "continued")
            cue, distance = "", gap
        kind = _kind(doc, q, frame)
        if kind == "mixed" and not _spoken_fragment(doc, q, frame, first):
            continue
        if frame is not None:
            frame.used = True
            rest = first_conjunct(frame.sentence, frame.verb, q.start) if kind == "mixed" else None
            if rest is not None and not any(o.start < rest[1] and rest[0] < o.end for o in doc.quotes):
                # "told MPs [he had no confidence] but his party needed "to do ..."": both are claims
                claims.append((_claim(doc, "indirect", *rest, speaker, cue, _confidence("indirect", speaker, 0),
                                      "conjunct-before-quote"), frame))
        claims.append((_claim(doc, kind, q.start, q.end, speaker, cue, _confidence(kind, speaker, distance),
                              method), frame))
        if speaker.key:
            spoken.append((q.start, speaker))
    quoted = [(c.start, c.end) for c, _ in claims]
    for post in embedded_posts(doc):
        if not any(s < post.end and post.start < e for s, e in quoted):
            speaker = Speaker(post.author_key, post.author, 0.9, "name")
            claims.append((_claim(doc, "direct", post.start, post.end, speaker, "", _confidence("direct", speaker, 0),
                                  "embedded-post"), None))
            quoted.append((post.start, post.end))
    for f in frames:
        if f.used or f.content is None or f.speaker is None:
            continue
        start, end = f.content
        shared = any(g is not f and g.verb is f.verb and g.content == f.content and g.used for g in frames)
        if not shared and any(s < end and start < e for s, e in quoted) or doc.in_quote(start, end):
            continue  # ("A and B said X": one claim per speaker on the same span)
        if NO_COMMENT.search(doc.text, start, end):  # "said the company declined to comment": nothing stated
            continue
        if f.according and any(g is not f and g.sentence is f.sentence and g.content for g in frames):
            continue
        claims.append((_claim(doc, "indirect", start, end, f.speaker, f.cue, _confidence("indirect", f.speaker, 0),
                              f.method), f))
        f.used = True
        quoted.append((start, end))
    return sorted(claims, key=lambda c: c[0].start)


def stated_when(doc: Document, frame: Frame, claim: Claim) -> str | None:
    """The time phrase attached to a frame's verb ("said on Tuesday", "Speaking earlier on Tuesday, X cautioned"),
    outside the claim and quotes; None when there is none."""
    verb = frame.verb
    for ent in frame.sentence.span.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = frame.sentence.char(ent[0]), frame.sentence.char_end(ent[-1])
        if claim.start < end and start < claim.end or doc.in_quote(start, end):
            continue
        if ent.start - verb.i in (1, 2) or verb.i - ent.end in (0, 1):
            return ent.text  # right next to the cue: "said last week", "said on Tuesday", "on Monday said"
        t = ent.root
        while t.i != verb.i and t.head.i != t.i:
            t = t.head
            participle = t.tag_ == "VBG" and t.head.i == verb.i and t.i < verb.i  # "Speaking on Tuesday, X said"
            if t.i != verb.i and t.pos_ in ("VERB", "AUX") and not participle:
                break
        if t.i == verb.i:
            return ent.text
    return None


def _claim(doc: Document, kind: ClaimKind, start: int, end: int, speaker: Speaker, cue: str,
           confidence: float, method: str) -> Claim:
    return Claim(kind=kind, text=doc.text[start:end], start=start, end=end, speaker=speaker.key,
                 speaker_text=speaker.text, cue=cue, method=method, confidence=confidence)
