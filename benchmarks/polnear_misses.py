#!/usr/bin/env python3
"""Where the rules' PolNeAR speech misses are: each speech attribution of PolNeAR dev that no rule claim matches
(content at character IoU >= 0.5, PolNeAR's spans as given, trimmed of quotation marks and a leading "that", as
``benchmarks/learned_eval.py`` scores them) is put in one class, the first that applies:

    nice -n 10 python benchmarks/polnear_misses.py [--polnear PATH] [--limit N] [--learned off]
                                                   [--show CLASS ...] [--sample 20] [--seed 1] [--json FILE]
    nice -n 10 python benchmarks/polnear_misses.py --our-sets eval/holdout eval/dev9 ...

*Conventions* (the scoring, not the rules): ``discontinuous`` (a claim matches a piece of a content PolNeAR gives
from its first to its last character, cue inside), ``mixed fragment`` (our claim is the quoted fragment inside the
reported clause PolNeAR annotates whole), ``span edges: ...`` (a claim overlaps the content but under IoU 0.5:
``ours inside`` PolNeAR's, ``theirs inside`` ours, or ``crossing``). *No claim overlaps*: ``cue not in lexicon``
(no word of the cue is a reporting verb, a phrase, a noun of saying or "according to" of kg/extract/lexicon; the
commonest lemmas are printed); ``not a statement: ...`` (a negated cue, a content headed by a noun, neither quoted
nor the complement of a frame verb ("called X Y"), an agentless passive: speech by its lemma, not a claim of ours);
what the rule stages made of a cue of ours, read from a trace of ``kg.extract.arbiter``'s proposals and frames:
``proposed: no content span`` (with its shape where the parse tells it: content before the cue, a relative clause,
a colon before a paragraph, a clause read as adverbial), ``no speaker: ...`` (the resolver dropped it: a vague
crowd, by our rule; a pronoun or another source it could not name), ``proposed: frame gave no claim`` (a quote or a
kept claim took it); and for a cue no rule proposed, the shape around it: ``cue taken by a
nearby claim``, ``cue not parsed as a verb``, ``cue in a clause modifying a noun`` (relcl, acl), ``no subject``,
``content before the cue``, ``subject not a speaker``, ``noun of saying``, ``other``. ``--show CLASS`` prints a
sample of that class with its sentence, PolNeAR's content (``[...]``), cue (``<...>``) and our nearest claim;
``--json FILE`` writes every miss. The speech recall and precision of our claims rewritten as PolNeAR writes spans
(:func:`as_polnear_claims`) are printed beside ours; ``--our-sets`` scores that rewriting on our own sets instead.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg.extract.arbiter as rule_arbiter  # noqa: E402
from benchmarks.learned_eval import _inside, _match  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.extract.cues import LEXICON  # noqa: E402
from kg.extract.learned.corpus import (  # noqa: E402
    QUOTE_MARKS,
    Attribution,
    is_speech,
    parse_blocks,
    polnear_attributions,
    read_polnear,
    speech_lemmas,
)
from kg.extract.model import Article, Claim  # noqa: E402
from kg.extract.pipeline import DEFAULT_PIPELINE  # noqa: E402

CONVENTIONS = ("discontinuous", "mixed fragment", "span edges: ours inside", "span edges: theirs inside",
               "span edges: crossing")


@dataclass
class Trace:
    """What the rule stages made of one article's cues: the character offset of each proposed cue token with its
    content spans, and of each frame the resolver kept (a proposal without a frame lost its speaker)."""

    proposed: dict[int, tuple[tuple[int, int] | None, ...]]
    sources: dict[int, tuple[str, str]]  # cue offset -> (source word, its part of speech)
    framed: set[int]
    clauses: list[tuple[int, int]] = field(default_factory=list)  # the content span of each frame kept


TRACES: list[Trace] = []


def _traced_propose(doc):  # type: ignore[no-untyped-def]
    proposals = _PROPOSE(doc)
    TRACES.append(Trace({p.sentence.char(p.token): p.contents for p in proposals},
                        {p.sentence.char(p.token): (p.source.lower_, p.source.pos_) for p in proposals if p.source},
                        set()))
    return proposals


def _traced_resolve(doc, proposals, reference):  # type: ignore[no-untyped-def]
    frames, discourse = _RESOLVE(doc, proposals, reference)
    TRACES[-1].framed.update(f.at for f in frames)
    TRACES[-1].clauses.extend(f.content for f in frames if f.content)
    return frames, discourse


_PROPOSE, _RESOLVE = rule_arbiter.propose, rule_arbiter.resolve_frames


@dataclass
class Miss:
    article: str
    text: str
    attribution: Attribution
    cls: str
    lemma: str = ""
    nearest: Claim | None = None


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (max(a[1], b[1]) - min(a[0], b[0]) or 1)


def _tokens(docs, span: tuple[int, int]):  # type: ignore[no-untyped-def]
    for base, doc in docs:
        if base <= span[0] < base + len(doc.text):
            found = doc.char_span(span[0] - base, min(span[1], base + len(doc.text)) - base,
                                  alignment_mode="expand")
            return list(found) if found is not None else []
    return []


def _unread_shape(text: str, verb, a: Attribution) -> str:  # type: ignore[no-untyped-def]
    """Which shape a proposed cue's unread content has, where it can be told from the parse (else "")."""
    gap = text[a.cue[0]:a.content[0]] if a.cue else ""
    if ":" in gap and "\n" in gap[gap.index(":"):]:
        return ": a colon before a paragraph"
    if a.content[1] <= (a.cue[0] if a.cue else 0):
        return ": content before the cue"
    if verb.dep_ == "relcl" or any(c.tag_ in ("WDT", "WP") and c.i < verb.i for c in verb.children):
        return ": a relative clause"
    if any(c.dep_ == "advcl" and c.i > verb.i and any(g.dep_ == "nsubj" for g in c.children)
           and not any(g.dep_ == "mark" for g in c.children) for c in verb.children):
        return ": a clause read as adverbial"
    return ""


