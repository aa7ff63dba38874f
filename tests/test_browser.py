"""The landing page in a real headless Chromium (selenium): a canned-query form and the SPARQL editor.

Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages ``chromium`` and ``chromium-driver``; CI
installs them); skips naming what is missing otherwise.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LIGHTHIZER = "https://w3id.org/claimgraph/id/person/robert-lighthizer"
WAIT = 30


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"headless browser tests need {' and '.join(missing)} (apt-get install chromium "
                    "chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="claimgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1600", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations are logged there
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def table_rows(element: Any) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in element.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_canned_query_form_fills_in_and_shows_a_result_table(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/")
    form = browser.find_element(By.CSS_SELECTOR, 'form[data-query="claims-by-official"]')
    speaker = form.find_element(By.NAME, "speaker")
    speaker.clear()
    speaker.send_keys(LIGHTHIZER)
    form.find_element(By.NAME, "from").clear()
    form.find_element(By.NAME, "minConfidence").clear()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    table = WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.ID, "query-results")))
    headers = [th.get_attribute("data-column") for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = table_rows(table)
    texts = {row[headers.index("claim")] for row in rows}
    assert len(rows) == 7  # every claim of his in the seed article
    assert "It’s my ambition that this not be a Republican vote," in texts
    assert "speaker" not in headers  # a bound parameter: shown once, above the table
    assert browser.find_element(By.CSS_SELECTOR, '#values-used dd[data-param="speaker"] a').text == \
        "Robert Lighthizer"


def test_sparql_editor_highlights_runs_and_shows_a_table(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/#sparql-editor")
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script("return !!window.claimgraphEditor"))
    assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")  # the example query is highlighted
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             f"SELECT ?name WHERE {{ <{LIGHTHIZER}> rdfs:label ?name }}")
    browser.execute_script("window.claimgraphEditor.setQuery(arguments[0])", query)
    browser.find_element(By.ID, "sparql-run").click()
    table = WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#sparql-results table.results"))[0]
    assert [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")] == ["name"]
    assert table_rows(table) == [["Robert Lighthizer @en"]]
    assert "1 row" in browser.find_element(By.ID, "sparql-status").text


def test_sparql_editor_shows_the_error_of_a_bad_query(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/")
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script("return !!window.claimgraphEditor"))
    browser.execute_script("window.claimgraphEditor.setQuery('SELECT WHERE nonsense')")
    browser.find_element(By.ID, "sparql-run").click()
    status = browser.find_element(By.ID, "sparql-status")
    WebDriverWait(browser, WAIT).until(lambda d: "Error 400" in status.text)
    assert not browser.find_elements(By.CSS_SELECTOR, "#sparql-results table")


def csp_violations(browser: Any) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_pages_and_the_editor_work_under_the_content_security_policy(browser: Any, live_server: Any) -> None:
    """The server sends a strict CSP (server/limits.py): no page, script or style may break it."""
    import requests
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # drop what earlier tests logged
    browser.get(live_server.url + "/")
    WebDriverWait(browser, WAIT).until(lambda d: d.execute_script("return !!window.claimgraphEditor"))
    browser.find_element(By.ID, "sparql-run").click()
    WebDriverWait(browser, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sparql-results table.results"))
    issues = requests.get(live_server.url + "/sparql", timeout=30, params={
        "query": "SELECT ?i { ?c <https://w3id.org/claimgraph/ontology#about> ?i ; "
                 "<https://w3id.org/claimgraph/ontology#statedOn> ?d } LIMIT 1"}).json()
    pages = [live_server.url + "/queries/top-issues", LIGHTHIZER.replace("https://w3id.org/claimgraph",
                                                                          live_server.url)]
    pages += [b["i"]["value"].replace("https://w3id.org/claimgraph", live_server.url)
              for b in issues["results"]["bindings"]]
    for page in pages:
        browser.get(page)
        WebDriverWait(browser, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert len(pages) == 3
    assert browser.find_elements(By.CSS_SELECTOR, "meter.bar")  # the issue page's timeline, styled without inline CSS
    assert csp_violations(browser) == []
    assert "Content-Security-Policy" in requests.get(live_server.url + "/", timeout=30).headers
