"""What Zensical is given: each generated page with its headings on its first line, read back by
the Markdown extension of builder/zensical_pages.py; and `evidence render` and `evidence build
--engine zensical` as a user runs them. (The built site is tested with the other engines': the
build tests, the hostile-input site, the browser tests and the publishing tests run on each.)"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.cli import main
from builder.render.html import Heading, Page
from builder.zensical_pages import MARK, GeneratedPages, toc_tokens
from builder.zensical_site import page_file


def _converted(text: str) -> tuple[str, list[dict]]:
    """Markdown as Zensical converts a page (its front matter taken off first), with the extension
    and the `toc` extension mkdocs.yml names; the HTML and the table of contents."""
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    md = markdown.Markdown(extensions=["toc", GeneratedPages()], extension_configs={"toc": {"permalink": True}})
    return md.convert(text), md.toc_tokens  # type: ignore[attr-defined]


BODY = (
    '<h1>Leadership</h1>\n<p>Who <em>leads</em>?</p>\n\n<h2 id="studies">Studies<a class="headerlink" '
    'href="#studies">&para;</a></h2>\n<pre>  kept   as  it is\n\n    indented like code</pre>\n'
    '<h3 id="one">One &amp; two</h3>\n<p>*not emphasis* [not a link](x)</p>\n<h2 id="blogs">Blogs</h2>'
)
HEADINGS = (Heading(2, "studies", "Studies"), Heading(3, "one", "One & two"), Heading(2, "blogs", "Blogs"))


def test_a_generated_page_reaches_the_theme_as_it_was_made() -> None:
    html, toc = _converted(page_file(Page("themes/leadership", "Leadership", BODY, HEADINGS)))
    assert html == BODY  # not a character changed: no Markdown read in it, no blank line lost
    assert [(t["id"], [c["id"] for c in t["children"]]) for t in toc] == [("studies", ["one"]), ("blogs", [])]
    assert toc[0]["children"][0]["name"] == toc[0]["children"][0]["data-toc-label"] == "One &amp; two"


def test_a_hand_written_page_is_markdown_as_usual() -> None:
    html, toc = _converted("# About\n\nWhat *this* is.\n\n## Who\n\nUs.\n")
    assert "<em>this</em>" in html and 'id="who"' in html
    assert [t["id"] for t in toc] == ["about"] and [c["id"] for c in toc[0]["children"]] == ["who"]


@given(st.text(max_size=60))
def test_no_title_can_end_the_line_of_headings_or_change_the_page(title: str) -> None:
    page = Page("p", title, "<h1>x</h1>", (Heading(2, "a", title),))
    first = page_file(page).split("---\n\n", 1)[1].split("\n", 1)[0]
    assert first.startswith(MARK) and first.isascii() and first.count(">") == 1 and first.endswith(" -->")
    html, toc = _converted(page_file(page))
    assert html == "<h1>x</h1>"
    assert toc == toc_tokens([[2, "a", title]])


def test_evidence_render_writes_the_pages_as_zensical_is_given_them(mini: Path, tmp_path: Path) -> None:
    assert main(["--root", str(mini), "render", str(tmp_path / "docs")]) == 0
    page = (tmp_path / "docs" / "sources" / "alpha-study.md").read_text()
    line = next(line for line in page.splitlines() if line.startswith(MARK))
    assert [2, "findings", "Findings"] in json.loads(line[len(MARK) : -len(" -->")])
    assert (tmp_path / "docs" / "assets" / "evidence" / "evidence-search.js").is_file()


def test_without_zensical_the_build_says_how_to_install_it(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "zensical" else find_spec(name))
    assert main(["--root", str(mini), "build", "--engine", "zensical"]) == 1
    err = capsys.readouterr().err
    assert "Zensical is not installed here" in err and "[zensical]" in err and "Traceback" not in err
    assert not (mini / "site").exists()


def test_the_project_s_navigation_and_look_are_kept(mini: Path) -> None:
    from builder.zensical_site import build_site_with

    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  font: false\n", "  font: false\n  variant: modern\n")
        + "nav:\n  - Home: index.md\n  - Leadership: themes/leadership.md\n"
    )
    site = build_site_with(config).path
    home = (site / "index.html").read_text()
    assert "stylesheets/modern/" in home  # the look chosen, not the classic one the build defaults to
    nav = home[home.index("md-nav--primary") : home.index('class="md-content"')]
    assert "themes/leadership.html" in nav and "browse/types.html" not in nav  # the pages listed, no others
