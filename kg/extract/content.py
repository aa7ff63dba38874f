"""What a reporting verb reports: the verbs and phrases that report speech, and for each the span of its content.

Clausal frames give the reported clause ("said [that] X", "warned X", "concluded X"); some verbs report a plan
("threatened [to withdraw]") or an object ("cited [divides on ...]"); non-clausal frames give the words after the
verb that carry what was said: "accused [China of reneging]", "urged [nations to resist]", "called [TPP a horrible
deal]", "pointed to [limits on access]", "warned against [leaving without a deal]".
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.extract.cues import (
    DOUBTS,
    LEXICON,
    frame_heads,
    frame_only,
    quoted_apposition,
    reporting_lemma,
    speech_base,
)
from kg.extract.document import Sentence
from kg.extract.lemmas import lemma
from kg.extract.trimmers import TRIM_LEFT, TRIM_RIGHT, opens_that_clause
from kg.extract.trimmers import trimmed as _trimmed

__all__ = ["DOUBTS", "LEXICON", "TRIM_LEFT", "TRIM_RIGHT", "content_of", "cue_preposition", "first_conjunct",
           "fronted_content", "further_contents", "noun_content", "reporting_lemma", "saying_noun", "speech_base"]
_FINITE = frozenset({"VBD", "VBZ", "VBP"})


def _progressive(verb: Token) -> bool:
    """"Trump is threatening [5% tariffs ...]", "tried to win them over by announcing [a ban on ...]": a present
    participle after a form of "be", or after "by" on a verb (the means of what its subject did), reports its object
    as a finite verb does (a participle after a comma does not: ", citing ...")."""
    if verb.tag_ != "VBG":
        return False
    if any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children):
        return True
    return verb.dep_ == "pcomp" and verb.head.lower_ == "by" and verb.head.head.pos_ in ("VERB", "AUX")


def content_of(sent: Sentence, verb: Token, base: str) -> tuple[int, int] | None:
    """The span of what ``verb`` (a reporting verb of ``base``) reports, or None when the parse gives none."""
    framed = _framed(verb, base)
    if frame_only(base):  # it reports only through its frames
        return _clause_span(sent, verb, framed) if framed else None
    deps = ["ccomp"]
    if base in LEXICON.plan_verbs:
        deps.append("xcomp")
    if base in LEXICON.object_verbs and (verb.tag_ in _FINITE or verb.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in verb.children) or _progressive(verb)) \
            or base in LEXICON.participle_object_verbs and _comma_participle(verb):
        deps.append("dobj")
    heads: list[Token] | None
    for dep in deps:
        heads = [c for c in verb.children if c.dep_ == dep and not (dep == "ccomp" and c.lower_ == "clear")
                 and not (dep == "dobj" and (c.lower_ in LEXICON.source_nouns or _comma_participle(verb)
                                             and c.lower_ in LEXICON.document_nouns))]
        if heads and dep == "dobj" and framed:
            heads = framed  # "cite [the Fed as a contributing factor]": the frame holds the object
        if heads:
            heads = _with_misread_subject(verb, base, heads) if dep == "ccomp" else heads
            misread = subject_read_as_object(verb)
            if any(h.i > verb.i for h in heads) and any(h.right_edge.i < verb.i and (
                    _reports(h) or misread is not None and h.left_edge.i <= misread.i <= h.right_edge.i)
                    for h in heads):
                # "when Trump said [he had scrapped a visit], Khan suggested [the reason was ...]": a clause before
                # the verb holding a report of its own is that report's, not this verb's; nor is one holding the
                # verb's own subject ("The vote came a day after officials said [...]")
                heads = [h for h in heads if h.i > verb.i]
            return _clause_span(sent, verb, heads + _conditions(verb, heads))
    relayed = _relative_report(verb)
    if relayed:
        return _clause_span(sent, verb, relayed)
    misread = _misread_subject(verb, base) or fronted_content(verb)
    if misread is not None:
        return _clause_span(sent, verb, [misread])
    if framed:
        return _clause_span(sent, verb, framed)
    if base == "call":  # "called the decision "a disgrace""
        named = next((a for c in verb.children if c.dep_ == "dobj" and (a := quoted_apposition(c))), None)
        if named is not None:
            return _clause_span(sent, verb, [named])
    if base in _REQUESTS:  # "called for regulators to "stop ..."", "is asking for [Japan to double its imports]"
        mark = next((c for c in verb.doc[verb.i + 1:verb.i + 2] if c.dep_ == "mark" and c.lower_ == "for"), None)
        if mark is not None and mark.head.head.i == verb.i:
            return _clause_span(sent, verb, [mark.head])
    if base in _DOUBT_PHRASES:  # "raised doubts about [whether ...]", "expressed concerns [that ...]" (not
        # "raised concerns that ...", often said of an event: "the collapse had raised concerns that ..."); the
        noun = next(c for c in verb.children if c.dep_ == "dobj" and c.lower_ in DOUBTS)  # clause is on the noun
        heads = [o for p in noun.children if p.dep_ == "prep" and p.lower_ in ("about", "over", "on")
                 and base == "raise doubts" for o in p.children if o.dep_ in ("pobj", "pcomp")] or [
            c for c in noun.children if c.i > noun.i and base != "raise doubts" and _concern_clause(c)]
        if heads:
            return _clause_span(sent, verb, heads)
    return _parenthetical_span(sent, verb) or _told_audience(sent, verb, base) or _surface_that_clause(sent, verb) \
        or _subordinated_cue(sent, verb)


def _framed(verb: Token, base: str) -> list[Token] | None:
    """The heads of the first frame of ``base`` that ``verb`` fills, unless its object names the source rather than
    what was said ("It cited [people familiar with the matter] as its sources")."""
    for pattern in LEXICON.frames.get(base, ()):
        heads = frame_heads(verb, pattern)
        if heads and not any(h.dep_ == "dobj" and h.lower_ in LEXICON.source_nouns for h in heads):
            return heads
    return None


_RELATIVE_WORDS = frozenset({"who", "that", "which"})


def _relative_report(verb: Token) -> list[Token]:
    """"bankers, who he said [sold out U.S. workers]", "practices that it says [result in the theft of ...]": a
    reporting verb in a relative clause whose relative word is the subject of the reported verb, which the parser
    read as the reporting verb's object and made an open complement: that complement is what is reported."""
    if verb.dep_ != "relcl" or not any(c.i < verb.i and c.lower_ in _RELATIVE_WORDS and c.dep_ in ("nsubj", "dobj")
                                       for c in verb.children):
        return []
    return [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]


