"""The checks of issue 16 in headless Chromium over a real store, printing what each gives.

    python scripts/desk_check.py --store /tmp/store300      # serves the store on a free loopback port
    python scripts/desk_check.py --url http://127.0.0.1:8000

1. type "lightiz" in the search box: the first suggestion;
2. one form: Lighthizer's claims about autos since 2018-03-01 (and about NAFTA renegotiation, for comparison);
3. the most quoted speaker's page: claims, pages, bytes of a page;
4. the SPARQL editor runs a query and its link opens the same query;
5. /reconcile: the manifest and an OpenRefine batch validate against the schemas of ../shared/reconciliation/0.2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import chromium, serving  # noqa: E402

WAIT = 60


def until(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT).until(condition)


def check_search(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By
    driver.get(base + "/")
    started = time.monotonic()
    driver.find_element(By.ID, "site-search").send_keys("lightiz")
    first = until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#site-search-suggestions li a"))[0]
    print(f"1. 'lightiz' in the search box: first suggestion {first.text.splitlines()[0]!r} "
          f"({time.monotonic() - started:.2f} s after typing)")


def check_form(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By
    for issue in ("autos", "NAFTA renegotiation"):
        driver.get(base + "/queries/who-said-what/form")
        form = driver.find_element(By.CSS_SELECTOR, 'form[data-query="who-said-what"]')
        form.find_element(By.NAME, "speaker").send_keys("Lighthizer")
        form.find_element(By.NAME, "issue").send_keys(issue)
        form.find_element(By.NAME, "from").send_keys("2018-03-01")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        status = until(driver, lambda d: d.find_elements(By.ID, "query-status") or d.find_elements(By.ID,
                                                                                                  "query-error"))
        used = {dd.get_attribute("data-param"): dd.text
                for dd in driver.find_elements(By.CSS_SELECTOR, "#values-used dd")}
        print(f"2. who-said-what speaker=Lighthizer issue={issue!r} from=2018-03-01: {status[0].text}; "
              f"read as speaker={used.get('speaker')!r}, issue={used.get('issue')!r}")


def check_pages(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By
    top = requests.get(base + "/search", params={"per_page": 1}, headers={"Accept": "application/json"},
                       timeout=WAIT).json()["facets"]["speaker"][0]
    path = "/id/" + top["value"].removeprefix("https://w3id.org/claimgraph/id/")
    size = len(requests.get(base + path, headers={"Accept": "text/html"}, timeout=WAIT).content)
    driver.get(base + path)
    heading = driver.find_element(By.ID, "claims").text
    pager = driver.find_element(By.CSS_SELECTOR, "nav.pager .page-count").text
    driver.find_element(By.CSS_SELECTOR, "nav.pager a.next").click()
    until(driver, lambda d: "page=2" in d.current_url)
    rows = len(driver.find_elements(By.CSS_SELECTOR, "table.claims tbody tr"))
    print(f"3. {top['label']}: {heading}, {pager}; page 1 is {size / 1000:.0f} KB; page 2 shows {rows} claims")


def check_editor(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By
    ready = "return !!(window.claimgraphYasgui && window.claimgraphYasgui.getTab())"
    driver.get(base + "/sparql-editor")
    until(driver, lambda d: d.execute_script(ready))
    query = "SELECT (COUNT(*) AS ?claims) WHERE { ?c a <https://w3id.org/claimgraph/ontology#Claim> }"
    driver.execute_script("var t = window.claimgraphYasgui.getTab(); t.setQuery(arguments[0]); t.query();", query)
    cell = until(driver, lambda d: [td.text for td in d.find_elements(By.CSS_SELECTOR, ".yasr table td")
                                    if "XMLSchema#integer" in td.text])
    link = driver.find_element(By.ID, "editor-share").get_attribute("href")
    driver.get(link)
    until(driver, lambda d: d.execute_script(ready))
    same = driver.execute_script("return window.claimgraphYasgui.getTab().getQuery()") == query
    print(f"4. the editor answered {cell[0]}; its link ({len(link)} characters) opens the same query: {same}")


def check_reconcile(base: str) -> None:
    folder = ROOT.parent / "shared" / "reconciliation" / "0.2" / "schemas"
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT7
    schemas = {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json") if p.stem != "openapi"}
    registry = Registry().with_resources((s["$id"], DRAFT7.create_resource(s)) for s in schemas.values())

    def valid(name: str, doc: Any) -> str:
        errors = list(jsonschema.Draft7Validator(schemas[name], registry=registry).iter_errors(doc))
        return "valid" if not errors else f"INVALID: {errors[0].message}"
    manifest = requests.get(base + "/reconcile", timeout=WAIT).json()
    batch = {"q0": {"query": "Robert Lighthizer", "type": "person", "type_strict": "should"},
             "q1": {"query": "Chrystia Freeland", "properties": [{"pid": "country", "v": "Canada"}]},
             "q2": {"query": "Mexico", "type": "country"}, "q3": {"query": "lighthiser"}}
    answer = requests.post(base + "/reconcile", data={"queries": json.dumps(batch)}, timeout=WAIT).json()
    firsts = {k: (v["result"][0]["id"], v["result"][0]["score"], v["result"][0]["match"]) if v["result"] else None
              for k, v in answer.items()}
    print(f"5. /reconcile manifest {valid('manifest', manifest)}; batch {valid('reconciliation-query-batch', batch)};"
          f" answer {valid('reconciliation-result-batch', answer)}; first candidates {firsts}")


def run(base: str) -> int:
    with chromium(1280) as driver:
        check_search(driver, base)
        check_form(driver, base)
        check_pages(driver, base)
        check_editor(driver, base)
    check_reconcile(base)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store")
    where.add_argument("--url")
    args = parser.parse_args()
    if args.url:
        return run(args.url.rstrip("/"))
    with serving(args.store) as base:
        return run(base)


if __name__ == "__main__":
    sys.exit(main())
