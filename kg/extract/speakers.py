"""Who a subject phrase names: a person or organisation mentioned in it, or one a pronoun or a description
("the president", "the rail group", "the summary") refers back to. Sources can be people, organisations,
governments or documents (a document speaks for whoever issued it)."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.discourse import Discourse
from kg.extract.document import Document, NameMention, Sentence
from kg.extract.gender import PRONOUN_GENDER
from kg.extract.lexicon import load_lexicon
from kg.extract.posts import ROLE_WORDS
from kg.extract.roles import TITLE_WORDS
from kg.reference import Reference

PERSON_PRONOUNS = frozenset({"he", "she"})
LEXICON = load_lexicon()
DOCUMENT_NOUNS = LEXICON.document_nouns
ORGANIZATION_NOUNS = LEXICON.organization_nouns
# Things that are reported on but cannot state anything themselves.
_MUTE_NOUNS = LEXICON.mute_nouns
_PEOPLE = ("Person", "Official")
_BODIES = ("Organization", "GovernmentBody")


@dataclass(frozen=True)
class Speaker:
    """A resolved (or unresolved, ``key`` None) speaker. ``how``: "name", "pronoun", "description", "unresolved"."""

    key: str | None
    text: str
    confidence: float
    how: str


_POSSESSIVES = {"his": "he", "her": "she", "its": "it", "their": "they", "my": "i", "our": "we", "your": "you"}
_QUANTIFIERS = ("one", "some", "many", "others", "both", "all")
_ON_BEHALF = frozenset({"for", "of", "at", "with", "from", "by", "in"})
_ASIDE_OPENERS = frozenset({"—", "–", "--", "(", "-"})
_SENTENCE_OPENERS = frozenset({".", "!", "?", ":", ";", "(", "“", "—", "–"})


def phrase_tokens(subject: Token) -> list[Token]:
    """The words of a subject phrase up to its head and the name it starts ("Ross, who is ..." -> "Ross"), with
    the body it speaks for or comes from ("a spokesman for X", "a report by X"), not a relative clause."""
    words = [t for t in subject.subtree if t.i <= subject.i]
    for c in subject.children:
        if c.i > subject.i and (c.dep_ in ("compound", "flat", "appos") or c.dep_ == "prep"
                                and c.lower_ in _ON_BEHALF):
            words.extend(c.subtree)
    words.sort(key=lambda t: t.i)
    # an aside after the head, set off by a dash or a parenthesis, describes the speaker for the reader and names
    # no one who speaks: "Canada — the biggest foreign supplier of steel to the U.S. — said", "Singapore's top
    # diplomat – his island is one of the 12 TPP countries – noted"
    doc = subject.doc
    end = words[-1].i if words else subject.i
    opener = next((t.i for t in doc[subject.i + 1:end + 1] if t.text in _ASIDE_OPENERS
                   and (t.text != "-" or doc[t.i - 1].whitespace_)), None)  # "Ocasio-Cortez" is no aside
    return [t for t in words if t.i < opener] if opener is not None else words


def resolve(doc: Document, sent: Sentence, subject: Token, reference: Reference,
            discourse: Discourse | None = None) -> Speaker | None:
    """The speaker a subject token names, or None when it cannot be a source (first or second person, "there").

    ``discourse`` is what the article has established before ``subject`` (genders, reported spans: see
    :mod:`kg.extract.discourse`); a pronoun resolved here is recorded in it. Without one, the state the rule stages
    ended with (``doc.discourse``) is used, for stages that run after them."""
    if discourse is None:
        discourse = after_rules(doc)
    lower = _POSSESSIVES.get(subject.lower_, subject.lower_)  # "his claim that ...": he
    text = doc.text[sent.char(subject.left_edge):sent.char_end(subject)] if subject.left_edge.i <= subject.i \
        else subject.text
    for child in subject.children:  # "a Commerce Ministry spokesman, Gao Feng", "one of its suppliers, Syncreon"
        if child.dep_ == "appos":
            m = doc.mention_at(sent, child)
            if m and (m.type in _PEOPLE or m.type in _BODIES and lower in _QUANTIFIERS):
                return Speaker(m.key, m.text, m.confidence, "name")
    partitive = _partitive(doc, sent, subject)
    if partitive is not None:  # "two of the engineers said": the group as written
        return partitive
    if lower == "they" and subject.dep_ == "nsubj":
        return _they(doc, sent, subject)
    if lower == "others":  # "some officials ..., others said": the rest of that group, else nobody
        return _others_after_some(doc, sent, subject)
    if lower in ("i", "we", "you", "there", "this", "that", "which", "what", "who", "they", "these",
                 "those", *_QUANTIFIERS):
        return None
    if subject.ent_type_ in ("DATE", "TIME"):  # "Friday and Beijing announced": a day does not speak
        return None
    where = sent.char(subject)
    mention = doc.mention_at(sent, subject)
    if mention and mention.type != "Country":
        return Speaker(mention.key, mention.text, mention.confidence, "name")
    if subject.text[:1].isupper() and subject.pos_ in ("PROPN", "NOUN"):
        # a surname the model did not tag ("Holtz-Eakin said", "Scissors said"): the article's fuller name
        left = doc.text[sent.char(subject.left_edge):sent.char_end(subject)] if subject.left_edge.i < subject.i \
            else subject.text
        for form in (left, subject.text):
            if form in doc.surnames:
                return Speaker(doc.surnames[form], form, 0.7, "name")
    if lower in PERSON_PRONOUNS:
        if subject.text in doc.surnames and _inside_sentence(sent, subject):
            # ""I think there will be talk," He said": the surname of He Weiwen, not a pronoun
            return Speaker(doc.surnames[subject.text], subject.text, 0.7, "name")
        return _pronoun(doc, where, lower, discourse)
    if lower == "it":
        return _subject_above(doc, sent, subject) or _it(doc, where, discourse)
    words = phrase_tokens(subject)
    inside = doc.mentions_between(sent.char(words[0]), sent.char_end(words[-1])) if words else []
    if mention and mention.type == "Country" and not inside:
        inside = [mention]
    head = lower.rstrip("s") if lower.endswith("s") and lower.rstrip("s") in ROLE_WORDS else lower
    phrase = doc.text[sent.char(words[0]):sent.char_end(words[-1])] if words else text
    if head in _MUTE_NOUNS and not inside:  # "The agreement adds a "sunset" clause": an agreement does not speak
        return None
    if head in DOCUMENT_NOUNS:
        named = [m for m in inside if m.type != "Country"]
        if named:  # "a report by the Commerce Department"
            return Speaker(named[0].key, phrase, 0.8 * named[0].confidence, "description")
        return _document(doc, where, subject, phrase)
    if head in ROLE_WORDS and _indefinite(subject) and not inside:
        # "a senior administration official", "one negotiator": an anonymous source, never a known holder ("a
        # spokesman for the Commerce Department" speaks for it, "a U.S. official" for the country, below)
        return Speaker(None, _group(doc, sent, subject), 0.4, "unresolved")
    # a spokesman or official for / of / at a named body or person speaks for it
    for kinds in (_PEOPLE, _BODIES, ("Country",)):
        named = [m for m in inside if m.type in kinds]
        if named and kinds == ("Country",) and head in ROLE_WORDS and subject.tag_ != "NNS":
            holder = _role(doc, where, head, phrase, reference, [m.known.country for m in named if m.known],
                           discourse)
            if holder.key:  # "the U.S. president": the one holder of that post, else the country speaks
                return holder
        if named and kinds == _BODIES and head in _OFFICES and not _indefinite(subject):
            # "the Senate majority leader" holds an office of the body: its holder, never the body itself
            return _office_holder(doc, where, words, phrase, reference)
        if named and kinds == _PEOPLE and head in ORGANIZATION_NOUNS and subject.pos_ == "NOUN" \
                and all(m.tokens[1] - 1 != subject.i for m in named):
            # "the Trump administration", "Trump's campaign", "the administration of President X": a body named
            # after a person is not that person; a body the phrase names speaks, else the words stay as written
            bodies = [m for m in inside if m.type in _BODIES]
            if bodies:
                return Speaker(bodies[-1].key, phrase, 0.85 * bodies[-1].confidence, "description")
            return Speaker(None, _group(doc, sent, subject), 0.4, "unresolved")
        if named and kinds == _PEOPLE and (head in ROLE_WORDS or subject.lower_ in _PEOPLE_WORDS) \
                and subject.tag_ == "NNS" and all(m.tokens[1] - 1 != subject.i for m in named):
            # "Trump's trade representatives", "advisers to Mrs. May", "Trump's Republican allies": several people
            # who work for or side with the one named, not that person: the group as written (one of them, "Trump's
            # spokesman", still speaks for him; "Trump's remarks", no people, are still his)
            return Speaker(None, _group(doc, sent, subject), 0.4, "unresolved")
        if named:
            m = named[-1] if kinds != _PEOPLE else named[0]
            how = "name" if m.tokens[1] - 1 == subject.i else "description"
            return Speaker(m.key, phrase, m.confidence * (1.0 if how == "name" else 0.85), how)
    if _vague_crowd(subject, head):
        # "critics say", "analysts say": no source; but "the people said" after "people familiar with the matter"
        # is that source again, an anonymous one
        return _crowd_named_before(doc, sent, subject)
    members = group_members(doc, sent, subject, reference)
    if members:  # "Both mayors said": the first of the two named before (the frame adds the other)
        return members[0]
    if head in ROLE_WORDS and subject.tag_ == "NNS":  # "officials said": several people, none named
        return Speaker(None, _group(doc, sent, subject), 0.4, "unresolved")
    if head in ROLE_WORDS and (subject.pos_ == "NOUN" or subject.text.islower()):
        return _role(doc, where, head, phrase, reference, [m.known.country for m in inside
                                                          if m.type == "Country" and m.known], discourse)
    if head in ORGANIZATION_NOUNS and any(c.lower_ == "the" for c in subject.children):
        body = _definite_body(doc, sent, subject, phrase, discourse)
        if body is not None:
            return body
    if not _can_speak(subject, head):
        return None  # "the delay underscores": no source
    if subject.pos_ in ("PROPN", "NOUN") and phrase:
        return Speaker(None, _group(doc, sent, subject), 0.4, "unresolved")
    return None


def _inside_sentence(sent: Sentence, word: Token) -> bool:
    """Whether ``word`` stands inside its sentence rather than opening it (or a quote or a clause after a colon):
    a capital there is a name's."""
    if word.i == sent.span.start:
        return False
    before = word.doc[word.i - 1]
    if before.text in _SENTENCE_OPENERS:
        return False
    if before.is_quote:  # a closing mark after a comma: ""...," He said"; else the quote opened the sentence
        return word.i - 2 >= sent.span.start and word.doc[word.i - 2].text == ","
    return True


