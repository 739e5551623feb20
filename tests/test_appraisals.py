"""Editors' judgements (appraisals, strength ratings) live in the editors' file, bound to what they judged."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.appraisals import appraised_as, judged, rated_as
from builder.assessments import assessed_as, bound
from builder.bib import Reference
from builder.cli import main
from builder.corpus import Entry
from builder.model import AppraisalsFile, Sample, Source
from builder.render.pages import appraisal_said
from builder.render.provenance import rating_said
from builder.validate import validate
from builder.yamlfile import YamlDoc, parse_yaml
from tests.conftest import FIXTURES, check_root, examples

MINI = FIXTURES / "mini"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_recorded_judgements_are_shown_as_current(mini: Path) -> None:
    corpus = check_root(mini).corpus
    assert corpus is not None
    alpha, gamma = corpus.by_id["alpha-study"].source, corpus.by_id["gamma-blog"].source
    assert alpha.appraisal is not None and alpha.earlier_appraisal is None
    assert appraisal_said(alpha).startswith("Minor concerns")
    rated = next(f for f in gamma.findings if f.id == "managers-lead")
    assert rating_said(rated) == "strength, as an editor rated it: moderate (The author reports a survey)"


def test_a_changed_source_shows_its_appraisal_as_of_an_earlier_version(mini: Path) -> None:
    _edit(mini / "evidence" / "alpha-study.yaml", "design: qualitative case study", "design: a survey")
    result = check_root(mini)
    assert result.ok
    source = result.corpus.by_id["alpha-study"].source
    assert source.appraisal is None and source.earlier_appraisal is not None
    said = appraisal_said(source)
    assert said.startswith("Not appraised as it now stands. An editor's judgement made on an earlier version")
    notes = [p for p in result.problems if p.file == "evidence/appraisals.yaml"]
    assert [(p.severity, p.key_path) for p in notes] == [("note", "appraisals[0].about")]
    assert "made on an earlier version" in notes[0].message and "evidence appraise alpha-study" in notes[0].hint


def test_a_changed_finding_shows_its_rating_as_of_an_earlier_version_and_rates_nothing(mini: Path) -> None:
    _edit(mini / "evidence" / "gamma-blog.yaml", "statement: Managers can lead.", "statement: Managers always lead.")
    result = check_root(mini)
    finding = next(f for f in result.corpus.by_id["gamma-blog"].source.findings if f.id == "managers-lead")
    assert finding.strength is None and finding.earlier_strength is not None
    assert rating_said(finding).startswith("not rated as it now stands (an editor rated an earlier version")
    # Nor is it a rating anywhere else: not in the downloads' column.
    assert main(["--root", str(mini), "build"]) == 0
    rows = list(csv.DictReader(io.StringIO((mini / "site" / "downloads" / "findings.csv").read_text())))
    row = next(r for r in rows if r["finding_id"] == "managers-lead")
    assert row["strength_rated_by_editor"] == "" and row["strength_reason"] == ""
    page = (mini / "site" / "sources" / "gamma-blog.html").read_text()
    assert "not rated as it now stands" in page.lower()


def test_a_judgement_written_in_a_source_file_is_refused(mini: Path) -> None:
    path = mini / "evidence" / "gamma-blog.yaml"
    path.write_text(
        path.read_text() + "appraisal:\n  tool: X\n  concerns: minor\n  reason: Y.\n  appraised_by: Z\n"
        "  appraised: 2026-01-01\n"
    )
    problems = [p for p in check_root(mini).problems if p.fails]
    assert len(problems) == 1
    assert (
        problems[0].key_path == "appraisal" and "editors record it in evidence/appraisals.yaml" in problems[0].message
    )


def test_appraise_binds_a_judgement_to_what_it_now_judges(mini: Path) -> None:
    _edit(mini / "evidence" / "alpha-study.yaml", "design: qualitative case study", "design: a survey")
    before = (mini / "evidence" / "appraisals.yaml").read_text()
    assert main(["--root", str(mini), "appraise", "alpha-study"]) == 0
    after = (mini / "evidence" / "appraisals.yaml").read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].strip().startswith("about: ")
    result = check_root(mini)
    assert result.corpus.by_id["alpha-study"].source.appraisal is not None
    assert not [p for p in result.problems if p.file == "evidence/appraisals.yaml"]
    assert main(["--root", str(mini), "appraise", "gamma-blog"]) == 1  # none recorded: nothing to bind


# ---- Properties: a judgement whose judged text changed never shows as current.

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


@cache
def _mini() -> tuple[YamlDoc, AppraisalsFile, tuple[Entry, ...]]:
    """The fixture's record of judgements, and its sources without them (read once, when first asked)."""
    doc = parse_yaml((MINI / "evidence" / "appraisals.yaml").read_text(), "evidence/appraisals.yaml")[0]
    entries = check_root(MINI).corpus.entries
    return doc, validate(doc, AppraisalsFile)[0], entries


