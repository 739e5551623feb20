from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    # The cache's signing key (builder/cache.py) goes to a throwaway folder, not the user's home.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="evidence-tests-")


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


def golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file; with --update-goldens, rewrite it instead."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} did not exist; wrote it, check it in")
    assert actual == path.read_text(encoding="utf-8")