def after_rules(doc: Document) -> Discourse:
    """The discourse state the rule stages ended with, for a stage after them; a fresh one before they ran."""
    if doc.discourse is None:
        doc.discourse = Discourse.start(doc)
    return doc.discourse


VAGUE_CROWDS = LEXICON.vague_crowds
PEOPLE_NOUNS = LEXICON.people_nouns


_PEOPLE_WORDS = PEOPLE_NOUNS | VAGUE_CROWDS  # plural nouns of people, described ("Trump's critics") or not


def _vague_crowd(subject: Token, head: str) -> bool:
    """A bare crowd noun ("Critics say", "Many analysts say"), with no word saying whose, where from or which."""
    if head not in VAGUE_CROWDS and subject.lower_ not in VAGUE_CROWDS:
        return False
    return not any(c.dep_ in ("prep", "acl", "relcl", "compound", "poss", "nummod", "appos", "amod")
                   and not (c.dep_ == "amod" and c.lower_ in ("many", "some", "other", "most"))
                   for c in subject.children)


def _crowd_named_before(doc: Document, sent: Sentence, subject: Token) -> Speaker | None:
    """"The people said" (or "the sources", "the analysts"): a definite plural crowd refers back to the nearest
    earlier phrase of the same noun that says who they are ("people familiar with the matter", "sources close to
    the talks"), within six sentences, kept as those words (an anonymous source); None when there is none."""
    if subject.tag_ not in ("NNS", "NNPS") or not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those")
                                                      for c in subject.children):
        return None
    for earlier in reversed(doc.sentences[max(0, sent.index - 6):sent.index + 1]):
        if earlier.heading:
            continue
        for t in reversed(list(earlier.span)):
            if t.i >= subject.i and earlier is sent or t.lower_ != subject.lower_ or t.dep_ not in ("nsubj", "pobj"):
                continue
            if not _vague_crowd(t, t.lower_) and not doc.in_quote(earlier.char(t), earlier.char_end(t)):
                return Speaker(None, _group(doc, earlier, t), 0.4, "description")
    return None


