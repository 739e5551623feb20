"""The built site in a real browser, opened from file:// as a reader opening a copied folder
would: search, navigation, no request leaving file://, axe-core accessibility checks, and
screenshots saved to test-artifacts/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ARTIFACTS, AXE, search_in

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    yield page
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def test_search_works_from_file_url_and_opens_the_source(engine_site: Path, page: Page) -> None:
    page.goto((engine_site / "index.html").as_uri())
    hrefs = search_in(page, "Thornley")  # the author of one source, in references.bib
    assert any(h.endswith("sources/thornley-2010-key-players.html") for h in hrefs), hrefs
    page.keyboard.press("Enter")
    page.wait_for_url("**/sources/thornley-2010-key-players.html")
    assert "Key players in an unfolding drama" in page.inner_text("h1")


def test_search_is_used_with_the_keyboard(engine_site: Path, page: Page) -> None:
    page.goto((engine_site / "themes" / "leadership.html").as_uri())
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "evidence-search-input"
    search_in(page, "practice managers")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.getAttribute('href')")
    assert second == page.get_attribute("#evidence-search-panel li:nth-child(2) a", "href")
    page.keyboard.press("Escape")
    assert page.is_hidden("#evidence-search-panel")
    assert page.evaluate("document.activeElement.id") == "evidence-search-input"
    search_in(page, "practice managers")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + second.split("/")[-1])


def test_reader_clicks_home_theme_source_reference(engine_site: Path, page: Page) -> None:
    # Whichever sources the base holds: the first a theme page links to, and its first reference.
    page.goto((engine_site / "index.html").as_uri())
    page.click("article a[href='themes/practice-managers.html']")
    assert page.inner_text("article h1").startswith("Practice managers")
    source = page.locator("article a[href^='../sources/']").first
    href = source.get_attribute("href") or ""
    source.click()
    page.wait_for_url("**/" + href.removeprefix("../"))
    title = page.inner_text("article h1")
    assert title and page.title().startswith(title.split("\n")[0][:30])
    reference = page.locator("article a[href^='../references.html#ref-']").first
    fragment = (reference.get_attribute("href") or "").split("#")[1]
    reference.click()
    assert page.url.endswith(f"references.html#{fragment}")
    expect(page.locator(f"#{fragment}")).to_be_visible()  # waits for the page the click opened


def test_no_request_leaves_file_url(engine_site: Path, page: Page) -> None:
    for path in ("index.html", "themes/leadership.html", "sources/checkland-2012-animateurs.html", "references.html"):
        page.goto((engine_site / path).as_uri())
        page.wait_for_load_state("networkidle")
    search_in(page, "animateur")
    requests = page.requests  # type: ignore[attr-defined]
    outside = [url for url in requests if not url.startswith(("file://", "data:", "blob:", "about:"))]
    assert outside == []
    assert any("/search/t-" in url for url in requests)  # the recording saw the search load its part


def test_downloads_are_reachable_from_file_url(engine_site: Path, page: Page) -> None:
    page.goto((engine_site / "index.html").as_uri())
    for name in ("findings.csv", "evidence.json", "references.bib"):
        href = page.get_attribute(f"article a[href='downloads/{name}']", "href")
        assert href and (engine_site / "downloads" / name).stat().st_size > 100


@pytest.mark.parametrize("path", ["index.html", "themes/leadership.html", "sources/checkland-2012-animateurs.html"])
def test_no_serious_accessibility_violations(engine_site: Path, page: Page, path: str) -> None:
    assert AXE.exists(), "run `make test`, which installs axe-core from npm"
    page.goto((engine_site / path).as_uri())
    search_in(page, "leadership")  # with the search's results open, too
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots_for_review(engine_site: Path, browser: Browser, viewport: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    for name, path in (
        ("home", "index.html"),
        ("theme", "themes/leadership.html"),
        ("source", "sources/checkland-2012-animateurs.html"),
    ):
        page.goto((engine_site / path).as_uri())
        shot = ARTIFACTS / f"{name}-{viewport}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    search_in(page, "practice managers")
    page.screenshot(path=str(ARTIFACTS / f"search-{viewport}.png"))
    context.close()
