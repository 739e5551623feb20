"""README's promise, held: "When the check passes, the build and the pull request's checks pass."

A contributor's new source (tests/fixtures/new-source) is added to a copy of this repository's
briefing as CONTRIBUTING.md says, with what was read stored in source-texts/, or kept in a
private folder named by EVIDENCE_SOURCE_TEXTS, or not stored at all. Where `evidence check`
passes on the contributor's machine, the content gate (scripts/check-content) must pass as CI
runs it, in a fresh copy without the contributor's private folder and with CI's own.

The rest of CI, the generator's tests, never reads the briefing: tests/content_guard.py fails
one that does, and tests/test_content_guard.py shows it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NEW = ROOT / "tests" / "fixtures" / "new-source"
ID, KEY = "hargreaves-2024-ccg-boards", "hargreaves2024boards"
EVIDENCE = Path(sys.executable).with_name("evidence")
# The briefing, and what the gate and the build read besides (the generator is installed).
COPIED = ("mkdocs.yml", "references.bib", "CONTRIBUTING.md", "evidence", "docs", "source-texts", "overrides", "builder")


def _copy_of_the_repository(dest: Path) -> Path:
    dest.mkdir()
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
        elif (ROOT / name).exists():
            shutil.copy(ROOT / name, dest / name)
    (dest / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "check-content", dest / "scripts")
    return dest


def _add_the_source(project: Path, stored: bool) -> str:
    """The contributor's source added as CONTRIBUTING.md says; its id. Its id and
    key are made unique in the copy, and a theme the copy lacks is its first theme, so that the
    briefing's own sources and themes, whatever they become, cannot make it invalid."""
    text, bib = (NEW / f"{ID}.yaml").read_text(encoding="utf-8"), (NEW / f"{ID}.bib").read_text(encoding="utf-8")
    references = (project / "references.bib").read_text(encoding="utf-8").lower()
    n, source, key = 0, ID, KEY
    while (project / "evidence" / f"{source}.yaml").exists() or f"{{{key}," in references:
        n += 1
        source, key = f"{ID}-{n}", f"{KEY}{n}"
    themes = [t["id"] for t in yaml.safe_load((project / "evidence" / "themes.yaml").read_text())["themes"]]
    text = re.sub(r"(?m)^(\s+theme: )(\S+)$", lambda m: m[1] + (m[2] if m[2] in themes else themes[0]), text)
    text = text.replace(f"id: {ID}", f"id: {source}").replace(f"cite: {KEY}", f"cite: {key}")
    (project / "evidence" / f"{source}.yaml").write_text(text + (f"source_text: {source}.txt\n" if stored else ""))
    with (project / "references.bib").open("a", encoding="utf-8") as library:
        library.write("\n" + bib.replace(f"{{{KEY},", f"{{{key},"))
    return source


def _ci_texts() -> str:
    """EVIDENCE_SOURCE_TEXTS as CI has it here (.ci/run), each folder made whole: the gate runs elsewhere."""
    entries = os.environ.get("EVIDENCE_SOURCE_TEXTS", "").split(os.pathsep)
    return os.pathsep.join(os.path.abspath(entry) for entry in entries if entry)


def _run(command: list[str], project: Path, texts: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "EVIDENCE": str(EVIDENCE), "EVIDENCE_SOURCE_TEXTS": texts}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("kept", ["in source-texts", "in a private folder", "nowhere"])
def test_a_source_that_passes_the_check_passes_the_content_gate(tmp_path: Path, kept: str) -> None:
    project = _copy_of_the_repository(tmp_path / "contribution")
    source = _add_the_source(project, stored=kept != "nowhere")
    private = tmp_path / "my-texts"
    private.mkdir()
    if kept != "nowhere":
        where = project / "source-texts" if kept == "in source-texts" else private
        shutil.copy(NEW / f"{ID}.txt", where / f"{source}.txt")

    mine = _run([str(EVIDENCE), "check"], project, str(private))
    assert mine.returncode == 0, mine.stdout + mine.stderr
    assert (f"evidence/{source}.yaml" in mine.stdout) == (kept == "nowhere")  # verified, where it was stored

    shutil.rmtree(private)  # CI's fresh clone has only its own private folders
    gate = _run(["scripts/check-content"], project, _ci_texts())
    assert gate.returncode == 0, gate.stdout + gate.stderr
    said = [line for line in gate.stdout.splitlines() if line.startswith(f"evidence/{source}.yaml")]
    if kept == "in source-texts":
        assert said == []  # its text is found with CI's private folders searched too
    elif kept == "in a private folder":
        (note,) = said
        assert f"the stored text {source}.txt is not in source-texts/" in note
    else:
        (note,) = said
        assert "no stored text of what was read is named" in note
