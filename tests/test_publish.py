"""Publishing: byte-identical rebuilds, the PDF, link previews, sitemap and 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.site import build_site
from tests.conftest import ROOT


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


def test_briefing_pdf_is_made_and_linked(site: Path) -> None:
    reader = PdfReader(site / "downloads" / "briefing.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "The briefing on one page" in text and "Training and development gaps" in text
    assert "Checkland et al., 2012" in text
    assert 'href="downloads/briefing.pdf"' in (site / "index.html").read_text()


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
    index = (site / "search" / "search_index.json").read_text()
    assert '"location":"briefing.html' not in index.replace(" ", "")
    assert '"location":"themes/leadership.html' in index.replace(" ", "")