def _reports(clause: Token) -> bool:
    """Whether a clause holds a reporting verb of its own."""
    return any(t.pos_ == "VERB" and reporting_lemma(t) is not None for t in clause.subtree if t.i != clause.i)


def _subordinated_cue(sent: Sentence, verb: Token) -> tuple[int, int] | None:
    """"when Trump said [he had scrapped a visit because ...]": a reporting verb with nothing of its own after it
    that the parser made a subordinate clause of the verb that follows it at once: what follows, to the end of that
    verb's clause, is what it reports."""
    head = verb.head
    nxt = verb.right_edge.i + 1
    if verb.dep_ != "advcl" or head.i <= verb.i or head.pos_ not in ("VERB", "AUX") or nxt >= len(verb.doc) \
            or any(c.i > verb.i for c in verb.children if not c.is_punct) or verb.doc[nxt].is_punct \
            or not head.left_edge.i <= nxt <= head.i or not any(m.dep_ in ("mark", "advmod") and m.i < verb.i
                                                                   for m in verb.children):
        return None
    return _trimmed(sent, verb, list(verb.doc[nxt:head.right_edge.i + 1]))


_CONDITIONS = frozenset({"if", "unless"})
_REQUESTS = frozenset({"call", "ask"})  # "called/asked for [X to Y]", "for" parsed as opening the clause


def _conditions(verb: Token, heads: list[Token]) -> list[Token]:
    """"threatened [to oust her from office if she didn't deliver a deal]": a condition the parser hung on the
    reporting verb right after the content it follows (nothing but punctuation between) is part of what was said: a
    threat or warning holds its condition; none when the content comes before the verb."""
    last = max(h.right_edge.i for h in heads)
    if verb.i > min(h.left_edge.i for h in heads):
        return []
    return [c for c in verb.children if c.dep_ == "advcl" and c.left_edge.i > last
            and any(m.dep_ == "mark" and m.lower_ in _CONDITIONS and m.i == c.left_edge.i for m in c.children)
            and all(t.is_punct for t in verb.doc[last + 1:c.left_edge.i])]


def _concern_clause(clause: Token) -> bool:
    """"concerns [that X would ...]", "concerns [X would ...]": a clause on the noun that is what was feared, with
    "that", without it, or read as a relative clause that has its own subject and object ("concerns consumers
    would face higher costs"; not "the concerns consumers raised")."""
    deps = {c.dep_ for c in clause.children}
    if clause.dep_ == "ccomp":
        return True
    if clause.dep_ == "acl":
        return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    return clause.dep_ == "relcl" and "nsubj" in deps and bool(deps & {"dobj", "attr", "acomp", "ccomp", "xcomp"})


