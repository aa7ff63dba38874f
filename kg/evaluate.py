"""Scoring extracted claims against gold claims: span and attribution precision, recall and F1.

The metric is the one of ``../shared/eval/score.py`` (``FORMAT.md``, "Scoring"), reimplemented here so that
``kg evaluate`` needs nothing outside the project:

* a predicted claim *matches* a gold claim of the same article when their character spans overlap with
  intersection-over-union >= ``iou`` (and > 0); pairs are taken one-to-one, best overlap first, and among equal
  overlaps (two gold claims on one span for "A and B said ...") a pair with the right speaker first;
* a match is *attributed* when the predicted speaker names the gold speaker: the same Wikidata id when both have
  one, else the normalised name equals the gold entity's name, id, an alias or (for people) the surname, or one
  contains the other where the gold form has several words;
* precision divides by the predicted claims, recall by the gold claims, of all articles together.

>>> iou((0, 10), (5, 15))
0.3333333333333333
>>> normalise_name("Mr. O’Rourke's")
'orourke'
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import BadInput

ClaimsRecord = dict[str, Any]  # one article's claims JSON (FORMAT.md)

_DROPPED_WORDS = frozenset({"the", "mr", "mrs", "ms", "dr", "s"})


def normalise_name(name: str | None) -> str:
    """Lower-case ASCII words of a name, without punctuation, articles, courtesy titles or a possessive ``s``."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9 ]+", " ", ascii_name).split()
    return " ".join(w for w in words if w not in _DROPPED_WORDS)


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two ``[start, end)`` character spans (0.0 for two empty spans)."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


@dataclass(frozen=True)
class GoldSpeaker:
    """The normalised forms a gold speaker may be named by, and its Wikidata id ("" when none)."""

    forms: frozenset[str]
    wikidata: str


def gold_speakers(gold: ClaimsRecord) -> dict[str, GoldSpeaker]:
    """Speakers of a gold record by entity id: name, id, aliases and, for a person of several words, the surname."""
    out = {}
    for e in gold.get("entities", []):
        name = normalise_name(e.get("name", ""))
        forms = {name, normalise_name(str(e.get("id", "")).replace("-", " "))}
        forms.update(normalise_name(a) for a in e.get("aliases", []))
        if e.get("type") in ("Official", "Person") and len(name.split()) > 1:
            forms.add(name.split()[-1])
        out[str(e.get("id", ""))] = GoldSpeaker(frozenset(f for f in forms if f), e.get("wikidata") or "")
    return out


def predicted_speaker(claim: ClaimsRecord) -> tuple[str, str]:
    """(name, Wikidata id) of a claim's speaker, which is an object or a plain name."""
    speaker = claim.get("speaker")
    if isinstance(speaker, dict):
        return speaker.get("name") or speaker.get("label") or "", speaker.get("wikidata") or ""
    return speaker or "", claim.get("speaker_wikidata") or ""


def same_speaker(predicted: ClaimsRecord, gold: ClaimsRecord, speakers: dict[str, GoldSpeaker]) -> bool:
    """Whether ``predicted`` names the speaker of the gold claim ``gold`` (see the module doc)."""
    gold_id = str(gold.get("speaker") or "")
    known = speakers.get(gold_id) or GoldSpeaker(frozenset({normalise_name(gold_id.replace("-", " "))}), "")
    name, qid = predicted_speaker(predicted)
    if qid and known.wikidata:
        return qid == known.wikidata
    said = normalise_name(name)
    if not said:
        return False
    return said in known.forms or any(len(f.split()) > 1 and (f in said or said in f) for f in known.forms)


