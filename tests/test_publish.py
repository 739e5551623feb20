"""Publishing: byte-identical rebuilds, the PDF, link previews, sitemap and 404."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.site import build_site
from tests.conftest import ROOT, search_index


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("pub") / "site")


def test_same_input_builds_byte_identical_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = _tree(build_site(ROOT / "mkdocs.yml", tmp_path / "a"))
    second = _tree(build_site(ROOT / "mkdocs.yml", tmp_path / "b"))
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_pages_carry_descriptions_for_link_previews(site: Path) -> None:
    theme = (site / "themes" / "leadership.html").read_text()
    assert '<meta name="description" content="What kind of leadership makes commissioning work?' in theme
    assert '<meta property="og:title" content="Leadership">' in theme


def test_site_url_gives_sitemap_and_canonical_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://briefing.example.org/nhs/")
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert "404" in (site / "404.html").read_text()
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://briefing.example.org/nhs/sources/thornley-2010-key-players.html</loc>" in sitemap
    feed = (site / "feed.xml").read_text()
    assert "https://briefing.example.org/nhs/sources/thornley-2010-key-players.html" in feed


def test_pages_that_repeat_findings_stay_out_of_search(site: Path) -> None:
    urls = [url for url, *_ in search_index(site)[0]]
    assert "briefing.html" not in urls and "themes/leadership.html" in urls


def test_properdocs_builds_the_same_site(site: Path, tmp_path: Path) -> None:
    properdocs = Path(sys.executable).with_name("properdocs")
    out = tmp_path / "properdocs-site"
    run = subprocess.run(
        [str(properdocs), "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
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
