"""The rendered pages of the mini fixture against golden files (tests/golden/mini/), and the
rules of rendering: escaping, links, splitting."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.render import page_uris, render_site
from builder.render.downloads import cell
from builder.render.html import Links
from builder.render.referencelist import anchor
from builder.render.site import Site
from builder.settings import Settings
from tests.conftest import FIXTURES, check_root, golden, settings_of

GOLDEN = Path(__file__).parent / "golden" / "mini"


def _corpus_and_settings(**options: object) -> tuple:
    settings = settings_of(FIXTURES / "mini")
    settings = dataclasses.replace(
        settings, options=dataclasses.replace(settings.options, edit_url="https://example.org/edit/", **options)
    )
    result = check_root(FIXTURES / "mini")
    assert result.ok, result.problems
    return result.corpus, settings


def _readable(html: str) -> str:
    """HTML with a line break before each block, so that a golden file's diff can be read."""
    return re.sub(_BLOCK, "\n", html).strip() + "\n"


_BLOCK = r"(?=<(?:h[1-6]|p|div|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|blockquote|hr|nav)[ >])"


@cache
def _rendered() -> dict[str, str]:
    """The mini project's pages and downloads, rendered when a test first asks (not while the
    tests are collected)."""
    corpus, settings = _corpus_and_settings()
    out = render_site(corpus, settings)
    pages = {f"{p.uri}.html": _readable(p.body) for p in out.pages}
    return pages | {d.path: d.content for d in out.files if isinstance(d.content, str)}


def _goldens() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", _goldens())
def test_rendered_site_matches_golden(name: str, update_goldens: bool) -> None:
    assert name in _rendered(), f"{name} is no longer made: delete its golden file"
    golden(GOLDEN / name, _rendered()[name], update_goldens)


def test_every_file_made_has_a_golden_file(update_goldens: bool) -> None:
    for name in sorted(_rendered().keys() - set(_goldens())):
        golden(GOLDEN / name, _rendered()[name], update_goldens)  # without one: written, and the test fails


def test_source_pages_are_out_of_the_nav_and_themes_in_it() -> None:
    corpus, settings = _corpus_and_settings()
    pages = {p.uri: p for p in render_site(corpus, settings).pages}
    assert not pages["sources/alpha-study"].in_nav
    assert pages["themes/leadership"].in_nav
    assert pages["sources/alpha-study"].edit_path == "evidence/alpha-study.yaml"


def test_page_names_are_known_before_rendering() -> None:
    for size in (1, 2, 200):
        corpus, settings = _corpus_and_settings(page_size=size)
        assert page_uris(corpus, settings) == [p.uri for p in render_site(corpus, settings).pages]


def test_long_pages_are_split_with_links_between_parts() -> None:
    corpus, settings = _corpus_and_settings(page_size=1)
    pages = {p.uri: p.body for p in render_site(corpus, settings).pages}
    assert {"themes/practice-managers", "themes/practice-managers--2", "references--3"} <= set(pages)
    second = pages["themes/practice-managers--2"]
    assert '<a href="practice-managers.html">1</a> · <strong aria-current="page">2</strong>' in second
    assert "Key messages" not in second
    assert 'href="../references--3.html#ref-cited2019"' in pages["sources/alpha-study"]  # links follow the split


def test_parts_of_a_split_page_cannot_take_a_theme_s_name() -> None:
    # A theme may be called leadership-2; the second part of 'leadership' is 'leadership--2',
    # which no id can be (an id never has two hyphens in a row).
    corpus, settings = _corpus_and_settings(page_size=1)
    uris = page_uris(corpus, settings)
    assert len(uris) == len(set(uris)) and "themes/leadership--2" in uris


def test_contributor_text_is_escaped() -> None:
    corpus, settings = _corpus_and_settings()
    site = Site(corpus, settings)
    assert site.cited('<b>x</b> & "y" [@alpha2020, p. 3]', "index") == (
        "&lt;b&gt;x&lt;/b&gt; &amp; &#34;y&#34; "
        '(<a href="references.html#ref-alpha2020">Alpha and Beta, 2020, p. 3</a>)'
    )


@given(
    st.text(alphabet="abcAB01:.+-_", min_size=1, max_size=6), st.text(alphabet="abcAB01:.+-_", min_size=1, max_size=6)
)
def test_different_keys_never_share_an_anchor(a: str, b: str) -> None:
    assert (anchor(a) == anchor(b)) == (a == b)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", anchor(a))


@pytest.mark.parametrize("directory_urls", [False, True])
def test_links_follow_the_site_s_url_style(directory_urls: bool) -> None:
    links = Links(directory_urls)
    expected = {
        False: ["../sources/x.html", "../index.html", "themes/a.html#f", "../downloads/a.csv"],
        True: ["../../sources/x/", "../../", "themes/a/#f", "../../downloads/a.csv"],
    }[directory_urls]
    assert [
        links.href("sources/x", "themes/a"),
        links.href("index", "themes/a"),
        links.href("themes/a", "index", "f"),
        links.href("downloads/a.csv", "themes/a", file=True),
    ] == expected


def test_a_site_with_directory_urls_links_to_directories() -> None:
    corpus, settings = _corpus_and_settings()
    out = render_site(corpus, dataclasses.replace(settings, use_directory_urls=True))
    theme = next(p.body for p in out.pages if p.uri == "themes/leadership")
    assert 'href="../../sources/alpha-study/"' in theme and ".html" not in theme


@given(st.text() | st.lists(st.sampled_from(["=1", "+", "-2", "@A", ";", ",", "\t", " ", "'", '"', "x"])).map("".join))
def test_a_csv_cell_is_what_the_csv_module_writes(text: str) -> None:
    found, after = next(csv.reader([cell(text) + ",x"]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow([found, "x"])
    assert cell(text) + ',"x"\n' == out.getvalue() and after == "x"  # one cell, quoted as the csv module quotes
    folded = " ".join(text.split())
    assert found.replace("'", "") == folded.replace("'", "")  # only a ' is added, before a formula
    assert not re.search(r"(^|[;,\t]) ?[=+\-@]", found)  # and no piece a spreadsheet splits off is one


def test_settings_default_to_the_plugin_s_defaults() -> None:
    assert Settings(Path(".")).options.page_size == 200
