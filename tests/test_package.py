"""The package carries everything a site needs: a wheel built from the source, installed where
the checkout cannot be seen, makes a project with `evidence init` and builds it, link previews,
search and styles included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import BUILD_EPOCH, ROOT

# What the generator reads from its own folder at run time, as the wheel must hold it.
NEEDED = ("builder/templates/main.html", "builder/templates/partials/header.html", "builder/assets/evidence.css")


def _run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    run = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert run.returncode == 0, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of what the package is made of, so that the checkout gets no build/ folder.
    source = tmp_path_factory.mktemp("source")
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "builder", source / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, source)
    (found,) = out.glob("evidence_briefing-*.whl")
    return found


def test_the_wheel_holds_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "builder"
    data = {
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert data and set(NEEDED) <= data
    assert sorted(data - names) == []
    # The skeleton's dot-files travel under names a package keeps.
    assert not [name for name in names if "/." in name]


@pytest.mark.timeout(600)
def test_an_installed_wheel_makes_a_project_that_builds_the_same_kind_of_site(wheel: Path, tmp_path: Path) -> None:
    installed = tmp_path / "installed"
    _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", installed, wheel)
    # -S: no site-packages of this environment but the dependencies, named after the install, so
    # that the checkout (installed here as editable) cannot lend the package a file it lacks.
    dependencies = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": f"{installed}{os.pathsep}{dependencies}", "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    python = [sys.executable, "-S"]
    where = _run(*python, "-c", "import builder; print(builder.__file__)", env=env, cwd=tmp_path).stdout
    assert where.startswith(str(installed)), where
    evidence = [*python, "-m", "builder"]
    _run(*evidence, "init", "team", "--title", "Social prescribing: what works", env=env, cwd=tmp_path)
    _run(*evidence, "--root", "team", "check", env=env, cwd=tmp_path)
    _run(*evidence, "--root", "team", "build", "--site-dir", "built", env=env, cwd=tmp_path)
    site = tmp_path / "built"
    page = (site / "methods.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="Methods and scope">' in page  # the link previews
    assert '<meta property="og:site_name" content="Social prescribing: what works">' in page
    assert 'id="evidence-search-input"' in page  # the search box of the package's templates
    for asset in ("evidence-search.js", "evidence-browse.js", "evidence.css"):
        assert (site / "assets" / "evidence" / asset).is_file()
    assert (site / "schema" / "evidence.schema.json").is_file()
