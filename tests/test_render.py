"""Golden files of the rendered Markdown of the mini fixture (tests/golden/mini/)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.pipeline import Project, check
from builder.render import RenderOptions, render_site
from builder.render.downloads import _cell
from builder.render.text import md, md_cited
from tests.conftest import FIXTURES, golden

GOLDEN = Path(__file__).parent / "golden" / "mini"


def _pages() -> dict[str, str]:
    result = check(Project(FIXTURES / "mini"))
    assert result.ok, result.problems
    return {
        page.src_uri: page.content
        for page in render_site(result.corpus, RenderOptions(edit_url="https://example.org/edit/"))
    }


PAGES = _pages()


@pytest.mark.parametrize("src_uri", sorted(PAGES))
def test_rendered_markdown_matches_golden(src_uri: str, update_goldens: bool) -> None:
    golden(GOLDEN / src_uri, PAGES[src_uri], update_goldens)


def test_source_pages_are_out_of_the_nav_and_themes_in_it() -> None:
    result = check(Project(FIXTURES / "mini"))
    pages = {p.src_uri: p for p in render_site(result.corpus)}
    assert not pages["sources/alpha-study.md"].in_nav
    assert pages["themes/leadership.md"].in_nav
    assert pages["sources/alpha-study.md"].edit_path == "evidence/alpha-study.yaml"


def test_md_escapes_markdown_and_html() -> None:
    assert md("*a* [b](c) <i>&") == r"\*a\* \[b\](c) &lt;i&gt;&amp;"


def test_citation_becomes_author_date_link() -> None:
    out = md_cited("See [@k, p. 2].", {"k": "Smith, 2010"}, lambda key: f"../references.md#ref-{key}")
    assert out == "See ([Smith, 2010, p. 2](../references.md#ref-k))."


BLOCK_CASES = [
    ("1. Not a list", r"1\. Not a list"),
    ("- Not an item", r"\- Not an item"),
    ("# Not a heading", r"\# Not a heading"),
    ("Fine. As-is (yes)!", "Fine. As-is (yes)!"),
]


@pytest.mark.parametrize(("text", "markdown"), BLOCK_CASES)
def test_block_syntax_is_escaped_only_at_the_start(text: str, markdown: str) -> None:
    assert md(text) == markdown


def test_long_pages_are_split_with_links_between_parts() -> None:
    result = check(Project(FIXTURES / "mini"))
    pages = {p.src_uri: p.content for p in render_site(result.corpus, RenderOptions(page_size=1))}
    assert {"themes/practice-managers.md", "themes/practice-managers-2.md", "references-3.md"} <= set(pages)
    second = pages["themes/practice-managers-2.md"]
    assert "Pages: [1](practice-managers.md) · **2**" in second
    assert "## Blog posts" in second and "Key messages" not in second
    assert "## What the evidence lacks" in second  # the last part closes the page
    assert "(../references-2.md#ref-cited2019)" in pages["sources/alpha-study.md"]  # links follow the split


@given(st.text())
def test_a_csv_cell_is_what_the_csv_module_writes(text: str) -> None:
    # findings.csv quotes cells itself, for speed: it must agree with the csv module on any text.
    folded = " ".join(text.split())
    safe = "'" + folded if folded[:1] in ("=", "+", "-", "@") else folded
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([safe, "x"])
    assert _cell(text) + ",x\n" == out.getvalue()
    assert next(csv.reader([_cell(text) + ",x"])) == [safe, "x"]
