"""The generator's tests, and what they share.

They run on projects they own: `tests/fixtures/mini` (two sources, for most tests) and
`tests/fixtures/briefing` (a frozen copy of the shipped briefing, for the tests that need a
realistic one). They never read this repository's own briefing, which contributors change and
`make content` checks (content-checks/); tests/content_guard.py fails a test that does.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from builder.build import check_project
from builder.check import CheckResult
from builder.config import load_settings
from builder.settings import Settings

pytest_plugins = ["pytester", "tests.content_guard"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BRIEFING = FIXTURES / "briefing"
# The date every build of the briefing fixture is made with, so that two builds compare.
BUILD_EPOCH = "1700000000"

# Property tests: a quick profile while developing; CI (.ci/run, the pull-request workflow)
# sets HYPOTHESIS_PROFILE=thorough.
_PROFILE = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}
settings.register_profile("quick", max_examples=20, **_PROFILE)
settings.register_profile("thorough", max_examples=150, **_PROFILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def examples(share: float) -> int:
    """A share of the profile's examples, for a property test each of whose examples is slow."""
    return max(1, round(settings.default.max_examples * share))


def pytest_configure(config: pytest.Config) -> None:
    # Each test says where stored texts are, if it needs them: the fixtures have their own.
    os.environ.pop("EVIDENCE_SOURCE_TEXTS", None)
    # PDFs kept between builds (builder/store.py) go to a folder of the session's, not the
    # user's cache; a test of the store itself gives it a folder of its own.
    os.environ["EVIDENCE_CACHE"] = tempfile.mkdtemp(prefix="evidence-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("EVIDENCE_CACHE", ""), ignore_errors=True)


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


@pytest.fixture
def briefing_copy(tmp_path: Path) -> Path:
    """A copy of the realistic briefing in tests/fixtures/briefing, safe to modify."""
    dest = tmp_path / "briefing"
    shutil.copytree(BRIEFING, dest)
    return dest


def replacing(path: str, old: str, new: str):
    """An edit of a project, named for what it does: the first `old` in its file `path` made `new`."""

    def edit(root: Path) -> None:
        file = root / path
        file.write_text(file.read_text().replace(old, new, 1))

    edit.__name__ = f"{path}: {old[:20]!r} -> {new[:20]!r}"
    return edit


def settings_of(root: Path) -> Settings:
    settings, problems = load_settings(root / "mkdocs.yml")
    assert problems == []
    return settings


def check_root(root: Path) -> CheckResult:
    """`evidence check` of the project at `root`, as the command runs it."""
    return check_project(settings_of(root))


@pytest.fixture(scope="session")
def briefing() -> CheckResult:
    """The realistic briefing, checked (once: the tests only read it)."""
    result = check_root(BRIEFING)
    assert result.corpus is not None, [p.text() for p in result.problems]
    return result


# The site generators the site is built with: MkDocs (the default), ProperDocs (the maintained
# fork of MkDocs 1.x, running the same plugin) and Zensical (`evidence build --engine zensical`).
ENGINES = ("mkdocs", "properdocs", "zensical")


def build_with(engine: str, root: Path, site: Path | None = None) -> Path:
    """The project at `root` built by `engine` into `site` (mkdocs.yml's site_dir if None), as a
    user builds it with that engine; the site's folder."""
    config = root / "mkdocs.yml"
    if engine == "mkdocs":
        from builder.site import build_site

        return build_site(config, site)
    if engine == "zensical":
        from builder.zensical_site import build_site_with

        return build_site_with(config, site).path
    out = site or root / "site"
    properdocs = Path(sys.executable).with_name("properdocs")
    command = [str(properdocs), "build", "--strict", "-q", "-f", str(config), "-d", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=root)
    assert run.returncode == 0, run.stderr
    return out


def build_briefing(site: Path, engine: str = "mkdocs", **env: str) -> Path:
    """The realistic briefing built into `site` by `engine`, dated BUILD_EPOCH, with these variables set."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"SOURCE_DATE_EPOCH": BUILD_EPOCH, **env}.items():
            patch.setenv(name, value)
        return build_with(engine, BRIEFING, site)


@pytest.fixture(scope="session")
def briefing_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The realistic briefing's site, built once for every test that reads it."""
    return build_briefing(tmp_path_factory.mktemp("briefing") / "site")


@pytest.fixture(scope="session", params=ENGINES)
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The realistic briefing's site built by each engine in turn: the browser tests run on each."""
    if request.param == "mkdocs":
        return request.getfixturevalue("briefing_site")
    return build_briefing(tmp_path_factory.mktemp(request.param) / "site", request.param)


PUBLISHED_AT = "https://briefing.example.org/nhs/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The realistic briefing's site as published at PUBLISHED_AT (SITE_URL set)."""
    return build_briefing(tmp_path_factory.mktemp("published") / "site", SITE_URL=PUBLISHED_AT)


def golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file; with --update-goldens, rewrite it instead."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not update:
            pytest.fail(f"golden file {path} did not exist; wrote it, check it in")
    assert actual == path.read_text(encoding="utf-8")


# ---- `evidence serve` in its own process, followed by what it says ----


class Served:
    """A running `evidence serve -v`: its address, and the lines it has written so far."""

    def __init__(self, process: subprocess.Popen, url: str) -> None:
        self.process, self.url, self.lines = process, url, []
        self._said = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self._said:
                self.lines.append(line)
                self._said.notify_all()
        with self._said:
            self.lines.append(None)  # the process has ended
            self._said.notify_all()

    def said(self, words: str, times: int = 1) -> str:
        """Wait until the preview has said `words` `times` times in all (a build's end, an
        error...); the line that says it. Waits on its output, not on a clock."""
        with self._said:
            self._said.wait_for(lambda: None in self.lines or _count(self.lines, words) >= times)
            assert _count(self.lines, words) >= times, f"the preview ended without saying {words!r}:\n" + "".join(
                line for line in self.lines if line
            )
            return [line for line in self.lines if line and words in line][times - 1]


def _count(lines: list, words: str) -> int:
    return sum(1 for line in lines if line and words in line)


@contextmanager
def serving(root: Path, engine: str = "mkdocs", *options: str, **env: str) -> Iterator[Served]:
    """`evidence serve` of the project at `root` by `engine`, with `options`, ready to answer
    (the server said "Serving on")."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    evidence = Path(sys.executable).with_name("evidence")
    process = subprocess.Popen(
        [
            str(evidence),
            "--root",
            str(root),
            "serve",
            "-v",
            "--dev-addr",
            f"127.0.0.1:{port}",
            "--engine",
            engine,
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        served = Served(process, f"http://127.0.0.1:{port}")
        served.said("Serving on")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)


# ---- Browser tests: Debian's Chromium, driven by Playwright (never a downloaded browser) ----

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# As the machine's probe runs it: no sandbox as root, and no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "run `make test`: it installs Debian's chromium (scripts/setup-system)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def search_in(page, words: str, typed: bool = True) -> list[str]:
    """Type into the site's search box as a reader would; the results' addresses, in order,
    once the box shows the answer the site's own search gives for the whole of `words`
    (typed=False: the box holds them already, from the page's address)."""
    if typed:
        box = page.locator("#evidence-search-input")
        box.fill("")
        box.type(words, delay=5)
    wanted = page.evaluate("async words => (await evidenceSearch.search(words)).results.map(r => r.url)", words)
    page.wait_for_function(
        """wanted => {
            const panel = document.querySelector('.evidence-search__results');
            const shown = [...panel.querySelectorAll('.evidence-search__link')].map(a => a.getAttribute('href'));
            return !panel.hidden && shown.length === wanted.length && shown.every((h, i) => h.endsWith(wanted[i]));
        }""",
        arg=wanted,
    )
    return [a.get_attribute("href") or "" for a in page.query_selector_all(".evidence-search__link")]


def search_index(site: Path) -> tuple[list[list[str]], dict[str, list[int]]]:
    """The site's search index read back: its documents (url, title, kind, snippet) and each
    word's postings, as (page number, score) pairs."""
    import json

    def data(path: Path):
        text = path.read_text(encoding="utf-8")
        return json.loads(text[text.index(",", text.index(",") + 1) + 1 : text.rindex(")")])

    chunks = sorted(site.glob("search/d-*.js"), key=lambda p: int(p.stem[2:]))
    documents = [row for chunk in chunks for row in data(chunk)]
    postings = {word: _numbered(found) for shard in site.glob("search/t-*.js") for word, found in data(shard).items()}
    return documents, postings


def _numbered(postings: list[int]) -> list[int]:
    """A word's postings as (page number, score) pairs: the index writes each page as the gap
    from the one before."""
    numbers = itertools.accumulate(postings[::2])
    return [n for number, score in zip(numbers, postings[1::2], strict=True) for n in (number, score)]
