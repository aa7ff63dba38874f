"""The discourse state the speaker resolver reads and updates: what the article has established before the point
being resolved, kept explicitly rather than in the Document.

* ``genders``: person key -> "m" / "f", first from courtesy titles and common first names (:func:`initial`), then
  from pronouns already resolved to a person ("he" after an ungendered "Lee Ann Walsh" makes her "m" no more;
  :meth:`Discourse.remember`).
* ``last_speaker``: the person who spoke last (key, offset of the cue): "..., Nigel Dodds told BBC News. He said
  ...": he is that speaker unless someone has been named as the subject of a clause since; when an unnamed person
  spoke last ("..., the New York Democrat said. He added ..."), he names no one rather than an earlier name.
* ``reported``: the content spans of the reports resolved so far. A name inside what someone was reported to say
  is a poor antecedent for a later pronoun ("He said Trudeau ... . He added": not Trudeau).

The resolver (:mod:`kg.extract.resolver`) walks the proposals in text order and hands this state to every
speaker lookup (:func:`kg.extract.speakers.resolve`); the order of the walk is the only order that matters.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass, field

from kg.extract.document import Document
from kg.extract.gender import PRONOUN_GENDER, Gender, initial_genders


@dataclass
class Spans:
    """Character spans, for "is this one inside any of them" in about log time (a scan of all of them per lookup
    made long articles quadratic)."""

    starts: list[tuple[int, int]] = field(default_factory=list)
    longest: int = 0

    def add(self, start: int, end: int) -> None:
        insort(self.starts, (start, end))
        self.longest = max(self.longest, end - start)

    def covers(self, start: int, end: int) -> bool:
        """Whether one span holds all of ``[start, end)``."""
        i = bisect_right(self.starts, (start, 1 << 62))
        while i > 0:
            i -= 1
            s, e = self.starts[i]
            if s < start - self.longest:
                return False
            if s <= start and end <= e:
                return True
        return False

    def overlaps(self, start: int, end: int) -> bool:
        """Whether one span shares a character with ``[start, end)``."""
        i = bisect_right(self.starts, (end - 1, 1 << 62))
        while i > 0:
            i -= 1
            s, e = self.starts[i]
            if s < start - self.longest:
                return False
            if s < end and start < e:
                return True
        return False

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class Discourse:
    """See the module doc. Build one per article with :meth:`start`."""

    genders: dict[str, Gender]
    reported: Spans = field(default_factory=Spans)
    last_speaker: tuple[str | None, int] | None = None
    last_unnamed: str | None = None  # the words of the unnamed person who spoke last ("the New York Democrat")

    @classmethod
    def start(cls, doc: Document) -> Discourse:
        """The state before the first sentence: genders from names and titles, nothing reported yet."""
        return cls(initial_genders(doc))

    def remember(self, key: str, pronoun: str) -> None:
        """Record the gender of a pronoun resolved to ``key`` when nothing else gave one."""
        g = PRONOUN_GENDER.get(pronoun.lower())
        if g:
            self.genders.setdefault(key, g)

    def spoke(self, key: str | None, at: int, *, unnamed_person: bool = False, words: str = "") -> None:
        """A frame at ``at`` was resolved to ``key``: a person is the last speaker from now on; so is an unnamed
        person (key None: "the New York Democrat", "a spokesman", with their ``words``), after whom "he" is that
        unnamed person, never an earlier name."""
        if key and key.startswith("person/"):
            self.last_speaker = (key, at)
        elif key is None and unnamed_person:
            self.last_speaker = (None, at)
            self.last_unnamed = words or None

    def report(self, start: int, end: int) -> None:
        """A report's content was resolved: names inside it are asides from now on."""
        self.reported.add(start, end)

    def in_report(self, start: int, end: int) -> bool:
        return self.reported.covers(start, end)
