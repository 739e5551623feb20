"""`make bench`: measure the generator at 100, 1,000 and 10,000 sources; write RESULTS.md.

For each size: a synthetic evidence base (benchmarks/generate.py), the floor (PyYAML's C
loader on the same files), the core stage by stage, the full `mkdocs build`, and the
baseline: `mkdocs build` of the very same pages already written as plain Markdown files,
with the same navigation, so the generator's overhead is a ratio. Each measurement runs in
a fresh process; timings are wall-clock seconds on this machine, peak memory is resident.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml
from builder.pipeline import Project, check

from benchmarks.generate import MKDOCS_COMMON, generate
from benchmarks.stage import EDITS, edit_one_file
from builder.mkdocs_plugin import default_nav
from builder.render import RenderOptions, render_site

HERE = Path(__file__).resolve().parent
# The pages mark what search should skip with attribute lists ({ data-search-exclude }), so
# the baseline enables attr_list as the plugin does: the same Markdown then makes the same
# HTML and the same search index.
BASELINE_YML = MKDOCS_COMMON + "markdown_extensions:\n  - attr_list\nnot_in_nav: |\n  sources/*.md\n"


def measure(task: str, root: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.stage", task, str(root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"{task} failed on {root}:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


REPEATS = 3


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each timing's median over the runs (a key with text, such as a page's name, from the first)."""
    return {
        key: statistics.median(run[key] for run in runs) if isinstance(value, (int, float)) else value
        for key, value in runs[0].items()
    }


def write_baseline(project: Path, baseline: Path) -> None:
    """The same pages as plain Markdown files in docs/, built by MkDocs with no plugin."""
    shutil.rmtree(baseline, ignore_errors=True)
    corpus = check(Project(project)).corpus
    pages = render_site(corpus, RenderOptions())
    for page in pages:
        target = baseline / "docs" / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    nav = default_nav([p.src_uri for p in pages if p.in_nav], [])
    (baseline / "mkdocs.yml").write_text(BASELINE_YML + yaml.safe_dump({"nav": nav}, sort_keys=False))


def sizes(site: Path) -> dict[str, float]:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size)
    return {
        "site_mb": sum(p.stat().st_size for p in files) / 2**20,
        "largest_page_kb": largest.stat().st_size / 1024,
        "largest_page": largest.relative_to(site).as_posix(),
        "search_index_mb": (site / "search" / "search_index.json").stat().st_size / 2**20,
        "source_page_kb": max(
            p.stat().st_size for p in html if p.parent.name == "sources" and not p.name.startswith("index")
        )
        / 1024,
    }


def run_size(n: int, work: Path) -> dict[str, object]:
    project, baseline = work / f"evidence-{n}", work / f"baseline-{n}"
    print(f"[{n}] generating", file=sys.stderr)
    generate(project, n)
    write_baseline(project, baseline)
    result: dict[str, object] = {"n": n}
    # Timings vary by a tenth or more from run to run on a shared machine: each is the median
    # of REPEATS runs, taken in turn; but a build of 10,000 sources takes minutes and runs once.
    runs: dict[str, list[dict[str, float]]] = {"bare_yaml": [], "stages": [], "core": []}
    for i in range(REPEATS):
        for task, found in runs.items():
            print(f"[{n}] {task} ({i + 1} of {REPEATS})", file=sys.stderr)
            found.append(measure(task, project))
    result.update({task: median(found) for task, found in runs.items()})
    builds: dict[str, list[dict[str, float]]] = {"build": [], "baseline": []}
    for i in range(REPEATS if n <= 1000 else 1):
        for task, found in builds.items():
            print(f"[{n}] {task} ({i + 1})", file=sys.stderr)
            shutil.rmtree(project / ".cache", ignore_errors=True)  # every build cold
            found.append(measure("build", baseline if task == "baseline" else project))
    result.update({task: median(found) for task, found in builds.items()})
    print(f"[{n}] warm core after one edit", file=sys.stderr)
    measure("cached_core", project)  # fills the caches
    for what in (*EDITS, ""):
        warm = []
        for _ in range(REPEATS):
            if what:
                edit_one_file(project, what)
                time.sleep(2.1)  # else its stamp is too new to trust, and it is read again
            warm.append(measure("cached_core", project))
        result[f"warm {what or 'unchanged'}"] = median(warm)
    result["sizes"] = sizes(project / "site")
    result["baseline_sizes"] = sizes(baseline / "site")
    return result


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1]) // 2**20
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB memory, Python {platform.python_version()}, {platform.system()}"