def _ours(tok) -> bool:  # type: ignore[no-untyped-def]
    lem = tok.lemma_.lower()
    return lem in LEXICON.reporting_verbs or lem in LEXICON.phrases or lem in LEXICON.naming_verbs \
        or lem in LEXICON.showing_verbs or tok.lower_ == "according"


def classify(text: str, docs, a: Attribution, claims: list[Claim],  # type: ignore[no-untyped-def]
             trace: Trace) -> tuple[str, str, Claim | None]:
    """The class of one missed speech attribution (see the module doc), the cue's lemma, our nearest claim."""
    spans = [(c.start, c.end) for c in claims]
    overlapping = [c for c in claims if min(c.end, a.content[1]) > max(c.start, a.content[0])]
    nearest = max(overlapping, key=lambda c: _iou((c.start, c.end), a.content), default=None)
    if a.pieces and any(_iou(p, s) >= 0.5 for p in a.pieces for s in spans):
        return "discontinuous", "", nearest
    if any(c.kind == "mixed" and _inside((c.start, c.end), a.content) for c in claims):
        return "mixed fragment", "", nearest
    if nearest is not None:
        s = (nearest.start, nearest.end)
        if _inside(s, a.content):
            return "span edges: ours inside", "", nearest
        if _inside(a.content, s):
            return "span edges: theirs inside", "", nearest
        return "span edges: crossing", "", nearest
    toks = [t for t in _tokens(docs, a.cue) if not t.is_punct and not t.is_space] if a.cue else []
    if not toks:
        return "cue not in lexicon", "(none)", None
    ours = [t for t in toks if _ours(t)]
    nouns = [t for t in toks if t.lemma_.lower() in LEXICON.saying_nouns or t.lower_ in LEXICON.saying_nouns]
    if not ours and not nouns:
        head = next((t for t in toks if t.pos_ in ("VERB", "NOUN", "ADJ")), toks[0])
        return "cue not in lexicon", head.lemma_.lower(), None
    lem = (ours or nouns)[0].lemma_.lower()
    verb = (ours or nouns)[0]
    if any(c.dep_ == "neg" for c in verb.children) or verb.dep_ == "pcomp" and verb.head.lower_ == "without":
        return "not a statement: negated cue", lem, None
    content = [t for t in _tokens(docs, a.content) if not t.is_punct and not t.is_space]
    inside = {t.i for t in content}
    roots = [t for t in content if t.head.i not in inside or t.head.i == t.i]
    framed = lem in LEXICON.frames or lem in LEXICON.naming_verbs  # "called X Y", "accused X of Y": statements
    quoted = any(ch in QUOTE_MARKS for ch in text[max(0, a.content[0] - 2):a.content[0]])
    if roots and roots[0].pos_ in ("NOUN", "PROPN", "PRON", "NUM") and not framed and not quoted:
        return "not a statement: a noun phrase", lem, None  # "the devil", "remarks Trump had made about ..."
    if verb.tag_ == "VBN" and any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) \
            and not any(c.dep_ == "agent" for c in verb.children):
        return "not a statement: passive, no agent", lem, None
    at_cue = [k for k in trace.proposed if a.cue[0] <= k < a.cue[1]]
    if at_cue:
        if not any(any(trace.proposed[k]) for k in at_cue):
            return f"proposed: no content span{_unread_shape(text, verb, a)}", lem, None
        if not any(k in trace.framed for k in at_cue):
            word, pos = next((trace.sources[k] for k in at_cue if k in trace.sources), ("", ""))
            if word in LEXICON.vague_crowds:
                return "no speaker: a vague crowd (our rule)", lem, None
            return f"no speaker: {'pronoun' if pos == 'PRON' else 'other'} unresolved", lem, None
        return "proposed: frame gave no claim", lem, None
    if not ours:
        return "noun of saying", lem, None
    tok = ours[0]
    near = [c for c in claims if abs(c.start - a.content[0]) < 400 and c.cue and c.cue.split()[0].lower()
            in (t.lower_ for t in toks)]
    if near and any(text.find(c.cue, a.cue[0] - 2, a.cue[1] + 2) >= 0 for c in near):
        return "cue taken by a nearby claim", lem, near[0]
    if tok.pos_ not in ("VERB", "AUX"):
        if any(c.dep_ in ("det", "poss", "amod") for c in tok.children) or tok.dep_ in ("pobj", "dobj"):
            return "noun of saying", lem, None  # "Tulsa police's earlier claim that", "faced questions about"
        return "cue not parsed as a verb", lem, None  # "Trump charges that ...", "the doctor maintains."
    if tok.dep_ in ("relcl", "acl"):
        return "cue in a clause modifying a noun", lem, None
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj:
        return "no subject", lem, None
    if a.content[1] <= a.cue[0]:
        return "content before the cue", lem, None
    return "subject not a speaker" if subj[0].pos_ in ("NOUN", "PRON", "PROPN") else "other", lem, None


