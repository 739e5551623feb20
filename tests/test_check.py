"""The check across files: one mistake is one problem, whatever else it touches."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import check_root


def _break(path: Path) -> None:
    path.write_text(path.read_text().replace("design: qualitative case study", 'design: "unclosed'))


def test_a_broken_file_is_one_problem_not_one_per_thing_it_touches(mini: Path) -> None:
    # alpha-study alone cites cited2019, and the themes' key messages name its findings.
    _break(mini / "evidence" / "alpha-study.yaml")
    problems = check_root(mini).problems
    assert [(p.file, p.line) for p in problems] == [("evidence/alpha-study.yaml", 4)]


def test_a_file_that_fails_validation_is_one_problem_too(mini: Path) -> None:
    path = mini / "evidence" / "alpha-study.yaml"
    path.write_text(path.read_text().replace("type: study", "type: stdy"))
    problems = check_root(mini).problems
    assert [(p.file, p.key_path) for p in problems] == [("evidence/alpha-study.yaml", "type")]


def test_an_unreadable_reference_is_not_reported_again_where_it_is_cited(mini: Path) -> None:
    bib = mini / "references.bib"
    bib.write_text(bib.read_text().replace("title   = {Commissioning in {\\'E}tude},", "title   = {Commissioning,"))
    problems = check_root(mini).problems
    assert [p.file for p in problems] == ["references.bib"]


def test_when_themes_yaml_cannot_be_read_findings_themes_are_not_reported(mini: Path) -> None:
    (mini / "evidence" / "themes.yaml").write_text("themes:\n  - id: leadership\n    title: 'unclosed\n")
    problems = check_root(mini).problems
    assert [p.file for p in problems] == ["evidence/themes.yaml"]


def test_a_reference_cited_only_by_a_broken_file_is_not_called_unused(mini: Path) -> None:
    with (mini / "references.bib").open("a") as bib:
        bib.write("\n@misc{lonely2000, title = {Only the new file cites me}, year = {2000}}\n")
    (mini / "evidence" / "new-one.yaml").write_text('id: new-one\ncite: lonely2000\nsummary: "unclosed\n')
    problems = check_root(mini).problems
    assert [p.file for p in problems] == ["evidence/new-one.yaml"]


def test_files_too_large_to_read_make_no_reference_unused(mini: Path) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n      max_file_bytes: 1000\n"))
    problems = check_root(mini).problems
    assert [p.message for p in problems] == ["the file is over the limit of 1,000 bytes"] * 2


def test_an_emptied_file_is_one_problem(mini: Path) -> None:
    # As an editor leaves it for a moment while saving: the references it cited are not unused.
    (mini / "evidence" / "alpha-study.yaml").write_text("")
    problems = check_root(mini).problems
    assert [(p.file, p.message) for p in problems] == [("evidence/alpha-study.yaml", "the file is empty")]


def test_a_mistyped_cite_key_is_one_problem_not_also_an_unused_reference(mini: Path) -> None:
    # A contributor adds a source and its entry, and mistypes the key in the evidence file.
    with (mini / "references.bib").open("a") as bib:
        bib.write("\n@misc{delta2022boards, title = {Boards}, year = {2022}}\n")
    source = (mini / "evidence" / "gamma-blog.yaml").read_text(encoding="utf-8")
    new = "\n".join(line for line in source.splitlines() if not line.startswith(("id: ", "cite: ", "source_text: ")))
    (mini / "evidence" / "delta-blog.yaml").write_text(f"id: delta-blog\ncite: delta2022board\n{new}\n")
    problems = [p for p in check_root(mini).problems if p.fails]
    typo = "cite key 'delta2022board' is not in references.bib (did you mean 'delta2022boards'?)"
    assert [(p.file, p.message) for p in problems] == [("evidence/delta-blog.yaml", typo)]
