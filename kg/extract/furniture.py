"""Page furniture in scraped article bodies, masked before parsing so that offsets still point into the text as
published.

``mask_furniture`` returns a text of the same length in which every character of furniture is a space (line
breaks are kept, so paragraphs stay paragraphs); the parser reads that, while claims, spans and selectors keep
pointing into the body as published. What is masked (``FURNITURE_KINDS``):

* ``link-widget``: a name followed by a glued list of related headlines ending in "MORE" ("Sen. John Kennedy John
  Neely KennedyMORE (R-La.)", "President Trump Donald John TrumpFederal judge halts ... MORE"): the widget from the
  repeated full name to "MORE";
* ``photo-credit``: "(Jonathan Ernst/Reuters)", "(Photo: Harrison Hill, USA TODAY)", "| Alex Wong/Getty Images";
  a paragraph that is a caption ending in such a credit is masked whole;
* ``gallery``: a paragraph opening "Photos:" or "Play Video", and "Story continued below";
* ``newsletter``: sign-up boxes ("Sign up for Daily Newsletters", "Email Sign Up By signing up you agree ... Terms
  of Service apply."), copyright and reprint lines, "Follow ... on Twitter @handle.";
* ``headline``: the first paragraph when it repeats the headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FURNITURE_KINDS = ("link-widget", "photo-credit", "gallery", "newsletter", "headline")

# Photo agencies and credit words that end a "Name/Agency" credit.
_AGENCY = (r"(?:Reuters|Getty(?: Images?)?|AFP|AP|EPA|ANSA|Bloomberg|Canadian Press|The Canadian Press|"
           r"Time & Life Pictures|AP Images|Xinhua|Sipa|Shutterstock|Pool|USA TODAY|NurPhoto|Redux|"
           r"The New York Times|The Washington Post|[A-Z][\w.&-]*(?: [A-Z][\w.&-]*){0,3})")
_CREDIT = (rf"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}} ?/ ?{_AGENCY}(?: ?/ ?{_AGENCY})*(?: via Getty Images)?"
           rf"|(?:REUTERS|Reuters|AP Photo|AFP|EPA|Getty Images)/[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}})")
_PAREN_CREDIT = re.compile(
    rf"\((?:{_CREDIT}\)?|Photo(?:graph)?s?(?::| by) [^()\n]{{1,80}}?(?:\)|via Getty Images)"
    rf"|(?:AP Photo|Getty Images)(?:/[^()\n]{{1,40}})?\))")  # a bare "(Reuters)" is a dateline, not a credit
_TRAILING_CREDIT = re.compile(r"[.!?”\"] (?:REUTERS|Reuters|AP Photo|AFP|EPA|Getty Images)/[A-Z][\w.'’ -]{1,40}$")
_PIPE_CREDIT = re.compile(rf" \| (?:{_CREDIT}|Getty(?: Images)?|AP Photo|Reuters|AFP)\b")
_WIDGET_END = re.compile(r"(?:\b|(?<=[a-z]))MORE\b")  # spaced, or glued to the name ("KellyMORE")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z0-9][\w])|(?<=[a-z])(?=MORE\b)")
_NAME_PREFIXES = frozenset({"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O'", "O’"})
_PARAGRAPH = re.compile(r"[^\n]+")
_GALLERY = re.compile(r"^\s*(?:Photos?:|Play Video\b|Story continued below\b|Video:|Slideshow:)")
_NEWSLETTER_PARAGRAPH = re.compile(
    r"^\s*(?:Sign up for\b|Subscribe to\b|Copyright ©|Copyright \d{4}|©\s?\d{4}|Click here for reprint|"
    r"Follow [^\n]{0,80} on Twitter @\w+\.?\s*$|Get breaking news\b)", re.IGNORECASE)
_NEWSLETTER_BOX = re.compile(
    r"(?:[A-Z][\w ]{0,40}? newsletter Sign up today|Breaking News Alerts Get breaking news)[^\n]{0,400}?"
    r"(?:Terms of Service apply\.|unsubscribe at any time\.)")
_INLINE = re.compile(r"\bStory continued below\b|\bPlay Video\b")


@dataclass(frozen=True)
class Furniture:
    """One masked stretch ``text[start:end]`` and its kind (one of ``FURNITURE_KINDS``)."""

    start: int
    end: int
    kind: str


def find_furniture(text: str, title: str | None = None) -> list[Furniture]:
    """The furniture of an article body, sorted by start; stretches may nest or overlap."""
    found: list[Furniture] = []
    found += _link_widgets(text)
    for m in _PARAGRAPH.finditer(text):
        para = m.group()
        if _GALLERY.match(para):
            found.append(Furniture(m.start(), m.end(), "gallery"))
        elif _NEWSLETTER_PARAGRAPH.match(para):
            found.append(Furniture(m.start(), m.end(), "newsletter"))
        elif _caption(para):
            found.append(Furniture(m.start(), m.end(), "photo-credit"))
    for rx, kind in ((_PAREN_CREDIT, "photo-credit"), (_NEWSLETTER_BOX, "newsletter"), (_INLINE, "gallery")):
        found += [Furniture(m.start(), m.end(), kind) for m in rx.finditer(text)]
    for m in _PIPE_CREDIT.finditer(text):
        para_start = text.rfind("\n", 0, m.start()) + 1
        found.append(Furniture(para_start, m.end(), "photo-credit"))  # the caption before the credit too
    first = _PARAGRAPH.search(text)
    if title and first and " ".join(first.group().split()).casefold() == " ".join(title.split()).casefold():
        found.append(Furniture(first.start(), first.end(), "headline"))
    return sorted(found, key=lambda f: (f.start, -f.end))


def _caption(paragraph: str) -> bool:
    """A paragraph that ends in a photo credit: a caption ("Joe Biden speaks ... (Jonathan Ernst/Reuters)")."""
    tail = paragraph.rstrip()
    credits = list(_PAREN_CREDIT.finditer(tail))
    last = credits[-1] if credits else None
    pipe = list(_PIPE_CREDIT.finditer(tail))
    return bool(last and last.end() >= len(tail) - 1) or bool(pipe and pipe[-1].end() == len(tail)) \
        or bool(re.fullmatch(_CREDIT, tail.strip())) or bool(_TRAILING_CREDIT.search(tail))


def _link_widgets(text: str) -> list[Furniture]:
    """Link widgets: a full name glued to the headlines after it ("... Neely KennedyMORE", "... TrumpFederal judge
    ... MORE"). The widget starts after the name as written (the last earlier word equal to the glued surname,
    within five words) and ends with "MORE"."""
    out: list[Furniture] = []
    pos = 0
    while (end := _WIDGET_END.search(text, pos)) is not None:
        pos = end.end()
        window_start = max(0, end.start() - 600)
        glue = None
        for g in _GLUE.finditer(text, window_start):  # no end bound: the lookahead must see the glued "MORE"
            if g.start() > end.start():
                break
            if _glued_surname(text, g.start()):
                glue = g  # the last one: headlines after the name are spaced, only the name is glued on
        if glue is None or "\n" in text[glue.start():end.start()]:
            continue
        word_start = _word_start(text, glue.start())
        surname = text[word_start:glue.start()]
        start = _widget_start(text, word_start, surname)
        if out and start < out[-1].end:
            continue
        out.append(Furniture(start, end.end(), "link-widget"))
    return out


def _word_start(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _glued_surname(text: str, i: int) -> bool:
    """Whether a capitalised name word ends at ``i`` with more text glued on."""
    start = _word_start(text, i)
    word = text[start:i]
    if word in _NAME_PREFIXES:
        return False  # "Mc|Connell", "De|Santis": one name
    return len(word) >= 2 and word[:1].isupper() and word[1:].isalpha() and word[1:].islower() \
        or bool(re.fullmatch(r"(?:Mc|Mac|O'|De)[A-Z][a-z]+", word))


def _widget_start(text: str, word_start: int, surname: str) -> int:
    """Start of the repeated full name before a glued surname: after the last earlier word equal to ``surname``
    within five capitalised words, else at the glued word."""
    i = word_start
    words: list[tuple[int, str]] = []
    while len(words) < 6:
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        k = _word_start(text, j + 1)
        word = text[k:j + 1].strip("()\"“”'")  # "Joseph (Joe) Simon Donnelly"
        if not word or not word[:1].isupper():
            break
        words.append((k, word))
        if word.strip(",.") == surname:
            return i
        i = k
    return word_start


def mask_furniture(text: str, title: str | None = None) -> str:
    """``text`` with every furniture character but line breaks replaced by a space: same length, same offsets."""
    found = find_furniture(text, title)
    if not found:
        return text
    chars = list(text)
    for f in found:
        for i in range(f.start, f.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