def as_polnear_claims(text: str, claims: list[Claim], trace: Trace) -> list[Claim]:
    """Our claims with their spans as PolNeAR writes them, from our own output only: a ``mixed`` claim (the quoted
    fragment) as the content clause of the frame that holds it, and a quote split by its attribution ("“A,” she
    said. “B.”": two direct claims of one speaker in one paragraph, at most 160 characters apart) as one claim from
    A to B."""
    out: list[Claim] = []
    for c in sorted(claims, key=lambda c: c.start):
        start, end = c.start, c.end
        if c.kind == "mixed":
            around = [k for k in trace.clauses if k[0] <= start and end <= k[1] and k != (start, end)]
            start, end = min(around, key=lambda k: k[1] - k[0], default=(start, end))
        who, last = c.speaker or c.speaker_text, out[-1] if out else None
        if last and c.kind == last.kind == "direct" and who and who == (last.speaker or last.speaker_text) \
                and 0 <= start - last.end <= 160 and "\n" not in text[last.end:start]:
            start = last.start
            out.pop()
        if any(o.start == start and o.end == end and o.speaker == c.speaker for o in out):
            continue
        out.append(replace(c, start=start, end=end, text=text[start:end]))
    return out


def as_polnear(text: str, claims: list[Claim], trace: Trace) -> list[tuple[int, int]]:
    """The spans of :func:`as_polnear_claims`, each once."""
    return sorted({(c.start, c.end) for c in as_polnear_claims(text, claims, trace)})


