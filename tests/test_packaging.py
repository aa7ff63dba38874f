"""The built distribution works on its own: the sdist is built, the wheel is built from the sdist, installed (not
editable) into a fresh virtual environment, and used there: ``kg ingest`` of the sample, ``kg query`` of a canned
query, ``kg serve`` answering ``/sparql`` and the HTML page.

The fresh environment gets the test environment's site-packages through a ``.pth`` line, so the dependencies
(spaCy and its pipeline among them) need no second install. That line does not run the test environment's own
``.pth`` files, so the editable install of the checkout stays out: the test asserts that ``kg`` is imported from
the fresh environment and reads its ontology and queries from there.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from kg.resources import RESOURCE_FOLDERS, resource_dir
from tests.conftest import ROOT, SAMPLE, free_port
from tests.serving import kg_serve

_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "data", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".ruff_cache")


def _run(args: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done


def _repository_files(folder: str) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()
            and "__pycache__" not in p.parts}


@dataclass
class Installed:
    sdist: Path
    wheel: Path
    venv: Path
    env: dict[str, str]

    def kg(self, *args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return _run([self.venv / "bin" / "kg", *args], env=self.env, cwd=self.venv.parent, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The sdist, the wheel built from it, and a fresh venv holding that wheel (not editable)."""
    if sys.platform == "win32":
        pytest.skip("the fresh environment is laid out for POSIX (bin/, lib/pythonX.Y/)")
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"  # a copy, so that building leaves no build/ or egg-info in the checkout
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE)
    dist = work / "dist"
    _run([sys.executable, "-m", "build", "--sdist", "--outdir", dist, source])
    sdist = next(dist.glob("claimgraph-*.tar.gz"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, sdist])
    wheel = next(dist.glob("claimgraph-*.whl"))

    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    purelib = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps", "--no-index",
          wheel])
    (purelib / "zz-test-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return Installed(sdist, wheel, venv, env)


def test_a_checkout_reads_its_top_level_folders() -> None:
    assert [resource_dir(name) for name in RESOURCE_FOLDERS] == [ROOT / name for name in RESOURCE_FOLDERS]
    with pytest.raises(ValueError, match="unknown resource folder 'docs'"):
        resource_dir("docs")


@pytest.mark.parametrize("folder", RESOURCE_FOLDERS)
def test_the_sdist_and_the_wheel_ship_every_resource_file(installed: Installed, folder: str) -> None:
    expected = _repository_files(folder)
    with tarfile.open(installed.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {n.removeprefix(top + "/") for n in sdist.getnames() if sdist.getmember(n).isfile()}
    assert expected - in_sdist == set(), "missing from the sdist"
    with zipfile.ZipFile(installed.wheel) as wheel:
        in_wheel = {n.removeprefix("kg/resources/") for n in wheel.namelist() if n.startswith("kg/resources/")}
    assert expected - in_wheel == set(), "missing from the wheel (kg/resources/...)"


def test_the_server_templates_and_static_files_ship_in_the_wheel(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    expected = _repository_files("server/templates") | _repository_files("server/static")
    assert expected and expected - names == set()


def test_the_installed_package_reads_its_own_resources(installed: Installed) -> None:
    probe = ("import json, kg, kg.queries, kg.reference; print(json.dumps([kg.__file__, "
             "str(kg.reference.ONTOLOGY_DIR), str(kg.queries.QUERIES_DIR), len(kg.queries.load_queries()), "
             "len(kg.reference.load_reference().countries)]))")
    module, ontology, queries, n_queries, n_countries = json.loads(
        _run([installed.venv / "bin" / "python", "-c", probe], env=installed.env, cwd=installed.venv.parent).stdout)
    inside = str(installed.venv.resolve())
    assert module.startswith(inside) and ontology.startswith(inside) and queries.startswith(inside)
    assert n_queries == len(list((ROOT / "queries").glob("*.rq")))
    assert n_countries > 100


@pytest.fixture(scope="module")
def ingested(installed: Installed) -> Path:
    store = installed.venv.parent / "store"
    installed.kg("ingest", "--no-progress", "--store", store, SAMPLE)
    return store


def test_the_installed_kg_ingests_and_queries_the_sample(installed: Installed, ingested: Path) -> None:
    done = installed.kg("query", "article-claims", "--store", ingested, "--format", "json",
                        "-p", "article=cgid:article/nafta-talks-2018")
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert len(rows) >= 5
    assert any("Lighthizer" in r.get("speakerName", {}).get("value", "") for r in rows), rows[:3]


def test_the_installed_kg_validates_with_its_shapes_and_checks(installed: Installed, ingested: Path) -> None:
    done = installed.kg("validate", "--store", ingested)
    assert "Conforms: yes" in done.stderr, done.stderr  # exit 0 (checked by _run) means it conforms


@pytest.fixture
def served(installed: Installed, ingested: Path) -> Iterator[str]:
    port = free_port()
    with kg_serve([installed.venv / "bin" / "kg", "serve", "--port", str(port), "--store", ingested], port=port,
                  env=installed.env, cwd=installed.venv.parent) as url:
        yield url


def test_the_installed_kg_serve_answers_sparql_and_pages(served: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?claim a <https://w3id.org/claimgraph/ontology#Claim> }"
    answer = requests.get(served + "/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) >= 5
    page = requests.get(served + "/", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower()
    style = requests.get(served + "/static/style.css", timeout=30)  # a static file of the installed package
    assert style.status_code == 200 and style.content == (ROOT / "server/static/style.css").read_bytes()
