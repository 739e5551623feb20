"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

Opened from file:// as a reader opening a copied folder would: search, navigation,
no request leaving file://, axe-core accessibility checks, and screenshots saved to
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from builder.site import build_site
from tests.conftest import ROOT

# Debian's Chromium here and in .ci/run; GitHub's Ubuntu runners have Google Chrome instead.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
# As the machine's probe runs it: no sandbox as root, and no background calls home.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "install Debian's chromium (apt-get install chromium); .ci/run does"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    yield page
    context.close()


def _search(page: Page, words: str) -> list[str]:
    """Type into Material's search as a reader would; the result links."""
    box = page.locator("input[data-md-component=search-query]")
    for _ in range(6):
        # Focusing the box opens the search panel; if that happened before the theme's
        # script was listening, nothing opens, so leave the box and come back.
        box.blur()
        box.click()
        box.fill(words)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    return [a.get_attribute("href") or "" for a in page.query_selector_all(".md-search-result__link")]


def test_search_works_from_file_url_and_opens_the_source(site: Path, page: Page) -> None:
    page.goto((site / "index.html").as_uri())
    hrefs = _search(page, "rivals")  # only in one finding statement, of the Thornley commentary
    assert any("sources/thornley-2010-key-players.html" in h for h in hrefs), hrefs
    page.click(".md-search-result__link[href*='sources/thornley-2010-key-players.html']")
    page.wait_for_url("**/sources/thornley-2010-key-players.html*")
    assert "Key players in an unfolding drama" in page.inner_text("h1")


def test_reader_clicks_home_theme_source_reference(site: Path, page: Page) -> None:
    page.goto((site / "index.html").as_uri())
    page.click("article a[href='themes/practice-managers.html']")
    assert page.inner_text("article h1").startswith("Practice managers")
    page.click("article a[href='../sources/zachariadis-2013-ccg-networks.html']")
    assert page.inner_text("article h1").startswith("Leadership of healthcare commissioning networks")
    page.click("article a[href='../references.html#ref-goodwin2008networks']")
    assert page.url.endswith("references.html#ref-goodwin2008networks")
    assert "Are Networks the Answer" in page.inner_text("#ref-goodwin2008networks")


def test_no_request_leaves_file_url(site: Path, page: Page) -> None:
    for path in ("index.html", "themes/leadership.html", "sources/checkland-2012-animateurs.html", "references.html"):
        page.goto((site / path).as_uri())
        page.wait_for_load_state("networkidle")
    _search(page, "animateur")
    outside = [url for url in page.requests if not url.startswith(("file://", "data:", "blob:", "about:"))]  # type: ignore[attr-defined]
    assert outside == []
    assert len(page.requests) > 10  # type: ignore[attr-defined]  # the recording really saw the page load


def test_downloads_are_reachable_from_file_url(site: Path, page: Page) -> None:
    page.goto((site / "index.html").as_uri())
    for name in ("findings.csv", "evidence.json", "references.bib"):
        href = page.get_attribute(f"article a[href='downloads/{name}']", "href")
        assert href and (site / "downloads" / name).stat().st_size > 100


@pytest.mark.parametrize("path", ["index.html", "themes/leadership.html", "sources/checkland-2012-animateurs.html"])
def test_no_serious_accessibility_violations(site: Path, page: Page, path: str) -> None:
    assert AXE.exists(), "run `make test`, which installs axe-core from npm"
    page.goto((site / path).as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots_for_review(site: Path, browser: Browser, viewport: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    for name, path in (
        ("home", "index.html"),
        ("theme", "themes/leadership.html"),
        ("source", "sources/checkland-2012-animateurs.html"),
    ):
        page.goto((site / path).as_uri())
        shot = ARTIFACTS / f"{name}-{viewport}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    context.close()