def _others_after_some(doc: Document, sent: Sentence, subject: Token) -> Speaker | None:
    """"While some officials described Trump as jolted ..., others said ...": a bare "others" after "some" of a
    plural group in its sentence or the one before is the rest of that group, an anonymous source as the first
    (kept as "others"), not a vague crowd."""
    if subject.lower_ != "others" or any(True for _ in subject.children):
        return None
    for earlier in doc.sentences[max(0, sent.index - 1):sent.index + 1]:
        for t in earlier.span:
            if t.i < subject.i or earlier is not sent:
                if t.tag_ in ("NNS", "NNPS") and t.pos_ == "NOUN" \
                        and any(c.lower_ == "some" and c.dep_ in ("det", "amod") for c in t.children):
                    return Speaker(None, subject.text, 0.4, "unresolved")
    return None


def _can_speak(subject: Token, head: str) -> bool:
    """Whether a subject no name resolves can be a source: a proper noun, a plural, or a singular noun naming a
    person, a body, a role or a document; not an abstract subject ("the delay underscores", "the episode
    suggests")."""
    if subject.pos_ != "NOUN" or subject.tag_ == "NNS":  # a plural noun names a group: "MPs", "studies say"
        return True
    return head in ROLE_WORDS or head in ORGANIZATION_NOUNS or head in DOCUMENT_NOUNS or head in PEOPLE_NOUNS \
        or subject.lower_ in PEOPLE_NOUNS or subject.lower_ + "s" in PEOPLE_NOUNS \
        or subject.lower_.rstrip("s") in ORGANIZATION_NOUNS \
        or any(c.dep_ == "prep" and c.lower_ == "of" and c.head.like_num for c in subject.children)


