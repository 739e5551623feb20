from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder.build import check_project
from builder.check import CheckResult
from builder.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    # Each test says where stored texts are, if it needs them (tests/test_shipped.py uses
    # ../shared/sources, where CI's EVIDENCE_SOURCE_TEXTS points): the fixtures have their own.
    os.environ.pop("EVIDENCE_SOURCE_TEXTS", None)


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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "run `make test`: it installs Debian's chromium (scripts/setup-system)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project's site, built once for every browser test."""
    from builder.site import build_site

    return build_site(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("shipped") / "site")


def search_in(page, words: str) -> list[str]:
    """Type into the site's search box as a reader would; the results' addresses, in order."""
    box = page.locator("#evidence-search-input")
    box.fill("")
    box.type(words, delay=5)
    page.wait_for_function("() => document.querySelector('.evidence-search__status').textContent !== ''")
    page.wait_for_timeout(50)
    return [a.get_attribute("href") or "" for a in page.query_selector_all(".evidence-search__link")]


def search_index(site: Path) -> tuple[list[list[str]], dict[str, list[int]]]:
    """The site's search index read back: its documents (url, title, kind, snippet) and postings."""
    import json

    def data(path: Path):
        text = path.read_text(encoding="utf-8")
        return json.loads(text[text.index(",", text.index(",") + 1) + 1 : text.rindex(")")])

    chunks = sorted(site.glob("search/d-*.js"), key=lambda p: int(p.stem[2:]))
    documents = [row for chunk in chunks for row in data(chunk)]
    postings = {word: found for shard in site.glob("search/t-*.js") for word, found in data(shard).items()}
    return documents, postings