_DOUBT_PHRASES = frozenset(phrase for word, phrase in LEXICON.phrases.values() if word in DOUBTS)
_FINITE_OR_MODAL = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _comma_participle(verb: Token) -> bool:
    """"Fitch downgraded Mexico's rating, citing [trade tensions]": a participle after a comma that reports what
    the subject of the clause gave as its reason or point."""
    return verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.i > 0 and verb.doc[verb.i - 1].text == "," \
        and lemma(verb.head) != "say"  # "“...,” he said at a conference, citing X": the grounds of his words (seed)


_CONTENT_WORDS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})


def _says_no_object(verb: Token, base: str) -> bool:
    """A verb that reports a clause and takes no object of its own ("said", "argued"; not "told [reporters]",
    "announced [a ban]", "asked [the board]", "called [X Y]")."""
    return base not in LEXICON.object_verbs and base not in LEXICON.telling_verbs and base not in LEXICON.frames \
        and base not in LEXICON.plan_verbs and base not in ("ask", "call", "show") and " " not in base


def _with_misread_subject(verb: Token, base: str, heads: list[Token]) -> list[Token]:
    """"said [the prices of imported US fruit – subject to tariffs ... –] are certain to rise": the parser read the
    subject of the reported clause as the verb's object; for a verb that takes no object it joins the clause."""
    if not _says_no_object(verb, base):
        return heads
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for h in heads for c in h.children):
        return heads  # the clause has its own subject
    first = min(h.left_edge.i for h in heads)
    return heads + [c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i and c.right_edge.i < first]