def _partitive(doc: Document, sent: Sentence, subject: Token) -> Speaker | None:
    """"Two of the engineers", "some of the delegates": a number or quantifier of a plural group, kept as written
    (unresolved); None for anything else (or "one of its suppliers, Magna", which names its member)."""
    if not (subject.like_num or subject.lower_ in _QUANTIFIERS) or any(c.dep_ == "appos" for c in subject.children):
        return None
    group = next((o for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                  for o in c.children if o.dep_ == "pobj" and o.tag_ in ("NNS", "NNPS")), None)
    if group is None or group.lower_ in _MUTE_NOUNS:  # a number "of the X" who say something are people
        return None
    return Speaker(None, doc.text[sent.char(subject.left_edge):sent.char_end(group)], 0.4, "unresolved")


def people_noun(noun: Token) -> bool:
    """A noun that names people or bodies able to state something ("engineers", "unions", "officials")."""
    lower = noun.lower_
    single = lower[:-1] if lower.endswith("s") else lower
    return any(w in words for w in (lower, single) for words in (ROLE_WORDS, ORGANIZATION_NOUNS, PEOPLE_NOUNS))


def _they(doc: Document, sent: Sentence, pronoun: Token) -> Speaker | None:
    """They: the plural subject of this or one of the two sentences before in the paragraph that names people or
    bodies ("The nurses' unions of Ohio and Indiana met. They said ..."), as written; in a paragraph's first
    sentence also of the last sentence of the paragraph before ("Chinese officials accused the US of ... ¶ They
    said ..."); None when there is none."""
    for earlier in reversed(doc.sentences[max(0, sent.index - 2):sent.index + 1]):
        if earlier.heading or earlier.paragraph != sent.paragraph and not _ends_paragraph_before(earlier, sent):
            continue
        for t in earlier.span:
            if earlier is sent and t.i >= pronoun.i:
                break
            if t.dep_ == "nsubj" and t.tag_ in ("NNS", "NNPS") and t.pos_ == "NOUN" and people_noun(t) \
                    and not doc.in_quote(earlier.char(t), earlier.char_end(t)):
                return Speaker(None, _group(doc, earlier, t), 0.4, "pronoun")
    return None


def _ends_paragraph_before(earlier: Sentence, sent: Sentence) -> bool:
    """Whether ``earlier`` is the last sentence of the paragraph just before the one ``sent`` opens."""
    return earlier.index == sent.index - 1 and earlier.paragraph == sent.paragraph - 1


def _definite_body(doc: Document, sent: Sentence, subject: Token, phrase: str,
                   discourse: Discourse) -> Speaker | None:
    """"The ministry", "the commission": the nearest noun phrase before with the same head noun ("Austria's transport
    ministry"), the body it names or stands in apposition to if any, else the words of that phrase; only without such
    a phrase the nearest body named before (passing over one after a preposition: "In the filing to the SEC, the
    company said" is Harley-Davidson), else None."""
    where = sent.char(subject)
    for earlier in reversed(doc.sentences[max(0, sent.index - 6):sent.index + 1]):
        if earlier.heading:
            continue
        for t in reversed(list(earlier.span)):
            if earlier.char(t) >= where or t.lower_ != subject.lower_ or t.pos_ not in ("NOUN", "PROPN"):
                continue
            words = phrase_tokens(t)
            named_by = doc.mention_at(earlier, t.head) if t.dep_ == "appos" else None
            if named_by is not None and named_by.type in _BODIES:  # "Harley-Davidson, the Milwaukee-based company"
                return Speaker(named_by.key, phrase, 0.6, "description")
            if len(words) <= 2 and all(w.lower_ in ("the", t.lower_) for w in words):
                continue  # another bare "the ministry": look further back
            start, end = earlier.char(words[0]), earlier.char_end(words[-1])
            named = [m for m in doc.mentions_between(start, end) if m.type in _BODIES]
            if named:
                return Speaker(named[-1].key, phrase, 0.6, "description")
            return Speaker(None, doc.text[start:end], 0.45, "description")
    found = _nearest_body(doc, where, discourse)
    if found is not None:
        return Speaker(found.key, phrase, 0.6, "description")
    return None


