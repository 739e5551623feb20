"""mkdocs.yml is read as MkDocs reads it (builder/config.py): both forms of `plugins:`, INHERIT and
!ENV; a wrong option is one problem at its line, and the check's verdict is the build's."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.cli import main
from builder.config import load_settings


def _write(mini: Path, text: str, name: str = "mkdocs.yml") -> Path:
    path = mini / name
    path.write_text(text, encoding="utf-8")
    return path


_HEAD = "site_name: Mini briefing\nuse_directory_urls: false\ntheme:\n  name: material\n  font: false\n"


def test_the_mapping_form_of_plugins_is_read_and_a_wrong_option_named_at_its_line(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(mini, _HEAD + "plugins:\n  evidence:\n    pdf: false\n    page_size: many\n")
    assert main(["--root", str(mini), "check"]) == 1
    said = capsys.readouterr().err
    assert "mkdocs.yml:9:5: error: plugins.evidence.page_size: must be a whole number, not 'many'" in said
    assert "hint: write it as digits only" in said
    # The build says the same, and stops before MkDocs is asked (the check predicts the build).
    assert main(["--root", str(mini), "build", "--site-dir", str(mini / "out")]) == 1
    assert "mkdocs.yml:9:5" in capsys.readouterr().err and not (mini / "out").exists()


def test_the_mapping_form_gives_the_options_the_build_uses(mini: Path) -> None:
    (mini / "evidence").rename(mini / "studies")
    _write(
        mini,
        _HEAD + "plugins:\n  evidence:\n    evidence_dir: studies\n    themes_file: studies/themes.yaml\n"
        "    briefing_file: studies/briefing.yaml\n    text_reviews: studies/text-reviews.yaml\n"
        "    appraisals: studies/appraisals.yaml\n",
    )
    settings, problems = load_settings(mini / "mkdocs.yml")
    assert problems == [] and settings.options.evidence_dir == "studies"
    assert main(["--root", str(mini), "check"]) == 0


def test_inherited_options_are_read_and_their_problems_are_named_in_the_file_that_gives_them(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(mini, _HEAD + "plugins:\n  - evidence:\n      max_age_years: !ENV [AGE, 'old']\n", "base.yml")
    _write(mini, "INHERIT: base.yml\nsite_name: The child's name\n")
    monkeypatch.setenv("AGE", "3")
    settings, problems = load_settings(mini / "mkdocs.yml")
    assert problems == [] and settings.options.max_age_years == 3 and settings.site_name == "The child's name"
    monkeypatch.delenv("AGE")
    assert main(["--root", str(mini), "check"]) == 1
    assert "base.yml:8:7: error: plugins.evidence.max_age_years: must be a whole number, not 'old'" in (
        capsys.readouterr().err
    )


def test_env_gives_an_option_as_in_the_build(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(mini, _HEAD + "plugins:\n  - evidence:\n      edit_url: !ENV [EDIT, '']\n")
    monkeypatch.setenv("EDIT", "https://example.org/edit/")
    assert load_settings(mini / "mkdocs.yml")[0].options.edit_url == "https://example.org/edit/"
    monkeypatch.delenv("EDIT")
    assert load_settings(mini / "mkdocs.yml")[0].options.edit_url == ""


def test_python_tags_that_mkdocs_users_write_are_read(mini: Path) -> None:
    _write(
        mini,
        _HEAD + "plugins:\n  - evidence\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
    )
    assert load_settings(mini / "mkdocs.yml")[1] == []


def test_an_unclosed_quote_in_mkdocs_yml_is_named_at_its_line(mini: Path) -> None:
    _write(mini, 'site_name: "Mini\nplugins:\n  - evidence\n')
    [problem] = load_settings(mini / "mkdocs.yml")[1]
    assert (problem.file, problem.line, problem.col) == ("mkdocs.yml", 1, 12)
    assert "never closed" in problem.message


def test_plugins_that_are_not_a_list_or_mapping_are_one_problem(mini: Path) -> None:
    _write(mini, _HEAD + "plugins: evidence\n")
    [problem] = load_settings(mini / "mkdocs.yml")[1]
    assert problem.key_path == "plugins" and "must be a list" in problem.message
