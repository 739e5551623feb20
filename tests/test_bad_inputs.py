"""The corpus of bad inputs: each file in tests/bad/ is dropped into a valid project and
`evidence check` must report exactly what its .expected file says.

Adding a case is one file plus its expected output: write tests/bad/NAME.yaml (an
evidence file; its id should be NAME), NAME.bib (appended to references.bib) or
NAME.themes.yaml (replaces evidence/themes.yaml), then run
`pytest tests/test_bad_inputs.py --update-goldens` and read the .expected it writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.pipeline import Project, check
from builder.problems import format_problems
from tests.conftest import golden

BAD = Path(__file__).parent / "bad"
CASES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".bib", ".yml", ".bin"))


def _install(case: Path, project: Path) -> None:
    if case.name.endswith(".themes.yaml"):
        shutil.copy(case, project / "evidence" / "themes.yaml")
    elif case.suffix == ".bib":
        with (project / "references.bib").open("ab") as bib:
            bib.write(b"\n" + case.read_bytes())
    elif case.suffix == ".bin":  # raw bytes (not UTF-8, NUL...) as an evidence file
        shutil.copy(case, project / "evidence" / (case.stem + ".yaml"))
    else:
        shutil.copy(case, project / "evidence" / case.name)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_exactly(case: Path, mini: Path, update_goldens: bool) -> None:
    _install(case, mini)
    result = check(Project(mini))
    output = format_problems(result.problems) + "\n"
    golden(case.with_name(case.name + ".expected"), output, update_goldens)
    if any(p.is_error for p in result.problems):
        assert result.corpus is None


def test_every_case_has_expected_output() -> None:
    assert CASES, "no bad-input cases found"
    missing = [c.name for c in CASES if not c.with_name(c.name + ".expected").exists()]
    assert not missing
