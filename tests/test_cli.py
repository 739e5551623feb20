"""The `evidence` command as a contributor and CI use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main
from builder.schema import SCHEMAS, schema_text
from tests.conftest import ROOT

BROKEN = "id: broken\ncite: alpha2020\ntype: stdy\n"


def test_check_clean_project_exits_0(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "check"]) == 0
    assert "evidence check passed: 0 errors, 0 warnings" in capsys.readouterr().err


def test_check_errors_exit_1_with_located_messages(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(BROKEN)
    assert main(["--root", str(mini), "check"]) == 1
    out = capsys.readouterr().out
    assert "evidence/broken.yaml:3:7: error: type: 'stdy' is not allowed (did you mean 'study'?)" in out
    assert "    hint: use one of: study, review, report, commentary, blog, news" in out


def test_github_format_annotates_the_diff(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(BROKEN)
    assert main(["--root", str(mini), "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        "::error file=evidence/broken.yaml,line=3,col=7::type: 'stdy' is not allowed (did you mean 'study'?)"
        " (hint: use one of: study, review, report, commentary, blog, news)" in lines
    )


def test_json_format_is_machine_readable(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(BROKEN)
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
    }


def test_paths_limit_the_report_to_those_files(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "evidence" / "broken.yaml").write_text(BROKEN)
    assert main(["--root", str(mini), "check", str(mini / "evidence" / "gamma-blog.yaml")]) == 0
    assert "broken.yaml" not in capsys.readouterr().out


def test_warnings_pass_unless_strict(mini: Path) -> None:
    with (mini / "references.bib").open("a") as bib:
        bib.write("\n@misc{unused2000, title = {Nobody cites me}, year = {2000}}\n")
    assert main(["--root", str(mini), "check"]) == 0
    assert main(["--root", str(mini), "check", "--strict"]) == 1


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["check", "--format", "xml"])
    assert excinfo.value.code == 2


def test_check_never_modifies_files(mini: Path) -> None:
    (mini / "evidence" / "broken.yaml").write_text(BROKEN)

    def files() -> dict[Path, bytes]:  # all but the cache, which check may write
        return {p: p.read_bytes() for p in mini.rglob("*") if p.is_file() and ".cache" not in p.parts}

    before = files()
    main(["--root", str(mini), "check"])
    assert files() == before
    assert (mini / ".cache" / "evidence" / "sources.pickle").is_file()
    main(["--root", str(mini), "check", "--no-cache"])
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


def test_new_unknown_key_suggests_the_nearest(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(mini), "new", "alpha2002"]) == 1
    assert "(did you mean 'alpha2020'?)" in capsys.readouterr().err


def test_python_dash_m_builder_runs_the_same_command(mini: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "builder", "--root", str(mini), "check"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(name: str) -> None:
    committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
    assert committed == schema_text(name), "run `evidence schema` and commit schema/"


def test_every_shipped_evidence_file_names_its_schema() -> None:
    for path in (ROOT / "evidence").glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        name = "themes" if path.name == "themes.yaml" else "evidence"
        assert first == f"# yaml-language-server: $schema=../schema/{name}.schema.json", path


def test_missing_files_are_located_errors_not_tracebacks(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "references.bib").unlink()
    (mini / "evidence" / "themes.yaml").unlink()
    assert main(["--root", str(mini), "check"]) == 1
    out = capsys.readouterr().out
    assert "references.bib:1:1: error: cannot read the file: No such file or directory" in out
    assert "evidence/themes.yaml:1:1: error: cannot read the file: No such file or directory" in out


def test_empty_project_folder_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "check"]) == 1
    assert "evidence/themes.yaml:1:1: error: cannot read the file" in capsys.readouterr().out
