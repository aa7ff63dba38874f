"""The hand-annotated evaluation sets (eval/*/) load as benchmarks/dev_eval.py reads them: well-formed gold files
without corpus text, and, where ../shared is present, every stored sha1 verified against the corpus under both
readings of quoted phrases. Nothing here runs the extractor, so a blind set stays blind."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

SETS = sorted(p.parent.name for p in (ROOT / "eval").glob("*/articles.txt"))
SHA1 = re.compile(r"[0-9a-f]{40}")
CLAIM_KEYS = {"speaker", "kind", "cue", "start", "end", "sha1"}


def _dev_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_eval", ROOT / "benchmarks" / "dev_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sets_include_dev4_and_dev5() -> None:
    assert {"dev", "dev2", "holdout", "dev3", "dev4", "dev5"} <= set(SETS)


@pytest.mark.parametrize("name", SETS)
def test_every_gold_file_is_well_formed_and_holds_no_text(name: str) -> None:
    folder = ROOT / "eval" / name
    ids = _dev_eval().dev_ids(folder)
    assert ids and len(set(ids)) == len(ids)
    assert {p.name.removesuffix(".gold.json") for p in folder.glob("*.gold.json")} == set(ids)
    for aid in ids:
        gold = json.loads((folder / f"{aid}.gold.json").read_text(encoding="utf-8"))
        assert gold["article"]["id"] == aid and SHA1.fullmatch(gold["article"]["text_sha1"])
        assert "text" not in gold["article"]
        entities = {e["id"] for e in gold["entities"]}
        assert len(entities) == len(gold["entities"]) and all(e["aliases"] for e in gold["entities"])
        for c in gold["claims"]:
            assert CLAIM_KEYS <= c.keys() and c.keys() <= CLAIM_KEYS | {"fragment"}, c
            assert c["speaker"] in entities and c["kind"] in ("direct", "indirect", "mixed")
            assert 0 <= c["start"] < c["end"] and SHA1.fullmatch(c["sha1"])
            if "fragment" in c:
                f = c["fragment"]
                assert c["start"] <= f["start"] < f["end"] <= c["end"] and SHA1.fullmatch(f["sha1"])


def test_every_set_rebuilds_from_the_corpus_with_every_hash_verified(shared_dir: Path) -> None:
    dev_eval = _dev_eval()
    folders = {name: ROOT / "eval" / name for name in SETS}
    ids = {name: dev_eval.dev_ids(folder) for name, folder in folders.items()}
    records = dev_eval.corpus_records(shared_dir / "corpus" / "news-37k.jsonl.gz",
                                      sorted({i for group in ids.values() for i in group}))
    for name, folder in folders.items():
        report = dev_eval.check_set(folder, ids[name], records)  # raises DevSetError on a moved offset
        assert f"ok: {len(ids[name])} articles" in report, report
