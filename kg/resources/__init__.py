"""The folders read at run time beside the code: ``ontology/`` (OWL, shapes, checks, issue taxonomy, reference
data, examples) and ``queries/`` (the canned queries).

In the repository they stay at the top level. The wheel and the sdist ship them as data of this package
(``kg/resources/ontology/``, ``kg/resources/queries/``: ``package-dir`` in pyproject.toml maps the top-level
folders there), and ``importlib.resources`` finds that installed copy. A checkout (an editable install, or the
tests' ``pythonpath``) has no copy inside the package, so the top-level folders are used.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["RESOURCE_FOLDERS", "resource_dir"]

RESOURCE_FOLDERS = ("ontology", "queries")
_CHECKOUT = Path(__file__).resolve().parents[2]


def resource_dir(name: str) -> Path:
    """The folder ``name`` (one of ``RESOURCE_FOLDERS``): the installed copy, else the checkout's top-level folder.

    Raises ValueError for another name, FileNotFoundError (naming both places looked at) when neither exists.
    """
    if name not in RESOURCE_FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}: choose one of {', '.join(RESOURCE_FOLDERS)}")
    packaged = files(__name__) / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    checkout = _CHECKOUT / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"claimgraph's {name}/ folder is missing: neither {packaged} (installed) nor {checkout} "
                            "(checkout) exists; reinstall claimgraph")
