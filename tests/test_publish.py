"""Publishing: byte-identical rebuilds, the PDF, link previews, sitemap and 404."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.site import build_site
from tests.conftest import BRIEFING, BUILD_EPOCH, PUBLISHED_AT, build_briefing, search_index


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def site(briefing_site: Path) -> Path:
    return briefing_site


def test_same_input_builds_byte_identical_site(site: Path, tmp_path: Path) -> None:
    again = _tree(build_briefing(tmp_path / "again"))  # dated as the first was (BUILD_EPOCH)
    first = _tree(site)
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []


def test_pages_carry_descriptions_for_link_previews(mini: Path, tmp_path: Path) -> None:
    # The plugin's own templates (builder/templates/main.html) add the Open Graph tags: a
    # project needs no overrides of its own for them.
    theme = (build_site(mini / "mkdocs.yml", tmp_path / "site") / "themes" / "leadership.html").read_text()
    assert '<meta name="description" content="Who leads?' in theme
    assert '<meta property="og:title" content="Leadership">' in theme


def test_site_url_gives_sitemap_and_canonical_links(published_site: Path) -> None:
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
