"""The tool tests never read this repository's own briefing (tests/content_guard.py): shown
by a test module that does, run under the guard, failing."""

from __future__ import annotations

import pytest

from tests.content_guard import CONTENT, GUARD, ROOT


def test_a_test_that_reads_the_repository_s_briefing_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_reads=f"""
        import os, subprocess, sys
        from pathlib import Path

        ROOT = Path({str(ROOT)!r})

        def test_opens_the_references():
            try:
                open(ROOT / "references.bib").close()
            except OSError:
                pass  # a fork may have deleted it: the attempt is what counts

        def test_lists_the_evidence():
            try:
                os.listdir(ROOT / "evidence")
            except OSError:
                pass

        def test_checks_the_repository_in_a_command():
            subprocess.run([sys.executable, "-c", "pass", "--root", str(ROOT)], check=True)

        def test_reads_its_own_files(tmp_path):
            (tmp_path / "references.bib").write_text("@misc{{a, title={{A}}}}")
            assert (tmp_path / "references.bib").read_text()
            assert (ROOT / "references.bib").exists() in (True, False)  # a look is not a read
        """
    )
    result = pytester.runpytest_inprocess("-p", "tests.content_guard", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        ["*test_opens_the_references: it read this repository's own briefing (references.bib)*"]
    )
    result.stdout.fnmatch_lines(["*test_lists_the_evidence: it read this repository's own briefing (evidence)*"])
    result.stdout.fnmatch_lines(["*test_checks_the_repository_in_a_command: it read this repository's own briefing*"])


def test_the_guard_knows_each_part_of_the_briefing() -> None:
    names = {path.name for path in CONTENT}
    assert {"evidence", "references.bib", "source-texts", "docs", "CONTRIBUTING.md", "mkdocs.yml"} <= names
    assert all(GUARD.is_content(path / "x") for path in CONTENT)
    assert not GUARD.is_content(ROOT / "tests" / "fixtures" / "briefing" / "references.bib")
    assert not GUARD.is_content(ROOT / "evidence-other")
