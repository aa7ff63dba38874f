"""Reading articles in the input format of ``FORMAT.md``.

Inputs: ``.txt``, ``.json``, ``.jsonl``, ``.jsonl.gz`` files, folders of them, and stdin.

A malformed record does not stop the reading: it is yielded as a ``Skipped`` naming its file, line and problem,
and the records around it are read as usual. Malformed covers anything one record can do wrong: bytes that are not
UTF-8, JSON that does not parse or is nested too deeply, strings holding lone surrogates (``"\\ud800"``: valid JSON,
not valid Unicode), missing or mistyped fields, a text over ``KG_MAX_ARTICLE_CHARS``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import config
from kg.extract.model import Article

SUFFIXES = (".txt", ".json", ".jsonl", ".jsonl.gz", ".json.gz")


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read, and why."""

    source: str  # "file.jsonl:12", "file.txt", "<stdin>:3"
    reason: str


@dataclass(frozen=True)
class Record:
    """An article read from ``source`` ("file.jsonl:12", "file.txt", "<stdin>:3", "file.json[2]")."""

    source: str
    article: Article


class RecordError(ValueError):
    """A record that is not a valid article."""


def _check_unicode(record: dict[str, Any]) -> None:
    """Raise RecordError when a string anywhere in ``record`` holds a lone surrogate (it cannot be stored as UTF-8)."""
    stack: list[tuple[str, Any]] = list(record.items())
    while stack:
        key, value = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as e:
                raise RecordError(f"field {key!r} holds a lone surrogate {value[e.start]!r} at character {e.start} "
                                  "(valid JSON, but not Unicode text)") from None
        elif isinstance(value, dict):
            stack += [(key, k) for k in value] + [(key, v) for v in value.values()]
        elif isinstance(value, list):
            stack += [(key, v) for v in value]


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"field {key!r} must be a string or null, not {type(value).__name__}")
    return value


_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def parse_published(value: str) -> str:
    """Validate an ISO date or datetime and return it as given (``"2018-05-01"``, ``"2018-05-01T09:30:00Z"``); a
    US month/day/year date, as some feeds write it (37 of the shared corpus's records), becomes the ISO date, with a
    two-digit year in 2000-2099.

    >>> parse_published("2018-05-01")
    '2018-05-01'
    >>> parse_published("7/23/17")
    '2017-07-23'
    >>> parse_published("May 1")
    Traceback (most recent call last):
    ...
    kg.articles.RecordError: field 'published' is not an ISO date or datetime: 'May 1'
    """
    if (us := _US_DATE.fullmatch(value)) is not None:
        month, day, year = int(us[1]), int(us[2]), int(us[3])
        try:
            return dt.date(year + 2000 if year < 100 else year, month, day).isoformat()
        except ValueError as e:
            reason = f"month {month} does not exist" if month > 12 else str(e)
            raise RecordError(f"field 'published' is not an ISO date or datetime: {value!r} (read as "
                              f"month/day/year, {reason})") from None
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                return parsed.isoformat()
            return parsed.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    except ValueError:
        raise RecordError(f"field 'published' is not an ISO date or datetime: {value!r}") from None
    return value


def article_from_record(record: Any, *, max_chars: int | None = None) -> Article:
    """An ``Article`` from one decoded JSON record. Raises RecordError naming the problem."""
    if not isinstance(record, dict):
        raise RecordError(f"an article is a JSON object, not {type(record).__name__}")
    _check_unicode(record)
    article_id = record.get("id")
    if not isinstance(article_id, (str, int)) or isinstance(article_id, bool) or str(article_id).strip() == "":
        raise RecordError("missing or empty 'id'")
    text = record.get("text")
    if not isinstance(text, str):
        raise RecordError("missing 'text'" if text is None else f"'text' must be a string, not {type(text).__name__}")
    if not text.strip():
        raise RecordError("empty 'text'")
    limit = max_chars if max_chars is not None else config.max_article_chars()
    if len(text) > limit:
        raise RecordError(f"'text' has {len(text):,} characters, over the limit of {limit:,} (KG_MAX_ARTICLE_CHARS)")
    published = _optional_str(record, "published")
    known = {"id", "text", "url", "title", "publisher", "published"}
    return Article(
        id=str(article_id), text=text, url=_optional_str(record, "url"), title=_optional_str(record, "title"),
        publisher=_optional_str(record, "publisher"),
        published=parse_published(published) if published else None,
        extra={k: v for k, v in record.items() if k not in known})


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RecordError(f"not UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r})") from None


