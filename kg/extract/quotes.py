"""Quotation marks: where quotes open and close in raw article text.

Straight (") and typographic (“ ”, « », „) double marks, doubled single marks ('', ‘‘ or ’’ typed for ") and the
double prime (″, which some systems put for a closing or opening mark) are paired within a paragraph. A mark's role
comes from its surroundings (an opening mark follows a space and precedes a word; a closing one the reverse), which
also copes with marks typed the wrong way round; where the surroundings say nothing, the pairing state decides. A
quote left open at the end of a paragraph whose next paragraph opens with a mark (the convention for quotes running
over several paragraphs) ends at its paragraph, and the next paragraph's quote continues it (attribution gives it
the same speaker); otherwise, when it opened the paragraph, it runs to the paragraph end; else it is dropped as a
stray mark. Single marks are not quotes here: ’ is far more often an apostrophe. A markup value left in the text
(``poster="http://..."``) or a bare web address in marks is no quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = re.compile(r"''|‘‘|’’|[\"“”„«»″]")
_DOUBLED = ("''", "‘‘", "’’")  # two single marks typed for a double one
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?![ \t\r\f\v]*\n)[^\n]*)*")
_OPENERS = "“„«‘"
_CLOSERS = "”»’"
_BEFORE_OPEN = " \t\n([{—–-/:;"
_AFTER_CLOSE = " \t\n.,;:!?)]}—–-…'’"


@dataclass(frozen=True)
class Quote:
    """A quotation: marks at ``open`` and ``close`` (None when it ran unclosed to its paragraph end); the quoted words
    are ``text[start:end]``, surrounding whitespace excluded, punctuation inside the marks included."""

    open: int
    close: int | None
    start: int
    end: int

    def contains(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies within the marks."""
        stop = self.close if self.close is not None else self.end
        return self.open <= start and end <= stop + 1


def _width(text: str, i: int) -> int:
    """The number of characters of the mark at ``i``: 2 for a doubled single mark (''), else 1."""
    return 2 if text.startswith(_DOUBLED, i) else 1


def _role(text: str, i: int) -> str:
    """"open", "close", "either" or "stray" (spaces on both sides: neither opens nor closes) for the mark at ``i``."""
    before = text[i - 1] if i > 0 else " "
    end = i + _width(text, i)
    after = text[end] if end < len(text) else " "
    if before.isspace() and after.isspace():
        return "stray"
    opens = before in _BEFORE_OPEN and not after.isspace()
    closes = after in _AFTER_CLOSE and not before.isspace()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    mark = text[i]
    return "open" if mark in _OPENERS else "close" if mark in _CLOSERS else "either"


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in ``text``, in order. Never raises on unbalanced or stray marks."""
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]
    quotes: list[Quote] = []
    opened: int | None = None  # position of the pending opening mark
    for n, (p_start, p_end) in enumerate(paragraphs):
        skip = -1
        if opened is not None:
            skip = _first_mark(text, p_start, p_end)  # the continuation mark opening this paragraph
        for m in _MARKS.finditer(text, p_start, p_end):
            i = m.start()
            if i == skip:
                continue
            role = _role(text, i)
            if role == "stray":
                continue
            if opened is None:
                if role != "close":
                    opened = i
            elif role == "open":
                opened = i  # the earlier mark was stray
            else:
                _emit(quotes, text, opened, i, i)
                opened = None
        if opened is None:
            continue
        following = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
        if following and _first_mark(text, *following) >= 0 and _role(text, _first_mark(text, *following)) != "close":
            _emit(quotes, text, opened, None, p_end)  # one claim per paragraph; the next one reopens
            opened = None
            continue
        starts_paragraph = text[p_start:opened].strip() == ""
        if starts_paragraph and len(text[opened + 1:p_end].split()) >= 3:
            _emit(quotes, text, opened, None, p_end)
        opened = None
    return quotes


def _first_mark(text: str, start: int, end: int) -> int:
    """Position of a quotation mark opening the paragraph ``text[start:end]``, else -1."""
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i if i < end and (text[i] in "\"“„«″" or text.startswith(("''", "‘‘"), i)) else -1


def _emit(quotes: list[Quote], text: str, opened: int, close: int | None, stop: int) -> None:
    start, end = opened + _width(text, opened), stop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(c.isalnum() for c in text[start:end]) and not _markup_value(text, opened, start, end):
        quotes.append(Quote(opened, close, start, end))


_URL = re.compile(r"(?:https?://|www\.)\S+$")


def _markup_value(text: str, opened: int, start: int, end: int) -> bool:
    """A value of page markup left in the text (``poster="http://..."``: the mark right after "=") or a bare address
    in quotation marks: no quotation of anyone's words."""
    return opened > 0 and text[opened - 1] == "=" or _URL.match(text, start, end) is not None
