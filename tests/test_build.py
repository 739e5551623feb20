"""Real MkDocs builds of the mini fixture into tmp_path, asserting on the HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from builder.site import build_site
from tests.conftest import ROOT


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def built(mini: Path) -> Path:
    return build_site(mini / "mkdocs.yml")


def test_pages_are_generated_and_linked(built: Path) -> None:
    theme = (built / "themes" / "leadership.html").read_text()
    assert "Leaders bring people together." in theme
    assert 'href="../sources/alpha-study.html"' in theme
    source = (built / "sources" / "alpha-study.html").read_text()
    assert "Commissioning in Étude" in source
    assert 'href="https://doi.org/10.1234/test.2020"' in source
    assert "leaders convene" in source and "p. 3" in source
    references = (built / "references.html").read_text()
    assert 'id="ref-cited2019"' in references
    assert 'href="sources/alpha-study.html"' in references  # back-link from the reference


def test_home_counts_sources_findings_and_themes(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert "2 sources and 3 findings on 2 themes" in home


def test_source_pages_are_searchable_but_not_in_the_navigation(built: Path) -> None:
    about = (built / "about.html").read_text()
    assert "alpha-study.html" not in about  # the nav on every page lists no source page
    assert 'href="themes/leadership.html"' in about
    index = json.loads((built / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith("sources/alpha-study.html") for doc in index["docs"])


def test_failed_build_leaves_previous_site_untouched(mini: Path, built: Path, caplog: pytest.LogCaptureFixture) -> None:
    before = _snapshot(built)
    valid = (mini / "evidence" / "gamma-blog.yaml").read_text()
    (mini / "evidence" / "broken.yaml").write_text(
        valid.replace("id: gamma-blog\ncite: gamma2021", "id: broken\ncite: nowhere")
    )
    with pytest.raises(MkDocsException):
        build_site(mini / "mkdocs.yml")
    assert "evidence/broken.yaml:2:7: error: cite: cite key 'nowhere' is not in references.bib" in caplog.text
    assert _snapshot(built) == before
    assert [p.name for p in mini.iterdir() if p.name.startswith(".site")] == []


def test_warning_fails_strict_build_and_keeps_site(mini: Path, built: Path) -> None:
    before = _snapshot(built)
    with (mini / "references.bib").open("a") as bib:
        bib.write("\n@misc{unused2000, title = {Nobody cites me}, year = {2000}}\n")
    with pytest.raises(MkDocsException, match="strict"):
        build_site(mini / "mkdocs.yml")
    assert _snapshot(built) == before


def test_hand_written_page_with_a_generated_path_is_an_error(mini: Path, caplog: pytest.LogCaptureFixture) -> None:
    (mini / "docs" / "references.md").write_text("# Mine\n")
    with pytest.raises(MkDocsException):
        build_site(mini / "mkdocs.yml")
    assert "hand-written pages in docs/ have the paths of generated pages: references.md" in caplog.text


def test_serve_watches_evidence_and_references() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    watched = {Path(p).resolve() for p in config.watch}
    assert {ROOT / "evidence", ROOT / "references.bib"} <= watched
