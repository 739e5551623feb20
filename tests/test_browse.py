"""Narrowing lists and the evidence map, in Chromium from file://, as a reader uses them: on a
desktop, on a phone, on paper, and with Back."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from builder.render.facets import designs
from builder.render.search import words
from builder.site import build_site
from tests.conftest import ARTIFACTS, AXE

RESEARCH = {"review", "study", "report"}  # what an evidence and gap map counts as evidence; the rest is opinion
# A phone as a phone is: its scrollbars overlay the page (Zensical's theme keeps a desktop
# scrollbar's width free beside the page, which a 390-pixel desktop window would lose).
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


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


def _sources_on(corpus, theme: str, kind: str | None = None) -> set[str]:
    return {s.id for s, _ in corpus.findings_on(theme) if kind in (None, s.type)}


def _listed(page: Page) -> set[str]:
    """The sources the list of sources shows, once it shows them."""
    page.wait_for_selector("#evidence-browse-results li")
    hrefs = page.eval_on_selector_all(
        "#evidence-browse-results li a", "links => links.map(a => a.getAttribute('href'))"
    )
    return {href.split("/")[-1].removesuffix(".html") for href in hrefs}


def _count(page: Page) -> str:
    return page.inner_text(".evidence-filters__count")


def _pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _printed(page: Page, path: Path) -> Path:
    """The page as the browser prints it on A4, with the page sizes its styles ask for."""
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    page.emulate_media(media="screen")
    return path


def test_the_list_of_sources_is_narrowed_from_the_address_and_the_form(engine_site: Path, page: Page, briefing) -> None:
    page.goto((engine_site / "sources" / "index.html").as_uri() + "#theme=leadership&kind=study")
    shown = _listed(page)
    assert shown == _sources_on(briefing.corpus, "leadership", "study")
    total = len(briefing.corpus.sources)
    assert _count(page) == f"Showing {len(shown)} of {total} sources: Theme is Leadership, Kind of source is Studies."
    page.select_option("select[data-facet=kind]", "")
    page.select_option("select[data-facet=theme]", "")
    assert _count(page) == f"All {total} sources."
    assert page.url.endswith("sources/index.html")


def test_the_list_of_sources_puts_titles_first(engine_site: Path, browser: Browser, briefing) -> None:
    """On a phone each source's title comes first, whole on the screen, with its author, year and
    kind under it; no column of dates pushes it aside."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto((engine_site / "sources" / "index.html").as_uri())
    page.wait_for_selector("#evidence-browse-results li")
    items = page.eval_on_selector_all(
        "#evidence-browse-results li",
        """items => items.map(item => {
            const title = item.querySelector('.evidence-sources__title').getBoundingClientRect();
            const said = item.querySelector('.evidence-sources__said').getBoundingClientRect();
            const first = item.firstElementChild.className;
            return [first, item.innerText, title.left, title.right, title.bottom <= said.top];
        })""",
    )
    titles = {s.id: briefing.corpus.references[s.cite].get("title") for s in briefing.corpus.sources}
    assert sorted(text.split("\n")[0] for _, text, *_ in items) == sorted(titles.values())
    for first, _, left, right, above in items:
        assert first == "evidence-sources__title" and left >= 0 and right <= 390 and above
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_a_theme_page_hides_the_findings_a_filter_leaves_out(engine_site: Path, page: Page, briefing) -> None:
    page.goto((engine_site / "themes" / "leadership.html").as_uri())
    corpus = briefing.corpus
    findings = corpus.findings_on("leadership")
    studies = [f for s, f in findings if s.type == "study"]
    page.select_option("select[data-facet=kind]", "study")
    visible = page.eval_on_selector_all("ul.evidence-findings > li", "items => items.filter(i => !i.hidden).length")
    assert visible == len(studies)
    assert (
        _count(page) == f"Showing {len(studies)} of {len(findings)} findings on this page: Kind of source is Studies."
    )
    assert page.is_hidden("h2#blog-posts")  # a section left empty hides its heading


def test_back_undoes_each_filter(engine_site: Path, page: Page, briefing) -> None:
    corpus = briefing.corpus
    page.goto((engine_site / "sources" / "index.html").as_uri())
    everything = _listed(page)
    kind = sorted({s.type for s in corpus.sources})[0]
    theme = next(t.id for t in corpus.themes if _sources_on(corpus, t.id, kind))
    page.select_option("select[data-facet=kind]", kind)
    page.select_option("select[data-facet=theme]", theme)
    assert _listed(page) == _sources_on(corpus, theme, kind)
    page.go_back()
    page.wait_for_function("() => !location.hash.includes('theme=')")
    assert page.input_value("select[data-facet=theme]") == "" and page.input_value("select[data-facet=kind]") == kind
    assert _listed(page) == {s.id for s in corpus.sources if s.type == kind}
    page.go_back()
    page.wait_for_function("() => location.hash === ''")
    assert _listed(page) == everything and _count(page) == f"All {len(everything)} sources."
    assert page.url.endswith("sources/index.html")  # still the list: Back undid the filters, not the visit
    page.go_forward()
    page.wait_for_function("kind => location.hash === '#kind=' + kind", arg=kind)
    assert page.input_value("select[data-facet=kind]") == kind


