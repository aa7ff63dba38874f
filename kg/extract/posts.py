"""Posts stated in the text: "Commerce Secretary Wilbur Ross", "Canada's deputy chief Nafta negotiator, Martin Moen",
"Freeland, Canada's lead minister". A post links its holder, its title and, where the text says so, the country
(a country name, demonym or possessive in the title) and the organisation it belongs to."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.extract.document import Document, NameMention, Sentence
from kg.extract.gazetteer import AMBIGUOUS_PLACE_NAMES
from kg.extract.model import Post
from kg.extract.roles import ROLE_WORDS as ROLE_WORDS  # speakers imports it from here
from kg.extract.roles import TITLE_WORDS
from kg.reference import Reference, RefPerson, RefPost

# Head nouns of titles. Lower-case; a title must contain one.
_TITLE_POS = {"PROPN", "NOUN", "ADJ"}
_STOP = {"the", "a", "an", "former", "ex", "then", "late", "acting", "interim"}


def _is_role(token: Token) -> bool:
    return token.lower_ in ROLE_WORDS or token.lower_.rstrip("s") in ROLE_WORDS


def _is_title(title: list[Token]) -> bool:
    """Whether title words name an office: a title word as their head ("Trade Representative"), or "leader" with
    what it leads ("Senate Majority Leader", not "GOP leaders" or "leading Democratic candidate")."""
    head = title[-1].lower_
    if head in TITLE_WORDS or head.rstrip("s") in TITLE_WORDS and not head.endswith("ss"):
        return not head.endswith("s") or head in TITLE_WORDS  # "leaders", "officials": a group, no post
    words = {t.lower_ for t in title}
    return head == "leader" and bool(words & {"majority", "minority", "democratic", "republican", "house", "senate",
                                              "party", "opposition"}) and len(title) > 1


def find_posts(doc: Document, reference: Reference | None = None) -> list[Post]:
    """Posts for the people of ``doc`` as the text states them, first statement per person. For a person of the
    reference data a stated post that is one of their reference posts becomes that post (its title,
    country, organisation and dates), so "U.S. Trade Representative Robert Lighthizer" and the reference's
    "United States Trade Representative" are one post node, not two."""
    posts: dict[str, Post] = {}
    for m in doc.mentions:
        if m.type not in ("Person", "Official") or m.key in posts:
            continue
        sent = doc.sentences[m.sentence]
        post = _title_before(doc, sent, m) or _appositive(doc, sent, m)
        if post is not None:
            person = reference.people.get(m.key) if reference else None
            if person is not None and reference is not None:
                if post.country and person.posts and post.country not in {p.country for p in person.posts}:
                    continue  # the reference data says whom they act for: no "President" of Argentina for Trump
                post = same_reference_post(post, person, doc.published, country_words(reference))
            posts[m.key] = post
    return list(posts.values())


# Words that say nothing about which post a title names ("U.S.", "the", "of").
_GENERIC_TITLE_WORDS = frozenset({"of", "the", "for", "and", "u", "s", "us", "united", "states", "state", "federal",
                                  "national", "a", "an", "new"})


def country_words(reference: Reference) -> frozenset[str]:
    """Lower-case words of country names, aliases and demonyms ("canadian", "mexico")."""
    words = set()
    for c in reference.countries.values():
        for form in (c.name, *c.aliases, *c.demonyms):
            words.update(re.findall(r"[a-z]+", form.lower()))
    return frozenset(words)


# Short forms of titles, spelled out so that "Sen." names the post "United States Senator from Iowa".
_TITLE_SHORT_FORMS = {"sen": "senator", "rep": "representative", "congressman": "representative",
                      "congresswoman": "representative"}


def _title_words(title: str, countries: frozenset[str]) -> set[str]:
    words = [_TITLE_SHORT_FORMS.get(w, w) for w in re.findall(r"[a-z]+", title.lower())]
    return {w.removesuffix("s") if len(w) > 3 else w for w in words
            if w not in _GENERIC_TITLE_WORDS and w not in countries}


def same_reference_post(post: Post, person: RefPerson, published: str | None, countries: frozenset[str]) -> Post:
    """``post`` as the reference post of ``person`` it names, else unchanged: of the person's posts at publication
    (all of them without a date) in the same country, the one whose title shares most words with the stated one
    beyond country words ("Mexican Economy Minister" and "Secretary of Economy (Mexico)" share "economy")."""
    day = (published or "")[:10]
    stated = _title_words(post.title, countries)
    overlap: float
    best, overlap = None, 0
    for ref in person.posts:
        if day and not ((ref.start or "") <= day and (not ref.end or day < ref.end)):
            continue
        if post.country and ref.country and post.country != ref.country:
            continue
        words = _title_words(ref.title, countries)
        shared = len(stated & words) / len(stated | words) if words else 0.0
        if shared > overlap:
            best, overlap = ref, shared
    return _from_reference(post, best) if best is not None else post


def _from_reference(post: Post, ref: RefPost) -> Post:
    return replace(post, title=ref.title, country=ref.country or post.country,
                   organization=ref.organization or post.organization, start=ref.start, end=ref.end)


def _country_in(doc: Document, sent: Sentence, tokens: list[Token]) -> str | None:
    """The country a title names: a country mention inside it, else "the country's" as the last country before."""
    if not tokens:
        return None
    start, end = sent.char(tokens[0]), sent.char_end(tokens[-1])
    for m in doc.mentions_between(start, end):
        if m.type == "Country" and m.text in AMBIGUOUS_PLACE_NAMES:
            continue  # "Georgia gubernatorial candidate", "New Jersey": a state as often as a country
        if m.type == "Country" and m.known:
            return m.known.country
        if m.known and m.known.country and m.type == "GovernmentBody":
            return m.known.country
    if any(t.lower_ == "country" for t in tokens):
        return next((m.known.country for m in doc.mentions_before(start) if m.type == "Country" and m.known), None)
    return None


def _organization_in(doc: Document, sent: Sentence, tokens: list[Token]) -> str | None:
    if not tokens:
        return None
    found = doc.mentions_between(sent.char(tokens[0]), sent.char_end(tokens[-1]))
    # a model-found one-word name in a title is mostly a department's short name ("Commerce Secretary"): no org
    return next((m.key for m in found if m.type in ("Organization", "GovernmentBody")
                 and (m.known or len(m.text.split()) > 1)), None)


def _make(doc: Document, sent: Sentence, m: NameMention, title: list[Token], context: list[Token],
          confidence: float) -> Post | None:
    """A Post from title tokens; None when they hold no role word, say the post is a former one, or name neither a
    country nor an organisation (a bare "president" would be one post shared by every president of anything)."""
    if any(t.lower_ in ("former", "ex", "then", "late") for t in context):
        return None
    # leading determiners and possessive owners ("Canada's", "The country's") are not part of the title
    while title and (title[0].lower_ in _STOP or title[0].pos_ in ("DET", "PUNCT")
                     or any(c.dep_ == "case" for c in title[0].children) or title[0].dep_ == "case"):
        title = title[1:]
    while title and title[-1].pos_ == "PUNCT":
        title = title[:-1]
    if not title or not any(_is_role(t) for t in title) or len(title) > 8 or not _is_title(title):
        return None
    text = doc.text[sent.char(title[0]):sent.char_end(title[-1])]
    country = _country_in(doc, sent, context) or (m.known.country if m.known else None)
    organization = _organization_in(doc, sent, context)
    if country is None and organization is None:
        return None
    return Post(title=text, holder=m.key, country=country, organization=organization, confidence=confidence)


def _title_before(doc: Document, sent: Sentence, m: NameMention) -> Post | None:
    """"U.S. Trade Representative Robert Lighthizer": capitalised words or role words right before the name."""
    tokens = sent.span.doc
    i = m.tokens[0] - 1
    title: list[Token] = []
    while i >= sent.span.start:
        t = tokens[i]
        if t.pos_ in _TITLE_POS and (t.text[:1].isupper() or _is_role(t)) and not doc.mention_at(sent, t) \
                or doc.mention_at(sent, t) and doc.mention_at(sent, t).type != "Official" and t.text[:1].isupper():  # type: ignore[union-attr]  # not None: tested just before
            title.insert(0, t)
            i -= 1
        elif title and _joins_title_words(doc, sent, tokens, i):
            title.insert(0, t)  # "Ways and Means", "Health and Human Services": the "and" of a body's name
            i -= 1
        else:
            break
    while title and title[0].lower_ in _JOINING:
        title = title[1:]
    if not title or not _is_role(title[-1]):
        return None
    # the owner before a possessive belongs to the title's context ("Canada's Prime Minister"); other words before
    # the title do not ("an ambassador to Canada under President Bill Clinton": Clinton is not Canada's president)
    owner = i >= sent.span.start and tokens[i].lower_ in ("'s", "’s")
    context = list(tokens[max(sent.span.start, i - 1) if owner else i + 1:m.tokens[0]])
    return _make(doc, sent, m, title, context, 0.85)


_JOINING = frozenset({"and", "&"})


def _joins_title_words(doc: Document, sent: Sentence, tokens: Doc, i: int) -> bool:
    """Whether the token at ``i`` is an "and" inside the name of a committee or department, between two
    capitalised words that name no one ("Ways and Means"); not one between a person or a country and a title
    ("Trump and Commerce Secretary Wilbur Ross", "Canada and Mexico")."""
    if tokens[i].lower_ not in _JOINING or i - 1 < sent.span.start:
        return False
    inside = doc.mention_at(sent, tokens[i])
    if inside is not None:
        return inside.type in ("Organization", "GovernmentBody")  # "House Ways and Means Committee" as one name
    before = tokens[i - 1]
    return before.text[:1].isupper() and before.pos_ in _TITLE_POS and doc.mention_at(sent, before) is None \
        and doc.mention_at(sent, tokens[i + 1]) is None


def _appositive(doc: Document, sent: Sentence, m: NameMention) -> Post | None:
    """"Martin Moen" as appositive of "deputy chief Nafta negotiator", or "Freeland, Canada's lead minister"."""
    tokens = sent.span.doc
    head = tokens[m.tokens[1] - 1]
    candidates = []
    if head.dep_ == "appos" and _is_role(head.head):
        candidates.append(head.head)
    candidates += [c for c in head.children if c.dep_ == "appos" and _is_role(c)]
    for role in candidates:
        if _across_a_colon(tokens, m, role):
            continue
        left = [t for t in role.subtree if t.i <= role.i and not (m.tokens[0] <= t.i < m.tokens[1])]
        title = [t for t in left if t.i >= _title_start(role)]
        right = [t for t in role.subtree if t.i > role.i and not (m.tokens[0] <= t.i < m.tokens[1])]
        context = left + right[:8]
        post = _make(doc, sent, m, title, context, 0.75)
        if post is not None:
            return post
    return None


def _across_a_colon(tokens: Doc, m: NameMention, role: Token) -> bool:
    """Whether a colon stands between the name and the role noun: a transcript's speaker label and what it says
    ("DONALD TRUMP: Secretary, is it ..." addresses the secretary), never an apposition, whatever the parse."""
    between = tokens[min(role.i, m.tokens[0]):max(role.i, m.tokens[1])]
    return any(t.text in (":", ";") for t in between)


def _title_start(role: Token) -> int:
    """First token of the title words before a role noun: its compounds and modifiers, not its determiner."""
    start = role.i
    for c in sorted(role.children, key=lambda c: -c.i):
        if c.i < role.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod") and c.i == start - 1:
            start = c.left_edge.i if c.left_edge.i >= start - 3 else c.i
    return start
