"""Span trimmers: what is cut from the words a cue reports before they are a claim, as an ordered list of named
functions (:data:`TRIMMERS`). Each takes the tokens of a candidate span and the cue's verb and returns the tokens
kept; :func:`trimmed` runs them in order and drops a span left under three words. Each is testable alone on a
hand-built parse.

The order matters and is part of the policy: a leading time phrase goes before a second report is looked for
("On Monday he said ..."), cuts at a second speech act come before the dash and punctuation trims, and the
punctuation trims run last so that what an earlier cut leaves dangling ("..., and") goes too.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.extract.cues import LEXICON, reporting_lemma, speech_base
from kg.extract.document import Sentence
from kg.extract.lemmas import lemma

_DASHES = frozenset({"-", "–", "—", "--"})
TRIM_LEFT = frozenset({"that", ",", ":", "—", "–", "-", '"', "“", "”"})
TRIM_RIGHT = frozenset({".", ",", ";", ":", "—", "–", "-", '"', "“", "”", "?", "!"})

Trimmer = Callable[[list[Token], Token], list[Token]]


def leading_time_phrase(tokens: list[Token], verb: Token) -> list[Token]:
    """"[last week] he wasn't sure": a time phrase modifying the reported verb opens the span."""
    while tokens and tokens[0].ent_type_ in ("DATE", "TIME") and _time_adverbial(tokens[0]):
        tokens = tokens[1:]
    return tokens


def cue_date(tokens: list[Token], verb: Token) -> list[Token]:
    """"said [on Monday] six firms were ...": the parser hung the verb's time phrase on the clause."""
    if tokens and tokens[0].i == verb.i + 1 and tokens[0].lower_ in ("on", "in", "at", "during", "earlier", "late"):
        dated = 1
        while dated < len(tokens) and tokens[dated].ent_type_ in ("DATE", "TIME"):
            dated += 1
        if dated > 1:
            tokens = tokens[dated:]
    return tokens


def second_speech_act(tokens: list[Token], verb: Token) -> list[Token]:
    """A trailing "according to ...", a participial report after a comma (", saying ...") or a second complement
    clause ("said A, and that B"): each ends the span (the latter two are claims of their own)."""
    cut = next((i for i, t in enumerate(tokens) if i > 0 and (
        t.lower_ == "according" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "to"
        or _second_speech_act(t, tokens[i - 1]) or _second_that_clause(tokens, i))), None)
    return tokens[:cut] if cut is not None else tokens


