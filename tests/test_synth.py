"""What follows from the data: what a finding comes from, backing, gaps; and the downloads read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import citeproc
import pytest

from builder.bib import Reference
from builder.corpus import Corpus
from builder.model import Finding, KeyMessage, Read, StrengthRating
from builder.render import render_site
from builder.render.csl import format_with_csl
from builder.render.pages import what_it_is
from builder.render.reference import format_reference
from builder.site import build_site
from builder.synth import TYPE_ORDER, TYPE_SINGULAR, backing, gaps
from tests.conftest import FIXTURES, check_root, settings_of


@pytest.fixture
def corpus() -> Corpus:
    result = check_root(FIXTURES / "mini")
    assert result.ok
    return result.corpus


def _source(corpus: Corpus, source_id: str):
    return corpus.by_id[source_id].source


@pytest.mark.parametrize("source_type", TYPE_ORDER)
def test_no_finding_is_graded_by_the_kind_of_its_source(corpus: Corpus, source_type: str) -> None:
    # A rule may prompt an editor, never speak for one: the kind of source is said as what it is.
    source = _source(corpus, "gamma-blog").model_copy(update={"type": source_type})
    said = what_it_is(source, source.findings[1])
    assert said == TYPE_SINGULAR[source_type].capitalize()
    assert not any(level in said for level in ("high", "moderate", "low", "Strength"))


@pytest.mark.parametrize(
    ("read", "said"),
    [
        (None, "Study"),
        (Read(kind="full-text"), "Study"),
        (Read(kind="abstract"), "Study, read only as its abstract"),
        (Read(kind="summary", title="In brief", by="Test Digest"), "Study, read only through the Test Digest summary"),
        (Read(kind="summary", title="In brief"), "Study, read only through a summary"),
    ],
)
def test_a_finding_says_when_its_source_was_read_only_in_part(corpus: Corpus, read: Read | None, said: str) -> None:
    source = _source(corpus, "alpha-study").model_copy(update={"read": read})
    assert what_it_is(source, source.findings[0]) == said


def test_a_strength_is_shown_only_as_an_editor_rated_it_with_the_reason(corpus: Corpus) -> None:
    source = _source(corpus, "gamma-blog")
    rated = "Blog post; strength, as an editor rated it: moderate (The author reports a survey)"
    assert what_it_is(source, source.findings[0]) == rated
    weaker = Finding(
        id="x", theme="leadership", statement="S.", strength=StrengthRating(level="very-low", reason="<b>")
    )
    assert what_it_is(source, weaker) == "Blog post; strength, as an editor rated it: very low (&lt;b&gt;)"


def test_backing_names_each_source_once(corpus: Corpus) -> None:
    back = backing(corpus, corpus.themes[1].key_messages[0])
    assert [(s.id, s.type) for s in back.sources] == [("alpha-study", "study"), ("gamma-blog", "blog")]
    twice = KeyMessage(
        id="m", statement="S.", supported_by=["alpha-study/leaders-convene", "alpha-study/managers-matter"]
    )
    assert [s.id for s in backing(corpus, twice).sources] == ["alpha-study"]


def test_gaps_are_derived(corpus: Corpus) -> None:
    assert corpus.latest_date == dt.date(2026, 2, 1)  # the latest added/reviewed date, not the clock
    assert gaps(corpus, "leadership") == []
    assert gaps(replace(corpus, entries=(corpus.by_id["alpha-study"],)), "leadership") == ["Only one source."]
    assert gaps(corpus, "practice-managers") == []
    assert gaps(corpus, "practice-managers", max_age_years=4) == [
        "All sources are more than 4 years old (the newest is from 2021)."
    ]
    assert gaps(corpus, "no-such-theme") == ["No evidence at all on this theme yet."]


def test_opinion_only_theme_is_a_gap(corpus: Corpus) -> None:
    entries = tuple(e for e in corpus.entries if e.source.id == "gamma-blog")
    blog_only = replace(corpus, entries=entries)
    assert "No empirical study, review or report: only opinion and news." in gaps(blog_only, "practice-managers")


def _download(corpus: Corpus, path: str) -> str:
    return next(d.content for d in render_site(corpus, settings_of(FIXTURES / "mini")).files if d.path == path)


def test_findings_csv_reads_back_as_the_corpus(corpus: Corpus) -> None:
    rows = list(csv.DictReader(io.StringIO(_download(corpus, "downloads/findings.csv"))))
    expected = [(s.id, f.id, f.theme, f.statement) for s in corpus.sources for f in s.findings]
    assert [(r["source_id"], r["finding_id"], r["theme"], r["statement"]) for r in rows] == expected
    assert rows[0]["citation"] == "Alpha and Beta, 2020" and rows[0]["quote"] == "leaders convene"
    # A quote's locator counts in what was read, which the row says.
    assert rows[0]["locator"] == "p. 3"
    assert rows[0]["what_was_read"].startswith(
        "A summary of the study by Test Digest: “Commissioning in Étude, in brief”"
    )
    assert rows[0]["quote_checked"] == "checked against the text supplied with the contribution"
    rated = {
        (r["finding_id"], r["strength_rated_by_editor"], r["strength_reason"])
        for r in rows
        if r["strength_rated_by_editor"]
    }
    assert rated == {("managers-lead", "moderate", "The author reports a survey.")}


def test_evidence_json_reads_back_as_the_corpus(corpus: Corpus) -> None:
    data = json.loads(_download(corpus, "downloads/evidence.json"))
    assert data["schema_version"] == 1
    assert [s["id"] for s in data["sources"]] == [s.id for s in corpus.sources]
    assert data["sources"][0]["findings"][0]["quote"] == {"text": "leaders convene", "locator": "p. 3"}
    assert data["sources"][0]["added"] == "2026-01-02"
    assert data["references"]["alpha2020"]["title"] == "Commissioning in Étude"


def test_reference_with_missing_fields_never_shows_none() -> None:
    bare = Reference("k", "article", 1, {"title": "Only a title"})
    text = str(format_reference(bare))
    assert text == "<em>Only a title</em> (n.d.)."
    assert "None" not in text and "()" not in text
    empty = Reference("k", "misc", 1, {})
    assert str(format_reference(empty)) == "<em>k</em> (n.d.)."


CTR_STYLE = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"


def test_csl_style_formats_references_without_none_and_escaped(corpus: Corpus) -> None:
    refs = {**corpus.references, "bare": Reference("bare", "misc", 1, {"title": "Only <b>a</b> title"})}
    out = format_with_csl(refs, CTR_STYLE)
    assert out["alpha2020"].startswith("Alpha, A. and Beta, B. (2020)")
    assert "Only &lt;b&gt;a&lt;/b&gt; title" in out["bare"] and "no date" in out["bare"]
    assert not [key for key, text in out.items() if "None" in text]


def test_plugin_option_switches_the_site_to_a_csl_style(mini: Path) -> None:
    config = (
        (mini / "mkdocs.yml").read_text().replace("  - evidence\n", f"  - evidence:\n      csl_style: {CTR_STYLE}\n")
    )
    (mini / "mkdocs.yml").write_text(config)
    site = build_site(mini / "mkdocs.yml")
    assert "Alpha, A. and Beta, B. (2020) “Commissioning in Étude”" in (site / "references.html").read_text()
