"""Publishing: byte-identical rebuilds, the PDF, link previews, sitemap and 404."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BRIEFING, BUILD_EPOCH, PUBLISHED_AT, build_briefing, build_with, search_index


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def site(briefing_site: Path) -> Path:
    return briefing_site


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_same_input_builds_byte_identical_site(engine: str, site: Path, tmp_path: Path) -> None:
    first = _tree(site if engine == "mkdocs" else build_briefing(tmp_path / "first", engine))
    again = _tree(build_briefing(tmp_path / "again", engine))  # dated as the first was (BUILD_EPOCH)
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_pages_carry_descriptions_for_link_previews(engine: str, mini: Path, tmp_path: Path) -> None:
    # The plugin's own templates (builder/templates/main.html) add the Open Graph tags: a
    # project needs no overrides of its own for them.
    theme = (build_with(engine, mini, tmp_path / "site") / "themes" / "leadership.html").read_text()
    assert 'class="evidence-search"' in theme  # the plugin's templates are there too
    assert '<meta name="description" content="Who leads?' in theme
    assert '<meta property="og:title" content="Leadership">' in theme


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_site_url_gives_sitemap_and_canonical_links(engine: str, published_site: Path, tmp_path: Path) -> None:
    if engine == "zensical":
        published_site = build_briefing(tmp_path / "site", engine, SITE_URL=PUBLISHED_AT)
    page = (published_site / "sources" / "thornley-2010-key-players.html").read_text()
    assert f'<link rel="canonical" href="{PUBLISHED_AT}sources/thornley-2010-key-players.html">' in page
    assert "404" in (published_site / "404.html").read_text()
    sitemap = (published_site / "sitemap.xml").read_text()
    assert f"<loc>{PUBLISHED_AT}sources/thornley-2010-key-players.html</loc>" in sitemap
    feed = (published_site / "feed.xml").read_text()
    assert f"{PUBLISHED_AT}sources/thornley-2010-key-players.html" in feed


def test_pages_that_repeat_findings_stay_out_of_search(site: Path) -> None:
    urls = [url for url, *_ in search_index(site)[0]]
    assert "briefing.html" not in urls and "themes/leadership.html" in urls


def test_properdocs_builds_the_same_site(site: Path, tmp_path: Path) -> None:
    properdocs = Path(sys.executable).with_name("properdocs")
    out = tmp_path / "properdocs-site"
    run = subprocess.run(
        [str(properdocs), "build", "--strict", "-q", "-f", str(BRIEFING / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        cwd=BRIEFING,
        env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH},
    )
    assert run.returncode == 0, run.stderr

    def pages(folder: Path) -> dict[str, str]:
        # The one line that names the engine differs, as it should.
        return {
            p.relative_to(folder).as_posix(): re.sub(r'<meta name="generator"[^>]*>', "", p.read_text())
            for p in folder.rglob("*.html")
        }

    mkdocs_pages, properdocs_pages = pages(site), pages(out)
    assert mkdocs_pages.keys() == properdocs_pages.keys() and len(mkdocs_pages) > 10
    assert [name for name in mkdocs_pages if mkdocs_pages[name] != properdocs_pages[name]] == []


def _article(page: Path) -> str:
    """A page's article, whitespace folded, without what one engine's theme adds to it (Zensical's
    skip link) or drops from it (the `data-search-exclude` marks its search does not need)."""
    found = re.search(r"<article[^>]*>(.*?)</article>", page.read_text(), re.S)
    assert found, page
    article = found.group(1).replace('<a id="__skip" tabindex="-1"></a>', "").replace(" data-search-exclude", "")
    return " ".join(article.split())


def _toc(page: Path) -> list[str]:
    """The links of a page's table of contents (the theme's secondary sidebar)."""
    found = re.search(r'data-md-type="toc"(.*?)</nav>\s*</div>', page.read_text(), re.S)
    return re.findall(r'href="(#[^"]*)"', found.group(1)) if found else []


def test_zensical_builds_every_page_as_mkdocs_does(site: Path, tmp_path: Path) -> None:
    zensical = build_briefing(tmp_path / "zensical", "zensical")
    mkdocs_pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert mkdocs_pages == sorted(p.relative_to(zensical) for p in zensical.rglob("*.html"))
    assert [str(p) for p in mkdocs_pages if _article(site / p) != _article(zensical / p)] == []
    assert [str(p) for p in mkdocs_pages if _toc(site / p) != _toc(zensical / p)] == []
    assert _toc(site / "themes" / "leadership.html")  # generated pages have one, with either engine
    # Every download, feed, schema, piece of the search index and script of ours is there too, the
    # same to the byte (the theme's own assets and the sitemaps are each engine's).
    ours = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix != ".html"}
    ours = {
        n for n in ours if n == "feed.xml" or n.startswith(("assets/evidence/", "search/", "downloads/", "schema/"))
    }
    assert {"feed.xml", "downloads/briefing.pdf", "search/meta.js", "assets/evidence/evidence-search.js"} <= ours
    assert [name for name in sorted(ours) if (site / name).read_bytes() != (zensical / name).read_bytes()] == []