def _group(doc: Document, sent: Sentence, subject: Token) -> str:
    """How an unresolved speaker is named: the noun phrase with what says where its members come from
    ("Economists from the University of Chicago", "Officials from both countries"), without a relative clause,
    an apposition or an adverb before it ("So far 26 MPs have said" -> "26 MPs")."""
    # a coordinated group is named whole ("labor unions and consumer groups, who said ..."), each noun without its
    # own relative clause or apposition
    nouns = [subject, *(c for c in subject.children if c.dep_ == "conj" and c.pos_ == "NOUN" and c.i > subject.i
                        and subject.pos_ == "NOUN")]
    dropped = {t.i for n in nouns for c in n.children if c.dep_ in ("relcl", "appos", "acl", "punct")
               for t in c.subtree}
    # a clause on a noun further in ("MPs from all sides [complaining that ...]", the parse's attachment) goes too
    dropped |= {t.i for c in subject.subtree if c.dep_ in ("relcl", "acl") and c.i > subject.i for t in c.subtree}
    dropped |= {t.i for a in subject.subtree if a.dep_ in ("advmod", "npadvmod") and a.i < subject.i
                for t in a.subtree}
    words = [t for t in subject.subtree if t.i not in dropped and (t.i <= subject.i or any(
        a.dep_ in ("compound", "flat") or a.dep_ == "prep" and a.lower_ in _ON_BEHALF
        or a.dep_ == "amod" and a.i > subject.i  # "people familiar with the matter", "sources close to the talks"
        or a.dep_ == "conj" and a in nouns or a.dep_ == "cc" and len(nouns) > 1
        for a in (t, *t.ancestors) if a.head.i == subject.i))]
    while words and (words[-1].is_punct or words[-1].is_space):
        words.pop()
    return doc.text[sent.char(words[0]):sent.char_end(words[-1])] if words else subject.text


def _pronoun(doc: Document, where: int, word: str, discourse: Discourse) -> Speaker | None:
    """He or she: the nearest person of that gender (unknown gender fits either) named before, outside quotes,
    within a few paragraphs. A name inside what someone was reported to say, inside a parenthesis, or after a
    preposition ("speaking alongside Mr Mnuchin") is taken only when no other person fits, and then only a known
    one or one whose gender the article gives ("better known as actress Meghan Markle. ... she called ...")."""
    here = doc.sentence_at(where)
    want = PRONOUN_GENDER[word]
    known = discourse.genders

    def people() -> Iterator[NameMention]:
        for m in doc.mentions_before(where):
            if here and here.paragraph - doc.sentences[m.sentence].paragraph > 3:
                return
            if m.type in _PEOPLE and not doc.in_quote(m.start, m.end) and known.get(m.key, want) == want \
                    and not _bare_model_name(doc, m, known) and not doc.sentences[m.sentence].heading:
                yield m

    found, _ = _prefer_plain(doc, discourse, people(), fallback_ok=lambda m: m.known is not None
                             or known.get(m.key) == want)  # a gender the article gives: "as actress Meghan Markle"
    if found is not None and not _named_as_subject(doc, found):
        # "Geng Shuang appeared to dispute Trump's claim that ... ¶ "...," he said": the subject of that sentence,
        # not a possessive or an object after it
        found = next((m for m in people() if m.sentence == found.sentence and m.start < found.start
                      and _named_as_subject(doc, m) and not _aside(doc, m, discourse)), found)
    last = discourse.last_speaker
    spoke_in = doc.sentence_at(last[1]) if last is not None else None
    overtaken = last is not None and found is not None and found.start > last[1] and _named_as_subject(doc, found)
    if last is not None and last[0] is None and here is not None and spoke_in is not None \
            and _body_paragraphs_apart(doc, spoke_in, here) <= 1 and not overtaken:
        # "..., the New York Democrat said. He added": an unnamed person spoke last; "he" is them, kept as the
        # article's words (an anonymous source), never an earlier name
        return Speaker(None, discourse.last_unnamed, 0.5, "pronoun") if discourse.last_unnamed else None
    if last is not None and last[0] is not None and here is not None and spoke_in is not None \
            and (found is None or found.key != last[0]) and known.get(last[0], want) == want \
            and _body_paragraphs_apart(doc, spoke_in, here) <= 1 and not overtaken:
        # "..., Nigel Dodds told BBC News. He said he expected ...": the person who spoke last, unless someone has
        # been named as the subject of a clause since (a name in an object, a possessive or a quote is not)
        discourse.remember(last[0], word)
        return Speaker(last[0], word, 0.7, "pronoun")
    if found is None:
        return None
    discourse.remember(found.key, word)
    return Speaker(found.key, word, 0.8 * found.confidence, "pronoun")


