"""Measuring what a user waits for: a command's wall time and peak memory, a preview's
latency after an edit, and searches from file:// in Chromium."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def command(args: list[str], cwd: Path) -> Run:
    """Run a command to its end; its wall time and its own peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def _shard_of(base: str, word: str) -> str:
    """The address of the served file of the index that holds `word`, found as the browser finds it."""
    from builder.render.searchindex import shard_name

    meta = _get(f"{base}/search/meta.js")
    if not meta:
        return f"{base}/search/meta.js"
    names = json.loads(meta[meta.index("{") : meta.rindex(")")])["shards"]
    name = max((n for n in names if n.encode("utf-16-be") <= word.encode("utf-16-be")), default=names[0])
    return f"{base}/search/t-{shard_name(name)}.js"


def _until(condition, seconds: float, step: float = 0.02) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if condition():
            return time.perf_counter() - start
        time.sleep(step)
    raise SystemExit(f"gave up after {seconds} s")


def preview(project: Path, source_id: str, edits: int = 3) -> dict[str, float]:
    """`evidence serve` on the project: the seconds from saving a word in one source's summary
    to the served page showing it, for each of `edits` edits saved one after another (each as
    soon as the page shows the last); then the seconds until the rebuild after the last edit
    has made the search index right, and whether a page the edits did not touch is unchanged."""
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "evidence"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/sources/{source_id}.html"
    path = project / "evidence" / f"{source_id}.yaml"
    original = path.read_text()
    try:
        first = _until(lambda: "<h1>" in _get(page), 900, 0.5)
        other = _get(f"{base}/themes/leadership.html")
        latencies = []
        for i in range(edits):
            word = f"zebraword{i}x{int(time.time())}"
            path.write_text(re.sub(r"(summary: >\n  )", rf"\1{word} ", original, count=1))
            latencies.append(_until(lambda word=word: word in _get(page), 600))
        searchable = _until(lambda: word in _get(_shard_of(base, word)), 600, 0.1)
        return {
            "first_build": first,
            "latencies": latencies,
            "median": sorted(latencies)[len(latencies) // 2],
            "all_right_after": latencies[-1] + searchable,  # from the last save
            "other_page_unchanged": float(_get(f"{base}/themes/leadership.html") == other),
        }
    finally:
        path.write_text(original)
        server.terminate()
        server.wait(timeout=30)


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
