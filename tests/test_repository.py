"""Repository files that cannot run here (GitHub workflows) are at least linted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_the_github_workflow_schema() -> None:
    assert len(WORKFLOWS) == 2
    checker = Path(sys.executable).with_name("check-jsonschema")
    run = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_pull_request_workflow_checks_builds_and_tests() -> None:
    steps = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())["jobs"]["check"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "evidence check --format github" in commands
    assert "evidence build" in commands and "make test" in commands


def test_publish_workflow_deploys_to_pages() -> None:
    jobs = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())["jobs"]
    uses = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_pre_commit_runs_the_check_on_evidence_files() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hooks[0]["entry"].endswith("evidence check")
    assert "evidence/" in hooks[0]["files"]
