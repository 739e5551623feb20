"""`make bench`: what a user waits for, at the sizes teams have; writes RESULTS.md.

For the shipped base (5 sources) and synthetic bases of 100, 1,000 and 10,000 sources
(benchmarks/generate.py), and, built in the same run, the baseline: the same number and shape
of pages written as plain Markdown, built by plain MkDocs with Material's search and offline
plugins (benchmarks/baseline.py). Measured, each in a fresh process: `evidence check`; the full
`evidence build` (with no PDF kept from before, and again with it kept) and the baseline's
`mkdocs build` (wall time and peak memory); `evidence serve`: its first page, and each kind of
edit until the page that shows it shows it; and search from file:// in Chromium.

    python -m benchmarks.run [--sizes 5,100,1000,10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
from pathlib import Path

from benchmarks import measure
from benchmarks.baseline import write_baseline
from benchmarks.generate import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Figures measured before this version, on this machine: issues 17 and 20 (search, builds),
# and issue 26 (small builds, the preview's start and edits, memory).
BEFORE = {
    5: {"build": 2.7, "baseline": 0.8},
    100: {"build": 5.5, "baseline": 1.7},
    1000: {"build": 17.3, "baseline": 7.4, "search s": 1.1, "heap": 72, "index": 3.0, "first page": 11.2},
    10000: {"build": 122.2, "baseline": 107.3, "search s": 7.3, "heap": 588, "index": 31.0, "first page": 69.0},
}
BEFORE_EDITS = {1000: {measure.EDITS[1].what: 5.1, measure.EDITS[4].what: 3.2}}
BEFORE_MB = {10000: 1700}
# The shipped base: this repository's own briefing, copied (its stored texts are not needed).
SHIPPED = ("evidence", "references.bib", "docs", "overrides", "mkdocs.yml", "CONTRIBUTING.md", "source-texts")
# (overrides/ only where the project has one: link previews' template moved into the package.)


def shipped(work: Path) -> Path:
    project = work / "evidence-5"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in SHIPPED:
        source, target = ROOT / name, project / name
        if source.exists():
            (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"\nwatch:\n  - builder\n?", "\n", config.read_text()))
    return project


def run_size(n: int, work: Path, repeats: int) -> dict:
    project, baseline = work / f"evidence-{n}", work / f"baseline-{n}"
    print(f"[{n}] the evidence base and the baseline", file=sys.stderr)
    if n == 5:
        shipped(work)
    else:
        generate(project, n)
    write_baseline(project, baseline)
    evidence, mkdocs = str(measure.BIN / "evidence"), str(measure.BIN / "mkdocs")
    kept = {"EVIDENCE_CACHE": str(work / "cache")}  # PDFs kept between builds (builder/store.py)
    shutil.rmtree(work / "cache", ignore_errors=True)
    times = repeats if n <= 1000 else 1  # a build of 10,000 sources takes a minute or two
    result: dict = {"n": n}
    result["check"] = statistics.median(measure.command([evidence, "check"], project).seconds for _ in range(repeats))
    cold, warm, bases = [], [], []
    for i in range(times):
        print(f"[{n}] build, nothing kept; again, the PDF kept; the baseline ({i + 1} of {times})", file=sys.stderr)
        empty = work / f"cache-empty-{i}"
        shutil.rmtree(empty, ignore_errors=True)
        cold.append(measure.command([evidence, "build"], project, {"EVIDENCE_CACHE": str(empty)}))
        measure.command([evidence, "build"], project, kept)  # keeps the PDF
        warm.append(measure.command([evidence, "build"], project, kept))
        bases.append(measure.command([mkdocs, "build", "-q"], baseline))
    result["build"] = statistics.median(r.seconds for r in cold)
    result["build_kept"] = statistics.median(r.seconds for r in warm)
    result["build_mb"] = max(r.peak_mb for r in cold + warm)
    result["baseline"] = statistics.median(r.seconds for r in bases)
    result["baseline_mb"] = max(r.peak_mb for r in bases)
    site = project / "site"
    result["site_mb"] = measure.folder_mb(site)
    result["index_mb"] = measure.folder_mb(site / "search")
    result["filters_mb"] = (site / "browse" / "sources.js").stat().st_size / 2**20
    if n >= 100:
        print(f"[{n}] the preview: its start, then each kind of edit", file=sys.stderr)
        empty = work / "cache-empty-preview"
        shutil.rmtree(empty, ignore_errors=True)
        measure.preview_start(project, kept)  # a preview before: what it parses is kept for the next
        result["start"] = measure.preview_start(project, kept)
        result["start_nothing_kept"] = measure.preview_start(project, {"EVIDENCE_CACHE": str(empty)})
        result["edits"] = measure.preview_edits(project, times=3 if n <= 1000 else 1, env=kept)
        print(f"[{n}] search in Chromium", file=sys.stderr)
        result["search"] = measure.search(site, "sources/source-00002.html")
    return result


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 2**20
            for line in Path("/proc/meminfo").read_text().splitlines()
            if "MemTotal" in line
        ),
        0,
    )
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB memory, Python {platform.python_version()}; load {load}"


def _before(n: int, key: str, unit: str = "") -> str:
    value = BEFORE.get(n, {}).get(key)
    return f"{value:g}{unit}" if value is not None else "–"


def targets(results: list[dict]) -> list[str]:
    """Each target of issues 17, 20, 26 and 27 that a size measured here has, met or missed."""
    rows = []
    for r in results:
        n = r["n"]
        if n == 100:
            rows.append(
                (n, "full build, the PDF kept, at most 1.3× the baseline", r["build_kept"] / r["baseline"], 1.3, "×")
            )
            rows.append(
                (n, "full build, nothing kept, at most 1.3× the baseline", r["build"] / r["baseline"], 1.3, "×")
            )
        if n in (1000, 10000):
            rows.append((n, "full build at most 1.5× the baseline", r["build"] / r["baseline"], 1.5, "×"))
            limit = {1000: 2.0, 10000: 3.0}[n]
            rows.append((n, "`evidence serve`: its first page shows", r["start"]["first page"], limit, " s"))
            s = r["search"]
            for label in (*measure.SEARCHES, "next page"):
                rows.append((n, f"search ({label}): first result", s[f"{label}: first result s"], 1.0, " s"))
                rows.append((n, f"search ({label}): what it loads", s[f"{label}: loaded MB"], 3.0, " MB"))
            heap = max(s[f"{label}: JS heap MB"] for label in (*measure.SEARCHES, "next page"))
            rows.append((n, "search: JS heap", heap, 150, " MB"))
        if n == 1000:
            for what in (e.what for e in measure.EDITS):
                rows.append((n, f"an edit shows (median): {what}", statistics.median(r["edits"][what]), 1.0, " s"))
        if n == 10000:
            rows.append((n, "`evidence build`: peak memory", r["build_mb"], 600, " MB"))
    lines = ["| sources | target | measured | limit | |", "| ---: | --- | ---: | ---: | --- |"]
    for n, what, value, limit, unit in rows:
        verdict = "met" if value <= limit else "MISSED"
        lines.append(f"| {n:,} | {what} | {value:.2f}{unit} | {limit:g}{unit} | {verdict} |")
    return lines


def _search_said(s: dict, label: str) -> str:
    seconds, loaded, heap = (s[f"{label}: {what}"] for what in ("first result s", "loaded MB", "JS heap MB"))
    return f"{seconds:.2f} s / {loaded:.2f} MB / {heap:.0f} MB"


def report(results: list[dict]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()} (load: the 1, 5 and 15-minute load averages as the report was written).",
        "Made by `make bench` (`python -m benchmarks.run`), which also checks the targets of issues 17, 20, 26 and 27.",
        "The shipped base (5 sources: this repository's briefing) and synthetic bases from",
        "`benchmarks/generate.py` (4 to 6 findings and a 150-word summary a source, 3.8 KB a file, 8 themes",
        "with two key messages each, a briefing file and a hand-written page); wall-clock seconds, medians",
        '(a 10,000-source build runs once); peak resident memory of the process. "Before" is what',
        "issues 17, 20 and 26 measured on this machine before this version. The machine is shared: timings",
        "vary with its load.",
        "",
        "## Targets",
        "",
        *targets(results),
        "",
        "## Full build, beside plain MkDocs + Material building the same pages",
        "",
        "Nothing kept: a build with an empty store (builder/store.py), as on a fresh machine or after an edit",
        "the PDF shows. The PDF kept: the same build again, its briefing unchanged, so the PDF comes from",
        "the store and WeasyPrint does not run.",
        "",
        "| sources | `evidence build`, nothing kept | the PDF kept | baseline `mkdocs build` "
        "| ratio: nothing kept / kept | before: build / baseline | peak memory: build / baseline | site |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        n = r["n"]
        before_mb = f" (before: {BEFORE_MB[n]:,} MB)" if n in BEFORE_MB else ""
        lines.append(
            f"| {n:,} | {r['build']:.1f} s | {r['build_kept']:.1f} s | {r['baseline']:.1f} s | "
            f"{r['build'] / r['baseline']:.2f}× / {r['build_kept'] / r['baseline']:.2f}× | "
            f"{_before(n, 'build', ' s')} / {_before(n, 'baseline', ' s')} | "
            f"{r['build_mb']:.0f} / {r['baseline_mb']:.0f} MB{before_mb} | {r['site_mb']:.0f} MB |"
        )
    lines += [
        "",
        "The build includes the PDF briefing (WeasyPrint) and the search index; the baseline has neither",
        "a PDF nor the generator's downloads, and its search is Material's.",
        "",
        "## `evidence serve`: its start",
        "",
        "From starting `evidence serve` to its home page showing (the page a reader opens first), then a",
        "source's page, and until the whole site and its search index are written behind them. Kept: the",
        "PDF and the compiled templates by the builds before, and the files a preview before parsed (the",
        "home page does not wait for the PDF: made meanwhile, it says it is being made); nothing kept: an",
        "empty store, as the first preview of a briefing on a machine.",
        "",
        "| sources | first page, kept | then another page | whole site written | first page, nothing kept | before |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in (r for r in results if "start" in r):
        s, cold = r["start"], r["start_nothing_kept"]
        lines.append(
            f"| {r['n']:,} | {s['first page']:.2f} s | {s['another page']:.2f} s | {s['whole site']:.1f} s | "
            f"{cold['first page']:.2f} s | {_before(r['n'], 'first page', ' s')} |"
        )
    lines += [
        "",
        "## `evidence serve`: an edit, until the page that shows it shows it",
        "",
        "Each kind of edit saved, then the page that shows it fetched until it does (the preview hears of",
        "the change from the system and waits 0.1 s for more changes); the edit undone, and its undoing shown, before",
        "the next. Three times each at 100 and 1,000 sources (median, then each), once at 10,000. Target:",
        "1 s at 1,000 sources. The home page says how long the PDF is: after an edit the PDF shows, it",
        "says the PDF is being made, and then its length once the PDF is made (on another core).",
        "",
    ]
    with_edits = [r for r in results if "edits" in r]
    head = (
        "| edit, and the page that shows it | " + " | ".join(f"{r['n']:,} sources" for r in with_edits) + " | before |"
    )
    lines += [head, "| --- |" + " ---: |" * (len(with_edits) + 1)]
    kinds = [e.what for e in measure.EDITS]
    kinds += [measure.with_pdf_length(e) for e in measure.EDITS if e.page == "index.html"]
    kinds += ["every page and search, after a source's summary"]
    for what in kinds:
        cells = []
        for r in with_edits:
            found = r["edits"].get(what, [])
            each = ", ".join(f"{s:.2f}" for s in found)
            cells.append(f"{statistics.median(found):.2f} s ({each})" if found else "–")
        before = BEFORE_EDITS.get(1000, {}).get(what)
        lines.append(f"| {what} | " + " | ".join(cells) + f" | {f'{before:g} s at 1,000' if before else '–'} |")
    lines += [
        "",
        "## Search from file:// in Chromium",
        "",
        "Targets at 1,000 and 10,000 sources (issue 27): the first result within 1 s of opening a page, and what",
        "one search loads under 3 MB; JS heap under 150 MB. Typed at once into the box of `index.html`, each in a",
        "fresh page: words (`commissioning leadership`), the same words misspelt (`comissioning leadersip`, read",
        'as the words meant, from the vocabulary under their first letter) and a phrase (`"commissioning',
        'leadership"`, from the pairs of words that stand together); then the words in the next page opened.',
        "Loaded: the files of `search/` the search asked for. The index is all of `search/`, on disk; the filters",
        "of the list of sources and the evidence map load `browse/sources.js` instead (its size is the last column).",
        "",
        "| sources | index | words: first result / loaded / heap | misspelt | phrase | next page "
        "| before: first result / heap / index | filters' data |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in (r for r in results if "search" in r):
        s, n = r["search"], r["n"]
        said = [_search_said(s, label) for label in (*measure.SEARCHES, "next page")]
        lines.append(
            f"| {n:,} | {r['index_mb']:.1f} MB | {' | '.join(said)} | "
            f"{_before(n, 'search s', ' s')} / {_before(n, 'heap', ' MB')} / {_before(n, 'index', ' MB')} | "
            f"{r['filters_mb']:.1f} MB |"
        )
    lines += ["", "## `evidence check`, from the command line", "", "| sources | seconds |", "| ---: | ---: |"]
    lines += [f"| {r['n']:,} | {r['check']:.2f} |" for r in results]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,100,1000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")  # every build of a base alike
    results = [run_size(int(n), args.work, args.repeats) for n in args.sizes.split(",")]
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2))
    args.out.write_text(report(results))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
