"""The corpus of bad inputs: each file in tests/bad/ is dropped into a copy of the mini
project, and `evidence check` must report exactly what its .expected file says; the strict
build must then fail, or pass, with it.

Adding a case is one file plus its expected output. NAME.yaml is an evidence file (its id
should be NAME), NAME.bib is appended to references.bib, NAME.themes.yaml replaces
evidence/themes.yaml, NAME.bin is raw bytes put in evidence/NAME.yaml, NAME.link makes
evidence/NAME.yaml a symbolic link to the path it holds, NAME.reviews.yaml replaces the
editors' record of reviewed texts, NAME.appraisals.yaml their appraisals and ratings, and
NAME.gen holds a Python expression of an evidence file's text (for inputs too big to keep:
SOURCE is a valid evidence file to start from). A NAME.txt beside a case is stored in
source-texts/, for the checks against a stored text (the case's file names it with
`source_text: NAME.txt`). Then run `pytest tests/test_bad_inputs.py --update-goldens` and read
the .expected it writes. (Notes are left out: a case's file names no stored text,
so its quotes are unverified, which is not the mistake the case is about.)
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import MkDocsException

from builder.problems import format_problems
from builder.site import build_site
from tests.conftest import FIXTURES, check_root, golden

BAD = Path(__file__).parent / "bad"
CASES = sorted(p for p in BAD.iterdir() if p.suffix in (".yaml", ".bib", ".yml", ".bin", ".link", ".gen"))
# Every case, however hostile, is checked in milliseconds; one whose work grew faster than its
# input (a regular expression backtracking, nesting followed down) would not finish in this.
GUARD_SECONDS = 30


def _generated(case: Path) -> str:
    source = (FIXTURES / "mini" / "evidence" / "alpha-study.yaml").read_text(encoding="utf-8")
    source = source.replace("id: alpha-study", f"id: {case.stem}").replace("cite: alpha2020", "cite: cited2019")
    expression = ast.parse(case.read_text(encoding="utf-8"), mode="eval")
    return eval(compile(expression, case.name, "eval"), {"__builtins__": {}}, {"SOURCE": source})  # noqa: S307


def install(case: Path, project: Path) -> None:
    evidence = project / "evidence"
    stored = case.with_name(case.name.split(".")[0] + ".txt")
    if stored.exists():
        shutil.copy(stored, project / "source-texts" / stored.name)
    if case.name.endswith(".themes.yaml"):
        shutil.copy(case, evidence / "themes.yaml")
    elif case.name.endswith(".appraisals.yaml"):
        shutil.copy(case, evidence / "appraisals.yaml")
    elif case.name.endswith(".reviews.yaml"):
        shutil.copy(case, evidence / "text-reviews.yaml")
    elif case.suffix == ".bib":
        with (project / "references.bib").open("ab") as bib:
            bib.write(b"\n" + case.read_bytes())
    elif case.suffix == ".bin":
        shutil.copy(case, evidence / (case.stem + ".yaml"))
    elif case.suffix == ".link":
        (evidence / (case.stem + ".yaml")).symlink_to(case.read_text(encoding="utf-8").strip())
    elif case.suffix == ".gen":
        (evidence / (case.stem + ".yaml")).write_text(_generated(case), encoding="utf-8")
    else:
        shutil.copy(case, evidence / case.name)


@pytest.mark.timeout(GUARD_SECONDS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_exactly(case: Path, mini: Path, update_goldens: bool) -> None:
    install(case, mini)
    result = check_root(mini)
    output = format_problems([p for p in result.problems if p.fails]) + "\n"
    golden(case.with_name(case.name + ".expected"), output, update_goldens)
    assert result.problems, "a bad input must give at least one problem"


# The strict build's verdict equals the check's on every case (a few builds, not all: each
# takes a second or two, and the check's verdict is one rule for both, builder/problems.py).
VERDICT_CASES = [
    "unclosed-quote.yaml",
    "short-summary.yaml",
    "invalid-date.yaml",
    "unused-reference.bib",
    "bib-missing-comma.bib",
    "link-to-secret.link",
    "control-character.yaml",
]


@pytest.mark.parametrize("name", VERDICT_CASES)
def test_the_strict_build_agrees_with_the_check(name: str, mini: Path) -> None:
    install(BAD / name, mini)
    checked = check_root(mini)
    try:
        build_site(mini / "mkdocs.yml", mini / "site")
        built = True
    except MkDocsException:
        built = False
    assert built == checked.ok


def test_every_case_has_expected_output() -> None:
    assert CASES, "no bad-input cases found"
    missing = [c.name for c in CASES if not c.with_name(c.name + ".expected").exists()]
    assert not missing


def test_no_expected_output_leaks_a_secret() -> None:
    for expected in BAD.glob("*.expected"):
        assert "root:x:0:0" not in expected.read_text(encoding="utf-8")