def fronted_content(verb: Token) -> Token | None:
    """"[The impact of the step hinges in part on which nations will be affected], said Alex Wolf, ...": an
    inverted reporting verb right after a comma, with a subject after it, whose parse made the reported clause
    before the comma a second subject: that subject heads the content (None otherwise)."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text != "," or reporting_lemma(verb) is None:
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    before = [c for c in subjects if c.i < verb.i and c.right_edge.i == verb.i - 2]
    after = [c for c in subjects if c.i > verb.i]
    if len(before) != 1 or not after or not any(t.pos_ in ("VERB", "AUX") for t in before[0].subtree):
        return None
    return before[0]


_DASHES = frozenset({"-", "—", "–", "--"})
_BREAKS = _DASHES | {":", ";"}


def _misread_subject(verb: Token, base: str) -> Token | None:
    """"said [many of the examples that critics point to ... failed to note ...]": no clause parsed, but the
    verb's object holds a finite verb that is not its own relative clause: the object is the subject of the
    reported clause, whose verb the parser hung inside it."""
    if not _says_no_object(verb, base):
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.lower_ in LEXICON.source_nouns or saying_noun(obj) is not None:
        return None  # "repeated [his claim that ...]" is the noun's
    if any(t.text in _BREAKS for t in verb.doc[verb.i + 1:obj.left_edge.i]):
        return None  # "conceded to minimum terms – something that X insisted was ...": the writer's apposition
    finite = [t for t in obj.subtree if t.tag_ in _FINITE_OR_MODAL and t.pos_ in ("VERB", "AUX")
              and not (t.dep_ in ("relcl", "acl") and t.head.i == obj.i)]
    return obj if finite else None


def _told_audience(sent: Sentence, verb: Token, base: str) -> tuple[int, int] | None:
    """"told reporters [the two ports planned to merge]": a verb of telling, its audience, then a clause without
    "that" that the parser did not attach as one (its verb has a finite form)."""
    if base not in LEXICON.telling_verbs:
        return None
    audience = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if audience is None:
        return None
    rest = [t for t in verb.doc[audience.right_edge.i + 1:sent.span.end] if not t.is_space]
    if not rest or rest[0].lower_ in ("to", "that", "of", "about", ",") or rest[0].is_punct:
        return None
    if not any(t.tag_ in _FINITE_OR_MODAL for t in rest):
        return None
    return _trimmed(sent, verb, rest)


def _surface_that_clause(sent: Sentence, verb: Token) -> tuple[int, int] | None:
    """"agreed with the governor that ...", "said in an editorial on its front page that ...": a clause opened by
    "that" after the verb and its prepositional phrases, where the parser did not attach it to the verb. The words
    between the verb and "that" must hold no verb (else "that" opens someone else's clause)."""
    doc = verb.doc
    if verb.i + 1 >= sent.span.end or doc[verb.i + 1].pos_ != "ADP":
        return None  # only prepositional phrases between: "dismissed White House warnings that" is the noun's
    for t in doc[verb.i + 1:min(sent.span.end, verb.i + 12)]:
        if t.lower_ == "that":
            rest = list(doc[t.i + 1:sent.span.end])
            if rest and rest[0].pos_ in ("DET", "PRON", "PROPN", "NOUN", "NUM", "ADJ") and \
                    any(x.tag_ in _FINITE_OR_MODAL for x in rest):
                return _trimmed(sent, verb, rest)
            return None
        if t.pos_ in ("VERB", "AUX") or t.is_punct or t.lower_ in ("and", "but", "while"):
            return None
    return None


SAYING_NOUNS = LEXICON.saying_nouns


def saying_noun(noun: Token) -> Token | None:
    """The head of the "that" clause a noun of saying introduces ("warnings [that Britain would go ...]", also when
    the parser hung it elsewhere: "complaints from X [that ...]"), or of the plan it states ("her threat [to block
    ...]"), or None."""
    noun_lemma = noun.lower_[:-1] if noun.tag_ == "NNS" else noun.lower_
    if noun.pos_ != "NOUN" or noun_lemma not in SAYING_NOUNS:
        return None
    # a "relcl" whose "that" is a mark, not a relative pronoun, is the content clause misread ("a statement from X
    # [that he hoped ...]")
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    doc = noun.doc
    after = noun.right_edge.i + 1
    if after < len(doc) and doc[after].dep_ == "prep" and doc[after].lower_ in ("from", "by") \
            and doc[after].head.i == noun.head.i:
        after = doc[after].right_edge.i + 1  # "complaints from X that ...": the parser hung "from X" on the verb
    after = _past_aside(doc, after)
    if clause is None and after < len(doc) and doc[after].lower_ == "that" and doc[after].dep_ == "mark" \
            and doc[after].head.pos_ in ("VERB", "AUX") and doc[after].head.i > after:
        clause = doc[after].head
    if clause is None and noun_lemma in LEXICON.plan_nouns and noun.i + 2 < len(doc) \
            and doc[noun.i + 1].lower_ == "to" and doc[noun.i + 1].dep_ == "aux" and doc[noun.i + 1].head.tag_ == "VB":
        clause = doc[noun.i + 1].head
    return clause


def noun_content(sent: Sentence, noun: Token, clause: Token) -> tuple[int, int] | None:
    """The span of the clause a noun of saying introduces."""
    return _clause_span(sent, noun, [clause])


def cue_preposition(verb: Token, prep: Token) -> bool:
    """Whether ``prep`` belongs to the cue of ``verb``: a frame that starts with it ("pointed to", "warned
    against", "refers to"), not a time or place phrase ("said on Tuesday")."""
    base = speech_base(verb) or ""
    return any(pattern[0] == ("prep", prep.lower_) for pattern in LEXICON.frames.get(base, ()))


def _past_aside(doc: Doc, at: int) -> int:
    """The token after a time phrase opening at ``at`` ("his announcement [a day earlier] that ..."), else
    ``at``."""
    while at < len(doc) and doc[at].ent_type_ in ("DATE", "TIME"):
        at += 1
    return at


def _clause_span(sent: Sentence, verb: Token, heads: list[Token]) -> tuple[int, int] | None:
    """The words of the reported clause(s): the subtrees of ``heads`` (a parse may split one clause in two) and an
    expletive "there" left on the verb, without a leading "that" or time phrase, or a trailing "according to"."""
    first = min(h.left_edge.i for h in heads)
    last = max(h.right_edge.i for h in heads)
    if verb.dep_ == "relcl" and len(heads) == 1 and first < verb.i < heads[0].i:
        first = verb.i + 1  # "the state visit which he said [had cemented ...]", "tariffs that X threatened [to ...]"
        if not any(t.pos_ in _CONTENT_WORDS for t in verb.doc[first:last + 1]):
            return None  # a pro-form: "which he said he would do"
    if verb.i < first:
        while first - 1 > verb.i and (verb.doc[first - 1].dep_ == "expl" or verb.doc[first - 1].lower_ == "there"):
            first -= 1
    elif last >= verb.i:  # the clause must not hold its own reporting verb
        return None
    return _trimmed(sent, verb, list(verb.doc[first:last + 1]))


def _parenthetical_span(sent: Sentence, verb: Token) -> tuple[int, int] | None:
    """A reporting verb the parser hung on the reported clause ("The deal would include ..., Trump said, adding
    ...", "In these settings, Wright said, many dynamics come into play"): the clause is the sentence around the
    cue, before it when the cue closes the sentence, else the whole clause with the cue inside."""
    head = verb.head
    if verb.dep_ != "parataxis" or head.pos_ not in ("VERB", "AUX"):
        return None
    doc = verb.doc
    after = [t for t in doc[verb.right_edge.i + 1:head.right_edge.i + 1] if not (t.is_punct or t.is_space)]
    if not after:
        return _trimmed(sent, verb, list(doc[head.left_edge.i:verb.left_edge.i]))
    if verb.left_edge.i <= head.left_edge.i:
        return _trimmed(sent, verb, list(doc[verb.right_edge.i + 1:head.right_edge.i + 1]))
    return _trimmed(sent, verb, list(doc[head.left_edge.i:head.right_edge.i + 1]))


def further_contents(sent: Sentence, verb: Token) -> list[tuple[int, int]]:
    """The second and later complement clauses of ``verb`` ("said China had pledged action, and that [the deal
    included strong protection]"): each is a claim of its own."""
    spans = []
    heads = [c for c in verb.children if c.dep_ == "ccomp"]
    clauses = [clause for head in heads for clause in head.children if clause.dep_ == "conj"]
    if heads:  # "said on Saturday that A, but that [B]": the parser coordinated the second clause with the verb
        clauses += [c for c in verb.children if c.dep_ == "conj" and c.i > heads[0].i
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    for clause in clauses:
        if opens_that_clause(clause):
            span = _clause_span(sent, verb, [clause])
            if span:
                spans.append(span)
    return spans


def first_conjunct(sent: Sentence, verb: Token, quote_at: int, quote_words: int = 0) -> tuple[int, int] | None:
    """"told MPs [he had no confidence in the government] but his party needed "to do the appropriate thing"": when a
    quoted stretch (``quote_words`` of four or more) lies in a later conjunct of the reported clause (one with its own
    subject), the conjunct before it is a claim of its own, since the quoted stretch alone becomes the mixed claim.
    So does a conjunct without a subject when the stretch opens with its verb ("said [the teams had maintained close
    contact] and "achieved new and substantive progress ...""). A shorter quoted phrase is a fragment of the one
    clause ("said [some MPs were angry and others were "fidgety"]"): no split."""
    def splits(conj: Token) -> bool:
        return quote_words >= 4 and (any(x.dep_ == "nsubj" for x in conj.children) or sent.char(conj) == quote_at)

    for head in (c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i):
        for conj in (c for c in head.children if c.dep_ == "conj" and splits(c)):
            if sent.char(conj.left_edge) <= quote_at <= sent.char_end(conj.right_edge):
                # the innermost conjunct holding the quote, and the conjunction right before it: "A and B "x" but
                # C "y ..."" ends before "but", whatever conjunct the parser hung C on
                holder = head
                while (inner := next((c for c in conj.children if c.dep_ == "conj"
                                      and sent.char(c.left_edge) <= quote_at), None)) is not None:
                    holder, conj = conj, inner
                cc = max((x for x in holder.children if x.dep_ == "cc" and x.i < conj.left_edge.i), default=None,
                         key=lambda x: x.i)
                stop = cc.i if cc is not None else conj.left_edge.i
                return _trimmed(sent, verb, list(verb.doc[head.left_edge.i:stop]))
    return None


_SUBORDINATORS_READ_AS_PREPOSITIONS = frozenset({"after", "before", "since", "until"})


def subject_read_as_object(verb: Token) -> Token | None:
    """"24 hours after White House officials — seeking to clarify ... — said his only "regret" was ...": a verb
    without a subject right after the object of "after" (or "before", "since", "until"), which the parser read as a
    preposition, though it opens the clause: that object is the verb's subject. A dash or parenthesis aside may stand
    between; nothing else."""
    doc = verb.doc
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    i = verb.i - 1
    while i >= 0 and doc[i].head.i == verb.i and doc[i].dep_ in ("aux", "neg", "advmod"):
        i -= 1
    if i >= 0 and doc[i].text in _DASHES:  # a closing dash: back to the one opening the aside
        opening = next((j for j in range(i - 1, max(verb.sent.start, i - 40) - 1, -1) if doc[j].text == doc[i].text),
                       None)
        i = opening - 1 if opening is not None else -1
    if i < 0 or i < verb.sent.start:
        return None
    noun = doc[i]
    if noun.dep_ == "pobj" and noun.head.lower_ in _SUBORDINATORS_READ_AS_PREPOSITIONS \
            and noun.pos_ in ("NOUN", "PROPN", "PRON") and noun.head.i < noun.i:
        return noun
    return None
