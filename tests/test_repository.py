"""Repository files that cannot run here (GitHub workflows) are at least linted, and CI runs the
generator's tests and the content gate."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from builder.settings import Options
from tests.conftest import ROOT


def _workflows() -> list[Path]:
    return sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_the_github_workflow_schema() -> None:
    workflows = _workflows()
    assert workflows
    checker = Path(sys.executable).with_name("check-jsonschema")
    run = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    # Offline: its audits of permissions, pinning, credentials and injection, none that asks GitHub.
    zizmor = Path(sys.executable).with_name("zizmor")
    run = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", *map(str, _workflows())], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


_PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$")


@pytest.mark.parametrize("workflow", ["publish.yml", "pull-request.yml"])
def test_workflows_grant_each_job_only_what_it_needs(workflow: str) -> None:
    assert_least_privilege((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))


def assert_least_privilege(text: str) -> None:
    """A workflow grants nothing by default, each job only what it needs, within a time limit;
    checkout keeps no credentials; every action is pinned by commit (tests/test_init.py too)."""
    data = yaml.safe_load(text)
    assert data["permissions"] == {}  # nothing by default
    for name, job in data["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), name
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes <= {"pages", "id-token"} and (not writes or name == "deploy"), (name, writes)
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    uses = [line for line in text.splitlines() if "uses:" in line]
    assert uses and all(_PINNED.match(line) for line in uses), uses  # a commit, and its version beside it


def test_a_new_push_cancels_the_pull_requests_run_before_it() -> None:
    concurrency = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())["concurrency"]
    assert "github.event.pull_request.number" in concurrency["group"] and concurrency["cancel-in-progress"] is True


def _recipe(target: str) -> str:
    """The commands of a target of the Makefile."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, flags=re.MULTILINE)
    assert found, f"the Makefile has no target {target}"
    return found.group(1)


def test_pull_requests_get_the_check_on_the_diff_the_tool_tests_and_the_content_gate() -> None:
    steps = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())["jobs"]["check"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "evidence check --format github" in commands and "make test" in commands
    assert "pytest" in _recipe("test") and "content" in _recipe("test")
    gate = (ROOT / "scripts" / "check-content").read_text(encoding="utf-8")
    assert "scripts/check-content" in _recipe("content")
    assert re.search(r'"\$evidence" check$', gate, flags=re.MULTILINE)
    assert re.search(r'"\$evidence" build ', gate, flags=re.MULTILINE)


def test_pull_requests_get_what_they_change_in_the_briefing_in_the_job_summary() -> None:
    steps = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base is in the history
    runs = [step.get("run", "") for step in steps]
    at = next(i for i, run in enumerate(runs) if "evidence diff" in run)
    assert runs[at] == '.venv/bin/evidence diff "$BASE" >> "$GITHUB_STEP_SUMMARY"'
    assert steps[at]["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert at < next(i for i, run in enumerate(runs) if "evidence check" in run)  # shown when the check fails too


def test_publishing_requires_every_stored_text_and_keeps_the_private_ones_out_of_the_site() -> None:
    steps = [
        s
        for job in yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())["jobs"].values()
        for s in job["steps"]
    ]
    build = next(s for s in steps if "make site" in s.get("run", ""))
    assert "--require-texts" in build["run"] and ".private-texts" in build["env"]["EVIDENCE_SOURCE_TEXTS"]
    private = next(s for s in steps if s.get("with", {}).get("path") == ".private-texts")
    assert private["with"]["persist-credentials"] is False and "secrets." in private["with"]["ssh-key"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"  # the site only: the texts stay beside it


def test_the_editors_own_their_records_and_the_texts() -> None:
    owners = (ROOT / ".github" / "CODEOWNERS").read_text()
    owned = {line.split()[0] for line in owners.splitlines() if line.strip() and not line.startswith("#")}
    records = {"/" + Options().text_reviews, "/" + Options().appraisals}  # reviews of texts; appraisals, ratings
    assert records | {"/source-texts/", "/.github/"} <= owned


def test_publish_workflow_deploys_to_pages() -> None:
    jobs = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())["jobs"]
    uses = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_pre_commit_runs_the_check_on_evidence_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hooks[0]["entry"].endswith("evidence check")
    assert "evidence/" in hooks[0]["files"]


def test_every_module_of_the_builder_imports_first() -> None:
    # A cycle of imports shows as a module that fails when it is the first one imported.
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((ROOT / "builder").rglob("*.py"))
        if p.name != "__main__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'builder' or m.startswith('builder.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)


def test_the_version_is_the_one_the_change_log_describes_last(capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    from builder.cli import main

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings and headings[0] == version, "say in CHANGELOG.md what the version in pyproject.toml changed"
    assert len(set(headings)) == len(headings)
    with pytest.raises(SystemExit):
        main(["--version"])
    # The installed version: `make` reinstalls when pyproject.toml changes.
    assert capsys.readouterr().out.strip() == f"evidence {version}"
