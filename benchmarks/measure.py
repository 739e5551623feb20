"""Measuring what a user waits for: a command's wall time and peak memory, a preview's
latency after an edit, and searches from file:// in Chromium."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def command(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to its end; its wall time and its own peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{process.stderr.read().decode()[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    """A served page, without the live-reload script the server adds (it differs each build)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode("utf-8")
    except OSError:
        return ""
    return re.sub(r"<script>\s*var livereload = .*?</script>", "", page, flags=re.S)


def _until(condition, seconds: float, step: float = 0.02) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if condition():
            return time.perf_counter() - start
        time.sleep(step)
    raise SystemExit(f"gave up after {seconds} s")


@dataclass(frozen=True)
class Edit:
    """An edit a user saves (`old` replaced by `new` and a word), and the page that shows it."""

    what: str
    path: str
    old: str
    new: str
    page: str


# Each kind of edit the issue names, on the bench's base (benchmarks/generate.py).
EDITS = (
    Edit(
        "a source's summary",
        "evidence/source-00001.yaml",
        "summary: >\n  ",
        "summary: >\n  {word} ",
        "sources/source-00001.html",
    ),
    Edit(
        "a key message (themes.yaml), its theme's page",
        "evidence/themes.yaml",
        "statement: ",
        "statement: {word} ",
        "themes/leadership.html",
    ),
    Edit(
        "a key message (themes.yaml), the home page",
        "evidence/themes.yaml",
        "statement: ",
        "statement: {word} ",
        "index.html",
    ),
    Edit(
        "a theme's title (every page's navigation)",
        "evidence/themes.yaml",
        "title: Leadership",
        "title: Leadership {word}",
        "sources/source-00002.html",
    ),
    Edit("a title in references.bib", "references.bib", "title = {", "title = {{word} ", "sources/source-00000.html"),
    Edit(
        "the briefing file (briefing.yaml)",
        "evidence/briefing.yaml",
        "publisher: The",
        "publisher: The {word}",
        "index.html",
    ),
    Edit("a hand-written page (docs/)", "docs/about.md", "A hand-written page", "A {word} page", "about.html"),
)


PDF_LENGTH = "a PDF of"  # the home page says the PDF's length (builder/render/briefing.py pdf_said)


def with_pdf_length(edit: Edit) -> str:
    """An edit on the home page, until the page also says the new PDF's length."""
    return f"{edit.what}, then the new PDF's length on it"


class _Preview:
    """`evidence serve` in its own process, and when it said what."""

    def __init__(self, project: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.said: list[tuple[float, str]] = []
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(BIN / "evidence"), "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        for line in self.process.stderr:
            self.said.append((time.perf_counter(), line))

    def get(self, page: str) -> str:
        return _get(f"{self.base}/{page}")

    def shows(self, page: str, words: str, seconds: float) -> float:
        """Seconds until the page shows the words (or stops showing them, words starting '-')."""
        gone = words.startswith("-")
        return _until(lambda: (words.lstrip("-") in self.get(page)) != gone, seconds)

    def whole_site(self, since: float, seconds: float) -> float:
        """Seconds from `since` until the preview said the whole site was written."""
        found = lambda: next((t for t, line in self.said if t > since and "rebuilt in" in line), None)  # noqa: E731
        _until(lambda: found() is not None, seconds, 0.05)
        return found() - since

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def preview_start(project: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """`evidence serve` started: the seconds until its home page shows, then a source's page,
    and until the whole site and its search index are written."""
    served = _Preview(project, env)
    try:
        first = served.shows("index.html", "<h1", 900)
        other = time.perf_counter()
        served.shows("sources/source-00003.html", "<h1", 60)
        return {
            "first page": first,
            "another page": time.perf_counter() - other,
            "whole site": served.whole_site(served.started, 1800),
        }
    finally:
        served.stop()


def preview_edits(
    project: Path, edits: tuple[Edit, ...] = EDITS, times: int = 3, env: dict[str, str] | None = None
) -> dict[str, list[float]]:
    """Under `evidence serve`: the seconds from saving each kind of edit to the page that shows it
    showing it, `times` times each (each edit undone, and its undoing shown, before the next);
    on the home page, also until it says the new PDF's length; and after a source's edit, the
    seconds until the whole site and search index are written."""
    served = _Preview(project, env)
    found: dict[str, list[float]] = {}
    try:
        served.shows("index.html", "<h1", 900)
        served.whole_site(served.started, 1800)
        for n in range(times):
            for edit in edits:
                path = project / edit.path
                original = path.read_text()
                word = f"zebraword{n}x{len(found.get(edit.what, []))}q{int(time.time())}"
                path.write_text(original.replace(edit.old, edit.new.replace("{word}", word), 1))
                saved = time.perf_counter()
                try:
                    found.setdefault(edit.what, []).append(served.shows(edit.page, word, 600))
                    if edit.page == "index.html":  # it says the PDF is being made, then how long it is
                        served.shows(edit.page, PDF_LENGTH, 600)
                        found.setdefault(with_pdf_length(edit), []).append(time.perf_counter() - saved)
                    if edit is edits[0]:
                        found.setdefault("every page and search, after a source's summary", []).append(
                            served.whole_site(saved, 1800)
                        )
                finally:
                    path.write_text(original)
                served.shows(edit.page, "-" + word, 600)
        return found
    finally:
        served.stop()


# What a reader types: words, the same words misspelt (read as the words meant), a phrase.
SEARCHES = {
    "words": "commissioning leadership",
    "misspelt": "comissioning leadersip",
    "phrase": '"commissioning leadership"',
}


def search(site: Path, second_page: str) -> dict[str, float]:
    """From file:// in Chromium, for each of SEARCHES typed at once into the box of a page just
    opened (each in a fresh page, so nothing is loaded already): the seconds from opening the
    page to the first result, the bytes the search loaded (the files of search/ it asked for),
    and the page's JS heap after it; and the same for the words on the next page opened."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    found: dict[str, float] = {}
    runs = [(label, query, "index.html") for label, query in SEARCHES.items()]
    runs.append(("next page", SEARCHES["words"], second_page))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        for label, query, path in runs:
            if label != "next page":  # the next page is opened in the page of the words' search
                page.close()
                page = browser.new_page()
            session = page.context.new_cdp_session(page)
            session.send("Performance.enable")
            loaded: set[str] = set()
            page.on("request", lambda request, loaded=loaded: loaded.add(request.url))
            start = time.perf_counter()
            page.goto((site / path).as_uri())
            page.fill("#evidence-search-input", query)
            page.wait_for_selector(".evidence-search__link", timeout=60_000)
            found[f"{label}: first result s"] = time.perf_counter() - start
            files = [Path(url.removeprefix("file://")) for url in loaded if "/search/" in url]
            found[f"{label}: loaded MB"] = sum(f.stat().st_size for f in files if f.is_file()) / 2**20
            metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
            found[f"{label}: JS heap MB"] = metrics["JSHeapUsedSize"] / 2**20
        browser.close()
    return found


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
