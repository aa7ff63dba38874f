"""The version of what decides an article's claims, recorded on every extraction run.

Besides an article's record and the spaCy pipeline (``Extraction.pipeline``), its claims are decided by the
extraction rules, their lexicons and the learned proposer's weights (``kg/extract/``), the issue vocabulary
(``ontology/issues.ttl``) and the reference data (``ontology/reference/``). ``software()`` is the release with a
digest of those files as a PEP 440 local version, ``"claimgraph 0.1.0+rules.1a2b3c4d5e6f"``: it names the software
agent of each run (``cgid:software/claimgraph/0.1.0+rules.1a2b3c4d5e6f``, so an analyst can tell claims of two rule
sets apart) and enters each article's content digest (``kg.mapping.content_digest``), so that after an upgrade that
changes any of them ``kg ingest`` re-extracts an article it would otherwise call unchanged
(docs/data-model.md, "Rules version").
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import kg
from kg.resources import resource_dir

__all__ = ["RULE_FILES", "digest_of", "rules_digest", "software"]

_EXTRACT = Path(__file__).resolve().parent / "extract"
RULE_FILES = ("issues.ttl", "reference")
"""What of ``ontology/`` the extractor reads (the rest is the ontology, shapes and examples: not extraction)."""


def _files(extract: Path, ontology: Path) -> Iterator[tuple[str, Path]]:
    """(name, path) of every file the digest covers, in a fixed order; bytecode caches are left out."""
    roots = [("kg/extract", extract), *((f"ontology/{n}", ontology / n) for n in RULE_FILES)]
    for name, root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            yield (name if path == root else f"{name}/{path.relative_to(root).as_posix()}"), path


def digest_of(extract: Path, ontology: Path) -> str:
    """SHA-256 (hex) of the names and bytes of the files under ``extract`` (a copy of ``kg/extract/``) and of
    ``RULE_FILES`` under ``ontology``."""
    digest = hashlib.sha256()
    for name, path in _files(extract, ontology):
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@cache
def rules_digest() -> str:
    """``digest_of`` this installation's extraction rules, lexicons, weights, issue vocabulary and reference data
    (read once per process)."""
    return digest_of(_EXTRACT, resource_dir("ontology"))


def software() -> str:
    """``"claimgraph <release>+rules.<first 12 hex digits of rules_digest()>"``."""
    return f"claimgraph {kg.__version__}+rules.{rules_digest()[:12]}"
