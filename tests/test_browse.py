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
from builder.render.searchindex import words
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


def _pdf_text(pdf: Path, page: int | None = None, raw: bool = False) -> str:
    """A printed page's text: as laid out, or (`raw`) in the order it was written, a table's cell whole."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    run = ["pdftotext", *pages, *(["-raw"] if raw else []), str(pdf), "-"]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout


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


def test_the_editors_prompts_come_after_the_findings_closed(briefing_site: Path, briefing) -> None:
    """On each theme page with key messages, the editors' prompts come after the findings and
    before what the evidence lacks, closed, labelled as working facts and not a judgement, and
    not saying the key messages a third time."""
    themes = [theme for theme in briefing.corpus.themes if theme.key_messages]
    assert themes
    for theme in themes:
        html = (briefing_site / "themes" / f"{theme.id}.html").read_text(encoding="utf-8")
        prompts = html.index('id="prompts-for-the-editor"')
        assert html.rindex('class="evidence-finding"') < prompts < html.index('id="what-the-evidence-lacks"')
        block = html[html.index("<details", prompts) : html.index("</details>", prompts)]
        assert "<details open" not in block and "working facts" in block and "not a judgement" in block
        statements = [" ".join(m.statement.split())[:40] for m in theme.key_messages]
        assert not any(statement in " ".join(block.split()) for statement in statements)


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


def test_a_filter_narrows_the_counts_not_the_gaps(engine_site: Path, page: Page, briefing) -> None:
    """Under each filter of year and of kind, the map's gaps are the whole base's, as the list of
    gaps above it says: a question with no source of that year is a row of empty cells, not a gap."""
    corpus = briefing.corpus
    expected = {t.title: _gap({s.type for s, _ in corpus.findings_on(t.id)}) for t in corpus.themes}
    years = {year for s in corpus.sources if (year := corpus.references[s.cite].year)}
    kinds = {s.type for s in corpus.sources} & RESEARCH
    filters = [f"year={year}" for year in sorted(years)] + [f"kind={kind}" for kind in sorted(kinds)]
    page.goto((engine_site / "evidence-map.html").as_uri())
    listed = page.inner_text("ul.evidence-map__gaps")
    for narrowed in filters:
        page.goto((engine_site / "evidence-map.html").as_uri() + "#" + narrowed)
        page.wait_for_function("() => document.querySelector('.evidence-filters__count').textContent.includes(' of ')")
        assert _rows(page, "#evidence-map-results") == expected, narrowed
        assert page.inner_text("ul.evidence-map__gaps") == listed
    totals = page.eval_on_selector_all("#evidence-map-results tbody td:last-child", "cs => cs.map(c => c.innerText)")
    assert "0" in totals  # some question has no source under some filter: the case this is about


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


@pytest.mark.parametrize("columns", ["kind", "design", "year"])
def test_the_evidence_map_fits_a_desktop(engine_site: Path, browser: Browser, columns: str) -> None:
    """At 1280 px the map fits, whatever its columns count: no sideways scroll, every heading read
    whole (wrapped where it must be, never cut short or under the next)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((engine_site / "evidence-map.html").as_uri() + f"#columns={columns}")
    page.wait_for_selector("#evidence-map-results table")
    table = page.locator("#evidence-map-results table")
    box = table.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280, box
    wrap = page.locator("#evidence-map-results .evidence-map")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    heads = table.evaluate("t => [...t.querySelectorAll('thead th')].map(th => th.scrollWidth <= th.clientWidth + 1)")
    assert all(heads)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{columns}-desktop.png"), full_page=True)
    context.close()


def test_the_evidence_map_on_a_phone_names_each_count(engine_site: Path, browser: Browser, briefing) -> None:
    """At 390 px each question is a block with its counts under it, each named by its column in
    words a reader sees ("Studies 2"); no heading is written upwards, nothing is wider than the
    phone, and a row is no taller than its words need."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("#evidence-map-results table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rotated = page.eval_on_selector_all(
        "#evidence-map-results *", "all => all.filter(e => getComputedStyle(e).writingMode !== 'horizontal-tb').length"
    )
    assert rotated == 0
    cells = page.eval_on_selector_all(
        "#evidence-map-results td:has(a)",
        "cells => cells.map(c => { const r = c.getBoundingClientRect(); "
        "const before = getComputedStyle(c, '::before').content.replace(/^\"|\"$/g, ''); "
        "return [c.dataset.label, before + c.querySelector('strong').textContent, r.left, r.right, r.height]; })",
    )
    names = set(page.eval_on_selector_all("#evidence-map-results thead th[scope=col]", "t => t.map(h => h.innerText)"))
    assert cells and all(label in names for label, *_ in cells)
    for label, shown, left, right, height in cells:
        assert re.fullmatch(re.escape(label) + r" \d+", shown) and left >= 0 and right <= 390 and height < 60, shown
    rows = page.eval_on_selector_all("#evidence-map-results tbody tr", "rows => rows.map(r => r.offsetHeight)")
    assert len(rows) == len(briefing.corpus.themes) and max(rows) < 200, rows
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-phone.png"), full_page=True)
    context.close()


def test_the_map_passes_axe(engine_site: Path, page: Page) -> None:
    assert AXE.exists(), "run `make test`, which installs axe-core from npm"
    page.goto((engine_site / "evidence-map.html").as_uri())
    page.wait_for_selector("#evidence-map-results table")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []


def test_the_map_prints_under_its_introduction_in_landscape(engine_site: Path, page: Page, briefing) -> None:
    """On A4 the map turns to landscape and starts on the first page, under what it says; each
    question is printed, each column named once on each page the map runs on (no short name beside
    it), with the filter in words; no page is blank."""
    year = next(year for s in briefing.corpus.sources if (year := briefing.corpus.references[s.cite].year))
    page.goto((engine_site / "evidence-map.html").as_uri() + f"#year={year}")
    page.wait_for_selector("#evidence-map-results table")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = _printed(page, ARTIFACTS / "map-printed.pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    sizes = [size.split(" x ") for size in re.findall(r"^Page +\d+ size: +([\d.]+ x [\d.]+)", info, re.MULTILINE)]
    assert sizes and all(float(w) > float(h) for w, h in sizes), sizes  # landscape, each page
    pages = [" ".join(_pdf_text(pdf, n, raw=True).split()) for n in range(1, len(sizes) + 1)]
    assert all(pages) and "All sources" in pages[0]  # the map begins on the first page
    mapped = [text for text in pages if "All sources" in text]
    printed = " ".join(mapped)
    for theme in briefing.corpus.themes:
        assert theme.title in printed
    for name in ("Reviews", "Studies", "Reports", "Commentaries", "Blog posts", "News reports"):
        assert all(text.count(name) == 1 for text in mapped), name
    assert "Counting " in printed and "Year is " in printed  # the filter, on paper
