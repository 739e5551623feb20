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
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


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


def _normalise(text: str) -> str:
    """Quote marks and apostrophes may be normalised in a verbatim quote; white space folded."""
    text = re.sub(r"[´‘’`]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return " ".join(text.split())


def _source_text(source_id: str) -> str:
    path = SOURCES / SHIPPED[source_id]
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("source_id", sorted(SHIPPED))
def test_quotes_are_verbatim(source_id: str) -> None:
    text = _normalise(_source_text(source_id))
    source = check_root(ROOT).corpus.by_id[source_id].source
    quotes = [f.quote for f in source.findings if f.quote]
    assert quotes, "most findings should carry a quote"
    for quote in quotes:
        assert _normalise(quote.text) in text, quote.text


@pytest.mark.parametrize("source_id", sorted(SHIPPED))
def test_every_number_appears_in_its_source(source_id: str) -> None:
    text = _source_text(source_id)
    numbers = re.findall(r"\d[\d\s,]*\d|\d", text)  # "1 662 000" uses a four-per-em space
    in_source = {re.sub(r"[\s,]", "", n) for n in numbers}
    in_source |= {str(i) for i, word in enumerate(NUMBER_WORDS) if re.search(rf"\b{word}\b", text, re.I)}
    raw = (ROOT / "evidence" / f"{source_id}.yaml").read_text(encoding="utf-8")
    # Dates of our own editing and locators ("para 4") are not facts from the source.
    skip = re.compile(r"\s*(#|added:|reviewed:|locator:)")
    body = "\n".join(line for line in raw.splitlines() if not skip.match(line))
    for number in re.findall(r"(?<![\w-])\d[\d,]*(?![\w-])", body):
        assert number.replace(",", "") in in_source, number