def report(
    results: list[dict],
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        "",
        "Made by `make bench` (`python -m benchmarks.run`); synthetic evidence bases from "
        "`benchmarks/generate.py` (about 5 findings and a 150-word summary per source, 3.8 KB a file, "
        "8 themes). Wall-clock seconds, the median of three runs (a build of 10,000 sources: one run); "
        "peak resident memory of the measuring process.",
        "",
        "## Core pipeline (everything before MkDocs renders HTML), cold",
        "",
        "The core as it runs, with no cache: on this two-core machine loading and rendering are "
        "split with a forked child (builder/parallel.py), whose peak memory is given after the "
        "process's own. Then the same work stage by stage in one process, to show where the time goes.",
        "",
        "| sources | PyYAML C loader alone | check (load, validate, link) | render Markdown | core total "
        "| core / C loader | peak memory (process / child) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        c, b = r["core"], r["bare_yaml"]
        lines.append(
            f"| {r['n']:,} | {b['total']:.2f} | {c['check']:.2f} | {c['render Markdown']:.2f} | {c['total']:.2f} | "
            f"{c['total'] / b['total']:.1f}× | {c['peak_mb']:.0f} / {c['child_peak_mb']:.0f} MB |"
        )
    lines += [
        "",
        "| sources, one process | load YAML | parse references | validate | link | render Markdown | total "
        "| peak memory |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        c = r["stages"]
        lines.append(
            f"| {r['n']:,} | {c['load YAML']:.2f} | {c['parse references']:.2f} | {c['validate']:.2f} | "
            f"{c['link']:.2f} | {c['render Markdown']:.2f} | {c['total']:.2f} | {c['peak_mb']:.0f} MB |"
        )
    lines += [
        "",
        "## Core pipeline, warm: after one file changed",
        "",
        "The same core with its caches in `.cache/` (as `mkdocs build` and `evidence check` run it), "
        "filled by a previous run, after one word was added to one source's summary, or to one of "
        "its findings (which also changes a theme page and findings.csv), to a theme's description "
        "in themes.yaml or to a reference's title in references.bib, or with nothing changed. "
        "Render includes reading and saving the stores; pages kept in the cache are handed on unread "
        "(the plugin reads them for MkDocs).",
        "",
        "| sources | edit | check (load, validate, link) | render Markdown | warm core total | cold core total "
        "| peak memory |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for what in (*EDITS, "unchanged"):
            w = r[f"warm {what}"]
            lines.append(
                f"| {r['n']:,} | {what} | {w['check']:.2f} | {w['render Markdown']:.2f} | {w['total']:.2f} | "
                f"{r['core']['total']:.2f} | {w['peak_mb']:.0f} MB |"
            )
    lines += [
        "",
        "## Full build against the plain-Markdown baseline",
        "",
        "| sources | `mkdocs build` with the generator | baseline: same pages as Markdown files | ratio "
        "| peak memory: build (its core, forked) / baseline | site size | largest page | largest source page "
        "| search index |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        s = r["sizes"]
        lines.append(
            f"| {r['n']:,} | {r['build']['total']:.1f} s | {r['baseline']['total']:.1f} s | "
            f"{r['build']['total'] / r['baseline']['total']:.2f} | {r['build']['peak_mb']:.0f} "
            f"({r['build']['child_peak_mb']:.0f}) / {r['baseline']['peak_mb']:.0f} MB | {s['site_mb']:.1f} MB | "
            f"{s['largest_page_kb']:.0f} KB "
            f"(`{s['largest_page']}`) | {s['source_page_kb']:.0f} KB | {s['search_index_mb']:.1f} MB |"
        )
    if len(results) > 1:
        lines += [
            "",
            "## Growth",
            "",
            "| from → to | sources × | core time × | build time × |",
            "| --- | ---: | ---: | ---: |",
        ]
        for a, b in zip(results, results[1:], strict=False):
            lines.append(
                f"| {a['n']:,} → {b['n']:,} | {b['n'] / a['n']:.0f} | "
                f"{b['core']['total'] / a['core']['total']:.1f} | {b['build']['total'] / a['build']['total']:.1f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    results = [run_size(int(n), args.work) for n in args.sizes.split(",")]
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=2))
    args.out.write_text(report(results))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
