"""The pages in a real headless Chromium (selenium): a canned-query form, the SPARQL editors, the search box with
its suggestions, a filtered query, pagination and a download.

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
    downloads = Path(profile) / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1600", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations are logged there
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT)
    driver.downloads = downloads  # type: ignore[attr-defined]
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


# -- the analyst's desk (issue 16) -----------------------------------------------------------------------------

def wait_for(browser: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(browser, WAIT).until(condition)


def test_typing_lightiz_in_the_search_box_finds_lighthizer(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(live_server.url + "/ontology")  # the box is on every page
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("lightiz")
    first = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#site-search-suggestions li a")
                     if d.find_elements(By.CSS_SELECTOR, "#site-search-suggestions li a") else False)
    assert first.text.startswith("Robert Lighthizer")
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait_for(browser, lambda d: d.current_url.endswith("/id/person/robert-lighthizer"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Robert Lighthizer"
    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("lightiz", Keys.ENTER)  # the search page: the entity first, then claims
    hits = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#entity-hits li a"))
    assert hits[0].text == "Robert Lighthizer"


def test_a_filtered_query_by_names_in_one_form(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/queries/who-said-what/form")
    form = browser.find_element(By.CSS_SELECTOR, 'form[data-query="who-said-what"]')
    assert all(i.get_attribute("value") == "" for i in form.find_elements(By.CSS_SELECTOR, "input[type=text]"))
    form.find_element(By.NAME, "speaker").send_keys("Lighthizer")
    form.find_element(By.NAME, "issue").send_keys("NAFTA renegotiation")
    form.find_element(By.NAME, "from").send_keys("2018-03-01")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    table = wait_for(browser, lambda d: d.find_element(By.ID, "query-results")
                     if d.find_elements(By.ID, "query-results") else False)
    used = {dd.get_attribute("data-param"): dd.text for dd in browser.find_elements(By.CSS_SELECTOR, "#values-used dd")}
    assert used["speaker"].startswith("Robert Lighthizer") and used["issue"].startswith("NAFTA renegotiation")
    assert used["from"] == "2018-03-01" and used["undated"].startswith("false")
    rows = table_rows(table)
    assert rows
    links = table.find_elements(By.CSS_SELECTOR, "a.in-article")
    assert len(links) == len(rows)
    links[0].click()
    wait_for(browser, lambda d: "/id/article/" in d.current_url and "#claim-" in d.current_url)
    target = browser.current_url.rsplit("#", 1)[1]
    assert browser.find_element(By.ID, target).tag_name == "mark"


def test_pages_of_results_and_a_download(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/queries/who-said-what/form?undated=true&_per_page=5")
    table = wait_for(browser, lambda d: d.find_element(By.ID, "query-results")
                     if d.find_elements(By.ID, "query-results") else False)
    first = [r[0] for r in table_rows(table)]
    browser.find_element(By.CSS_SELECTOR, "nav.pager a.next").click()
    wait_for(browser, lambda d: "_page=2" in d.current_url)
    second = [r[0] for r in table_rows(browser.find_element(By.ID, "query-results"))]
    assert len(first) == 5 and second and first != second
    assert browser.find_element(By.CSS_SELECTOR, "nav.pager .current").text == "2"
    browser.find_element(By.CSS_SELECTOR, 'a.download[data-format="csv"]').click()
    target = browser.downloads / "who-said-what.csv"
    wait_for(browser, lambda d: target.exists() and target.stat().st_size > 0)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("speaker,") and len(lines) > 5


YASGUI_READY = "return !!(window.claimgraphYasgui && window.claimgraphYasgui.getTab())"


def test_yasgui_runs_a_query_and_gives_a_shareable_url(browser: Any, live_server: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # drop what earlier tests logged
    browser.get(live_server.url + "/sparql-editor")
    wait_for(browser, lambda d: d.execute_script(YASGUI_READY))
    query = "SELECT (COUNT(*) AS ?claims) WHERE { ?c a <https://w3id.org/claimgraph/ontology#Claim> }"
    browser.execute_script("var t = window.claimgraphYasgui.getTab(); t.setQuery(arguments[0]); t.query();", query)
    cell = wait_for(browser, lambda d: [td for td in d.find_elements(By.CSS_SELECTOR, ".yasr table td")
                                        if "XMLSchema#integer" in td.text])
    assert cell[0].text.startswith('"18"')  # the seed article's 18 claims
    share = browser.find_element(By.ID, "editor-share").get_attribute("href")
    assert "query=" in share
    browser.get(share)
    wait_for(browser, lambda d: d.execute_script(YASGUI_READY))
    assert browser.execute_script("return window.claimgraphYasgui.getTab().getQuery()") == query
    examples = browser.find_element(By.ID, "editor-examples")
    assert len(examples.find_elements(By.TAG_NAME, "option")) > 10  # the canned queries
    assert csp_violations(browser) == []


def test_the_screenshot_script_photographs_every_kind_of_page(browser: Any, live_server: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "scripts" / "screenshots.py"), "--url", live_server.url,
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    shots = {p.stem for p in tmp_path.glob("*.png")}
    assert shots >= {"home", "search", "who-said-what", "sparql-editor", "queries", "person", "country", "issue",
                     "article", "claim", "not-found", "reconcile"}
    assert all((tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for name in shots)
    statuses = {line.split()[2]: line.split()[1] for line in done.stdout.splitlines()}
    assert statuses["/id/person/robert-lightizer"] == "404"
    assert all(status == "200" for path, status in statuses.items() if "lightizer" not in path)
