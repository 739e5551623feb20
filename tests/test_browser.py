"""The built site in a real browser, opened from file:// as a reader opening a copied folder
would: search, navigation, no request leaving file://, axe-core accessibility checks, and
screenshots saved to test-artifacts/ for a person to look at."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from builder.site import build_site
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


@pytest.mark.parametrize(
    "path", ["index.html", "themes/leadership.html", "sources/checkland-2012-animateurs.html", "sources/index.html"]
)
def test_no_serious_accessibility_violations(engine_site: Path, page: Page, path: str, briefing) -> None:
    assert AXE.exists(), "run `make test`, which installs axe-core from npm"
    page.goto((engine_site / path).as_uri())
    search_in(page, _misspelt(_longest(briefing.corpus.themes[0].title)) + " ")  # with results open, and a correction
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


PAGES = (
    ("home", "index.html"),
    ("theme", "themes/leadership.html"),
    ("source", "sources/checkland-2012-animateurs.html"),
    ("sources", "sources/index.html"),
    ("map", "evidence-map.html"),
)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots_for_review(engine_site: Path, browser: Browser, viewport: str, briefing) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    for name, path in PAGES:
        page.goto((engine_site / path).as_uri())
        page.wait_for_load_state("networkidle")
        shot = ARTIFACTS / f"{name}-{viewport}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    search_in(page, "practice managers")
    page.screenshot(path=str(ARTIFACTS / f"search-{viewport}.png"))
    search_in(page, _misspelt(_longest(briefing.corpus.themes[-1].title)) + " ")
    page.screenshot(path=str(ARTIFACTS / f"search-misspelt-{viewport}.png"))
    context.close()


def test_printed_pages_for_review(engine_site: Path, page: Page) -> None:
    """Each kind of page on A4, as the browser prints it, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in PAGES:
        page.goto((engine_site / path).as_uri())
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        printed = ARTIFACTS / f"{name}-printed.pdf"
        page.pdf(path=str(printed), format="A4", prefer_css_page_size=True)
        page.emulate_media(media="screen")
        text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True).stdout
        assert page.inner_text("article h1") in text and "¶" not in text  # each heading once, no permalink sign


# ---- Search that forgives, in the address -------------------------------------------------------


def _longest(text: str) -> str:
    return max(re.findall(r"[^\W\d_]+", text), key=len)


def _misspelt(word: str) -> str:
    """Two letters in its middle swapped (or, where they are the same, one dropped)."""
    mid = len(word) // 2
    swapped = word[: mid - 1] + word[mid] + word[mid - 1] + word[mid + 1 :]
    return swapped if swapped != word else word[:mid] + word[mid + 1 :]


def _query(page: Page) -> str | None:
    return page.evaluate("new URLSearchParams(location.search).get('q')")


def _shown(page: Page) -> list[str]:
    """The results the box shows, once it shows the answer to what the box holds."""
    return search_in(page, page.input_value("#evidence-search-input"), typed=False)


def test_a_search_is_in_the_address_and_back_undoes_it(engine_site: Path, page: Page, briefing) -> None:
    first, second = (theme.title for theme in briefing.corpus.themes[:2])
    page.goto((engine_site / "index.html").as_uri())
    found = search_in(page, first)
    assert _query(page) == first
    box = page.locator("#evidence-search-input")
    box.select_text()
    box.type(second, delay=5)  # another search: a new step of the history
    assert _query(page) == second
    page.go_back()
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=first)
    assert box.input_value() == first and _shown(page) == found
    page.go_back()
    page.wait_for_function("() => !location.search")
    assert box.input_value() == "" and page.is_hidden("#evidence-search-panel")
    page.go_forward()
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=first)
    assert _shown(page) == found


def test_a_search_in_an_address_opens_with_its_results(engine_site: Path, browser: Browser, briefing) -> None:
    """A result list shared or reloaded: the address alone brings it back, phrase and all."""
    message = briefing.corpus.themes[0].key_messages[0].statement
    query = '"' + " ".join(message.split()[:3]) + '"'
    context = browser.new_context()
    page = context.new_page()
    page.goto((engine_site / "sources" / "index.html").as_uri() + "?" + urlencode({"q": query}))
    assert page.input_value("#evidence-search-input") == query
    wanted = page.evaluate("async q => (await evidenceSearch.search(q)).results.map(r => r.url)", query)
    assert wanted and [href.split("/")[-1] for href in _shown(page)] == [url.split("/")[-1] for url in wanted]
    page.reload()
    assert page.input_value("#evidence-search-input") == query and page.is_visible("#evidence-search-panel")
    context.close()