def nested_report(tokens: list[Token], verb: Token) -> list[Token]:
    """"... before 21 January and [Brexit minister Robin Walker told MPs ...]", "..., which she said had been ...",
    "..., while Ek said ...": a new report with its own subject ends the span, with the conjunction before it; so
    does a second report of the same speaker that the parser coordinated inside the reported clause ("He said [he
    is developing plans] and told Trump: ..."; see :func:`coordinated_report`)."""
    inside = {x.i for x in tokens}
    nested = next((n for n, t in enumerate(tokens) if n > 0 and _new_report(t, verb, inside)), None)
    adverbial = next((mark.i for t in tokens if (mark := _report_by_means(t, inside)) is not None), None)
    if adverbial is not None and (nested is None or adverbial < tokens[nested].i):
        kept = tokens[:adverbial - tokens[0].i]  # "urging Trump [to proceed cautiously] after he shocked ... by
        while kept and kept[-1].is_punct and kept[-1].text not in _CLOSERS:  # threatening to pull out": the
            # clause of another report ends it
            kept = kept[:-1]
        return kept
    if nested is None:
        return tokens
    verb_at = tokens[nested]
    if verb_at.dep_ == "relcl":
        first = verb_at.left_edge.i - tokens[0].i
    elif not any(c.dep_ in ("nsubj", "mark") for c in verb_at.children):  # "... and told Trump: ...": at "and"
        first = min([c.i for c in verb_at.children if c.dep_ == "cc" and c.i < verb_at.i] + [verb_at.i]) \
            - tokens[0].i
    else:
        first = min(c.left_edge.i for c in verb_at.children if c.dep_ in ("nsubj", "mark")) - tokens[0].i
    tokens = tokens[:max(first, 0)]
    while tokens and (tokens[-1].dep_ == "cc" or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


_NARRATING_MARKS = frozenset({"as", "while"})
_NARRATING_SUBJECTS = frozenset({"he", "she", "it", "they"})
_PRESENT_MODALS = frozenset({"will", "can", "may", "must", "shall", "'ll", "’ll"})


def narrating_clause(tokens: list[Token], verb: Token) -> list[Token]:
    """"said he was not worried about a trade war [as he signed an order ...]", "saying the U.S. requires a fairer
    relationship [as he played up his friendship with Xi]", "said it blocked 26 accounts[, while it detained 350
    migrants]", "threatened to impose tariffs [as the two economies exchanged the first blows]": a closing "as" or
    "while" clause in the simple past,
    after a cue in the past or a participle, narrates what happened as the speaker spoke; it is the writer's, not what
    was said. One policy, whatever the parse hangs the clause on: such a clause is the writer's when the content
    is not itself told in the past (an infinitive, a noun phrase, the present or a present modal: a past-tense
    clause cannot belong to it), and also, with a pronoun subject, after a content in the past ("said [prices were
    rising] as demand recovered" stays whole: what was said may hold such a clause). "when" is left alone: "accused
    her of being asleep when the calls came in" holds it."""
    if verb.tag_ not in ("VBD", "VBN", "VBG"):
        return tokens
    conjunct = _narrating_conjunct(tokens, verb)
    if conjunct is not None:
        return conjunct
    for n, t in enumerate(tokens):
        if n < 3 or t.dep_ != "mark" or t.lower_ not in _NARRATING_MARKS:
            continue
        clause = t.head
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if clause.dep_ != "advcl" or clause.tag_ != "VBD" or clause.right_edge.i < tokens[-1].i - 1 \
                or subject is None or clause.left_edge.i != t.i:
            continue
        if _told_in_the_past(tokens[:n]) and subject.lower_ not in _NARRATING_SUBJECTS:
            continue
        return _cut_before(tokens, n)
    return tokens


def _narrating_conjunct(tokens: list[Token], verb: Token) -> list[Token] | None:
    """"said [he is optimistic that the U.S. will reach a deal] but offered few details ...": a verb in the simple
    past without a subject of its own, joined by "and" or "but" to a verb in the present (or a present modal) of a
    content not told in the past and running to its end, is the speaker's next act as the writer narrates it (the
    parser coordinated it inside the content); the content ends before the conjunction. Past joined to past stays
    ("the mayor was born here and was therefore qualified"), and so does a copula, a state rather than an act
    ("believes Obama was born here and was therefore qualified", "was" hung on "believes"). None when there is no
    such conjunct."""
    if verb.tag_ != "VBD":
        return None
    for n, t in enumerate(tokens):
        if n < 3 or t.dep_ != "cc" or t.lower_ not in ("and", "but") or n + 1 >= len(tokens):
            continue
        conj = t.head.doc[t.i + 1]
        if conj.dep_ != "conj" or conj.tag_ != "VBD" or conj.pos_ != "VERB" or conj.head.i != t.head.i \
                or conj.right_edge.i < tokens[-1].i - 1 \
                or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children) \
                or reporting_lemma(conj) is not None or _told_in_the_past(tokens[:n]) or not _present(t.head):
            continue
        return _cut_before(tokens, n)
    return None