def test_a_filtered_list_says_its_filters_on_paper(engine_site: Path, page: Page, briefing, tmp_path: Path) -> None:
    kind = sorted({s.type for s in briefing.corpus.sources})[-1]
    page.goto((engine_site / "sources" / "index.html").as_uri() + f"#kind={kind}")
    shown = _listed(page)
    label = page.eval_on_selector(f"select[data-facet=kind] option[value='{kind}']", "o => o.textContent")
    text = " ".join(_pdf_text(_printed(page, tmp_path / "list.pdf")).split())
    total = len(briefing.corpus.sources)
    assert f"Showing {len(shown)} of {total} sources: Kind of source is {label}." in text
    printed = "".join(words(text))  # as letters: a line may break a title at a hyphen, which pdftotext drops
    titles = [briefing.corpus.references[s.cite].get("title") for s in briefing.corpus.sources]
    assert sum("".join(words(title)) in printed for title in titles) == len(shown), printed  # only those shown


def test_without_javascript_every_page_shows_everything(engine_site: Path, browser: Browser, briefing) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((engine_site / "sources" / "index.html").as_uri() + "#kind=study")
    assert page.is_hidden("form.evidence-filters")
    items = page.eval_on_selector_all(".evidence-static li", "items => items.length")
    assert items == len(briefing.corpus.sources)
    page.goto((engine_site / "themes" / "leadership.html").as_uri())
    assert page.eval_on_selector_all("ul.evidence-findings > li", "items => items.length") == len(
        briefing.corpus.findings_on("leadership")
    )
    context.close()


# ---- The evidence map -----------------------------------------------------------------------


def _gap(kinds: set[str]) -> str:
    """What an evidence and gap map calls a question with sources of these kinds."""
    if not kinds:
        return "Gap: no evidence"
    return "" if kinds & RESEARCH else "Gap: only opinion and news"


def _rows(page: Page, selector: str) -> dict[str, str]:
    """Each row of a map: its question, and the gap it says (or '')."""
    return dict(
        page.eval_on_selector_all(
            f"{selector} tbody th[scope=row]",
            "cells => cells.map(c => [c.querySelector('a').textContent, "
            "(c.querySelector('.evidence-map__gap') || {textContent: ''}).textContent])",
        )
    )


def test_the_map_says_which_questions_are_gaps(engine_site: Path, browser: Browser, page: Page, briefing) -> None:
    """A question is a gap when no research speaks to it; a kind of source a question lacks is an
    empty cell, never a gap. Drawn by the script, and as the page is without it."""
    corpus = briefing.corpus
    expected = {t.title: _gap({s.type for s, _ in corpus.findings_on(t.id)}) for t in corpus.themes}
    assert any(expected.values()) and not all(expected.values())
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("#evidence-map-results table")
    assert _rows(page, "#evidence-map-results") == expected
    shown = page.eval_on_selector_all(  # what a cell shows, without the words only a screen reader hears
        "#evidence-map-results td",
        "cells => cells.map(c => { const copy = c.cloneNode(true); "
        "copy.querySelectorAll('.evidence-hidden').forEach(e => e.remove()); return copy.textContent.trim(); })",
    )
    assert all(text.isdigit() or text == "" for text in shown), shown  # a number of sources, or nothing
    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto((engine_site / "evidence-map.html").as_uri())
    assert _rows(static, ".evidence-static") == expected
    gaps = static.inner_text("ul.evidence-map__gaps")
    assert all((title in gaps) == bool(gap) for title, gap in expected.items())
    context.close()


def test_questions_without_evidence_or_with_only_opinion_are_gaps(mini: Path) -> None:
    """A question no source speaks to, and one only a blog post speaks to, are the map's gaps."""
    themes = mini / "evidence" / "themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8")
        + "  - id: opinion-only\n    title: Heard of\n    question: What do bloggers say?\n    description: Views.\n"
        + "  - id: unstudied\n    title: Never asked\n    question: What nobody studied?\n    description: None.\n",
        encoding="utf-8",
    )
    blog = mini / "evidence" / "gamma-blog.yaml"
    text = blog.read_text(encoding="utf-8")
    last = text.rindex("theme: leadership")
    blog.write_text(text[:last] + "theme: opinion-only" + text[last + len("theme: leadership") :], encoding="utf-8")
    site = build_site(mini / "mkdocs.yml", mini / "site")
    html = (site / "evidence-map.html").read_text(encoding="utf-8")
    gaps = html[
        html.index('<ul class="evidence-map__gaps">') : html.index("</ul></li></ul>", html.index("evidence-map__gaps"))
    ]
    none, opinion = gaps.split("Only opinion and news")
    assert "Never asked" in none and "Heard of" not in none
    assert "Heard of" in opinion and "Never asked" not in opinion and "Leadership" not in gaps
    assert html.count("Gap: no evidence") == 1 and html.count("Gap: only opinion and news") == 1