def _body_paragraphs_apart(doc: Document, earlier: Sentence, later: Sentence) -> int:
    """How many paragraphs ``later`` is after ``earlier``, not counting headings and link lines between ("..., he
    said. ¶ SEE ALSO: ... ¶ He also ..." is one paragraph on)."""
    between = {s.paragraph for s in doc.sentences[earlier.index + 1:later.index]
               if s.heading and earlier.paragraph < s.paragraph < later.paragraph}
    return later.paragraph - earlier.paragraph - len(between)


def _bare_model_name(doc: Document, m: NameMention, known: Container[str]) -> bool:
    """A one-word name the model alone calls a person, never written with more words in the article, with no
    gender from a title, first name or earlier pronoun, and not the subject of its clause ("May's Brexit letter",
    "would cancel Brexit"): too often no person at all for "he" or "she" to point back to."""
    if m.known is not None or m.key in known or " " in m.text.strip() or "-" in m.text or _named_as_subject(doc, m):
        return False
    return not any(o.key == m.key and " " in o.text.strip() for o in doc.mentions)


def _named_as_subject(doc: Document, m: NameMention) -> bool:
    """Whether the name is the subject of its clause (the last word of the name, through compounds)."""
    t = doc.sentences[m.sentence].span.doc[m.tokens[1] - 1]
    while t.dep_ in ("compound", "flat") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("nsubj", "nsubjpass")


def _prefer_plain(doc: Document, discourse: Discourse, candidates: Iterable[NameMention],
                  fallback_ok: Callable[[NameMention], bool] = lambda m: True) -> tuple[NameMention | None, bool]:
    """The first candidate not in an aside (:func:`_aside`), else the first one in an aside that ``fallback_ok``
    accepts; with whether the one returned is plain."""
    fallback = None
    for m in candidates:
        if not _aside(doc, m, discourse):
            return m, True
        if fallback is None and fallback_ok(m):
            fallback = m
    return fallback, False


def _aside(doc: Document, m: NameMention, discourse: Discourse) -> bool:
    """A name a pronoun is unlikely to point back to: the object of a preposition ("on Twitter", "with
    Trudeau"), inside a parenthesis or dashes, or inside the content of a reported claim."""
    sent = doc.sentences[m.sentence]
    tokens = sent.span.doc
    last = tokens[m.tokens[1] - 1]
    while last.dep_ in ("conj", "appos") and last.head.i != last.i:  # "with Merkel and Dutch PM Mark Rutte"
        last = last.head
    if last.dep_ == "pobj":
        return True
    if doc.text[m.end:m.end + 1] in ("-", "–") and doc.text[m.end + 1:m.end + 2].isalpha():
        return True  # a name inside a compound modifier: "this Trump-appropriate analogy"
    if discourse.in_report(m.start, m.end):
        return True
    before = doc.text[sent.start:m.start]
    if before.count("(") > before.count(")"):
        return True
    return any(before.count(dash) % 2 == 1 for dash in (" - ", " – ", "—"))  # an odd dash opens an aside


def _subject_above(doc: Document, sent: Sentence, pronoun: Token) -> Speaker | None:
    """"The United States is seeking reforms to practices that it says ...": "it" in a clause below the main verb
    is the country or body that is the main verb's subject before it, when there is one."""
    root = sent.span.root
    if pronoun.head.i == root.i:
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i), None)
    mention = doc.mention_at(sent, subject) if subject is not None else None
    if mention is None or mention.type not in (*_BODIES, "Country"):
        return None
    return Speaker(mention.key, "it", 0.6, "pronoun")


