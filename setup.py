"""Ships the top-level ``ontology/`` and ``queries/`` folders inside the ``kg`` package.

Everything else is in pyproject.toml. The repository keeps these folders at the top level (the layout of the
design card); the wheel and the sdist carry them as ``kg/resources/ontology`` and ``kg/resources/queries``, where
``kg.resources.resource_dir`` finds them with ``importlib.resources``. This mapping sits here rather than in
pyproject.toml because there ``packages`` is either a fixed list or package discovery, never both: here new
packages under ``kg/`` and ``server/`` are still discovered, and the two data folders are added to them.
"""

from setuptools import find_packages, setup

RESOURCES = {f"kg.resources.{name}": name for name in ("ontology", "queries")}

setup(
    packages=[*find_packages(include=["kg", "kg.*", "server", "server.*"]), *RESOURCES],
    package_dir=RESOURCES,  # their files: [tool.setuptools.package-data] in pyproject.toml
)