def test_each_cell_of_the_map_opens_its_sources(engine_site: Path, page: Page, briefing) -> None:
    corpus = briefing.corpus
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("#evidence-map-results a.evidence-map__cell")
    links = page.eval_on_selector_all("#evidence-map-results td a", "links => links.map(a => a.href)")
    assert len(links) > len(corpus.themes)
    for link in links:
        filters = dict(part.split("=") for part in link.split("#")[1].split("&"))
        page.goto(link)
        expected = _sources_on(corpus, filters["theme"], filters.get("kind"))
        assert _listed(page) == expected, link


def test_a_map_cell_opens_its_sources_with_the_keyboard(engine_site: Path, page: Page) -> None:
    page.goto((engine_site / "evidence-map.html").as_uri())
    cell = page.locator("#evidence-map-results a.evidence-map__cell").first
    count = int(cell.locator("strong").inner_text())
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sources/index.html#*")
    assert len(_listed(page)) == count


def test_the_reader_picks_what_the_map_counts_and_back_undoes_it(engine_site: Path, page: Page, briefing) -> None:
    corpus = briefing.corpus
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("form.evidence-map-picker:not([hidden])")
    page.select_option("select[data-axis=rows]", "design")
    page.select_option("select[data-axis=columns]", "year")
    rows = page.eval_on_selector_all("#evidence-map-results tbody th", "cells => cells.map(c => c.textContent)")
    assert set(rows) >= {d for s in corpus.sources for d in designs(s.design)}
    assert page.is_hidden(".evidence-static")
    kind = sorted({s.type for s in corpus.sources})[0]
    page.select_option("form.evidence-filters select[data-facet=kind]", kind)
    counted = sum(s.type == kind for s in corpus.sources)
    assert _count(page).startswith(f"Counting {counted} of {len(corpus.sources)} sources: Kind of source is ")
    totals = page.eval_on_selector_all(
        "#evidence-map-results tbody td:last-child", "cells => cells.map(c => c.innerText)"
    )
    by_design = [sum(d in designs(s.design) for s in corpus.sources if s.type == kind) for d in rows]
    assert [int(t.split()[0]) for t in totals] == by_design
    page.go_back()  # the filter
    page.wait_for_function("() => !location.hash.includes('kind=')")
    assert page.input_value("select[data-axis=columns]") == "year" and _count(page).startswith("Counting all")
    page.go_back()  # the columns
    page.wait_for_function("() => !location.hash.includes('columns=')")
    assert (
        page.input_value("select[data-axis=columns]") == "kind"
        and page.input_value("select[data-axis=rows]") == "design"
    )
    page.go_back()  # the rows: the map as it opened
    page.wait_for_function("() => location.hash === ''")
    assert page.input_value("select[data-axis=rows]") == "theme"
    assert set(_rows(page, "#evidence-map-results")) == {t.title for t in corpus.themes}


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (390, "phone")])
def test_the_evidence_map_fits_the_window(engine_site: Path, browser: Browser, width: int, name: str) -> None:
    phone = name == "phone"
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("#evidence-map-results table")
    table = page.locator("#evidence-map-results table")
    box = table.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box  # whole, not cut off
    wrap = page.locator("#evidence-map-results .evidence-map")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Each heading is read whole: none is cut short or overlaps the next.
    heads = table.evaluate("t => [...t.querySelectorAll('thead th')].map(th => th.scrollWidth <= th.clientWidth + 1)")
    assert all(heads)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}.png"), full_page=True)
    context.close()


def test_the_map_passes_axe(engine_site: Path, page: Page) -> None:
    assert AXE.exists(), "run `make test`, which installs axe-core from npm"
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("#evidence-map-results table")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []


def test_the_whole_map_prints_on_one_landscape_page(engine_site: Path, page: Page, briefing) -> None:
    """On A4, the map turns to landscape, keeps every column and question on one page, and names
    each column once (no short name for a phone beside it)."""
    year = next(year for s in briefing.corpus.sources if (year := briefing.corpus.references[s.cite].year))
    page.goto((engine_site / "evidence-map.html").as_uri() + f"#year={year}")
    page.wait_for_selector("#evidence-map-results table")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = _printed(page, ARTIFACTS / "map-printed.pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    sizes = [size.split(" x ") for size in re.findall(r"^Page +\d+ size: +([\d.]+ x [\d.]+)", info, re.MULTILINE)]
    assert sizes and all(float(w) > float(h) for w, h in sizes), sizes  # landscape, each page
    pages = [" ".join(_pdf_text(pdf, n).split()) for n in range(1, len(sizes) + 1)]
    (map_page,) = [text for text in pages if "All sources" in text]
    for theme in briefing.corpus.themes:
        assert theme.title in map_page
    for name in ("Reviews", "Studies", "Reports", "Commentaries", "Blog posts", "News reports"):
        assert map_page.count(name) == 1, name
    assert "Counting " in map_page and "Year is " in map_page  # the filter, on paper