def our_sets(sets: list[str]) -> None:
    """Attribution P / R / F1 of our sets (``dev_eval.py``, score.py) with our spans and with the same claims as
    PolNeAR writes spans (:func:`as_polnear_claims`): what the convention would cost on our gold."""
    import subprocess
    import tempfile

    extractor = Extractor(learned="off")
    for set_dir in sets:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            run = [sys.executable, str(ROOT / "benchmarks" / "dev_eval.py"), "--set", set_dir]
            ours = subprocess.run([*run, "--keep", str(work)], capture_output=True, text=True, check=True).stdout
            records = [json.loads(x) for x in (work / "articles.jsonl").read_text(encoding="utf-8").splitlines() if x]
            articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), publisher=r.get("publisher"),
                                published=r.get("published") or None) for r in records]
            lines = []
            for x in extractor.extract_many(articles):
                x.claims = as_polnear_claims(x.article.text, x.claims, TRACES[-1])
                lines.append(json.dumps(x.to_json()))
            (work / "polnear-pred.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            theirs = subprocess.run([*run, "--pred", str(work / "polnear-pred.jsonl")], capture_output=True,
                                    text=True, check=True).stdout
        pick = [x for x in ours.splitlines() if x.startswith("attribution ")][:1]
        pick += [x for x in theirs.splitlines() if x.startswith("attribution ")][:1]
        print(f"{set_dir}: our spans {pick[0].split(None, 1)[1]} | as PolNeAR {pick[-1].split(None, 1)[1]}",
              flush=True)


def _record(m: Miss) -> dict[str, object]:
    a = m.attribution
    return {"article": m.article, "class": m.cls, "lemma": m.lemma, "content": a.content, "cue": a.cue,
            "source": a.source, "before": m.text[max(0, a.content[0] - 200):a.content[0]],
            "text": m.text[a.content[0]:a.content[1]],
            "cue_text": m.text[a.cue[0]:a.cue[1]] if a.cue else "",
            "around_cue": m.text[max(0, a.cue[0] - 40):a.cue[1] + 60] if a.cue else "",
            "ours": [m.nearest.text, m.nearest.method, m.nearest.kind] if m.nearest else None}