def _it(doc: Document, where: int, discourse: Discourse) -> Speaker | None:
    """It: the nearest organisation or government body named in this or the two sentences before, passing over
    one in an aside or after a preposition ("a report on NAFTA") unless no other fits."""
    found = _nearest_body(doc, where, discourse, sentences=2)
    return Speaker(found.key, "it", 0.55, "pronoun") if found else None


def _nearest_body(doc: Document, where: int, discourse: Discourse,
                  sentences: int | None = None) -> NameMention | None:
    """The nearest organisation or government body named before ``where`` outside quotes (within ``sentences``
    sentences when given), preferring one that is not in an aside (see :func:`_aside`)."""
    here = doc.sentence_at(where)

    def bodies() -> Iterator[NameMention]:
        for m in doc.mentions_before(where):
            if sentences is not None and here and here.index - m.sentence > sentences:
                return
            if m.type in _BODIES and not doc.in_quote(m.start, m.end):
                yield m

    return _prefer_plain(doc, discourse, bodies())[0]


def _document(doc: Document, where: int, subject: Token, phrase: str) -> Speaker:
    """A document speaks for who issued it: the body or person named in the phrase that introduced it before
    ("a summary published online by X", "X's report")."""
    noun = subject.lower_
    issuer = _issuer_of_means(doc, doc.sentence_at(where), subject)
    if issuer is not None:  # "Trump pushed back, with a tweet saying ...": his tweet
        return Speaker(issuer.key, phrase, 0.8 * issuer.confidence, "description")
    # "another study", "a new report": a document introduced here, not one named before
    introduced = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in subject.children)
    for sent in reversed(doc.sentences[:doc.sentence_at(where).index + 1 if doc.sentence_at(where) and  # type: ignore[union-attr]  # not None: tested next
                                        not introduced else 0]):
        for t in sent.span:
            if t.lower_ != noun or sent.char(t) >= where:
                continue
            start, end = sent.char(t.left_edge), sent.char_end(t.right_edge)
            named = [m for m in doc.mentions_between(start, end) if m.type != "Country"]
            if named:
                return Speaker(named[0].key, phrase, 0.7 * named[0].confidence, "description")
            verb = t.head
            if t.dep_ == "dobj" and verb.pos_ == "VERB":  # "X published a summary": the verb's subject issued it
                subject_of = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if subject_of is not None:
                    start, end = sent.char(subject_of.left_edge), sent.char_end(subject_of.right_edge)
                    named = [m for m in doc.mentions_between(start, end) if m.type != "Country"]
                    if named:
                        return Speaker(named[-1].key, phrase, 0.65 * named[-1].confidence, "description")
    issued = [subject, *(c for c in subject.children if c.dep_ == "acl")]  # "a study (released) by X"
    authors = next((o for h in issued for p in h.children if p.dep_ == "prep" and p.lower_ in ("by", "from")
                    for o in p.children if o.dep_ == "pobj"), None)
    here = doc.sentence_at(where)
    if authors is not None and here is not None:  # "a study by economists from UCLA ... found": the economists
        return Speaker(None, _group(doc, here, authors), 0.45, "unresolved")
    return Speaker(None, phrase, 0.45, "unresolved")


_MEANS = frozenset({"with", "in", "through", "via"})


