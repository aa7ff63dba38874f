"""The claim proposers: candidate claims from quotes, embedded posts and frames, each tied to its speaker. They
write nothing shared; the arbiter (kg.extract.arbiter) decides which candidates become claims.

A *frame* is a reporting verb ("said", "warned", "cited", "has threatened", "according to") with its speaker and,
where the parse has one, its content (kg.extract.frames). Quotes take the frame that governs them or stands next to
them; frames give indirect claims. A quote with no frame of its own continues the speaker of the quote before it in
the paragraph (a quote split by its attribution) or, opening a paragraph, the speaker of the paragraph before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort

from spacy.tokens import Token

from kg.extract.content import first_conjunct
from kg.extract.cues import frame_only
from kg.extract.document import Document, Sentence
from kg.extract.embeds import embedded_posts
from kg.extract.frames import Frame, subject_of
from kg.extract.lemmas import lemma
from kg.extract.lexicon import load_lexicon
from kg.extract.model import Claim, ClaimKind
from kg.extract.quotes import Quote
from kg.extract.speakers import Speaker

# Reports that a source said nothing: not claims.
NO_COMMENT = re.compile(
    r"\b(?:(?:declin|refus)\w* to (?:comment|say|discuss|elaborate)"
    r"|(?:no|without) (?:immediate |further )?comment"
    r"|(?:did not|didn[’']t|has not|hasn[’']t|have not|haven[’']t) (?:immediately )?(?:respond|return|reply|comment)"
    r"|could not be reached|not (?:immediately )?available for comment|requests? for comment)\b", re.IGNORECASE)
LEXICON = load_lexicon()
_ASKED = re.compile(r"\s*(?:when |after being |being )?asked\b", re.IGNORECASE)


def _opens_with_attribution(sentence: Sentence, index: FrameIndex, quoted: str) -> bool:
    """""... get it done!" Trump wrote on Twitter, saying ...": a quote ending in "!" or "?" ends its sentence for
    the parser, so the attribution opens the next one: a frame without content of its own whose subject starts it."""
    if not quoted.rstrip().endswith(("!", "?")):
        return False
    for f in index.in_sentences(sentence.index, sentence.index):
        if f.content is None and f.speaker is not None:
            subject = subject_of(f.verb)
            return subject is not None and subject.left_edge.i == sentence.span.start
    return False


def _frame_for(doc: Document, q: Quote, index: FrameIndex) -> Frame | None:
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
                                                or _opens_with_attribution(nxt, index, doc.text[q.start:q.end])):
            hi += 1
    before = doc.text[first.start:q.open].strip()
    if not before and lo > 0:
        prev = doc.sentences[lo - 1]
        if prev.paragraph == first.paragraph and doc.text[prev.start:prev.end].rstrip().endswith(":"):
            lo -= 1
    near = [f for f in index.in_sentences(lo, hi) if f.speaker is not None
            and not (q.open <= f.at <= (q.close or q.end))]
    if any(not f.according for f in near):  # "..., Grassley said, according to the Post": the speaker said it
        near = [f for f in near if not f.according]
    holding = [f for f in near if f.content and f.content[0] <= q.start < f.content[1]]
    adjoining = _attribution_after(doc, q, near, holding)
    if holding:
        return _named_statement(holding) or adjoining or holding[0]
    if adjoining is not None:
        return adjoining
    near = [f for f in near if not frame_only(lemma(f.verb))]  # "praised X as Y and expressed hope of a "..."
    if not near:
        return None
    return min(near, key=lambda f: min(abs(f.at - q.open), abs(f.at - (q.close or q.end))))


def _attribution_after(doc: Document, q: Quote, near: list[Frame], holding: list[Frame]) -> Frame | None:
    """"... during which the leaders agreed to reach a "mutually acceptable proposal," a foreign ministry spokesman
    told reporters": a quote closing on a comma right before the subject of a cue after it is that cue's, not of a
    nearer cue before it in the words the attribution reports (every frame holding the quote, if any, has its cue
    before it). The subject must open right after the quote, its verb follow it, and the cue report nothing after
    itself ("“breathe,” Rubio jumped in and joked that ..." is no attribution of the quote). That frame, else
    None."""
    if q.close is None or not doc.text[q.start:q.end].rstrip().endswith(",") \
            or any(h.at > q.open for h in holding):
        return None
    for f in near:
        subject = subject_of(f.verb) if f.at > q.close and not f.according else None
        if subject is None or not subject.i < f.verb.i or f.sentence.char(subject.left_edge) <= q.close \
                or doc.text[q.close + 1:f.sentence.char(subject.left_edge)].strip() \
                or f.content is not None and f.content[0] > f.at:
            continue  # the subject opens right after the quote, the cue reports nothing after itself
        between = f.verb.doc[subject.right_edge.i + 1:f.verb.i]
        if all(t.dep_ in ("aux", "advmod", "neg") for t in between):
            return f
    return None


def _named_statement(holding: list[Frame]) -> Frame | None:
    """Of the frames whose contents hold a quote, a noun of saying that names its own source inside another's
    content ("Trump pointed to [a statement from Vice Premier Liu He that [he hoped both countries could "calm"
    tensions]]"): the quote is in that statement, so it is its source's, not the outer speaker's. The innermost such
    frame, else None."""
    inner = [f for f in holding if f.method == "noun-of-saying" and f.speaker is not None and f.speaker.key
             and any(g is not f and g.content and g.content[0] <= f.at < g.content[1] for g in holding)]
    return min(inner, key=lambda f: f.content[1] - f.content[0] if f.content else 0, default=None)


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
    if _scattered_words(doc, q, frame):
        return False
    before = [t for t in sentence.span if sentence.char(t) < q.open and not t.is_space]
    if before and before[-1].lower_ in LEXICON.work_nouns:  # "author of the book "Rails Forgotten"": a title
        return False
    word_before = doc.text[max(sentence.start, q.open - 40):q.open].split()[-1:]
    if word_before and word_before[0].lower() in LEXICON.label_nouns:  # "the so-called "May 10 Agreement"": a name
        return False
    outside = [t for t in sentence.span if sentence.char(t) >= q.end and not t.is_punct and not t.is_space][:1]
    if outside and outside[0].lower_ in LEXICON.label_nouns:  # "embraced the "trade war" label": a name
        return False
    inside = [t for t in sentence.span if q.start <= sentence.char(t) < q.end and not t.is_punct]
    if _titled_work(inside):  # "Speaking on "The Nightly Show with Larry Wilmore," she said": a show's title
        return False
    if _modifies_next_noun(inside, q, sentence):  # "the “phase one” trade deal": the deal's label
        return False
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


def _scattered_words(doc: Document, q: Quote, frame: Frame) -> bool:
    """"said Mrs May lacked the "gumption" to put her "undeliverable" deal before MPs", "what an official described
    as a "rant" full of "recriminations"": single quoted words, two or more in one content and nothing longer
    quoted there, are the speaker's words picked out by the writer inside one clause; the clause is the claim, no
    word of it a fragment."""
    if not frame.content or not frame.content[0] <= q.start < frame.content[1]:
        return False
    inside = [o for o in doc.quotes if frame.content[0] <= o.start and o.end <= frame.content[1]]
    return len(inside) >= 2 and all(len(doc.text[o.start:o.end].split()) == 1 for o in inside)


def _modifies_next_noun(inside: list[Token], q: Quote, sentence: Sentence) -> bool:
    """A short quoted noun phrase hanging, as a compound, on the noun right after the closing mark ("as part of
    the “phase one” trade deal", "the "Buy American" provisions"): it names that noun for the reader, it is no
    fragment of the speaker's words (a quoted adjective, "the "historic" agreement", still is)."""
    if not inside or len(inside) > 3 or not all(t.is_alpha or t.like_num for t in inside):
        return False
    outside = {t.head.i for t in inside if not q.start <= sentence.char(t.head) < q.end}
    if len(outside) != 1:
        return False
    head = sentence.span.doc[outside.pop()]
    after = [t for t in sentence.span.doc[inside[-1].i + 1:head.i] if not t.is_punct]
    return head.pos_ in ("NOUN", "PROPN") and head.i > inside[-1].i and all(
        t.dep_ in ("compound", "nmod") for t in inside if t.head.i == head.i) and \
        any(t.pos_ in ("NOUN", "PROPN", "NUM") for t in inside) and \
        all(a.dep_ in ("compound", "amod") and a.head.i == head.i for a in after)


_TITLE_LINKS = frozenset({"the", "a", "an", "of", "with", "and", "for", "on", "in", "to", "at", "from", "by"})


def _titled_work(words: list[Token]) -> bool:
    """A quoted title of any length: every word capitalised but the little words of titles, and the model reads it
    as a work ("The Nightly Show with Larry Wilmore", "Fox News Sunday")."""
    return len(words) > 1 and words[0].text[:1].isupper() and any(t.ent_type_ == "WORK_OF_ART" for t in words) \
        and all(t.text[:1].isupper() or t.lower_ in _TITLE_LINKS or t.like_num for t in words)


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


class FrameIndex:
    """The frames of an article by sentence, in text order (a scan of every frame per quote made long articles
    quadratic)."""

    def __init__(self, frames: list[Frame]) -> None:
        self.frames = frames
        self._by_sentence: dict[int, list[Frame]] = {}
        for f in frames:
            self._by_sentence.setdefault(f.sentence.index, []).append(f)

    def in_sentences(self, lo: int, hi: int) -> list[Frame]:
        """Frames of sentences ``lo`` to ``hi`` (both included), in text order."""
        return [f for i in range(lo, hi + 1) for f in self._by_sentence.get(i, ())]


Candidate = tuple[Claim, Frame | None]


class _Spoken:
    """Who spoke where so far, for a quote continuing the speaker before it: the frames' speakers, then each quote's
    as it is attributed. The latest position before a point wins; at one position, the first recorded."""

    def __init__(self, index: FrameIndex) -> None:
        self._keys: list[tuple[int, int]] = []
        self._speakers: dict[tuple[int, int], Speaker] = {}
        for f in index.frames:
            if f.speaker and (f.speaker.key or f.speaker.text) and not _channel(f, index):
                self.add(f.at, f.speaker)

    def add(self, at: int, speaker: Speaker) -> None:
        key = (at, len(self._speakers))
        insort(self._keys, key)
        self._speakers[key] = speaker

    def before(self, char: int) -> tuple[int, Speaker] | None:
        i = bisect_left(self._keys, (char, -1))
        if i == 0:
            return None
        at = self._keys[i - 1][0]
        first = self._keys[bisect_left(self._keys, (at, -1))]
        return at, self._speakers[first]


def _channel(frame: Frame, index: FrameIndex) -> bool:
    """"..., said Lu Kang, according to the Xinhua news agency": "according to" beside a frame of its own sentence
    names where the report was read, not who spoke; a quote after it continues Lu Kang."""
    return frame.according and any(not f.according and f.speaker is not None and f.speaker.key
                                   for f in index.in_sentences(frame.sentence.index, frame.sentence.index))


def quote_claims(doc: Document, index: FrameIndex) -> tuple[list[Candidate], set[int]]:
    """Proposer of the claims quotes make, in text order: ``quote`` (a quotation with the frame that governs or
    adjoins it), ``verbless-attribution`` ("“...,” Name, role"), ``quote-continued`` (no frame: the speaker of the
    quote or frame before it, in the same paragraph or opening the next one) and ``conjunct-before-quote``. Also
    returns the frames the quotes took (by ``id``)."""
    claims: list[Candidate] = []
    used: set[int] = set()
    spoken = _Spoken(index)
    for q in doc.quotes:
        first = doc.sentence_at(q.open)
        if first is None or first.heading:
            continue
        frame = _frame_for(doc, q, index)
        verbless = _verbless_speaker(doc, q) if frame is None else None
        method = "quote" if frame is not None else "verbless-attribution" if verbless else "quote-continued"
        if frame is not None:
            speaker, cue, distance = frame.speaker, frame.cue, 0
        elif verbless is not None:  # "“The tunnel is safe,” Mira Castell, chief engineer at ..."
            speaker, cue, distance = verbless, "", 0
        else:
            earlier = spoken.before(q.open)
            gap = first.paragraph - doc.sentence_at(earlier[0]).paragraph if earlier else 99  # type: ignore[union-attr]  # a quote's offset is in a sentence
            opens_sentence = not doc.text[first.start:q.open].strip()
            if earlier is None or not opens_sentence or gap > 1 or (gap == 1 and first.span.start != 0):
                continue
            speaker = Speaker(earlier[1].key, earlier[1].text, earlier[1].confidence, "continued")
            cue, distance = "", gap
        assert speaker is not None  # _frame_for takes only frames with a speaker
        kind = _kind(doc, q, frame)
        if kind == "mixed" and not _spoken_fragment(doc, q, frame, first):
            continue
        if frame is not None:
            used.add(id(frame))
            rest = first_conjunct(frame.sentence, frame.verb, q.start, len(doc.text[q.start:q.end].split())) \
                if kind == "mixed" else None
            if rest is not None and not any(o.start < rest[1] and rest[0] < o.end for o in doc.quotes):
                # "told MPs [he had no confidence] but his party needed "to do ..."": both are claims
                claims.append((_claim(doc, "indirect", *rest, speaker, cue, _confidence("indirect", speaker, 0),
                                      "conjunct-before-quote"), frame))
        claims.append((_claim(doc, kind, q.start, q.end, speaker, cue, _confidence(kind, speaker, distance),
                              method), frame))
        if speaker.key or speaker.text:  # an anonymous source continues as the same words ("the President")
            spoken.add(q.start, speaker)
    return claims, used


def embedded_post_claims(doc: Document) -> list[Candidate]:
    """Proposer of ``embedded-post`` claims: a signed post printed as text ("— Name (@handle) Date") is a direct
    claim of that person when the article names them."""
    out: list[Candidate] = []
    for post in embedded_posts(doc):
        speaker = Speaker(post.author_key, post.author, 0.9, "name")
        out.append((_claim(doc, "direct", post.start, post.end, speaker, "", _confidence("direct", speaker, 0),
                           "embedded-post"), None))
    return out


def frame_claims(doc: Document, index: FrameIndex) -> list[Candidate]:
    """Proposer of the indirect claims of frames (their method is the frame's), in frame order: each frame with a
    speaker and a content span not inside a quote, that states something ("declined to comment" does not), and,
    for "according to", only where no other cue of its sentence reports words ("..., Grassley said, according to
    the Post": the speaker said it)."""
    out: list[Candidate] = []
    for f in index.frames:
        if f.content is None or f.speaker is None or doc.in_quote(*f.content):
            continue
        start, end = f.content
        if NO_COMMENT.search(doc.text, start, end):  # "said the company declined to comment": nothing stated
            continue
        if f.according and any(g is not f and g.content for g in index.in_sentences(f.sentence.index,
                                                                                     f.sentence.index)):
            continue
        out.append((_claim(doc, "indirect", start, end, f.speaker, f.cue, _confidence("indirect", f.speaker, 0),
                           f.method), f))
    return out


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
