"""The shipped evidence base, checked as a contributor's pull request would be: as shipped,
and with a new source added (so that these tests go on holding when contributors add to it)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from builder.site import build_site
from tests.conftest import FIXTURES, ROOT, check_root

SOURCES = ROOT.parent / "shared" / "sources"
# The five sources the base shipped with, and the text in ../shared/sources each summarises.
SHIPPED = {
    "checkland-2012-animateurs": "000_d1f6d275b18cc971.txt",
    "zachariadis-2013-ccg-networks": "001_2a6750e8cc391b35.txt",
    "colin-thome-2011-fresh-approach": "002_48a7e01358da509e.txt",
    "thornley-2010-key-players": "003_5894d6a83e9ace5f.txt",
    "pulse-gp-commissioners-set-up-to-fail": "004_b6d16cc4cb1d459e.txt",
}
PROJECT_FILES = ("mkdocs.yml", "references.bib", "CONTRIBUTING.md", "evidence", "docs", "overrides", "builder")


def with_new_source(dest: Path) -> Path:
    """A copy of the shipped project with the contributor's source in tests/fixtures/new-source added."""
    for name in PROJECT_FILES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, dest / name)
    new = FIXTURES / "new-source"
    for path in new.glob("*.yaml"):
        shutil.copy(path, dest / "evidence" / path.name)
    with (dest / "references.bib").open("a", encoding="utf-8") as bib:
        for path in new.glob("*.bib"):
            bib.write("\n" + path.read_text(encoding="utf-8"))
    return dest


@pytest.fixture(scope="module", params=["as shipped", "with a new source"])
def base(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ROOT if request.param == "as shipped" else with_new_source(tmp_path_factory.mktemp("base"))


def test_the_base_passes_the_check(base: Path) -> None:
    result = check_root(base)
    assert [p.text() for p in result.problems if p.fails] == []
    assert result.ok


def test_the_shipped_sources_are_all_there(base: Path) -> None:
    ids = {s.id for s in check_root(base).corpus.sources}
    assert set(SHIPPED) <= ids


@pytest.mark.parametrize("theme", ["leadership", "practice-managers", "training-gaps"])
def test_requested_themes_have_findings_from_two_sources(base: Path, theme: str) -> None:
    sources = {s.id for s, _ in check_root(base).corpus.findings_on(theme)}
    assert len(sources) >= 2, sources


def test_the_site_builds_strict(base: Path, tmp_path: Path) -> None:
    site = build_site(base / "mkdocs.yml", tmp_path / "site")
    assert (site / "themes" / "practice-managers.html").exists()
    for source in check_root(base).corpus.sources:
        assert (site / "sources" / f"{source.id}.html").exists()
    zachariadis = (site / "sources" / "zachariadis-2013-ccg-networks.html").read_text()
    assert zachariadis.count('href="../references.html#ref-') == 25  # its 25 listed references


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stored texts of the shipped sources, as CI has them (../shared/sources)."""
    if not (SOURCES / SHIPPED["checkland-2012-animateurs"]).exists():
        pytest.skip(f"{SOURCES} is not beside this checkout")
    monkeypatch.setenv("EVIDENCE_SOURCE_TEXTS", str(SOURCES))
    return SOURCES


def test_every_quote_and_figure_of_the_shipped_sources_is_in_its_text(texts: Path) -> None:
    result = check_root(ROOT)
    assert [p.text() for p in result.problems] == []  # no error, and no note that one is unverified
    assert set(SHIPPED) <= set(result.corpus.checked)
    assert {e.source.id: e.source.source_text for e in result.corpus.entries if e.source.id in SHIPPED} == SHIPPED


def _quotes() -> list[tuple[str, str]]:
    found = []
    for source_id in sorted(SHIPPED):
        text = (ROOT / "evidence" / f"{source_id}.yaml").read_text(encoding="utf-8")
        found += [(source_id, quote) for quote in re.findall(r"^\s+text: (.+)$", text, flags=re.MULTILINE)]
    return found


@pytest.mark.parametrize(("source_id", "quote"), _quotes(), ids=[f"{s}:{q[:20]}" for s, q in _quotes()])
def test_a_word_changed_in_any_quote_is_an_error_at_the_quote(
    texts: Path, tmp_path: Path, source_id: str, quote: str
) -> None:
    base = with_new_source(tmp_path)
    path = base / "evidence" / f"{source_id}.yaml"
    words = quote.split()
    changed = " ".join([*words[:-1], "zebra"]) if len(words) > 1 else "zebra"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.endswith(f"text: {quote}"))
    lines[number - 1] = lines[number - 1].replace(quote, changed)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = [p for p in check_root(base).problems if p.fails]
    assert (problem.file, problem.line) == (f"evidence/{source_id}.yaml", number)
    assert problem.col == lines[number - 1].index(changed) + 1
    assert '"zebra"' in problem.message and "closest passage" in problem.hint


def _sample_figures() -> list[tuple[str, int]]:
    found = []
    for source_id in sorted(SHIPPED):
        lines = (ROOT / "evidence" / f"{source_id}.yaml").read_text(encoding="utf-8").splitlines()
        # Figures of two digits or more: a figure of one digit, changed, is most often another
        # small number the text has somewhere (an issue number, a count), which the check cannot
        # tell apart (README: known limits).
        found += [(source_id, n) for n, line in enumerate(lines, 1) if re.match(r"^  [a-z_]+: \d\d+$", line)]
    return found


@pytest.mark.parametrize(("source_id", "number"), _sample_figures())
def test_a_digit_changed_in_a_sample_figure_is_an_error_at_the_figure(
    texts: Path, tmp_path: Path, source_id: str, number: int
) -> None:
    base = with_new_source(tmp_path)
    path = base / "evidence" / f"{source_id}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    figure = lines[number - 1].split(": ")[1]
    wrong = figure[:-1] + str((int(figure[-1]) + 7) % 10)
    lines[number - 1] = lines[number - 1].replace(figure, wrong)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = [p for p in check_root(base).problems if p.fails]
    where = (f"evidence/{source_id}.yaml", number, len(lines[number - 1]) - len(wrong) + 1)
    assert (problem.file, problem.line, problem.col) == where
    assert f"the figure {wrong} is not in the stored text" in problem.message


def test_without_the_texts_the_sources_are_unverified_and_the_site_still_builds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EVIDENCE_SOURCE_TEXTS", raising=False)
    result = check_root(ROOT)
    notes = [p for p in result.problems if p.severity == "note"]
    assert result.ok and {p.file for p in notes} >= {f"evidence/{s}.yaml" for s in SHIPPED}
    assert all("unverified" in p.message for p in notes)
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    page = (site / "sources" / "checkland-2012-animateurs.html").read_text()
    assert "not checked against a stored text" in page and "✓" not in page
