"""`evidence serve` writes each page when it is first asked for and the rest behind it, makes
again only what changed (builder/preview.py), and keeps work between edits (builder/memo.py).
That must never show what a cold build would not: after random sequences of edits and option
changes, the pages asked for first and the whole preview's site equal a cold build of the same
files, byte for byte; and it must stop cleanly."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import MkDocsException

from builder.site import build_site
from tests.conftest import FIXTURES, ROOT, examples, replacing, serving


@pytest.fixture(autouse=True, scope="module")
def _reproducible(tmp_path_factory: pytest.TempPathFactory):
    # The two builds compared must be dated alike (sitemap.xml.gz holds a date).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


def _option(line: str):
    def edit(root: Path) -> None:
        _options(root, line)

    edit.__name__ = f"option {line or 'none'}"
    return edit


def _options(root: Path, line: str) -> None:
    # No PDF: typesetting it is most of a small build's time.
    config = root / "mkdocs.yml"
    options = "  - evidence:\n      pdf: false\n" + (f"      {line}\n" if line else "")
    config.write_text(re.sub(r"  - evidence.*", options, config.read_text(), flags=re.S))


def _add_source(root: Path) -> None:
    text = (root / "evidence" / "gamma-blog.yaml").read_text()
    (root / "evidence" / "delta-blog.yaml").write_text(
        text.replace("gamma-blog", "delta-blog").replace("gamma2021", "cited2019")
    )


def _remove_source(root: Path) -> None:
    (root / "evidence" / "delta-blog.yaml").unlink(missing_ok=True)


EDITS = [
    replacing("evidence/alpha-study.yaml", "A study of leaders", "A study of many leaders"),
    replacing("evidence/alpha-study.yaml", "A study of many leaders", "A study of leaders"),
    replacing("evidence/alpha-study.yaml", "Leaders bring people together.", "Leaders convene."),
    replacing("evidence/gamma-blog.yaml", "Managers can lead.", "Managers lead well."),
    replacing("evidence/themes.yaml", "title: Leadership", "title: Leading"),
    replacing("evidence/themes.yaml", "title: Leading", "title: Leadership"),
    replacing("references.bib", "A blog about managers", "A blog about practice managers"),
    replacing("references.bib", "author = {Delta, Dan and others}", "author = {Echo, Dan and others}"),
    replacing("references.bib", "author = {Echo, Dan and others}", "author = {Delta, Dan and others}"),
    # A field the formatted reference leaves out, but a source page's BibTeX and RIS show.
    replacing("references.bib", "year   = {2021},", "year   = {2021},\n  note   = {Read in 2026},"),
    replacing("evidence/alpha-study.yaml", "design: qualitative case study", 'design: "broken'),
    replacing("evidence/alpha-study.yaml", 'design: "broken', "design: qualitative case study"),
    replacing("docs/about.md", "A hand-written page.", "A page written by hand."),
    _add_source,
    _remove_source,
    _option("page_size: 1"),
    _option("max_file_bytes: 500"),
    _option("max_age_years: 3"),
    _option(""),
    replacing("evidence/themes.yaml", "Leaders convene people", "Leaders gather people"),  # a key message
    replacing("evidence/themes.yaml", "Leaders gather people", "Leaders convene people"),
    replacing("evidence/briefing.yaml", "The Test Evidence Unit", "The Test Unit"),
    replacing("evidence/briefing.yaml", "The Test Unit", "The Test Evidence Unit"),
    # A source citing a key references.bib does not have: the check fails, and then passes again.
    replacing("evidence/alpha-study.yaml", "cite: alpha2020", "cite: nowhere2020"),
    replacing("evidence/alpha-study.yaml", "cite: nowhere2020", "cite: alpha2020"),
    # Whom the implications are for: the heading of that part of every source's page.
    replacing("evidence/briefing.yaml", 'version: "1.0"', 'version: "1.0"\nimplications_for: test boards'),
    replacing("evidence/briefing.yaml", "\nimplications_for: test boards", ""),
    # What the quotes and figures are checked against, and figures and citations checked in the
    # file alone: each a problem, then none again.
    replacing("source-texts/alpha-study.txt", "leaders convene people", "leaders gather people"),
    replacing("source-texts/alpha-study.txt", "leaders gather people", "leaders convene people"),
    replacing("evidence/alpha-study.yaml", "Leaders bring people together.", "Leaders bring １2 people together."),
    replacing("evidence/alpha-study.yaml", "Leaders bring １2 people together.", "Leaders bring people together."),
    replacing("evidence/alpha-study.yaml", "[@cited2019, p. 5]", "[@cited2019, 5 of 9 sites]"),
    replacing("evidence/alpha-study.yaml", "[@cited2019, 5 of 9 sites]", "[@cited2019, p. 5]"),
]
for _edit in (_add_source, _remove_source):
    _edit.__name__ = _edit.__name__.strip("_").replace("_", " ")


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@contextmanager
def _preview(root: Path, served: Path) -> Iterator[Callable[[str], str]]:
    """A preview in its own process, as `evidence serve` runs it (tests/preview_driver.py):
    each line sent ("build", "supersede N") makes a build, and its answer is returned."""
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.preview_driver", str(root), str(served)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )

    def build(line: str) -> str:
        driver.stdin.write(line + "\n")
        driver.stdin.flush()
        return driver.stdout.readline().strip()

    try:
        yield build
    finally:
        driver.stdin.close()
        driver.wait(timeout=30)


def _project(folder: Path) -> tuple[Path, Path]:
    """A copy of the mini project in `folder`, and where its preview writes."""
    root = folder / "project"
    shutil.copytree(FIXTURES / "mini", root)
    _options(root, "")
    return root, folder / "served"


# A step is an edit, then a build: whole; stopped by a newer edit at its n-th question whether
# it should (the site is then half-made, and a later build must mend it); or with pages asked for
# first, as a reader's browser asks for the page it shows (and its styles).
ASKED = "ask sources/alpha-study.html index.html themes/leadership.html about.html assets/evidence/evidence.css"
STEPS = st.tuples(
    st.sampled_from(EDITS),
    st.sampled_from(["build", "build", "supersede 1", "supersede 40", "supersede 400", "ask index.html", ASKED]),
)


@settings(max_examples=examples(0.05))  # each example is a preview and many builds: 8 in CI's profile
@given(st.lists(STEPS, min_size=2, max_size=7))
# The edited page written first, its build stopped; a reference edited (no page is then written
# first); the edit undone: the page must not stay as the stopped build's first write left it.
@example([(EDITS[0], ASKED), (EDITS[0], "supersede 1"), (EDITS[6], "supersede 40"), (EDITS[1], "build")])
@example([(EDITS[9], "build")])
@example([(EDITS[4], "supersede 40"), (EDITS[5], ASKED)])  # every page to write again, then back
@example([(EDITS[23], ASKED), (EDITS[24], ASKED)])  # a cite no reference has: the page asked for, then mended
@example([(EDITS[25], "build"), (EDITS[26], ASKED)])  # the briefing file, read by every source's page
def test_a_preview_shows_what_a_cold_build_shows(tmp_path_factory: pytest.TempPathFactory, steps: list) -> None:
    root, served = _project(tmp_path_factory.mktemp("preview"))
    said = [f"{edit.__name__}, then {how}" for edit, how in steps]
    with _preview(root, served) as build:
        for edit, how in [(None, "build"), *steps, (None, "build")]:
            if edit:
                edit(root)
            if how.startswith("supersede"):
                assert build(how) in {"ok", "superseded", "failed"}
                continue
            preview_ok = build(how) == "ok"
            try:
                cold = _tree(build_site(root / "mkdocs.yml", root.parent / "cold"))
            except MkDocsException:
                cold = None
            assert preview_ok == (cold is not None), said
            first = served.parent / f"{served.name}-first"
            if cold is not None and first.exists():  # the pages asked for, written before the rest
                assert {name: cold[name] for name in _tree(first)} == _tree(first), said
            if cold is not None:
                served_tree = _tree(served)
                assert served_tree.keys() == cold.keys(), said
                assert [name for name in cold if served_tree[name] != cold[name]] == [], said


def test_an_edit_saved_during_a_build_stops_it_before_it_writes(tmp_path: Path) -> None:
    root, served = _project(tmp_path)
    with _preview(root, served) as build:
        assert build("build") == "ok"
        before = _tree(served)
        EDITS[4](root)  # a theme's title: every page shows it
        assert build("supersede 1") == "superseded"
        assert _tree(served) == before
        assert build("build") == "ok"
        assert _tree(served) != before


# Every kind of edit, and a page that shows it: asked for first, it shows the edit, as a cold build.
SHOWN = [
    (EDITS[0], "sources/alpha-study.html", b"A study of many leaders"),  # a source
    (EDITS[19], "index.html", b"Leaders gather people"),  # a key message
    (EDITS[4], "about.html", b"Leading"),  # a theme's title: every page's navigation
    (EDITS[6], "sources/gamma-blog.html", b"A blog about practice managers"),  # a reference
    (EDITS[21], "index.html", b"The Test Unit"),  # the briefing file
    (EDITS[12], "about.html", b"A page written by hand."),  # a hand-written page
]


@pytest.mark.parametrize(("edit", "page", "shows"), SHOWN, ids=[e.__name__ for e, *_ in SHOWN])
def test_the_page_asked_for_is_written_first_and_as_a_cold_build_writes_it(
    tmp_path: Path, edit, page: str, shows: bytes
) -> None:
    root, served = _project(tmp_path)
    with _preview(root, served) as build:
        assert build("build") == "ok"
        edit(root)
        assert build(f"ask {page}") == "ok"
    first = _tree(tmp_path / "served-first")
    assert list(first) == [page]
    assert shows in first[page]
    assert first[page] == _tree(build_site(root / "mkdocs.yml", tmp_path / "cold"))[page]


def test_the_pdf_is_made_beside_the_pages_and_a_page_asked_for_before_it_says_it_is_being_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, served = _project(tmp_path)
    monkeypatch.setenv("EVIDENCE_CACHE", str(tmp_path / "cache"))  # no PDF kept: WeasyPrint makes each
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("pdf: false", "pdf: true"))
    with _preview(root, served) as build:
        assert build("build") == "ok"
        EDITS[19](root)  # a key message, which the home page, its theme's page and the PDF show
        assert build("ask index.html themes/leadership.html downloads/briefing.pdf") == "ok"
    first = _tree(tmp_path / "served-first")
    assert sorted(first) == ["downloads/briefing.pdf", "index.html", "themes/leadership.html"]
    cold = _tree(build_site(config, tmp_path / "cold"))
    # The home page did not wait for the PDF: it says it is being made, never an older one's length.
    assert re.search(rb"a PDF of \d+ pages", cold["index.html"])
    assert b"a PDF (being made" in first["index.html"] and not re.search(rb"a PDF of \d+ pages", first["index.html"])
    # The PDF waited for: the new one. Then the home page written again, and browsers told to reload.
    assert first["downloads/briefing.pdf"] == cold["downloads/briefing.pdf"]
    assert first["themes/leadership.html"] == cold["themes/leadership.html"]
    assert _tree(served) == cold
    assert (tmp_path / "served-reloads").read_text() == "reload\n"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_preview_stopped_by_a_signal_leaves_nothing_behind(tmp_path: Path, engine: str, stop: int) -> None:
    root, _ = _project(tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with serving(root, engine, TMPDIR=str(temporary)) as served:
        with urllib.request.urlopen(f"{served.url}/index.html", timeout=30) as response:
            assert b"Mini briefing" in response.read()
        assert list(temporary.iterdir()), "the preview's site is in the temporary folder while it runs"
        served.process.send_signal(stop)
        assert served.process.wait(timeout=30) == 0
    assert list(temporary.iterdir()) == []


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.mark.timeout(120)
def test_a_cite_no_reference_has_is_said_and_the_preview_recovers_when_it_is_undone(tmp_path: Path) -> None:
    root, _ = _project(tmp_path)
    source = root / "evidence" / "alpha-study.yaml"
    with serving(root) as served:
        page = f"{served.url}/sources/alpha-study.html"
        assert "A study of leaders" in _page(page)
        served.said("rebuilt in")
        source.write_text(source.read_text().replace("cite: alpha2020", "cite: nowhere2020"))
        said = served.said("cite key 'nowhere2020' is not in references.bib")
        assert "alpha-study.yaml:2:7" in said
        served.said("the preview shows the last site that was built")
        assert "A study of leaders" in _page(page)  # the last good site, served at once
        source.write_text(
            source.read_text()
            .replace("cite: nowhere2020", "cite: alpha2020")
            .replace("A study of leaders", "A study of many leaders")
        )
        served.said("rebuilt in", times=2)
        assert "A study of many leaders" in _page(page)