def _present(verb: Token) -> bool:
    """Whether a verb is told in the present or a present modal ("is", "will reach"), not the past ("was born")."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ in ("VBD", "MD") and a.lower_ not in _PRESENT_MODALS for a in auxes):
        return False
    return verb.tag_ in ("VBZ", "VBP") or any(a.lower_ in _PRESENT_MODALS or a.tag_ in ("VBZ", "VBP") for a in auxes)


def _cut_before(tokens: list[Token], n: int) -> list[Token]:
    """The tokens before ``tokens[n]``, without the punctuation left dangling at their end."""
    kept = tokens[:n]
    while kept and kept[-1].is_punct:
        kept = kept[:-1]
    return kept


def _told_in_the_past(tokens: list[Token]) -> bool:
    """Whether a content is told in the past (backshifted reported speech: "he was", "it would", "they had"), by
    the verb at its root: not when that root is a noun, an infinitive, a present tense or a present modal."""
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    root = next((t for t in roots if t.pos_ in ("VERB", "AUX")), roots[0] if roots else None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    if root.tag_ in ("VBZ", "VBP") or any(a.lower_ == "to" or a.lower_ in _PRESENT_MODALS or a.tag_ in ("VBZ", "VBP")
                                           for a in auxes):
        return False
    return root.tag_ in ("VBD", "VBN") or any(a.tag_ in ("VBD", "MD") for a in auxes)


_CONCESSIVE = frozenset({"though", "although"})
_NOT_RESULT = frozenset({"that", "far", "much", "many", "long", "too"})


def writers_gloss(tokens: list[Token], verb: Token) -> list[Token]:
    """"said [the weapon appeared to be a short-range missile], meaning that ...", "said [he didn't see many
    protesters], so the coverage amounted to ...", "said [she hoped to finish in two years], while acknowledging
    ...", "said [she still wants an orderly exit], though it will be up to her successor ..." (or ", even though
    ..."): after a comma, the
    writer's gloss (what it means, what follows from it, a concession with a clause of its own) or a second act of
    the speaker is not what was said; it ends the span."""
    for n, t in enumerate(tokens):
        if n < 3 or tokens[n - 1].text != "," or n + 1 >= len(tokens):
            continue
        after = tokens[n + 1]
        if t.lower_ == "meaning" and t.tag_ == "VBG" or _resulting(t, tokens) \
                or t.lower_ == "while" and after.tag_ == "VBG" \
                or t.lower_ == "so" and after.lower_ not in _NOT_RESULT and _has_subject(t.head) and t.head.i > t.i \
                or t.lower_ in _CONCESSIVE and t.dep_ == "mark" and _has_subject(t.head) and t.head.i > t.i \
                or t.lower_ == "even" and after.lower_ in _CONCESSIVE and after.dep_ == "mark" \
                and _has_subject(after.head) and after.head.i > after.i:  # ", even though it was the U.S. that ..."
            return tokens[:n - 1]
    return tokens


def _resulting(t: Token, tokens: list[Token]) -> bool:
    """"said [it had no intention of doing so], triggering Mr. Trump's threat ...": a participle of what the report
    led to (``resulting`` in verbs.json) that closes the content; what a prediction would lead to stays in it ("said
    the toll would hurt commuters, sending fares higher")."""
    return t.tag_ == "VBG" and t.dep_ == "advcl" and lemma(t) in LEXICON.resulting_verbs \
        and t.right_edge.i >= tokens[-1].i - 1 \
        and not any(c.dep_ == "aux" and c.lower_ in _PREDICTING for c in t.head.children)


_PREDICTING = LEXICON.hypothetical | {"would", "’d", "'d"}  # and the future in the past of reported speech


def _has_subject(clause: Token) -> bool:
    return clause.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children)