def match_claims(gold: list[ClaimsRecord], predicted: list[ClaimsRecord], threshold: float,
                 prefer: Callable[[int, int], bool] | None = None) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs with span IoU >= ``threshold``, best overlap first. Among
    equal overlaps (two gold claims on one span, one per speaker of "A and B said ..."), pairs for which
    ``prefer(gold index, predicted index)`` holds come first, then the lower indices, as in ``score.py``."""
    ranked = sorted(((iou((g["start"], g["end"]), (p["start"], p["end"])), bool(prefer and prefer(gi, pi)), gi, pi)
                     for gi, g in enumerate(gold) for pi, p in enumerate(predicted)),
                    key=lambda t: (-t[0], not t[1], t[2], t[3]))
    gold_used: set[int] = set()
    predicted_used: set[int] = set()
    pairs = []
    for overlap, _, gi, pi in ranked:
        if overlap < threshold or overlap == 0:
            break
        if gi not in gold_used and pi not in predicted_used:
            gold_used.add(gi)
            predicted_used.add(pi)
            pairs.append((gi, pi))
    return pairs


def _speaker_first_matches(gold: list[ClaimsRecord], predicted: list[ClaimsRecord],
                           speakers: dict[str, GoldSpeaker], threshold: float) -> list[tuple[int, int]]:
    """:func:`match_claims` preferring, among equal overlaps, the pairs with the right speaker."""
    return match_claims(gold, predicted, threshold,
                        prefer=lambda gi, pi: same_speaker(predicted[pi], gold[gi], speakers))


def precision_recall_f1(true_positives: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 (0.0 where undefined)."""
    p = true_positives / predicted if predicted else 0.0
    r = true_positives / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(gold: dict[str, ClaimsRecord], predicted: dict[str, ClaimsRecord], threshold: float = 0.5) -> dict[str, Any]:
    """Scores of ``predicted`` against ``gold`` (both: article id -> claims record), as ``score.py --json`` gives
    them: totals, ``span`` and ``attribution`` P/R/F1, ``recall_by_kind`` and ``per_article``.

    Raises BadInput when ``threshold`` is not in (0, 1] or a claim lacks integer ``start``/``end``."""
    if not 0 < threshold <= 1:
        raise BadInput(f"IoU threshold must be in (0, 1], got {threshold!r}")
    totals = {"gold": 0, "pred": 0, "span_tp": 0, "attr_tp": 0}
    by_kind: dict[str, dict[str, int]] = {}
    per_article = {}
    for article_id, record in sorted(gold.items()):
        gold_claims = _claims(record, article_id, "gold")
        pred_claims = [c for c in _claims(predicted.get(article_id) or {}, article_id, "predicted")
                       if "start" in c and "end" in c]
        speakers = gold_speakers(record)
        matched = _speaker_first_matches(gold_claims, pred_claims, speakers, threshold)
        attributed = [(gi, pi) for gi, pi in matched if same_speaker(pred_claims[pi], gold_claims[gi], speakers)]
        found = {gi for gi, _ in matched}
        right = {gi for gi, _ in attributed}
        for gi, claim in enumerate(gold_claims):
            kind = by_kind.setdefault(claim.get("kind", "?"), {"gold": 0, "found": 0, "attributed": 0})
            kind["gold"] += 1
            kind["found"] += gi in found
            kind["attributed"] += gi in right
        counts = {"gold": len(gold_claims), "pred": len(pred_claims), "span_tp": len(matched),
                  "attr_tp": len(attributed)}
        for k, v in counts.items():
            totals[k] += v
        per_article[article_id] = {**counts, "missing_prediction": article_id not in predicted}
    return {
        "iou": threshold, "articles": len(gold), **totals,
        "span": precision_recall_f1(totals["span_tp"], totals["pred"], totals["gold"]),
        "attribution": precision_recall_f1(totals["attr_tp"], totals["pred"], totals["gold"]),
        "recall_by_kind": {k: {**v, "recall": v["attributed"] / v["gold"] if v["gold"] else 0.0}
                           for k, v in sorted(by_kind.items())},
        "per_article": per_article,
    }


def score_by_method(gold: dict[str, ClaimsRecord], predicted: dict[str, ClaimsRecord],
                    threshold: float = 0.5) -> dict[str, dict[str, Any]]:
    """Attribution precision and recall per ``method`` of the predicted claims (``"?"`` for claims without one),
    matched as in :func:`score`: precision divides a method's attributed claims by its predicted claims, recall by
    all gold claims, so the recalls of the methods add up to the overall recall."""
    if not 0 < threshold <= 1:
        raise BadInput(f"IoU threshold must be in (0, 1], got {threshold!r}")
    counts: dict[str, dict[str, int]] = {}
    total_gold = 0
    for article_id, record in sorted(gold.items()):
        gold_claims = _claims(record, article_id, "gold")
        pred_claims = [c for c in _claims(predicted.get(article_id) or {}, article_id, "predicted")
                       if "start" in c and "end" in c]
        speakers = gold_speakers(record)
        total_gold += len(gold_claims)
        matched = {pi: gi for gi, pi in _speaker_first_matches(gold_claims, pred_claims, speakers, threshold)}
        for pi, claim in enumerate(pred_claims):
            row = counts.setdefault(str(claim.get("method") or "?"), {"pred": 0, "span_tp": 0, "attr_tp": 0})
            row["pred"] += 1
            if pi in matched:
                row["span_tp"] += 1
                row["attr_tp"] += same_speaker(claim, gold_claims[matched[pi]], speakers)
    return {method: {**row, "precision": row["attr_tp"] / row["pred"],
                     "recall": row["attr_tp"] / total_gold if total_gold else 0.0}
            for method, row in sorted(counts.items(), key=lambda kv: (-kv[1]["pred"], kv[0]))}


def report_by_method(rows: dict[str, dict[str, Any]]) -> str:
    """The per-method table of :func:`score_by_method` as text."""
    lines = [f"{'method':28s} {'pred':>5s} {'found':>5s} {'attr':>5s} {'attr P':>7s} {'attr R':>7s}"]
    for method, v in rows.items():
        lines.append(f"{method:28s} {v['pred']:5d} {v['span_tp']:5d} {v['attr_tp']:5d} {v['precision']:7.3f} "
                     f"{v['recall']:7.3f}")
    return "\n".join(lines)