def show(m: Miss) -> str:
    a, t = m.attribution, m.text
    lo = max(0, t.rfind("\n", 0, a.content[0]) + 1, a.content[0] - 300)
    hi = min(len(t), max(a.content[1], a.cue[1] if a.cue else 0) + 80)
    marks = sorted([(a.content[0], "["), (a.content[1], "]")]
                   + ([(a.cue[0], "<"), (a.cue[1], ">")] if a.cue else []), reverse=True)
    s = t[lo:hi]
    for pos, ch in marks:
        if lo <= pos <= hi:
            s = s[:pos - lo] + ch + s[pos - lo:]
    ours = f"\n    ours ({m.nearest.method}, {m.nearest.kind}): {m.nearest.text[:200]!r}" if m.nearest else ""
    return f"- {m.article} [{m.cls}{', ' + m.lemma if m.lemma else ''}]\n    {' '.join(s.split())}{ours}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "polnear-dev.jsonl.gz")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--learned", default="off", choices=("off", "on"), help="the extractor's learned proposer")
    ap.add_argument("--show", nargs="*", default=[], help="print a sample of these classes ('all': every class)")
    ap.add_argument("--sample", type=int, default=20, help="with --show: how many of each class")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write every miss (class, spans, context) here")
    ap.add_argument("--our-sets", nargs="+", metavar="SET", help="instead: attribution P/R/F1 of these sets "
                    "(eval/holdout ...) with our spans and as PolNeAR writes them")
    a = ap.parse_args()
    rule_arbiter.propose, rule_arbiter.resolve_frames = _traced_propose, _traced_resolve  # type: ignore[assignment]
    if a.our_sets:
        our_sets(a.our_sets)
        return 0
    if not a.polnear.is_file():
        print(f"skipped: {a.polnear} not found")
        return 0
    import spacy

    records = list(read_polnear(a.polnear, a.limit))
    nlp = spacy.load(DEFAULT_PIPELINE)
    lemmas = speech_lemmas()
    articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), publisher=r.get("publisher"),
                        published=r.get("published") or None) for r in records]
    extractions = Extractor(learned=a.learned).extract_many(articles)
    misses: list[Miss] = []
    n_speech = found = n_claims = right = polnear_found = polnear_right = polnear_claims = 0
    for r, docs, x in zip(records, parse_blocks(nlp, [r["text"] for r in records]), extractions, strict=True):
        speech = [att for att in polnear_attributions(r) if is_speech(docs, att.cue, r["text"], lemmas)]
        n_speech += len(speech)
        matched = {i for i, _ in _match([s.content for s in speech], [(c.start, c.end) for c in x.claims])}
        found += len(matched)
        everything = [att.content for att in polnear_attributions(r)]
        n_claims += len(x.claims)
        right += len(_match(everything, [(c.start, c.end) for c in x.claims]))
        theirs = as_polnear(r["text"], x.claims, TRACES[-1])
        polnear_claims += len(theirs)
        polnear_found += len(_match([s.content for s in speech], theirs))
        polnear_right += len(_match(everything, theirs))
        for i, att in enumerate(speech):
            if i not in matched:
                cls, lem, nearest = classify(r["text"], docs, att, x.claims, TRACES[-1])
                misses.append(Miss(r["id"], r["text"], att, cls, lem, nearest))
    counts = Counter(m.cls for m in misses)
    print(f"PolNeAR {a.polnear.name}: {len(records)} articles, {n_speech} speech attributions, {found} found "
          f"(recall {found / (n_speech or 1):.3f}), {len(misses)} missed; learned proposer {a.learned}")
    print("\n| class | misses | share |\n| --- | --- | --- |")
    for cls, n in sorted(counts.items(), key=lambda kv: (kv[0] not in CONVENTIONS, -kv[1])):
        print(f"| {cls} | {n} | {n / len(misses):.1%} |")
    conv = sum(counts[c] for c in CONVENTIONS)
    print(f"\nconventions: {conv} ({conv / n_speech:.3f} of speech recall); rules: {len(misses) - conv}")
    print(f"our spans: speech recall {found / (n_speech or 1):.3f}, precision {right / (n_claims or 1):.3f} "
          f"({n_claims} claims); as PolNeAR writes them (as_polnear: a mixed claim as its frame's clause, a split "
          f"quote as one span): speech recall {polnear_found / (n_speech or 1):.3f}, precision "
          f"{polnear_right / (polnear_claims or 1):.3f} ({polnear_claims} claims)")
    lex = Counter(m.lemma for m in misses if m.cls == "cue not in lexicon")
    print("cue lemmas not in the lexicon:", ", ".join(f"{w} {n}" for w, n in lex.most_common(40)))
    ours = Counter(m.lemma for m in misses if m.lemma and m.cls != "cue not in lexicon")
    print("our cue lemmas that gave nothing:", ", ".join(f"{w} {n}" for w, n in ours.most_common(25)))
    if a.json:
        a.json.write_text("\n".join(json.dumps(_record(m)) for m in misses) + "\n", encoding="utf-8")
    rng = random.Random(a.seed)
    for cls in (counts if "all" in a.show else a.show):
        group = [m for m in misses if m.cls == cls]
        print(f"\n## {cls}: {len(group)}")
        for m in rng.sample(group, min(a.sample, len(group))):
            print(show(m))
    return 0


if __name__ == "__main__":
    sys.exit(main())
