"""The shipped evidence base, checked as a contributor's pull request would be."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.pipeline import Project, check
from builder.site import build_site
from tests.conftest import ROOT

SOURCES = ROOT.parent / "shared" / "sources"
# Which text in ../shared/sources each shipped evidence file summarises.
SOURCE_TEXTS = {
    "checkland-2012-animateurs": "000_d1f6d275b18cc971.txt",
    "zachariadis-2013-ccg-networks": "001_2a6750e8cc391b35.txt",
    "colin-thome-2011-fresh-approach": "002_48a7e01358da509e.txt",
    "thornley-2010-key-players": "003_5894d6a83e9ace5f.txt",
    "pulse-gp-commissioners-set-up-to-fail": "004_b6d16cc4cb1d459e.txt",
}
RESULT = check(Project(ROOT))
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _normalise(text: str) -> str:
    """Quote marks and apostrophes may be normalised in a verbatim quote; white space folded."""
    text = re.sub(r"[´‘’`]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return " ".join(text.split())


def _source_text(source_id: str) -> str:
    path = SOURCES / SOURCE_TEXTS[source_id]
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    return path.read_text(encoding="utf-8")


def test_shipped_evidence_passes_the_check_with_no_warnings() -> None:
    assert [p.text() for p in RESULT.problems] == []
    assert RESULT.ok


def test_every_source_text_is_written_up() -> None:
    assert sorted(e.card.id for e in RESULT.corpus.entries) == sorted(SOURCE_TEXTS)


@pytest.mark.parametrize("theme", ["leadership", "practice-managers", "training-gaps"])
def test_requested_themes_have_findings_from_two_sources(theme: str) -> None:
    sources = {s.id for s, _ in RESULT.corpus.findings_on(theme)}
    assert len(sources) >= 2, sources


@pytest.mark.parametrize("source_id", sorted(SOURCE_TEXTS))
def test_quotes_are_verbatim_and_short(source_id: str) -> None:
    text = _normalise(_source_text(source_id))
    source = next(e.source for e in RESULT.corpus.entries if e.card.id == source_id)
    quotes = [f.quote for f in source.findings if f.quote]
    assert quotes, "most findings should carry a quote"
    for quote in quotes:
        assert _normalise(quote.text) in text, quote.text
        assert len(quote.text.split()) <= 30


@pytest.mark.parametrize("source_id", sorted(SOURCE_TEXTS))
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


@pytest.mark.parametrize("source_id", sorted(SOURCE_TEXTS))
def test_summaries_are_80_to_200_words_with_three_findings(source_id: str) -> None:
    source = next(e.source for e in RESULT.corpus.entries if e.card.id == source_id)
    assert 80 <= len(source.summary.split()) <= 200
    assert len(source.findings) >= 3


def test_shipped_site_builds_strict(tmp_path: Path) -> None:
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert (site / "themes" / "practice-managers.html").exists()
    assert (site / "sources" / "zachariadis-2013-ccg-networks.html").exists()
    zachariadis = (site / "sources" / "zachariadis-2013-ccg-networks.html").read_text()
    assert zachariadis.count('href="../references.html#ref-') == 25  # its 25 listed references
