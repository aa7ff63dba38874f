"""Proposers: the named rules that find reporting cues, each a function of one token of a parsed sentence returning
a :class:`Proposal` (or None) and writing nothing. A proposal says where the cue is, which words name its source
(resolved later, by kg.extract.resolver) and what it reports; it holds no speaker.

Precedence between the rules is :data:`PROPOSERS`, in order: a token is proposed by the first rule that proposes
it, and by no other. The rules look at different words (the word "according", a noun of saying, a sentence-opening
verb before a name, any other reporting verb), so the order only decides the inverted cue ("Said Trump: ...") over
the plain reporting verb it also is.

The rules and the method they give their claims:

* ``according-to``: "..., according to Ross": the object of "to" is the source, the rest of the sentence the content
  (the whole sentence when the phrase stands between the subject and its verb: "Tariffs have, according to Ross,
  hurt exporters");
* ``noun-of-saying``: "White House warnings that ...", "a warning from Ross that ...", "Ross repeated the claim
  that ...", "her threat to block ...": the possessor, a name before the noun, the object of "from"/"by", or the
  subject of a verb issuing the statement; a noun of saying without one proposes nothing;
* ``inverted-cue``: "Said Trump: "..."", "Added Ross, "..."": a sentence opening with a reporting verb, then a name
  and a colon or comma; no content of its own (the quote after it is);
* ``raised-report`` (kg.extract.raising): "X appeared to suggest that ...", an infinitive under a verb of seeming
  or going on;
* ``reporting-verb`` and ``participial`` (", saying ..."): a reporting verb or phrase of the lexicon
  (kg.extract.content) with its subject and the content clause(s), object or non-clausal frame it reports;
* ``quoting-verb``: "“...,” he continued": a verb that only attributes the quote it adjoins (``quoting`` in
  verbs.json); no content of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from spacy.tokens import Token

from kg.extract.content import (
    LEXICON,
    TRIM_LEFT,
    TRIM_RIGHT,
    content_of,
    further_contents,
    noun_content,
    saying_noun,
    speech_base,
)
from kg.extract.document import Document, Sentence
from kg.extract.frames import (
    absolute_subject,
    cue_words,
    document_issuer,
    inference_on_passive,
    infinitive,
    inverted_subject,
    passive_unsaid,
    subject_of,
)
from kg.extract.lemmas import lemma
from kg.extract.raising import raised_report

Span = tuple[int, int]


class Need(Enum):
    """What the resolver must find for the source of a proposal, else it is dropped."""

    SPEAKER = "speaker"  # any speaker, resolved or as the text's words
    NAMED = "named"  # a speaker the article names (a key)
    OPTIONAL = "optional"  # none is needed (the frame still attributes a quote beside it)
    NEARBY = "nearby"  # no parsed subject: a misread surname opening the sentence or the nearest name before


@dataclass(frozen=True)
class Proposal:
    """A reporting cue found by a rule: ``token`` in ``sentence``, the ``source`` token naming who said it (None
    when the parse gives no subject), the content span(s) reported (None: the cue reports no words of its own),
    the cue words, the rule (``method``), what the resolver must find, whether the contents are reports a later
    pronoun should not look into (``reports``), and whether coordinated subjects each speak (``coordinated``)."""

    method: str
    token: Token
    sentence: Sentence
    source: Token | None
    contents: tuple[Span | None, ...]
    cue: str
    need: Need
    according: bool = False
    reports: bool = False
    coordinated: bool = False


_UP_TO_WITHHOLDING = frozenset({"xcomp", "pcomp", "prep", "advmod", "acomp", "npadvmod"})


def withheld(verb: Token) -> bool:
    """"stopped short of saying", "refrained from saying", "declined to say whether", "failed to mention": the
    reporting verb depends on a verb saying the report was not made (lexicon ``withholding``)."""
    t = verb
    for _ in range(4):
        if t.dep_ not in _UP_TO_WITHHOLDING or t.head.i == t.i:
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX") and lemma(t) in LEXICON.withholding:
            return True
    return False


# A proposer returns its Proposal, None when the token is not its kind of cue (the next rule is tried), or OWNED
# when it is but no source is named ("according" without an object, a noun of saying with no one named): nothing
# is proposed and no later rule gets the token.
OWNED: Literal[False] = False
Proposer = Callable[[Document, Sentence, Token], Proposal | Literal[False] | None]


def _inside_its_clause(word: Token, left: int, right: int) -> bool:
    """Whether an "according to" phrase stands inside the clause it tags, between the subject and the verb it
    modifies ("Tariffs have, according to Euler Hermes, affected UK firms"; the lead's decision on dev8's question:
    the claim is the clause, not the words before the tag). A tag before or after its clause is not."""
    verb = word.head
    if verb.pos_ not in ("VERB", "AUX") or not left > verb.left_edge.i:
        return False
    heads = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]  # "Tariffs have, ..., affected"
    subject = next((c for h in heads for c in h.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    return subject is not None and subject.i < left and verb.i > right


def according_to(doc: Document, sent: Sentence, word: Token) -> Proposal | Literal[False] | None:
    """"..., according to Ross": the source is the object of "to"; the content the rest of the sentence, on the
    side of the phrase that has more of it."""
    if word.lower_ != "according":
        return None
    to = next((c for c in word.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return OWNED
    left, right = word.left_edge.i, max(t.i for t in word.subtree)
    toks = sent.span
    if _inside_its_clause(word, left, right):  # "X have, according to Y, spoken since ...": the whole clause
        content = list(toks)
    elif left - toks.start > right - left:  # the phrase follows the content
        content = [t for t in toks if t.i < left]
    else:
        content = [t for t in toks if t.i > right]
    while content and (content[0].text in TRIM_LEFT or content[0].is_space or content[0].is_punct):
        content = content[1:]
    while content and (content[-1].text in TRIM_RIGHT or content[-1].is_space or content[-1].is_punct):
        content = content[:-1]
    span = (sent.char(content[0]), sent.char_end(content[-1])) if len(content) >= 3 else None
    return Proposal("according-to", word, sent, source, (span,), "according to", Need.SPEAKER, according=True)


def noun_of_saying(doc: Document, sent: Sentence, noun: Token) -> Proposal | Literal[False] | None:
    """"White House warnings that ...", "his claim that ...", "a warning from Ross that ...", "Ross repeated the
    claim that ...": the source is the possessor, a name before the noun, the object of "from"/"by", or the
    subject of a verb issuing the statement; without one there is no frame."""
    clause = saying_noun(noun)
    if clause is None or doc.in_quote(sent.char(noun), sent.char_end(noun)):
        return None
    source = next((c for c in noun.children if c.dep_ in ("poss", "compound") and c.i < noun.i), None)
    if source is None:
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "by")), None)
        after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if prep is None and after is not None and after.dep_ == "prep" and after.lower_ in ("from", "by"):
            prep = after  # "complaints from X that ...", the parser hung "from X" on the verb
        source = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if source is None and noun.dep_ == "dobj" and lemma(noun.head) in LEXICON.issuing_verbs:
        source = subject_of(noun.head)
    if source is None:
        return OWNED
    return Proposal("noun-of-saying", noun, sent, source, (noun_content(sent, noun, clause),), noun.text, Need.NAMED,
                    reports=True)


def inverted_cue(doc: Document, sent: Sentence, word: Token) -> Proposal | None:
    """"Said Trump: "..."": the name after a sentence-opening reporting verb is the source; no content."""
    source = inverted_subject(doc, sent, word)
    if source is None:
        return None
    return Proposal("inverted-cue", word, sent, source, (None,), word.text, Need.OPTIONAL)


def reporting_verb(doc: Document, sent: Sentence, verb: Token) -> Proposal | None:
    """A reporting verb or phrase with its subject and what it reports: not a modifier ("a widely criticized
    method", "the visit, promised by May"), an intention ("wants to make clear"), a negation or a cue inside a
    quote. A participle after a comma (", saying ...") is its own rule, ``participial``."""
    base = speech_base(verb)
    if base is None or verb.dep_ == "amod" or verb.dep_ == "acl" and verb.tag_ == "VBN" or infinitive(verb) \
            or any(c.dep_ == "neg" for c in verb.children) or doc.in_quote(sent.char(verb), sent.char_end(verb)) \
            or withheld(verb):
        return None
    subject = subject_of(verb)
    if subject is None:
        subject = document_issuer(verb) or absolute_subject(verb)
    if subject is None and (passive_unsaid(verb) or inference_on_passive(verb)):
        return None
    contents = (content_of(sent, verb, base), *further_contents(sent, verb))
    method = "participial" if verb.tag_ == "VBG" else "reporting-verb"
    return Proposal(method, verb, sent, subject, contents, cue_words(verb, subject),
                    Need.SPEAKER if subject is not None else Need.NEARBY, reports=True,
                    coordinated=subject is not None)


def quoting_verb(doc: Document, sent: Sentence, verb: Token) -> Proposal | None:
    """"“We are not done,” she continued", "Trump continued: “...”": a finite verb of ``quoting`` with a subject and
    nothing of its own outside quotes (no object, complement or preposition) that a quote adjoins (closing right
    before its subject, or opening right after it) attributes that quote; it reports no clause, so it never ends
    another's content as a second report ("would continue to negotiate" is no cue)."""
    if verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBZ", "VBP") or lemma(verb) not in LEXICON.quoting_verbs \
            or doc.in_quote(sent.char(verb), sent.char_end(verb)):
        return None
    if any(c.dep_ in ("dobj", "xcomp", "prep", "neg", "attr", "acomp", "ccomp")
           and not doc.in_quote(sent.char(c.left_edge), sent.char_end(c.right_edge)) for c in verb.children):
        return None
    subject = subject_of(verb)
    if subject is None or subject.i > verb.i:
        return None
    before, after = sent.char(subject.left_edge), sent.char_end(verb)
    adjoins = any(q.close is not None and not doc.text[q.close + 1:before].strip()
                  or doc.text[after:q.open].strip() in (":", ",") for q in doc.quotes
                  if q.open < before + 400 and q.open > before - 2000)
    if not adjoins:
        return None
    return Proposal("quoting-verb", verb, sent, subject, (None,), cue_words(verb, subject), Need.SPEAKER)


PROPOSERS: tuple[Proposer, ...] = (according_to, noun_of_saying, inverted_cue, raised_report, reporting_verb,
                                   quoting_verb)


def propose(doc: Document, proposers: tuple[Proposer, ...] = PROPOSERS) -> list[Proposal]:
    """Every proposal of ``doc`` in text order (headings and page furniture give none)."""
    out = []
    for sent in doc.sentences:
        if sent.heading:
            continue
        for t in sent.span:
            for rule in proposers:
                found = rule(doc, sent, t)
                if found is not None:
                    if found is not OWNED:
                        out.append(found)
                    break
    return out
