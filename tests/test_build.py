"""Real builds of the mini fixture into tmp_path, by each engine, asserting on the HTML."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from mkdocs.exceptions import MkDocsException

from builder.atomic import _swap, _tidy
from builder.build import watched
from builder.cli import main
from builder.settings import Options
from builder.zensical_site import ZensicalError
from tests.conftest import ENGINES, build_with, search_index, serving, settings_of

# The engines `evidence build --engine` runs, each checking first and swapping the site in.
BUILD_ENGINES = ("mkdocs", "zensical")


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(params=ENGINES)
def built(request: pytest.FixtureRequest, mini: Path) -> Path:
    return build_with(request.param, mini)


def _failed(engine: str, root: Path, caplog: pytest.LogCaptureFixture) -> str:
    """A build of the project at `root` by `engine` that fails; what it said."""
    with pytest.raises(ZensicalError if engine == "zensical" else MkDocsException) as failed:
        build_with(engine, root)
    return caplog.text + str(failed.value)


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


def test_generated_pages_have_the_theme_s_table_of_contents_and_permalinks(built: Path) -> None:
    source = (built / "sources" / "alpha-study.html").read_text()
    assert '<a href="#findings" class="md-nav__link">' in source  # Material's table of contents
    assert '<h2 id="findings">Findings<a class="headerlink" href="#findings"' in source


def test_home_counts_sources_findings_and_themes(built: Path) -> None:
    assert "2 sources and 6 findings on 2 themes" in (built / "index.html").read_text()


def test_source_pages_are_searchable_but_not_in_the_navigation(built: Path) -> None:
    about = (built / "about.html").read_text()
    assert "alpha-study.html" not in about  # the nav on every page lists no source page
    assert re.search(r'href="(\./)?themes/leadership\.html"', about)  # Zensical writes "./"
    documents, postings = search_index(built)
    urls = [url for url, *_ in documents]
    assert "sources/alpha-study.html" in urls and "about.html" in urls
    assert urls.index("sources/alpha-study.html") in postings["convene"][::2]


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_failed_build_leaves_previous_site_untouched(mini: Path, engine: str, caplog: pytest.LogCaptureFixture) -> None:
    built = build_with(engine, mini)
    before = _snapshot(built)
    valid = (mini / "evidence" / "gamma-blog.yaml").read_text()
    (mini / "evidence" / "broken.yaml").write_text(
        valid.replace("id: gamma-blog\ncite: gamma2021", "id: broken\ncite: nowhere")
    )
    said = _failed(engine, mini, caplog)
    assert "evidence/broken.yaml:2:7: error: cite: cite key 'nowhere' is not in references.bib" in said
    assert _snapshot(built) == before
    assert [p.name for p in mini.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_warning_fails_strict_build_and_keeps_site(mini: Path, engine: str, caplog: pytest.LogCaptureFixture) -> None:
    built = build_with(engine, mini)
    before = _snapshot(built)
    with (mini / "references.bib").open("a") as bib:
        bib.write("\n@misc{unused2000, title = {Nobody cites me}, year = {2000}}\n")
    assert "unused2000" in _failed(engine, mini, caplog)
    assert _snapshot(built) == before


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_hand_written_page_with_a_generated_path_is_an_error(
    mini: Path, engine: str, caplog: pytest.LogCaptureFixture
) -> None:
    (mini / "docs" / "references.md").write_text("# Mine\n")
    said = _failed(engine, mini, caplog)
    assert "docs/references.md:1:1: error: this hand-written page has the path of a generated page" in said


@pytest.mark.parametrize("engine", BUILD_ENGINES)
@pytest.mark.parametrize("where", ["docs/secret.md", "CONTRIBUTING.md"])
def test_links_in_published_pages_are_refused(
    mini: Path, engine: str, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = mini.parent / "secret.txt"
    secret.write_text("root:x:0:0:secret")
    (mini / where).symlink_to(secret)
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - evidence\n", "  - evidence:\n      extra_pages:\n        contributing.md: CONTRIBUTING.md\n"
        )
    )
    said = _failed(engine, mini, caplog)
    assert "symbolic link" in said and "root:x" not in said
    assert not (mini / "site").exists()


def test_a_crash_between_the_renames_is_repaired_by_the_next_build(tmp_path: Path) -> None:
    old = tmp_path / ".site-old-999999999-x"  # a process id that cannot be running
    old.mkdir()
    (old / "index.html").write_text("the old site")
    (tmp_path / ".site-building-999999999-y").mkdir()
    _tidy(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "the old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leftovers_of_a_running_build_are_kept(tmp_path: Path) -> None:
    running = tmp_path / f".site-building-{os.getpid()}-z"
    running.mkdir()
    _tidy(tmp_path / "site")
    assert running.exists()


def test_the_swap_leaves_the_new_site_and_no_old_one(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a").write_text("old")
    new = tmp_path / ".site-building-1-x"
    new.mkdir()
    (new / "a").write_text("new")
    _swap(new, tmp_path / "site")
    assert (tmp_path / "site" / "a").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_a_site_that_cannot_be_written_is_one_clear_line(
    mini: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini / "blocked").write_text("a file where a folder must go")
    assert main(["--root", str(mini), "build", "--engine", engine, "--site-dir", str(mini / "blocked" / "site")]) == 1
    err = capsys.readouterr().err
    assert "build failed" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_a_build_prints_a_few_lines(mini: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "build", "--engine", engine]) == 0
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).strip().splitlines()
    assert len(lines) <= 3, lines
    assert lines[0].startswith("built 2 sources, 6 findings and 2 themes into")


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_serve_rebuilds_when_an_evidence_file_changes(mini: Path, engine: str) -> None:
    with serving(mini, engine) as served:
        url = f"{served.url}/themes/leadership.html"
        assert "Leaders bring people together." in _fetch(url)
        served.said("rebuilt in")  # the whole site: an edit saved before would stop its writing
        path = mini / "evidence" / "alpha-study.yaml"
        path.write_text(path.read_text().replace("Leaders bring people together.", "Leaders convene the system."))
        served.said("rebuilt in", times=2)
        assert "Leaders convene the system." in _fetch(url)


@pytest.mark.parametrize("how", ["announced", "--poll"])
def test_serve_sees_a_file_saved_by_renaming_a_new_one_over_it(mini: Path, how: str) -> None:
    # As editors save safely: a new file written beside it, then renamed over it. Twice: a watch
    # of the first file itself would have gone with it.
    with serving(mini, "mkdocs", *([how] if how.startswith("--") else [])) as served:
        served.said("rebuilt in")
        bib, beside, was = mini / "references.bib", mini / ".references.bib.swp", "A blog about managers"
        for builds, title in enumerate(["A blog about practice managers", "A blog about their managers"], start=2):
            beside.write_text(bib.read_text().replace(was, title))
            beside.replace(bib)
            was = title
            served.said("rebuilt in", times=builds)
            assert title in _fetch(f"{served.url}/sources/gamma-blog.html")


@pytest.mark.parametrize("engine", BUILD_ENGINES)
def test_serve_answers_only_requests_addressed_to_it(mini: Path, engine: str) -> None:
    with serving(mini, engine) as served:
        assert "Evidence" in _fetch(f"{served.url}/index.html")
        rebound = urllib.request.Request(f"{served.url}/index.html", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(rebound, timeout=30)
        assert refused.value.code == 403
        with pytest.raises(urllib.error.HTTPError) as nul:
            urllib.request.urlopen(f"{served.url}/index%00.html", timeout=30)
        assert nul.value.code == 400


def test_a_preview_watches_every_file_the_check_reads_wherever_the_project_puts_it(mini: Path) -> None:
    # The editors' files and a citation style, moved out of evidence/ (which is watched whole).
    moved = {"themes_file": "themes.yaml", "briefing_file": "editors/briefing.yaml"}
    moved |= {"text_reviews": "editors/text-reviews.yaml", "appraisals": "editors/appraisals.yaml"}
    (mini / "editors").mkdir()
    for option, path in moved.items():
        was = getattr(Options(), option)
        (mini / was).rename(mini / path)
    (mini / "style.csl").write_text("<style/>")
    config = mini / "mkdocs.yml"
    options = "".join(f"      {option}: {path}\n" for option, path in {**moved, "csl_style": "style.csl"}.items())
    config.write_text(config.read_text().replace("  - evidence", "  - evidence:\n" + options.rstrip("\n"), 1))
    found = {path.relative_to(mini).as_posix() for path, _ in watched(settings_of(mini))}
    assert set(moved.values()) | {"style.csl", "evidence", "references.bib", "source-texts"} <= found


@pytest.mark.timeout(90)
def test_a_preview_whose_mkdocs_yml_cannot_be_read_still_serves_the_last_site(mini: Path) -> None:
    with serving(mini) as served:
        served.said("rebuilt in")
        config = mini / "mkdocs.yml"
        good = config.read_text()
        config.write_text(good + "theme: [unclosed\n")
        served.said("the preview shows the last site that was built")
        assert "A hand-written page." in _fetch(f"{served.url}/about.html")  # at once: no request waits
        config.write_text(good)
        served.said("rebuilt in", times=2)


@pytest.mark.timeout(90)
def test_a_preview_sees_a_folder_of_pages_moved_out(mini: Path, tmp_path: Path) -> None:
    (mini / "docs" / "more").mkdir()
    (mini / "docs" / "more" / "page.md").write_text("# More\n\nAnother page.\n")
    with serving(mini) as served:
        served.said("rebuilt in")
        assert "Another page." in _fetch(f"{served.url}/more/page.html")
        (mini / "docs" / "more").rename(tmp_path / "moved-out")
        served.said("rebuilt in", times=2)
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(f"{served.url}/more/page.html", timeout=30)
        assert gone.value.code == 404