@cache
def _references() -> dict[str, Reference]:
    return check_root(MINI).corpus.references


def _judged(changed: Entry, references: dict | None = None) -> tuple[list[Entry], list]:
    doc, recorded, entries = _mini()
    entries = [changed if e.source.id == changed.source.id else e for e in entries]
    return judged(entries, recorded, doc, set(), references or _references())


def _with_field(reference: Reference, name: str, value: str) -> Reference:
    return replace(reference, fields={**reference.fields, name: value})


@settings(max_examples=examples(1))
@given(st.sampled_from(["cite", "design", "setting", "type", "source_text", "bib-title", "bib-journal"]), _TEXT)
def test_an_appraisal_of_a_changed_source_is_never_current(field: str, value: str) -> None:
    alpha = next(e for e in _mini()[2] if e.source.id == "alpha-study")
    references = dict(_references())
    if field.startswith("bib-"):  # its BibTeX entry: another title, another journal
        changed = alpha.source
        references[changed.cite] = _with_field(references[changed.cite], field[4:], value)
    else:
        value = {"type": value[:1] and "commentary", "source_text": "other.txt"}.get(field, value)
        changed = alpha.source.model_copy(update={field: value})
    out, problems = _judged(Entry(changed, alpha.doc), references)
    source = next(e.source for e in out if e.source.id == "alpha-study")
    was = appraised_as(alpha.source, _references().get(alpha.source.cite))
    same = appraised_as(changed, references.get(changed.cite)) == was
    assert (source.appraisal is not None) == same
    assert (source.earlier_appraisal is not None) == (not same)
    assert any("earlier version" in p.message for p in problems) == (not same)


@settings(max_examples=examples(1))
@given(st.sampled_from(["statement", "theme", "type", "bib-title"]), _TEXT)
def test_a_rating_of_a_changed_finding_or_source_is_never_current(field: str, value: str) -> None:
    gamma = next(e for e in _mini()[2] if e.source.id == "gamma-blog")
    references, source = dict(_references()), gamma.source
    if field == "bib-title":
        references[source.cite] = _with_field(references[source.cite], "title", value)
    elif field == "type":
        source = source.model_copy(update={"type": "study"})
    else:
        update = {field: value if field == "statement" else "leadership"}
        findings = [f.model_copy(update=update) if f.id == "managers-lead" else f for f in source.findings]
        source = source.model_copy(update={"findings": findings})
    out, _ = _judged(Entry(source, gamma.doc), references)
    finding = next(f for e in out if e.source.id == "gamma-blog" for f in e.source.findings if f.id == "managers-lead")
    original = next(f for f in gamma.source.findings if f.id == "managers-lead")
    was = rated_as(original, gamma.source, _references().get(source.cite))
    now = rated_as(finding, source, references.get(source.cite))
    assert (finding.strength is not None) == (now == was)
    assert (finding.earlier_strength is not None) == (now != was)


@settings(max_examples=examples(1))
@given(st.sampled_from(["statement", "quote", "theme", "type", "read", "bib-year"]), _TEXT)
def test_a_confidence_whose_findings_changed_is_never_current(field: str, value: str) -> None:
    """A contributor rewrites a finding a judged key message lists, in its source's own file."""
    corpus = check_root(MINI).corpus
    message = corpus.themes[1].key_messages[0]
    assert message.confidence is not None  # the fixture's judged message, bound
    source, finding = corpus.finding(message.supported_by[0])
    references = dict(corpus.references)
    if field == "bib-year":
        references[source.cite] = _with_field(references[source.cite], "year", value)
    elif field in ("type", "read"):
        update = {"type": "commentary"} if field == "type" else {"read": None}
        source = source.model_copy(update=update)
    else:
        new = {"statement": value, "quote": None, "theme": "leadership"}[field]
        findings = [f.model_copy(update={field: new}) if f.id == finding.id else f for f in source.findings]
        source = source.model_copy(update={"findings": findings})
    entries = tuple(Entry(source, e.doc) if e.source.id == source.id else e for e in corpus.entries)
    changed = replace(corpus, entries=entries, references=references)
    out, notes = bound(changed, None, set())
    now = out.themes[1].key_messages[0]
    same = assessed_as(changed, message) == message.confidence.about
    assert (now.confidence is not None) == same and (now.earlier_confidence is not None) == (not same)
    assert check_root(MINI).corpus.themes[1].key_messages[0].confidence is not None