def _record(data: str, where: str, *, lines: bool) -> Record | Skipped:
    """The article of one JSON record, or why it was skipped; never raises for anything the record holds."""
    try:
        return Record(where, article_from_record(json.loads(data)))
    except json.JSONDecodeError as e:
        at = f"column {e.colno}" if lines else f"line {e.lineno} column {e.colno}"
        return Skipped(where, f"malformed JSON: {e.msg} at {at}")
    except RecursionError:
        return Skipped(where, f"JSON nested too deeply (more than about {sys.getrecursionlimit()} levels)")
    except RecordError as e:
        return Skipped(where, str(e))
    except Exception as e:  # noqa: BLE001 - one record must never stop the others
        return Skipped(where, f"unreadable record ({type(e).__name__}: {e})")


def _json_lines(stream: Iterable[bytes], source: str) -> Iterator[Record | Skipped]:
    for number, raw in enumerate(stream, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        try:
            data = _decode(raw, where)
        except RecordError as e:
            yield Skipped(where, str(e))
            continue
        yield _record(data, where, lines=True)


def read_path(path: Path) -> Iterator[Record | Skipped]:
    """Articles of one file (by suffix). Unknown suffixes are skipped with a reason."""
    name = path.name.lower()
    source = str(path)
    try:
        if name.endswith((".jsonl.gz", ".json.gz")):
            with gzip.open(path, "rb") as f:
                yield from _json_lines(f, source)
        elif name.endswith(".jsonl"):
            with path.open("rb") as f:
                yield from _json_lines(f, source)
        elif name.endswith(".json"):
            yield from _json_file(_decode(path.read_bytes(), source), source)
        elif name.endswith(".txt"):
            text = _decode(path.read_bytes(), source)
            yield Record(source, article_from_record({"id": path.name[: -len(".txt")], "text": text}))
        else:
            yield Skipped(source, f"unsupported file type (expected one of {', '.join(SUFFIXES)})")
    except RecordError as e:
        yield Skipped(source, str(e))
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        yield Skipped(source, f"cannot read: {e}")


def _json_file(data: str, source: str) -> Iterator[Record | Skipped]:
    """The records of a ``.json`` file: one article object, or a list of them (``file.json[i]``)."""
    if not data.lstrip().startswith("["):
        yield _record(data, source, lines=False)
        return
    try:
        records = json.loads(data)
    except json.JSONDecodeError as e:
        yield Skipped(source, f"malformed JSON: {e.msg} at line {e.lineno} column {e.colno}")
        return
    except RecursionError:
        yield Skipped(source, f"JSON nested too deeply (more than about {sys.getrecursionlimit()} levels)")
        return
    for i, r in enumerate(records):
        try:
            yield Record(f"{source}[{i}]", article_from_record(r))
        except RecordError as e:
            yield Skipped(f"{source}[{i}]", str(e))
        except Exception as e:  # noqa: BLE001 - one record must never stop the others
            yield Skipped(f"{source}[{i}]", f"unreadable record ({type(e).__name__}: {e})")


def read_articles(paths: Iterable[str]) -> Iterator[Article | Skipped]:
    """Articles from files, folders (their supported files, sorted, recursively) and ``-`` (JSON Lines on stdin)."""
    for item in read_records(paths):
        yield item.article if isinstance(item, Record) else item


def _folder_files(folder: Path) -> list[Path]:
    """The supported files under ``folder``, recursively, sorted."""
    return sorted(f for f in folder.rglob("*") if f.is_file() and f.name.lower().endswith(SUFFIXES))


def read_records(paths: Iterable[str]) -> Iterator[Record | Skipped]:
    """Like ``read_articles``, each article with the file and line it came from."""
    for p in paths:
        if p == "-":
            yield from _json_lines(sys.stdin.buffer if hasattr(sys.stdin, "buffer") else io.BytesIO(), "<stdin>")
            continue
        path = Path(p)
        if path.is_dir():
            for f in _folder_files(path):
                yield from read_path(f)
        elif path.exists():
            yield from read_path(path)
        else:
            yield Skipped(p, "no such file or folder")


def count_records(paths: Iterable[str]) -> int | None:
    """How many records ``read_records(paths)`` will give, about: the non-blank lines of JSON Lines files, one per
    ``.json`` or ``.txt`` file (a ``.json`` list counts as one). None when it cannot be known in advance (stdin) or a
    file cannot be read; a progress counter then shows no total. Reads the files once (2.8 s for the 37,534 records
    of a 90 MB ``.jsonl.gz``)."""
    total = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        for f in _folder_files(path) if path.is_dir() else [path]:
            name = f.name.lower()
            try:
                if name.endswith((".jsonl.gz", ".json.gz", ".jsonl")):
                    opener = gzip.open if name.endswith(".gz") else open
                    with opener(f, "rb") as stream:
                        total += sum(1 for line in stream if line.strip())
                elif name.endswith((".json", ".txt")):
                    total += 1
            except (OSError, EOFError, gzip.BadGzipFile):
                return None
    return total
