"""Every published HTML page of the sample passes axe-core's WCAG 2.2 AA rules, in headless Chromium.

One browser opens every page of the session's sample build from its file://
URL, injects axe-core and runs the rules tagged for WCAG 2.0, 2.1 and 2.2 at
levels A and AA (target-size, the 24 x 24 px touch targets, is one of them).
A violation is reported as `page: rule (impact): selector: what to fix`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Project
from tests.render.test_html_validity import published_pages
from tests.serve.test_serve import CHROMEDRIVER, CHROMIUM, PROXY_VARIABLES, chromium_or_skip
from tests.validators import axe_or_skip

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# A desktop window, the same on every machine: target sizes and overlaps depend on the layout.
WINDOW = (1280, 1024)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(results => done({
    ran: [...results.violations, ...results.passes, ...results.incomplete, ...results.inapplicable].map(r => r.id),
    violations: results.violations.map(rule => ({
      id: rule.id,
      impact: rule.impact,
      nodes: rule.nodes.map(node => ({target: node.target.join(" "), summary: node.failureSummary})),
    })),
  }))
  .catch(error => done({error: String(error)}));
"""


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_or_skip()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with pytest.MonkeyPatch.context() as monkeypatch:
        for variable in PROXY_VARIABLES:  # the driver is reached over 127.0.0.1; pages are files
            monkeypatch.delenv(variable, raising=False)
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        profile = tmp_path_factory.mktemp("chromium-profile")
        for argument in (
            *("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"),
            *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
            *("--no-proxy-server", "--disable-extensions", f"--user-data-dir={profile}"),
        ):
            options.add_argument(argument)
        # An explicit driver path: selenium then never runs Selenium Manager (which would download one).
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        try:
            driver.set_window_size(*WINDOW)
            driver.set_page_load_timeout(30)
            driver.set_script_timeout(60)
            yield driver
        finally:
            driver.quit()


def violations(driver: Any, page: Path, axe: str, shown: str) -> list[str]:
    driver.get(page.as_uri())
    driver.execute_script(axe)
    results = driver.execute_async_script(RUN_AXE, WCAG_AA)
    assert "error" not in results, f"{shown}: axe failed: {results.get('error')}"
    assert "target-size" in results["ran"], f"{shown}: axe did not run target-size"
    return [
        f"{shown}: {rule['id']} ({rule['impact']}): {node['target']}: {' '.join(node['summary'].split())}"
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


def test_every_published_page_passes_axe_wcag_aa(sample_build: Project, axe: str, browser: Any) -> None:
    out = sample_build.out.resolve()
    pages = published_pages(out)
    assert len(pages) == 21
    found = [line for page in pages for line in violations(browser, page, axe, page.relative_to(out).as_posix())]
    assert found == [], "\n".join(found)
