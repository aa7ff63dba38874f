"""Screenshots of every kind of page, in headless Chromium, so that anyone can look without running a server.

    python scripts/screenshots.py --store /tmp/store300 --out screenshots/      # serves the store itself
    python scripts/screenshots.py --url http://127.0.0.1:8000 --out screenshots/  # a server already running

Writes one PNG per page (full page height, 1280 px wide) and prints each file with the page's status line.
Pages that need an entity (a person, a country, an issue, an article, a claim) take the most quoted ones of the
store, found through its search API. Needs /usr/bin/chromium and /usr/bin/chromedriver.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ID = "https://w3id.org/claimgraph/id/"


@contextmanager
def serving(store: str) -> Iterator[str]:
    from server import create_app
    from server.wsgi import BackgroundServer

    server = BackgroundServer(create_app({"STORE": store, "QUERY_WORKERS": 1}))
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def chromium(width: int) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="claimgraph-shots-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                f"--window-size={width},1000", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def pages(base: str) -> list[tuple[str, str]]:
    """(file name, path) of the pages to photograph, with entities picked from the store's search API."""
    found = requests.get(base + "/search", params={"per_page": 1}, headers={"Accept": "application/json"},
                         timeout=60).json()
    facets = found["facets"]
    out = [("home", "/"), ("search", "/search?q=lightiz"), ("search-claims", "/search?q=auto+tariffs"),
           ("queries", "/queries"), ("who-said-what", "/queries/who-said-what/form?speaker=Lighthizer"
                                     "&issue=auto+tariffs&from=2018-03-01"),
           ("sparql-editor", "/sparql-editor"), ("ontology", "/ontology"), ("issues", "/id/issue-scheme"),
           ("not-found", "/id/person/robert-lightizer"), ("reconcile", "/reconcile")]
    for facet, name in (("speaker", "person"), ("country", "country"), ("issue", "issue")):
        if facets.get(facet):
            out.append((name, "/id/" + facets[facet][0]["value"].removeprefix(ID)))
    items = found["claims"]["items"]
    if items:
        out.append(("claim", "/id/" + items[0]["iri"].removeprefix(ID)))
        if items[0].get("article"):
            out.append(("article", "/id/" + items[0]["article"].removeprefix(ID)))
    return out


def shoot(base: str, out: Path, width: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with chromium(width) as driver:
        for name, path in pages(base):
            status = requests.get(base + path, headers={"Accept": "text/html"}, timeout=60).status_code
            driver.get(base + path)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(int(height), 600), 12000))
            target = out / f"{name}.png"
            driver.save_screenshot(str(target))
            print(f"{target}  {status}  {path}")
            driver.set_window_size(width, 1000)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", help="an embedded store folder to serve on a free loopback port")
    where.add_argument("--url", help="base URL of a running claimgraph server")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNG files")
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if args.url:
        return shoot(args.url.rstrip("/"), args.out, args.width)
    with serving(args.store) as base:
        return shoot(base, args.out, args.width)


if __name__ == "__main__":
    sys.exit(main())
