from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.build import check_project
from builder.check import CheckResult
from builder.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small valid project in tests/fixtures/mini, safe to modify."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def settings_of(root: Path) -> Settings:
    settings, problems = load_settings(root / "mkdocs.yml")
    assert problems == []
    return settings


def check_root(root: Path) -> CheckResult:
    """`evidence check` of the project at `root`, as the command runs it."""
    return check_project(settings_of(root))


def golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file; with --update-goldens, rewrite it instead."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} did not exist; wrote it, check it in")
    assert actual == path.read_text(encoding="utf-8")
