"""Property-based tests: whatever a contributor's file holds, the check answers with
located problems or a valid result, never a traceback."""

from __future__ import annotations

import shutil
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from builder.bib import parse_bib
from builder.model import Source
from builder.validate import validate
from builder.yamlfile import parse_yaml
from tests.conftest import FIXTURES, check_root


@cache
def _valid() -> str:
    """A valid evidence file, read when a test first needs it (not while tests are collected)."""
    return (FIXTURES / "mini" / "evidence" / "alpha-study.yaml").read_text()


YAML_BITS = st.sampled_from(
    [
        ":",
        "- ",
        "  ",
        "\t",
        "&a ",
        "*a",
        "!!str ",
        "{",
        "}",
        "[",
        "]",
        '"',
        "'",
        "#",
        "\n",
        "\x00",
        "\ufeff",
        "é",
        "id: x\n",
        "? ",
        "|\n",
        ">\n",
        "%YAML 1.1\n",
        "---\n",
        "...",
        "\x1b[2J",
        "\x80",
        "\x7f",
        "\u202e",
        "\\x80",
        "\\e",
        "- " * 50,
        "[" * 45,
        " " * 5000,
        "[@k, p" + " " * 2000 + "x]",
        "1:59:59:59",
        "0x" + "f" * 100,
        "9" * 30,
    ]
)


# Inputs of hostile shapes (5,000 spaces, 45 open brackets) must take bounded work: a stuck
# example fails on pytest-timeout's guard (pyproject.toml) rather than on a clock.
@given(st.text(max_size=300) | st.lists(YAML_BITS, max_size=40).map("".join))
def test_any_text_parses_or_yields_located_problems(text: str) -> None:
    doc, problems = parse_yaml(text, "f.yaml")
    assert (doc is None) == bool(problems)
    for problem in problems:
        assert problem.file == "f.yaml" and problem.line >= 1 and problem.col >= 1 and problem.message
    if doc is not None:
        _, problems = validate(doc, Source)
        assert all(p.line >= 1 and p.message for p in problems)


@given(st.data(), st.text(max_size=20) | YAML_BITS)
def test_mutated_valid_file_never_crashes(data: st.DataObject, insert: str) -> None:
    valid = _valid()
    at = data.draw(st.integers(0, len(valid)))
    doc, problems = parse_yaml(valid[:at] + insert + valid[at:], "f.yaml")
    if doc is not None:
        _, problems = validate(doc, Source)
    assert all(p.line >= 1 for p in problems)


@given(
    st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            ["@article{", "k,", "title = {", "}", "{", '"', "=", ",", "@string{", "@comment{", "\\'e", "\n", "and"]
        ),
        max_size=30,
    ).map("".join)
)
def test_any_bibtex_reads_or_yields_located_problems(text: str) -> None:
    library = parse_bib(text, "r.bib")
    assert all(p.file == "r.bib" and p.line >= 1 for p in library.problems)


def _field_lines() -> dict[str, int]:
    """The valid file's top-level fields, each with its line."""
    return {line.split(":")[0]: n for n, line in enumerate(_valid().splitlines(), 1) if line and line[0].isalpha()}


def _mutations() -> st.SearchStrategy[tuple[str, str]]:
    """Each mutation of the valid evidence file: a field duplicated, renamed or retyped."""
    lines, fields = _valid().splitlines(), _field_lines()
    # Fields whose value is on the key's own line: retyping them cannot break the lines below.
    one_line = sorted(f for f, n in fields.items() if lines[n - 1].split(":", 1)[1].strip() not in ("", ">", "|"))
    return st.tuples(st.sampled_from(sorted(fields)), st.sampled_from(["duplicate", "rename"])) | st.tuples(
        st.sampled_from(one_line), st.just("retype")
    )


@given(st.deferred(_mutations))
def test_mutation_error_names_the_right_file_and_line(tmp_path_factory, mutation: tuple[str, str]) -> None:
    field, how = mutation
    root = tmp_path_factory.mktemp("mut")
    shutil.copytree(FIXTURES / "mini", root, dirs_exist_ok=True)
    lines = _valid().splitlines()
    n = _field_lines()[field]
    if how == "duplicate":
        lines.insert(len(lines), lines[n - 1].split(":")[0] + ": again")
        expected_line = len(lines)
    elif how == "retype":
        lines[n - 1] = f"{field}: [1, 2]"
        expected_line = n
    else:
        lines[n - 1] = lines[n - 1].replace(field, field + "x", 1)
        expected_line = n
    (root / "evidence" / "alpha-study.yaml").write_text("\n".join(lines) + "\n")
    problems = [p for p in check_root(root).problems if p.fails]
    assert problems, (field, how)
    assert any(p.file == "evidence/alpha-study.yaml" and p.line == expected_line for p in problems), (
        field,
        how,
        [p.text() for p in problems],
    )


def test_fixture_is_valid_before_mutation() -> None:
    assert {"id", "cite", "summary", "findings", "added"} <= set(_field_lines())
    result = check_root(FIXTURES / "mini")
    assert result.ok and result.problems == ()
