"""benchmarks/issue_agreement.py on small built tag sets whose figures are worked out by hand, and the second
annotator's eval/issues4/agreement/ files checked against the first's claims and the taxonomy."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.issue_agreement import (
    BadTags,
    align,
    bootstrap,
    cohen_kappa,
    concept_table,
    confusions,
    no_issue_table,
    pooled_kappa,
    relation,
)
from kg.extract.issues import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "issue_agreement.py"

# Five claims of one article: (A's issues, B's issues).
A_B = [
    (["tariffs"], ["tariffs"]),                      # c1: same
    (["tariffs"], ["trade-war"]),                    # c2: B narrower
    ([], []),                                        # c3: both no issue
    (["brexit", "elections"], ["brexit"]),           # c4: A's elections only
    ([], ["nafta-renegotiation", "sanctions"]),      # c5: B only, twice
]


def _sha1(s: str) -> str:
    return hashlib.sha1(s.encode()).hexdigest()


def write_set(folder: Path, tags: list[list[str]], marked: frozenset[int] = frozenset(), article: str = "art1") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    claims = [{"start": 10 * i, "end": 10 * i + 5, "kind": "direct", "sha1": _sha1(f"claim {i}"), "issues": t,
               **({"readme_case": True} if i in marked else {})} for i, t in enumerate(tags)]
    record = {"article": article, "order": 1, "portion": "test", "published": "", "publisher": "x",
              "sha1": _sha1("text"), "claims": claims}
    (folder / f"{article}.issues.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


@pytest.fixture
def two_sets(tmp_path: Path) -> tuple[Path, Path]:
    return (write_set(tmp_path / "a", [a for a, _ in A_B]),
            write_set(tmp_path / "b", [b for _, b in A_B], marked={4}))


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def test_cohen_kappa_by_hand() -> None:
    # tariffs over the five claims: both 1, A only 1, B only 0, neither 3.
    # po = 4/5; pA = 2/5, pB = 1/5; pe = 2/25 + 12/25 = 14/25; kappa = (20/25 - 14/25) / (11/25) = 6/11.
    assert cohen_kappa(1, 1, 0, 3) == pytest.approx(6 / 11)
    assert cohen_kappa(1, 0, 0, 4) == pytest.approx(1.0)       # brexit: perfect
    assert cohen_kappa(0, 1, 0, 4) == pytest.approx(0.0)       # elections: only A, once: po = pe = 4/5
    assert cohen_kappa(0, 0, 0, 5) is None                     # a concept nobody gave: chance agreement is total
    assert cohen_kappa(0, 0, 0, 0) is None
    assert cohen_kappa(0, 2, 2, 0) == pytest.approx(-1.0)      # always opposite


def test_tables_pooled_kappa_and_no_issue(two_sets: tuple[Path, Path]) -> None:
    claims, excluded = align(*two_sets)
    assert excluded == 0 and len(claims) == 5
    assert concept_table(claims, "tariffs") == (1, 1, 0, 3)
    assert concept_table(claims, "sanctions") == (0, 0, 1, 4)
    # Pooled over the six concepts either gave: both 2, A only 2, B only 3, neither 23 (n = 30).
    # po = 25/30; pe = (4 * 5 + 26 * 25) / 900 = 670/900; kappa = (75 - 67) / (90 - 67) = 8/23.
    used = ["brexit", "elections", "nafta-renegotiation", "sanctions", "tariffs", "trade-war"]
    assert pooled_kappa(claims, used) == pytest.approx(8 / 23)
    # "No issue": c3 both empty, c5 A alone empty, none B alone, three neither.
    assert no_issue_table(claims) == (1, 1, 0, 3)


def test_confusions_pair_each_side_and_name_the_relation(two_sets: tuple[Path, Path], taxonomy) -> None:
    claims, _ = align(*two_sets)
    assert confusions(claims) == {("tariffs", "trade-war"): 1, ("elections", None): 1,
                                  (None, "nafta-renegotiation"): 1, (None, "sanctions"): 1}
    rel = lambda a, b: relation(a, b, taxonomy.broader, taxonomy.parents)  # noqa: E731
    assert rel("tariffs", "trade-war") == "B narrower"
    assert rel("trade-war", "tariffs") == "B broader"
    assert rel("trade-agreements", "negotiation-timeline") == "B narrower"   # two skos:broader steps
    assert rel("trade-war", "retaliatory-tariffs") == "siblings under tariffs"
    assert rel("brexit", "sanctions") == "unrelated"
    assert rel("elections", None) == "A only" and rel(None, "sanctions") == "B only"


def test_confusions_cross_two_against_one(tmp_path: Path) -> None:
    claims, _ = align(write_set(tmp_path / "a", [["tariffs", "agriculture"]]),
                      write_set(tmp_path / "b", [["trade-war"]]))
    assert confusions(claims) == {("agriculture", "trade-war"): 1, ("tariffs", "trade-war"): 1}


def test_bootstrap_intervals(two_sets: tuple[Path, Path], tmp_path: Path) -> None:
    same = [["tariffs"], [], ["brexit", "elections"]]
    claims, _ = align(write_set(tmp_path / "x", same), write_set(tmp_path / "y", same, article="art1"))
    assert bootstrap(claims, 50) == {k: (1.0, 1.0) for k in ("P", "R", "F1", "kappa")}
    # One article: every resample is the article itself, so each interval is the point figure.
    claims, _ = align(*two_sets)
    ci = bootstrap(claims, 50)
    assert ci["P"] == pytest.approx((0.4, 0.4)) and ci["R"] == pytest.approx((0.5, 0.5))
    assert ci["kappa"] == pytest.approx((8 / 23, 8 / 23))
    # Two articles: "one" tagged alike (2 pairs), "two" not at all (A 2 pairs, B 1, none shared). A resample is
    # (one, one) with P 4/4, a mix with P 2/3, or (two, two) with P 0/2, each pair a quarter of the time: the 2.5th
    # and 97.5th percentiles of 200 resamples are 0 and 1 (R likewise: 4/4, 2/4, 0/4).
    a, b = tmp_path / "a2", tmp_path / "b2"
    write_set(a, [["tariffs"], ["brexit"]], article="one")
    write_set(b, [["tariffs"], ["brexit"]], article="one")
    write_set(a, [["tariffs"], ["sanctions"]], article="two")
    write_set(b, [["trade-war"], []], article="two")
    claims, _ = align(a, b)
    ci = bootstrap(claims, 200)
    assert ci["P"] == (0.0, 1.0) and ci["R"] == (0.0, 1.0)
    assert ci == bootstrap(claims, 200)   # seeded: the figures repeat


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_prints_the_hand_worked_figures(two_sets: tuple[Path, Path]) -> None:
    out = _run(str(two_sets[0]), str(two_sets[1]), "--shared", str(two_sets[0])).stdout
    # A 4 pairs, B 5, 2 in both: B against A P 2/5, R 2/4, F1 2*2/(4+5) = 4/9.
    assert "B against A: P 0.400  R 0.500  F1 0.444   (2 pairs in both)" in out
    assert "A against B: P 0.500  R 0.400  F1 0.444" in out
    assert "same set of issues: 2 of 5 claims (0.400)" in out
    # Per-concept kappas 6/11, 1, 0, 0, 0, 0: mean 17/66 = 0.258; pooled 8/23 = 0.348.
    assert "over the 6 concepts either gave: 0.348; mean of per-concept kappas: 0.258" in out
    assert "no issue: both 1, A only 1, B only 0 (of 5); kappa 0.545" in out
    row = next(line.split() for line in out.splitlines() if line.startswith("tariffs "))
    assert row[1:] == ["2", "1", "1", "1.000", "0.500", "0.667", "0.545"]
    assert any(line.split()[:4] == ["1", "tariffs", "trade-war", "B"] and line.endswith("B narrower")
               for line in out.splitlines())
    assert "tagger" not in out


def test_cli_excludes_marked_claims(two_sets: tuple[Path, Path]) -> None:
    out = _run(str(two_sets[0]), str(two_sets[1]), "--exclude-marked", "readme_case").stdout
    # c5 left out: A 4 pairs, B 3, 2 in both: P 2/3, R 2/4, F1 4/7.
    assert "4 claims of 1 articles (1 excluded)" in out
    assert "B against A: P 0.667  R 0.500  F1 0.571" in out


def test_cli_tagger_without_corpus_says_skipped(two_sets: tuple[Path, Path], tmp_path: Path) -> None:
    out = _run(str(two_sets[0]), str(two_sets[1]), "--tagger", "--shared", str(tmp_path / "none"))
    assert out.returncode == 0
    assert "tagger skipped:" in out.stdout and "is absent" in out.stdout


def test_sets_over_different_claims_are_refused(tmp_path: Path) -> None:
    a = write_set(tmp_path / "a", [["tariffs"], []])
    with pytest.raises(BadTags, match=r"1 claims of .*a are not in .*b, first art1 10-15"):
        align(a, write_set(tmp_path / "b", [["tariffs"]]))
    other = write_set(tmp_path / "c", [["tariffs"], []])
    record = json.loads((other / "art1.issues.json").read_text())
    record["claims"][1]["sha1"] = _sha1("another text")
    (other / "art1.issues.json").write_text(json.dumps(record))
    with pytest.raises(BadTags, match="art1 claim 10-15: the two files give different sha1s"):
        align(a, other)


def test_bad_folders_and_files_name_the_problem(tmp_path: Path, taxonomy) -> None:
    a = write_set(tmp_path / "a", [["tariffs"]])
    with pytest.raises(BadTags, match="no such folder"):
        align(a, tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadTags, match="no .issues.json file of portion 'all'"):
        align(a, tmp_path / "empty")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "art1.issues.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BadTags, match="is not a tag file"):
        align(a, broken)
    with pytest.raises(BadTags, match=r"\['car-tariffs'\] not in the taxonomy"):
        align(a, write_set(tmp_path / "b", [["car-tariffs"]]), known=frozenset(taxonomy.labels))
    untagged = write_set(tmp_path / "u", [["tariffs"]])
    record = json.loads((untagged / "art1.issues.json").read_text())
    del record["claims"][0]["issues"]
    (untagged / "art1.issues.json").write_text(json.dumps(record))
    with pytest.raises(BadTags, match="art1 claim 0-5 has no issues list"):
        align(a, untagged)


def test_cli_exits_2_with_the_error_on_stderr(tmp_path: Path) -> None:
    a = write_set(tmp_path / "a", [["tariffs"]])
    done = _run(str(a), str(tmp_path / "missing"))
    assert done.returncode == 2
    assert "issue_agreement:" in done.stderr and "no such folder" in done.stderr and not done.stdout


def test_second_annotators_files_fit_the_first_and_the_taxonomy(taxonomy) -> None:
    first, second = ROOT / "eval" / "issues4", ROOT / "eval" / "issues4" / "agreement"
    names = sorted(p.name for p in first.glob("*.issues.json"))
    assert names == sorted(p.name for p in second.glob("*.issues.json")) and len(names) == 24
    claims, _ = align(first, second, known=frozenset(taxonomy.labels))   # same claims, same sha1s, known slugs
    assert len(claims) == 224
    for c in claims:
        assert not any(taxonomy.broader.get(s, frozenset()) & c.b for s in c.b), (c.article, c.start, c.b)
    for name in names:
        a, b = (json.loads((d / name).read_text(encoding="utf-8")) for d in (first, second))
        assert {k: a[k] for k in ("article", "order", "portion", "sha1")} == \
               {k: b[k] for k in ("article", "order", "portion", "sha1")}
        assert b["annotator"] == "B" and all(isinstance(c["readme_case"], bool) for c in b["claims"])
