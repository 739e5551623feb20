"""Narrowing lists and the evidence map, in Chromium from file://, as a reader uses them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from builder.render.facets import designs
from tests.conftest import ARTIFACTS, AXE


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert [url for url in requests if not url.startswith(("file://", "data:", "about:"))] == []
    context.close()


def _sources_on(corpus, theme: str, kind: str) -> set[str]:
    return {s.id for s, _ in corpus.findings_on(theme) if s.type == kind}


def test_the_list_of_sources_is_narrowed_from_the_address_and_the_form(engine_site: Path, page: Page, briefing) -> None:
    page.goto((engine_site / "sources" / "index.html").as_uri() + "#theme=leadership&kind=study")
    page.wait_for_selector("#evidence-browse-results tbody tr")
    shown = {
        h.split("/")[-1].removesuffix(".html")
        for h in page.eval_on_selector_all(
            "#evidence-browse-results a", "links => links.map(a => a.getAttribute('href'))"
        )
    }
    assert shown == _sources_on(briefing.corpus, "leadership", "study")
    total = len(briefing.corpus.sources)
    assert page.inner_text(".evidence-filters__count") == f"Showing {len(shown)} of {total} sources."
    page.select_option("select[data-facet=kind]", "")
    page.select_option("select[data-facet=theme]", "")
    assert page.inner_text(".evidence-filters__count") == f"All {total} sources."
    assert page.url.endswith("sources/index.html")


def test_a_theme_page_hides_the_findings_a_filter_leaves_out(engine_site: Path, page: Page, briefing) -> None:
    page.goto((engine_site / "themes" / "leadership.html").as_uri())
    corpus = briefing.corpus
    findings = corpus.findings_on("leadership")
    studies = [f for s, f in findings if s.type == "study"]
    page.select_option("select[data-facet=kind]", "study")
    visible = page.eval_on_selector_all("ul.evidence-findings > li", "items => items.filter(i => !i.hidden).length")
    assert visible == len(studies)
    assert (
        page.inner_text(".evidence-filters__count")
        == f"Showing {len(studies)} of {len(findings)} findings on this page."
    )
    assert page.is_hidden("h2#blog-posts")  # a section left empty hides its heading


def test_without_javascript_every_page_shows_everything(engine_site: Path, browser: Browser, briefing) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((engine_site / "sources" / "index.html").as_uri() + "#kind=study")
    assert page.is_hidden("form.evidence-filters")
    rows = page.eval_on_selector_all(".evidence-static tbody tr", "rows => rows.length")
    assert rows == len(briefing.corpus.sources)
    page.goto((engine_site / "themes" / "leadership.html").as_uri())
    assert page.eval_on_selector_all("ul.evidence-findings > li", "items => items.length") == len(
        briefing.corpus.findings_on("leadership")
    )
    context.close()


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_the_evidence_map_fits_the_window(engine_site: Path, browser: Browser, width: int, name: str) -> None:
    # A phone as a phone is: its scrollbars overlay the page (Zensical's theme keeps a desktop
    # scrollbar's width free beside the page, which a 390-pixel desktop window would lose).
    phone = name == "phone"
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto((engine_site / "evidence-map.html").as_uri())
    table = page.locator(".evidence-map table").first
    box = table.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box  # whole, not cut off
    wrap = page.locator(".evidence-map").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}.png"), full_page=True)
    context.close()


def test_a_map_cell_opens_its_sources_with_the_keyboard(engine_site: Path, page: Page) -> None:
    page.goto((engine_site / "evidence-map.html").as_uri())
    cell = page.locator("a.evidence-map__cell").first
    count = int(cell.locator("strong").inner_text())
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sources/index.html#*")
    page.wait_for_selector("#evidence-browse-results tbody tr")
    assert page.eval_on_selector_all("#evidence-browse-results tbody tr", "rows => rows.length") == count


def test_the_reader_picks_what_the_map_counts(engine_site: Path, page: Page, briefing) -> None:
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("form.evidence-map-picker:not([hidden])")
    page.select_option("select[data-axis=rows]", "design")
    page.select_option("select[data-axis=columns]", "year")
    rows = page.eval_on_selector_all("#evidence-map-results tbody th", "cells => cells.map(c => c.textContent)")
    assert set(rows) >= {d for s in briefing.corpus.sources for d in designs(s.design)}
    assert page.is_hidden(".evidence-static")


def test_the_map_passes_axe_and_prints(engine_site: Path, page: Page, tmp_path: Path) -> None:
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
    page.emulate_media(media="print")
    printed = tmp_path / "map.pdf"
    page.pdf(path=str(printed))
    assert printed.stat().st_size > 10_000