def _claims(record: ClaimsRecord, article_id: str, which: str) -> list[ClaimsRecord]:
    claims = record.get("claims", [])
    if not isinstance(claims, list):
        raise BadInput(f"{which} article {article_id!r}: 'claims' must be a list")
    for n, c in enumerate(claims):
        if not isinstance(c, dict) or any(
                k in c and (not isinstance(c[k], int) or isinstance(c[k], bool)) for k in ("start", "end")):
            raise BadInput(f"{which} article {article_id!r}, claim {n}: expected an object with integer "
                           f"'start' and 'end'")
    if which == "gold" and any("start" not in c for c in claims):
        raise BadInput(f"gold article {article_id!r}: every gold claim needs 'start' and 'end'")
    return claims


def load_claims(path: Path) -> dict[str, ClaimsRecord]:
    """Claims records by article id from a ``.json`` file, a ``.jsonl`` file, or a folder of them. An article id
    comes from ``article.id``, else the file name up to its first dot. Records holding an input article (a
    ``text`` and no ``claims``) are left out, so a folder may hold gold files beside their articles.

    Raises BadInput when ``path`` is missing or holds malformed JSON."""
    if path.is_dir():
        files = sorted(path.glob("*.json")) + sorted(path.glob("*.jsonl"))
    elif path.is_file():
        files = [path]
    else:
        raise BadInput(f"{path}: no such file or folder")
    out: dict[str, ClaimsRecord] = {}
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            records = [json.loads(line) for line in text.splitlines() if line.strip()] \
                if f.suffix == ".jsonl" else [json.loads(text)]
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise BadInput(f"{f}: not valid JSON: {e}") from e
        for r in records:
            if not isinstance(r, dict):
                raise BadInput(f"{f}: expected a JSON object per article, got {type(r).__name__}")
            if "text" in r and "claims" not in r:
                continue
            article = r.get("article") if isinstance(r.get("article"), dict) else {}
            out[str(article.get("id") or f.name.split(".")[0])] = r  # type: ignore[union-attr]  # dict: checked above
    return out


def gold_articles(gold: dict[str, ClaimsRecord], gold_path: Path) -> list[str]:
    """Article files for gold records, looked up beside the gold: ``article.file``, else ``<id>.json`` or
    ``<id>.txt``. Raises BadInput naming the first article not found."""
    folder = gold_path if gold_path.is_dir() else gold_path.parent
    paths = []
    for article_id, record in sorted(gold.items()):
        named = (record.get("article") or {}).get("file")
        candidates = [*([folder / named] if named else []), folder / f"{article_id}.json", folder / f"{article_id}.txt"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise BadInput(f"no article file for gold article {article_id!r} beside {gold_path} (looked for "
                           f"{', '.join(c.name for c in candidates)}); name the articles on the command line")
        paths.append(str(found))
    return paths


def predict(article_paths: Iterable[str], pipeline: str | None) -> dict[str, ClaimsRecord]:
    """Claims records of the articles at ``article_paths``, extracted now. Raises BadInput on unreadable articles."""
    from kg.articles import Skipped, read_articles
    from kg.extract import Extractor

    articles = []
    for item in read_articles(article_paths):
        if isinstance(item, Skipped):
            raise BadInput(f"cannot read article {item.source}: {item.reason}")
        articles.append(item)
    return {e.article.id: e.to_json() for e in Extractor(pipeline).extract_many(articles)}


def report(result: dict[str, Any]) -> str:
    """The scores as text, in the layout of ``score.py``; the last line is ``attribution F1 X``."""
    lines = [f"articles {result['articles']}  gold claims {result['gold']}  predicted {result['pred']}  "
             f"(IoU >= {result['iou']})"]
    for k in ("span", "attribution"):
        v = result[k]
        lines.append(f"{k:12s} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}")
    for k, v in result["recall_by_kind"].items():
        lines.append(f"  recall {k:9s} {v['attributed']:4d}/{v['gold']:<4d} = {v['recall']:.3f}")
    missing = [a for a, v in result["per_article"].items() if v["missing_prediction"]]
    if missing:
        lines.append(f"no prediction for {len(missing)} article(s): {', '.join(missing[:5])}")
    lines.append(f"attribution F1 {result['attribution']['f1']:.3f}")
    return "\n".join(lines)


def evaluate_command(gold_path: Path, article_paths: list[str], pred_path: Path | None, threshold: float,
                     pipeline: str | None, as_json: bool, by_method: bool = False) -> None:
    """``kg evaluate``: score ``pred_path`` (or claims extracted now from ``article_paths``, by default the gold
    articles found beside the gold) against the gold and print the scores. Raises BadInput on bad input."""
    if not 0 < threshold <= 1:
        raise BadInput(f"IoU threshold must be in (0, 1], got {threshold!r}")
    gold = load_claims(gold_path)
    if not gold:
        raise BadInput(f"{gold_path}: no gold claims records found")
    if pred_path is not None:
        predicted = load_claims(pred_path)
    else:
        predicted = predict(article_paths or gold_articles(gold, gold_path), pipeline)
    result = score(gold, predicted, threshold)
    if by_method:
        result["by_method"] = score_by_method(gold, predicted, threshold)
    text = json.dumps(result, indent=1) if as_json else report(result)
    if by_method and not as_json:
        text = report_by_method(result["by_method"]) + "\n" + text
    sys.stdout.write(text + "\n")