def test_a_misspelt_search_says_what_it_shows_and_offers_the_words_as_typed(
    engine_site: Path, page: Page, briefing
) -> None:
    word = _longest(" ".join(theme.title for theme in briefing.corpus.themes))
    typo = _misspelt(word)
    page.goto((engine_site / "themes" / "leadership.html").as_uri())
    search_in(page, typo + " ")
    panel = page.locator("#evidence-search-panel")
    assert f"Showing results for {word.lower()}" in panel.inner_text()
    assert page.inner_text(".evidence-search__status").startswith(f"Showing results for {word.lower()}")
    page.click(".evidence-search__as-typed")
    page.wait_for_function("() => new URLSearchParams(location.search).has('as-typed')")
    expect(panel).to_contain_text("No page has these words.")
    assert "Showing results for" not in panel.inner_text()
    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('as-typed')")
    expect(panel).to_contain_text(f"Showing results for {word.lower()}")


def test_back_from_a_result_comes_back_to_the_results(engine_site: Path, page: Page, briefing) -> None:
    query = briefing.corpus.themes[-1].title
    page.goto((engine_site / "index.html").as_uri())
    found = search_in(page, query)
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + found[0].split("/")[-1])
    page.go_back()
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
    assert _shown(page) == found


# ---- Phones -------------------------------------------------------------------------------------


def test_no_page_is_wider_than_a_phone(engine_site: Path, browser: Browser) -> None:
    """At 390 px no page scrolls sideways; a table either fits (the generated ones stack their
    cells) or scrolls where it stands with a shadow at the edge that has more."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    pages = sorted(engine_site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        wide = page.eval_on_selector_all(
            "article .md-typeset__scrollwrap",
            "wraps => wraps.filter(w => w.scrollWidth > w.clientWidth + 1)"
            ".map(w => [w.className, getComputedStyle(w).backgroundImage.includes('gradient')])",
        )
        assert all(shadowed and "evidence-" not in name for name, shadowed in wide), (path, wide)
    context.close()


def test_wide_hand_written_tables_scroll_visibly_and_links_print_their_addresses(
    briefing_copy: Path, browser: Browser, briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table an editor writes by hand may be wider than a phone: it scrolls where it stands,
    with a shadow at the edge that has more. On paper, a link that leaves the site shows its
    address after its words, and an address shown already is not shown twice."""
    cells = "".join(f"<td>{'commissioning ' * 3}{n}</td>" for n in range(8))
    (briefing_copy / "docs" / "wide.md").write_text(
        "# A wide table\n\nSee [the Nuffield Trust](https://www.nuffieldtrust.org.uk/) for more.\n\n"
        f"<table><tr>{cells}</tr></table>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("EVIDENCE_EDIT_URL", "https://example.org/edit/")
    site = build_site(briefing_copy / "mkdocs.yml", briefing_copy / "site")
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((site / "wide.html").as_uri())
    wrap = page.locator("article .md-typeset__scrollwrap")
    assert wrap.evaluate(
        "w => w.scrollWidth > w.clientWidth && getComputedStyle(w).backgroundImage.includes('gradient')"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    printed = []
    for path in ("wide.html", "references.html", f"sources/{briefing.corpus.sources[0].id}.html"):
        page.goto((site / path).as_uri())
        page.emulate_media(media="print")
        page.pdf(path=str(briefing_copy / "printed.pdf"), format="A4")
        run = ["pdftotext", str(briefing_copy / "printed.pdf"), "-"]
        printed.append(" ".join(subprocess.run(run, capture_output=True, text=True, check=True).stdout.split()))
    context.close()
    wide, references, source = printed
    assert "the Nuffield Trust <https://www.nuffieldtrust.org.uk/>" in wide
    dois = [ref.get("doi") for ref in briefing.corpus.references.values() if ref.get("doi")]
    assert dois and all(references.count(f"https://doi.org/{doi}") == 1 for doi in dois)
    assert f"<https://example.org/edit/evidence/{briefing.corpus.sources[0].id}.yaml>" in source.replace(" ", "")
