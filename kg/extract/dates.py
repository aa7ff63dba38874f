"""When a claim was stated: date words around its cue, resolved against the article's publication date.

A weekday means the most recent such day on or before publication; "last week" the Monday of the week before
(precision "week"); "in late April" that month (precision "month", the first day); "May 3" or "May 3, 2018" that day.
Without any date words the claim is dated to publication. Without a publication date only a fully written date
("May 3, 2018") gives one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from kg.extract.model import DatePrecision

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"Sept": 9}
_MONTH = r"(?P<month>" + "|".join(_MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.)"
_PATTERNS = [
    ("weekday", re.compile(r"\b(?P<last>last )?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b")),
    ("monthday", re.compile(_MONTH + r" (?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:, (?P<year>(?:19|20)\d\d))?")),
    ("month", re.compile(r"\b(?:(?:in|during|since|until|end of|last) )?(?:(?:early|mid-?|late) )?"
                         + _MONTH + r"(?: (?P<year>(?:19|20)\d\d))?\b")),
    ("relative", re.compile(r"\b(?P<rel>yesterday|today|tonight|this morning|this afternoon|this evening|"
                            r"last night|(?:earlier |later )?this week|last week|(?:earlier )?this month|"
                            r"last month)\b", re.IGNORECASE)),
]


def published_day(published: str | None) -> date | None:
    """The date part of an ISO date or datetime string, or None when absent or malformed."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def resolve_date(phrase: str, anchor: int, published: str | None) -> tuple[str | None, DatePrecision | None]:
    """The ISO date and precision of the time phrase ``phrase`` ("on Tuesday", "last week", "in late April"; the
    match nearest ``anchor`` when it holds several), else of publication; (None, None) when neither gives one."""
    context = phrase
    day = published_day(published)
    found = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(context):
            found.append((min(abs(m.start() - anchor), abs(m.end() - anchor)), kind, m))
    for _, kind, m in sorted(found, key=lambda x: x[0]):
        value = _value(kind, m, day)
        if value is not None:
            return value[0].isoformat(), value[1]
    return (day.isoformat(), "day") if day else (None, None)


def _month_number(text: str) -> int:
    return _MONTHS.index(text) + 1 if text in _MONTHS else _MONTH_ABBR[text.rstrip(".")[:4 if text.startswith(
        "Sept") else 3]]


def _value(kind: str, m: re.Match[str], day: date | None) -> tuple[date, DatePrecision] | None:
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if kind == "weekday":
        if day is None:
            return None
        back = (day.weekday() - _WEEKDAYS.index(groups["weekday"])) % 7
        if groups.get("last") and back == 0:
            back = 7
        return day - timedelta(days=back), "day"
    if kind in ("monthday", "month"):
        month = _month_number(groups["month"])
        if year is None:
            if day is None:
                return None
            year = day.year if month <= day.month else day.year - 1
        try:
            if kind == "monthday":
                return date(year, month, int(groups["day"])), "day"
            return date(year, month, 1), "month"
        except ValueError:
            return None
    if day is None:
        return None
    rel = groups["rel"].lower()
    if rel == "yesterday" or rel == "last night":
        return day - timedelta(days=1), "day"
    if rel in ("today", "tonight") or rel.startswith("this "):
        if rel.endswith("week"):
            return day - timedelta(days=day.weekday()), "week"
        if rel.endswith("month"):
            return day.replace(day=1), "month"
        return day, "day"
    if rel.endswith("this week"):
        return day - timedelta(days=day.weekday()), "week"
    if rel == "last week":
        return day - timedelta(days=day.weekday() + 7), "week"
    if rel.endswith("this month"):
        return day.replace(day=1), "month"
    if rel == "last month":
        return (day.replace(day=1) - timedelta(days=1)).replace(day=1), "month"
    return None
