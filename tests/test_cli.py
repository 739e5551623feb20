"""The `evidence` command as a contributor and CI use it."""

from __future__ import annotations

import errno
import json
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from watchdog.observers import Observer

import builder.serve
from builder.cli import main
from builder.schema import SCHEMAS, schema_text
from tests.conftest import ROOT


def _broken() -> str:
    """An evidence file with one mistake (a type misspelt), as tests/bad/bad-enum.yaml has it."""
    return (ROOT / "tests" / "bad" / "bad-enum.yaml").read_text().replace("id: bad-enum", "id: broken")


def test_check_clean_project_exits_0(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "check"]) == 0
    assert "evidence check passed: 0 errors, 0 warnings" in capsys.readouterr().err


def test_check_errors_exit_1_with_located_messages(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(_broken())
    assert main(["--root", str(mini), "check"]) == 1
    out = capsys.readouterr().out
    assert "evidence/broken.yaml:3:7: error: type: 'stdy' is not allowed (did you mean 'study'?)" in out
    assert "    hint: use one of: study, review, report, commentary, blog, news" in out


def test_github_format_annotates_the_diff(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(_broken())
    assert main(["--root", str(mini), "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        "::error file=evidence/broken.yaml,line=3,col=7::type: 'stdy' is not allowed (did you mean 'study'?)"
        " (hint: use one of: study, review, report, commentary, blog, news)" in lines
    )


def test_github_format_escapes_what_would_add_a_property_or_a_command(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini / "evidence" / "x,line=1::warning file=evil.yaml").write_text(_broken())
    (mini / "evidence" / "a\n::error::injected.yaml").write_text(_broken())
    main(["--root", str(mini), "check", "--format", "github"])
    out = capsys.readouterr().out
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines())
    assert "file=evidence/x%2Cline=1%3A%3Awarning file=evil.yaml," in out


def test_json_format_is_machine_readable(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(_broken())
    assert main(["--root", str(mini), "check", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    first = next(p for p in problems if p["path"] == "type")
    assert first == {
        "file": "evidence/broken.yaml",
        "line": 3,
        "col": 7,
        "path": "type",
        "message": "'stdy' is not allowed (did you mean 'study'?)",
        "hint": "use one of: study, review, report, commentary, blog, news",
        "severity": "error",
        "excerpt": "type: stdy",
    }


def test_paths_limit_the_report_to_those_files(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(_broken())
    assert main(["--root", str(mini), "check", str(mini / "evidence" / "gamma-blog.yaml")]) == 0
    assert "broken.yaml" not in capsys.readouterr().out


def test_a_warning_fails_the_check_as_it_fails_the_build(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (mini / "references.bib").open("a") as bib:
        bib.write("\n@misc{unused2000, title = {Nobody cites me}, year = {2000}}\n")
    assert main(["--root", str(mini), "check"]) == 1
    assert "evidence check failed: 0 errors, 1 warning (warnings fail the build too" in capsys.readouterr().err


def test_check_reads_the_settings_the_build_reads(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence").rename(mini / "studies")
    config = mini / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - evidence\n",
            "  - evidence:\n      evidence_dir: studies\n      themes_file: studies/themes.yaml\n"
            "      text_reviews: studies/text-reviews.yaml\n"
            "      appraisals: studies/appraisals.yaml\n"
            "      briefing_file: studies/briefing.yaml\n",
        )
    )
    assert main(["--root", str(mini), "check"]) == 0
    (mini / "studies" / "broken.yaml").write_text(_broken())
    assert main(["--root", str(mini), "check"]) == 1
    assert "studies/broken.yaml:3:7" in capsys.readouterr().out


def test_a_wrong_option_in_mkdocs_yml_is_reported(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - evidence\n", "  - evidence:\n      page_sise: 10\n"))
    assert main(["--root", str(mini), "check"]) == 1
    assert "unknown option 'page_sise' (did you mean 'page_size'?)" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["check", "--format", "xml"])
    assert excinfo.value.code == 2


def test_check_never_writes_a_file(mini: Path) -> None:
    (mini / "evidence" / "broken.yaml").write_text(_broken())

    def files() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()}

    before = files()
    main(["--root", str(mini), "check"])
    assert files() == before


def test_new_scaffolds_from_bibtex_and_refuses_to_overwrite(mini: Path) -> None:
    (mini / "evidence" / "alpha-study.yaml").unlink()
    assert main(["--root", str(mini), "new", "alpha2020", "--id", "alpha-study"]) == 0
    text = (mini / "evidence" / "alpha-study.yaml").read_text()
    assert "# Alpha and Beta, 2020: Commissioning in Étude" in text
    assert "# Authors: Alpha, Ann; Beta, Bob. Year: 2020." in text
    assert "cite: alpha2020" in text
    assert main(["--root", str(mini), "new", "alpha2020", "--id", "alpha-study"]) == 1
    assert main(["--root", str(mini), "check"]) == 1  # the scaffold's empty fields must be filled in


@pytest.mark.parametrize(
    ("entry", "made"),
    [
        # As the shipped sources are named: first author, year, two telling words of the title.
        (
            "@online{ct2011, author = {Colin-Thom{\\'e}, David}, title = {Time for a fresh approach}, year = {2011}}",
            "colin-thome-2011-time-fresh",
        ),
        ("@article{p1, title = {{GP} leaders being set up to fail}, journal = {Pulse}}", "pulse-gp-leaders"),
        ("@misc{nobody-at-all, title = {On the}}", "nobody-at-all"),  # nothing telling: the key
    ],
)
def test_new_names_a_source_as_the_shipped_ones_are_named(mini: Path, entry: str, made: str) -> None:
    with (mini / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + entry + "\n")
    key = entry[entry.index("{") + 1 : entry.index(",")]
    assert main(["--root", str(mini), "new", key]) == 0
    assert f"id: {made}\n" in (mini / "evidence" / f"{made}.yaml").read_text(encoding="utf-8")


def test_new_says_how_to_name_a_second_source_of_the_same_id(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (mini / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{ab1, author = {Alpha, Ann}, title = {Key players}, year = {2010}}\n")
        bib.write("\n@misc{ab2, author = {Alpha, Ann}, title = {Key players, again}, year = {2010}}\n")
    assert main(["--root", str(mini), "new", "ab1"]) == 0
    assert main(["--root", str(mini), "new", "ab2"]) == 1
    said = capsys.readouterr().err
    assert "alpha-2010-key-players.yaml already exists; not overwriting it" in said
    assert "(give the new source another id with --id)" in said


def test_new_unknown_key_suggests_the_nearest(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "new", "alpha2002"]) == 1
    assert "(did you mean 'alpha2020'?)" in capsys.readouterr().err


def test_new_suggests_only_close_keys(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "new", "smith2018gp"]) == 1
    assert "did you mean" not in capsys.readouterr().err


def test_python_dash_m_builder_runs_the_same_command(mini: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "builder", "--root", str(mini), "check"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(name: str) -> None:
    committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
    assert committed == schema_text(name), "run `evidence schema` and commit schema/"


def test_a_new_evidence_file_names_its_schema_for_the_editor(mini: Path) -> None:
    assert main(["--root", str(mini), "new", "cited2019", "--id", "delta-2019"]) == 0
    first = (mini / "evidence" / "delta-2019.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/evidence.schema.json"
    assert (ROOT / "schema" / "evidence.schema.json").is_file()


def test_missing_files_are_located_errors_not_tracebacks(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "references.bib").unlink()
    (mini / "evidence" / "themes.yaml").unlink()
    assert main(["--root", str(mini), "check"]) == 1
    out = capsys.readouterr().out
    assert "references.bib:1:1: error: cannot read the file: No such file or directory" in out
    assert "evidence/themes.yaml:1:1: error: cannot read the file: No such file or directory" in out
    # Neither every citation nor every finding's theme is reported again.
    assert out.count("error:") == 2


def test_empty_project_folder_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "check"]) == 1
    assert "evidence/themes.yaml:1:1: error: cannot read the file" in capsys.readouterr().out


def test_new_stores_the_text_read_and_names_it(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIDENCE_SOURCE_TEXTS", raising=False)
    read = tmp_path / "what I read.txt"
    read.write_text("Leaders convene people across organisations.\n")
    assert main(["--root", str(mini), "new", "cited2019", "--id", "delta-2019", "--text", str(read)]) == 0
    assert (mini / "source-texts" / "delta-2019.txt").read_text() == read.read_text()
    assert "source_text: delta-2019.txt" in (mini / "evidence" / "delta-2019.yaml").read_text()
    assert main(["--root", str(mini), "new", "cited2019", "--id", "delta-2019", "--text", str(read)]) == 1


@pytest.mark.timeout(60)
def test_a_preview_the_system_will_not_tell_of_changes_says_to_poll(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # As when a user's inotify watches are used up (many editors open): the observer cannot start.
    class UsedUp(Observer):  # type: ignore[misc, valid-type]
        def start(self) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(builder.serve, "Observer", UsedUp)
    monkeypatch.setattr(builder.serve, "stop_as_ctrl_c", lambda: None)  # this process's signals stay pytest's
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["--root", str(mini), "serve", "--dev-addr", f"127.0.0.1:{port}"]) == 1
    said = capsys.readouterr().err
    assert "inotify watch limit reached" in said and "evidence serve --poll" in said
    assert list(temporary.iterdir()) == []  # the preview's site was deleted