def closing_apposition(tokens: list[Token], verb: Token) -> list[Token]:
    """"... meet Jeremy Corbyn, a veteran socialist who criticized ...": an apposition after a comma that runs to
    the end of the clause describes the last name for the reader; it is the writer's, not the speaker's. So does a
    definite one that places a common noun or an amount ("would investigate whether imports hurt national security,
    the first step toward tariffs ...", "could exceed $500 billion, almost the same amount that ...")."""
    for n, t in enumerate(tokens):
        if t.dep_ in ("appos", "npadvmod") and n > 1 and tokens[n - 1].text != "," and t.head.i < t.i:
            first = t.left_edge.i - tokens[0].i
            if 0 < first < len(tokens) and tokens[first - 1].text == "," and t.right_edge.i >= tokens[-1].i - 1 \
                    and (t.dep_ == "appos" and t.head.pos_ == "PROPN" and any(c.dep_ == "relcl" for c in t.children)
                         or _placing_apposition(t)):
                return tokens[:first - 1]
    return tokens


def _placing_apposition(t: Token) -> bool:
    """"the first step toward ...", "the same amount that ...": a definite common noun with a phrase or clause of
    its own, in apposition to a common noun or an amount, or hung on the verb before it (a name's apposition is the
    rule above). A contrast stays the speaker's ("he offered real change, not the kind promised by ...")."""
    return t.pos_ == "NOUN" and t.head.pos_ in (("NOUN", "NUM") if t.dep_ == "appos" else ("VERB",)) \
        and t.doc[t.left_edge.i].lower_ not in ("not", "never", "rather") \
        and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children) \
        and any(c.dep_ in ("prep", "relcl", "acl") and c.i > t.i for c in t.children)


def unpaired_dash(tokens: list[Token], verb: Token) -> list[Token]:
    """An unpaired spaced dash: a dateline before it ("SEOUL — The U.S. will ...", "OSLO (Wire) - ...") is dropped,
    else the writer's aside after it ("letters - 48 of them are needed") is."""
    dashes = [n for n, t in enumerate(tokens) if n > 0 and t.text in _DASHES and tokens[n - 1].whitespace_]
    if len(dashes) % 2 == 1:
        last = dashes[-1]
        tokens = tokens[last + 1:] if last <= 3 or _dateline(tokens[:last]) else tokens[:last]
    return tokens


def leading_that(tokens: list[Token], verb: Token) -> list[Token]:
    """"that", punctuation and spaces opening the span, an adverb before "that" ("saying only that ...") and the
    complementiser "for" of a request ("asked for [Japan to double its imports]")."""
    while tokens and (tokens[0].lower_ in TRIM_LEFT or tokens[0].is_space
                      or tokens[0].dep_ == "mark" and tokens[0].lower_ == "for" and tokens[0].i == verb.i + 1
                      or len(tokens) > 1 and tokens[0].dep_ == "advmod" and tokens[1].lower_ == "that"):
        tokens = tokens[1:]
    return tokens


def trailing_punctuation(tokens: list[Token], verb: Token) -> list[Token]:
    """Closing punctuation and spaces."""
    while tokens and (tokens[-1].text in TRIM_RIGHT or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


TRIMMERS: tuple[Trimmer, ...] = (leading_time_phrase, cue_date, second_speech_act, nested_report,
                                 narrating_clause, writers_gloss, closing_apposition, unpaired_dash, leading_that,
                                 trailing_punctuation)
MIN_WORDS = 3


def trimmed(sent: Sentence, verb: Token, tokens: list[Token],
            trimmers: tuple[Trimmer, ...] = TRIMMERS) -> tuple[int, int] | None:
    """The global span of ``tokens`` once every trimmer has run, in order; None under ``MIN_WORDS`` words."""
    for trim in trimmers:
        tokens = trim(tokens, verb)
    if len([t for t in tokens if t.is_alpha]) < MIN_WORDS:
        return None
    return sent.char(tokens[0]), sent.char_end(tokens[-1])


def _new_report(t: Token, verb: Token, inside: set[int]) -> bool:
    """Whether ``t`` is a reporting verb with its own subject that starts a new report inside a clause: a conjunct
    or complement clause ("... and Robin Walker told MPs ..."), a non-restrictive relative clause ("..., which she
    said had been ...") or a contrast ("..., while Ek said ...")."""
    if coordinated_report(t, verb):
        return True
    if t.pos_ != "VERB" or not any(c.dep_ == "nsubj" and c.i < t.i for c in t.children) or _free_relative(t):
        return False
    if t.dep_ in ("conj", "ccomp"):
        return reporting_lemma(t) is not None and (t.head.i in inside or t.head.i == verb.i and any(
            c.dep_ == "ccomp" and c.i < t.left_edge.i for c in verb.children))
    if t.dep_ == "relcl":  # "..., which she said ...", "... economies that Trump says [he is prepared to ...]"
        return speech_base(t) is not None and (t.doc[t.left_edge.i - 1].text == "," or _other_speakers_report(t))
    if t.dep_ == "advcl":
        return speech_base(t) is not None and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas")
                                                  for c in t.children)
    return False


