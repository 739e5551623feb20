"""Real MkDocs builds of the mini fixture into tmp_path, asserting on the HTML."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs.exceptions import MkDocsException

from builder.site import build_site


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


def test_a_build_from_the_cache_makes_the_same_site(mini: Path, built: Path) -> None:
    cold = _snapshot(built)
    assert list((mini / ".cache/evidence/pages").glob("*.pack"))  # the pages were kept
    assert _snapshot(build_site(mini / "mkdocs.yml")) == cold


def test_home_counts_sources_findings_and_themes(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert "2 sources and 3 findings on 2 themes" in home


def test_source_pages_are_searchable_but_not_in_the_navigation(built: Path) -> None:
    about = (built / "about.html").read_text()
    assert "alpha-study.html" not in about  # the nav on every page lists no source page
    assert 'href="themes/leadership.html"' in about
    index = json.loads((built / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith("sources/alpha-study.html") for doc in index["docs"])


def _search_text(site: Path, page: str) -> str:
    index = json.loads((site / "search" / "search_index.json").read_text())
    return " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(page))


def test_search_holds_statements_and_summaries_not_boilerplate(mini: Path, built: Path) -> None:
    text = _search_text(built, "sources/alpha-study.html")
    assert "Leaders bring people together" in text and "A study of leaders" in text
    assert "Strength" not in text and "Theme:" not in text  # the same words on every finding
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n      search_summaries: false\n"))
    text = _search_text(build_site(config), "sources/alpha-study.html")
    assert "Leaders bring people together" in text and "A study of leaders" not in text


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


def test_serve_rebuilds_when_an_evidence_file_changes(mini: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    evidence = Path(sys.executable).with_name("evidence")
    server = subprocess.Popen(
        [str(evidence), "--root", str(mini), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/themes/leadership.html"
    try:
        assert "Leaders bring people together." in _fetch_until(url, "Leaders bring people together.")
        path = mini / "evidence" / "alpha-study.yaml"
        path.write_text(path.read_text().replace("Leaders bring people together.", "Leaders convene the system."))
        assert "Leaders convene the system." in _fetch_until(url, "Leaders convene the system.")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _fetch_until(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.5)
    return body