def test_a_rewritten_finding_shows_the_confidence_as_judged_on_an_earlier_version(mini: Path) -> None:
    _edit(mini / "evidence" / "alpha-study.yaml", "statement: Practice managers matter.", "statement: They rule.")
    result = check_root(mini)
    assert result.ok
    notes = [p for p in result.problems if p.file == "evidence/themes.yaml"]
    assert [p.key_path for p in notes] == ["themes[1].key_messages[0].confidence.about"]
    assert "evidence appraise --message practice-managers/managers-count" in notes[0].hint
    assert main(["--root", str(mini), "build"]) == 0
    page = (mini / "site" / "themes" / "practice-managers.html").read_text()
    assert (
        "Confidence not assessed as it now stands</span> (an editor judged an earlier version: low confidence" in page
    )
    assert "Low confidence</span>" not in page
    assert '"overall_confidence":"not assessed"' in (mini / "site" / "downloads" / "evidence.json").read_text()
    assert main(["--root", str(mini), "appraise", "--message", "practice-managers/managers-count"]) == 0
    result = check_root(mini)
    assert result.corpus.themes[1].key_messages[0].confidence is not None
    assert not [p for p in result.problems if p.file == "evidence/themes.yaml"]


def test_a_confidence_without_about_is_not_current_and_appraise_adds_it(mini: Path) -> None:
    themes = mini / "evidence" / "themes.yaml"
    before = themes.read_text()
    themes.write_text("\n".join(line for line in before.split("\n") if "about:" not in line))
    result = check_root(mini)
    assert result.corpus.themes[1].key_messages[0].confidence is None
    notes = [p for p in result.problems if p.file == "evidence/themes.yaml"]
    assert [p.key_path for p in notes] == ["themes[1].key_messages[0].confidence.assessed_by"]
    assert main(["--root", str(mini), "appraise", "--message", "managers-count"]) == 0
    assert themes.read_text() == before  # the line it lacked, where it was, and nothing else
    assert main(["--root", str(mini), "appraise", "--message", "no-such-message"]) == 1


def _done_otherwise(source: Source, field: str) -> Source:
    """The source as if done or read otherwise: another design, setting, sample or reading."""
    value = {
        "design": "a single interview",
        "setting": "One practice in another country.",
        "sample": None if source.sample else Sample(interviews=1),
        "read": None,
        "source_text": "another.txt",
    }[field]
    assert value != getattr(source, field)
    return source.model_copy(update={field: value})


@pytest.mark.parametrize("field", ["design", "setting", "sample", "read", "source_text"])
def test_a_source_done_or_read_otherwise_lapses_the_judgements_of_its_findings(field: str) -> None:
    """How strong a finding is, and how far a key message can be trusted, rest on how its source
    was done and what of it was read: a contributor who changes either in the source's own file
    leaves no rating or confidence current."""
    corpus = check_root(MINI).corpus
    message = corpus.themes[1].key_messages[0]
    assert message.confidence is not None and message.confidence.about == assessed_as(corpus, message)
    for ref in message.supported_by:
        source = corpus.finding(ref)[0]
        entries = tuple(
            Entry(_done_otherwise(source, field), e.doc) if e.source is source else e for e in corpus.entries
        )
        now = bound(replace(corpus, entries=entries), None, set())[0].themes[1].key_messages[0]
        assert now.confidence is None and now.earlier_confidence is not None, ref
    gamma = next(e for e in _mini()[2] if e.source.id == "gamma-blog")
    out, _ = _judged(Entry(_done_otherwise(gamma.source, field), gamma.doc))
    rated = next(f for e in out if e.source.id == "gamma-blog" for f in e.source.findings if f.id == "managers-lead")
    assert rated.strength is None and rated.earlier_strength is not None