_ADVERBIAL_MARKS = frozenset({"after", "before", "when", "since", "as"})
_CLOSERS = frozenset({")", "]", "\"", "”", "’", "'"})


def _report_by_means(t: Token, inside: set[int]) -> Token | None:
    """"... after he shocked leaders in Canada and Mexico by threatening [to pull out]": a participle of saying after
    "by" on the verb of an adverbial clause with its own subject is a report of that subject; returns the clause's
    "after" (or "before", "when", "since", "as") when it lies in the span, else None."""
    if t.tag_ != "VBG" or t.dep_ != "pcomp" or t.head.lower_ != "by" or reporting_lemma(t) is None:
        return None
    clause = t.head.head
    if clause.dep_ != "advcl" or not any(c.dep_ == "nsubj" for c in clause.children):
        return None
    return next((c for c in clause.children if c.dep_ == "mark" and c.lower_ in _ADVERBIAL_MARKS and c.i in inside
                 and c.i < clause.i), None)


def _free_relative(t: Token) -> bool:
    """"he will not tolerate what he says is unfair treatment of ...": a report inside a free relative ("what" right
    before its subject, which is the subject of the reported clause) belongs to the clause around it; it starts no
    new report there."""
    subject = next(c for c in t.children if c.dep_ == "nsubj" and c.i < t.i)
    before = t.doc[subject.left_edge.i - 1] if subject.left_edge.i > t.sent.start else None
    return before is not None and before.lower_ == "what" and not any(
        c.dep_ in ("nsubj", "nsubjpass") for h in t.children if h.dep_ == "ccomp" and h.i > t.i for c in h.children)


def coordinated_report(t: Token, verb: Token) -> bool:
    """"He said [he is developing plans] and told Trump: ...", "said Kovacs had misled the committee and accused
    him of ...": a reporting verb without a subject of its own that the parser coordinated with the head of
    ``verb``'s content clause is a second report of ``verb``'s speaker (kg.extract.frames.subject_of gives it that
    speaker), not part of what ``verb`` reports; an active, finite verb only ("said people had voted to leave and
    were told [...]" is all one report), or a bare form after a cue in the present plural, which the tagger often
    reads as one ("GOP lawmakers say [Trump is playing with fire] and warn that ...")."""
    present = t.tag_ == "VB" and verb.tag_ == "VBP" and not any(c.dep_ in ("aux", "mark") for c in t.children)
    return t.pos_ == "VERB" and t.dep_ == "conj" and (t.tag_ in ("VBD", "VBZ", "VBP") or present) \
        and t.head.dep_ == "ccomp" \
        and t.head.head.i == verb.i and verb.i < t.head.left_edge.i and reporting_lemma(t) is not None \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "auxpass") for c in t.children)


_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


def _other_speakers_report(relcl: Token) -> bool:
    """A restrictive relative clause reporting someone's clause ("a dispute that President Trump says [he is
    prepared to escalate]"); not one whose subject is a pronoun, likely the speaker of the claim around it ("a
    hurdle that he predicted the two countries would overcome" is part of what he said)."""
    subject = next((c for c in relcl.children if c.dep_ == "nsubj"), None)
    return subject is not None and subject.lower_ not in _PRONOUNS and any(
        c.dep_ in ("ccomp", "xcomp") and c.i > relcl.i for c in relcl.children)


