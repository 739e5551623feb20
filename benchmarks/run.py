"""`make bench`: what a user waits for, at 100, 1,000 and 10,000 sources; writes RESULTS.md.

For each size, a synthetic evidence base (benchmarks/generate.py) and, built in the same run,
the baseline: the same number and shape of pages written as plain Markdown, built by plain
MkDocs with Material's search and offline plugins (benchmarks/baseline.py). Measured, each in
a fresh process: `evidence check`; the full `evidence build` and the baseline's `mkdocs build`
(wall time and peak memory); a preview under `evidence serve` (from saving a word in one
source's summary to the served page showing it); and search from file:// in Chromium.

    python -m benchmarks.run [--sizes 100,1000,10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

from benchmarks import measure
from benchmarks.baseline import write_baseline
from benchmarks.generate import generate

HERE = Path(__file__).resolve().parent
# Figures measured before this version (issues 17 and 20, on this machine), for comparison.
BEFORE = {
    1000: {"build": 17.3, "baseline": 7.4, "preview": 20.0, "search s": 1.1, "heap": 72, "index": 3.0},
    10000: {"build": 122.2, "baseline": 107.3, "preview": 120.0, "search s": 7.3, "heap": 588, "index": 31.0},
}


def run_size(n: int, work: Path, repeats: int) -> dict:
    project, baseline = work / f"evidence-{n}", work / f"baseline-{n}"
    print(f"[{n}] generating the evidence base and the baseline", file=sys.stderr)
    generate(project, n)
    write_baseline(project, baseline)
    evidence, mkdocs = str(measure.BIN / "evidence"), str(measure.BIN / "mkdocs")
    times = repeats if n <= 1000 else 1  # a build of 10,000 sources takes a minute or two
    result: dict = {"n": n}
    checks = [measure.command([evidence, "check"], project) for _ in range(repeats)]
    result["check"] = statistics.median(r.seconds for r in checks)
    builds, bases = [], []
    for i in range(times):
        print(f"[{n}] build and baseline ({i + 1} of {times})", file=sys.stderr)
        builds.append(measure.command([evidence, "build"], project))
        bases.append(measure.command([mkdocs, "build", "-q"], baseline))
    result["build"] = statistics.median(r.seconds for r in builds)
    result["build_mb"] = max(r.peak_mb for r in builds)
    result["baseline"] = statistics.median(r.seconds for r in bases)
    result["baseline_mb"] = max(r.peak_mb for r in bases)
    site = project / "site"
    result["site_mb"] = measure.folder_mb(site)
    result["index_mb"] = measure.folder_mb(site / "search")
    result["filters_mb"] = (site / "browse" / "sources.js").stat().st_size / 2**20
    print(f"[{n}] preview", file=sys.stderr)
    result["preview"] = measure.preview(project, "source-00001")
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
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB memory, Python {platform.python_version()}"


def _before(n: int, key: str, unit: str = "") -> str:
    value = BEFORE.get(n, {}).get(key)
    return f"{value:g}{unit}" if value is not None else "–"


def targets(results: list[dict]) -> list[str]:
    """Each target of issues 17, 20 and 27 that a size measured here has, met or missed."""
    rows = []
    for r in results:
        n, p, s = r["n"], r["preview"], r["search"]
        limit = {1000: 1.0, 10000: 3.0}.get(n)
        if limit:
            rows.append((n, "full build at most 1.5× the baseline", r["build"] / r["baseline"], 1.5, "×"))
            rows.append((n, "preview: the edited page shows (median)", p["median"], limit, " s"))
        if n in (1000, 10000):
            for label in (*measure.SEARCHES, "next page"):
                rows.append((n, f"search ({label}): first result", s[f"{label}: first result s"], 1.0, " s"))
                rows.append((n, f"search ({label}): what it loads", s[f"{label}: loaded MB"], 3.0, " MB"))
            heap = max(s[f"{label}: JS heap MB"] for label in (*measure.SEARCHES, "next page"))
            rows.append((n, "search: JS heap", heap, 150, " MB"))
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
        f"Machine: {machine()}. Made by `make bench` (`python -m benchmarks.run`), which also checks the",
        "targets of issues 17, 20 and 27. Synthetic evidence bases from `benchmarks/generate.py` (4 to 6 findings",
        "and a 150-word summary a source, 3.8 KB a file, 8 themes); wall-clock seconds, medians of the runs",
        '(a 10,000-source build runs once); peak resident memory of the process. "Before" is what',
        "issues 17 and 20 measured on this machine before this version.",
        "",
        "## Targets",
        "",
        *targets(results),
        "",
        "## Full build, beside plain MkDocs + Material building the same pages (target: at most 1.5×)",
        "",
        "| sources | `evidence build` | baseline `mkdocs build` | ratio | before: build / baseline "
        "| peak memory: build / baseline | site |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        n = r["n"]
        lines.append(
            f"| {n:,} | {r['build']:.1f} s | {r['baseline']:.1f} s | {r['build'] / r['baseline']:.2f}× | "
            f"{_before(n, 'build', ' s')} / {_before(n, 'baseline', ' s')} | "
            f"{r['build_mb']:.0f} / {r['baseline_mb']:.0f} MB | "
            f"{r['site_mb']:.0f} MB |"
        )
    lines += [
        "",
        "The build includes the PDF briefing (WeasyPrint) and the search index; the baseline has neither",
        "a PDF nor the generator's downloads, and its search is Material's.",
        "",
        "## Preview: a word saved in one source's summary, until the served page shows it",
        "",
        "Targets: 1 s at 1,000 sources, 3 s at 10,000. Three edits, each saved as soon as the page",
        "shows the one before (so the later ones land while the rebuild of the one before runs, and",
        "stop it); the file watcher polls every 0.25 s. Then the seconds until that rebuild has made",
        "every page and the search index right, and whether a page the edits did not touch is unchanged.",
        "",
        "| sources | median | each edit | before | every page and search right after | "
        "first build of `evidence serve` | an untouched page unchanged |",
        "| ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        p = r["preview"]
        each = ", ".join(f"{s:.2f}" for s in p["latencies"])
        lines.append(
            f"| {r['n']:,} | {p['median']:.2f} s | {each} | {_before(r['n'], 'preview', ' s')} | "
            f"{p['all_right_after']:.1f} s | {p['first_build']:.0f} s | "
            f"{'yes' if p['other_page_unchanged'] else 'NO'} |"
        )
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
    for r in results:
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
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    results = [run_size(int(n), args.work, args.repeats) for n in args.sizes.split(",")]
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2))
    args.out.write_text(report(results))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