def _issuer_of_means(doc: Document, sent: Sentence | None, subject: Token) -> NameMention | None:
    """"X pushed back, with a tweet saying ...", "Y responded in a statement saying ...": a document that is the
    subject of a participle after "with"/"in" on a verb was issued by that verb's subject, when it is a name."""
    verb = subject.head
    if sent is None or not (subject.dep_ == "nsubj" and verb.tag_ == "VBG" and verb.dep_ == "pcomp"
                            and verb.head.lower_ in _MEANS and verb.head.head.pos_ in ("VERB", "AUX")):
        return None
    actor = next((c for c in verb.head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    found = doc.mention_at(sent, actor) if actor is not None else None
    return found if found is not None and found.type in (*_PEOPLE, *_BODIES) else None


def _title_before(doc: Document, m: NameMention) -> str:
    """The title word written before a name ("Sen. Sherrod Brown" -> "senator", "President Trump" -> "president")."""
    i = m.tokens[0]
    if i == 0:
        return ""
    word = doc.sentences[m.sentence].span.doc[i - 1].lower_
    return LEXICON.title_abbreviations.get(word, word)


def _indefinite(subject: Token) -> bool:
    """A phrase that introduces someone unnamed ("a senior official", "one negotiator", "another diplomat")."""
    return any(c.lower_ in LEXICON.indefinite and c.dep_ in ("det", "nummod") for c in subject.children)




def _heads_title(title: str, role: str) -> bool:
    """Whether ``role`` is the office a title names, not a lesser one ("President of Mexico" for "president", not
    "Vice President of the United States")."""
    words = title.lower().replace("-", " ").split()
    return any(w == role and (n == 0 or words[n - 1] not in LEXICON.lesser_titles) for n, w in enumerate(words))


def _titled(doc: Document, where: int, role: str, reference: Reference) -> Iterator[NameMention]:
    """People named before ``where``, nearest first, whose stated post, written title or reference post holds
    ``role``."""
    for m in doc.mentions_before(where):
        if m.type not in _PEOPLE:
            continue
        titles = [doc.post_titles.get(m.key, ""), _title_before(doc, m)]
        if m.key in reference.people:
            titles += [p.title for p in reference.people[m.key].posts]
        if any(role in t.lower() for t in titles):
            yield m


_GROUP_SIZES = {"both": 2, "two": 2, "three": 3, "four": 4}


def group_members(doc: Document, sent: Sentence, subject: Token, reference: Reference) -> list[Speaker]:
    """"Both mayors", "the two ministers", "all three leaders": when exactly that many people holding the role are
    named before, each of them (nearest first); else nothing: a group is never filled up with guesses."""
    lower = subject.lower_
    role = lower[:-1] if lower.endswith("s") else lower
    if subject.tag_ != "NNS" or role not in ROLE_WORDS:
        return []
    size = next((_GROUP_SIZES[c.lower_] for c in subject.children
                 if c.lower_ in _GROUP_SIZES and c.dep_ in ("det", "nummod", "predet", "preconj")), 0)
    if not size:
        return []
    people: list[NameMention] = []
    for m in _titled(doc, sent.char(subject), role, reference):
        if m.key not in {p.key for p in people}:
            people.append(m)
    if len(people) != size:
        return []
    phrase = doc.text[sent.char(subject.left_edge):sent.char_end(subject)]
    return [Speaker(m.key, phrase, 0.6 * m.confidence, "description") for m in people]


# Role words that are offices of a body, held by one person at a time; staff ("spokesman", "official", "aide")
# speak for the body instead.
_OFFICES = (TITLE_WORDS | {"leader"}) - {"spokesman", "spokeswoman", "spokesperson", "official", "aide", "counsel",
                                         "representative", "officer", "executive", "manager", "deputy"}


def _office_holder(doc: Document, where: int, words: list[Token], phrase: str, reference: Reference) -> Speaker:
    """The holder of the office a phrase names with its body ("the Senate majority leader"): the nearest person
    before whose post or written title is that office, else the one person of the reference data holding it at
    publication; otherwise the phrase stays unresolved (the body does not speak for its officer)."""
    office = " ".join(t.lower_ for t in words if t.lower_ not in ("the", "its", "their"))
    for m in doc.mentions_before(where):
        if m.type in _PEOPLE and office in (doc.post_titles.get(m.key, "") + " " + _title_before(doc, m)).lower():
            return Speaker(m.key, phrase, 0.65 * m.confidence, "description")
    day = (doc.published or "")[:10]
    holders = [p for p in reference.people.values() if day and any(
        post.title.lower() == office and (post.start or "") <= day and (not post.end or day < post.end)
        for post in p.posts)]
    if len(holders) == 1:
        return Speaker(holders[0].key, phrase, 0.5, "description")
    return Speaker(None, phrase, 0.4, "unresolved")


def _role(doc: Document, where: int, role: str, phrase: str, reference: Reference,
          countries: Sequence[str | None], discourse: Discourse) -> Speaker:
    """"The president", "the minister": the nearest person before whose post or name holds that word, else the one
    person of the reference data holding such a post (of the country the phrase names, if it names one) at
    publication; several holders, or none, leave the description unresolved: a speaker is never guessed."""
    # "meetings with President Moon": not who "the president" is
    found, plain = _prefer_plain(doc, discourse, _titled(doc, where, role, reference))
    if found is not None:
        return Speaker(found.key, phrase, (0.65 if plain else 0.6) * found.confidence, "description")
    day = (doc.published or "")[:10]
    holders = [p for p in reference.people.values() if day and any(
        _heads_title(post.title, role) and (post.start or "") <= day and (not post.end or day < post.end)
        and not post.region  # a seat for a state is one of many: "the senator" is not one
        and (not countries or (post.country or p.country) in countries) for post in p.posts)]
    if len(holders) == 1:
        return Speaker(holders[0].key, phrase, 0.5, "description")
    return Speaker(None, phrase, 0.4, "unresolved")