_DASHES = frozenset({"-", "—", "–", "--"})


def dateline_subject(subject: Token) -> bool:
    """"WASHINGTON (Reuters) - U.S. President Donald Trump said ...": a subject opening the sentence that is a dateline
    before an unpaired dash (the parser made it a second subject of the verb); the speaker is the subject after it."""
    dash = _dateline_dash(subject)
    return dash is not None and subject.right_edge.i <= dash.i


def dateline_apposition(subject: Token) -> Token | None:
    """"BIARRITZ, France – President Donald Trump said ...": a dateline subject whose phrase the parser ran on past
    the dash, making the real subject an apposition of the place; that apposition, else None."""
    dash = _dateline_dash(subject)
    if dash is None or subject.right_edge.i <= dash.i or subject.i > dash.i:
        return None
    return next((t for t in subject.subtree if t.i > dash.i and t.dep_ == "appos" and t.head.i < dash.i
                 and t.pos_ in ("PROPN", "NOUN")), None)


def _dateline_dash(subject: Token) -> Token | None:
    """The dash closing a dateline that opens the sentence at ``subject``, else None."""
    start = subject.sent.start
    if subject.left_edge.i != start:
        return None
    dash = next((t for t in subject.doc[start:min(start + 12, subject.sent.end)] if t.text in _DASHES), None)
    if dash is None or dash.i == start or not _dateline(list(subject.doc[start:dash.i])):
        return None
    return dash


def _dateline(tokens: list[Token]) -> bool:
    """"OSLO (Wire)", "WASHINGTON, June 3 (Reuters)", "BIARRITZ, France": capitalised place words, a date, an agency
    in parentheses; after the capitalised place and a comma, the title-case name of its country or state."""
    inside = 0
    for n, t in enumerate(tokens):
        inside += t.text == "("
        region = t.is_title and any(u.text == "," for u in tokens[1:n]) and tokens[0].is_upper and tokens[0].is_alpha
        if not (inside or t.is_punct or t.is_upper or t.like_num or t.ent_type_ == "DATE" or region):
            return False
        inside -= t.text == ")"
    return any(t.is_upper and t.is_alpha for t in tokens)


def _second_that_clause(tokens: list[Token], i: int) -> bool:
    """"said A, and that B", "said A but that B": a second complement clause starts at "and that" (see
    :func:`further_contents`)."""
    return tokens[i].dep_ == "cc" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "that" \
        and any(opens_that_clause(c) for c in (tokens[i + 1].head, tokens[i + 1].head.head) if c.dep_ == "conj")


def opens_that_clause(clause: Token) -> bool:
    """Whether a coordinated clause opens with a complementiser "that" ("... but that [trade has brought ...]"),
    also where the parser read that "that" as the determiner of the clause's subject ("that trade")."""
    if any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
        return True
    first = clause.left_edge
    return first.lower_ == "that" and first.dep_ == "det" and first.head.dep_ in ("nsubj", "nsubjpass") \
        and first.head.head.i == clause.i and first.i > 0 and clause.doc[first.i - 1].dep_ == "cc"



def _second_speech_act(token: Token, before: Token) -> bool:
    """", saying|arguing|adding ...": a participial reporting verb after a comma starts a claim of its own."""
    return token.tag_ == "VBG" and before.text in (",", ";", "—", "–") and speech_base(token) is not None


def _time_adverbial(token: Token) -> bool:
    """Part of a time phrase modifying a verb ("last week he wasn't sure")."""
    while token.dep_ != "npadvmod" and token.head.i != token.i and token.head.ent_type_ in ("DATE", "TIME"):
        token = token.head
    return token.dep_ == "npadvmod"
