"""Run one measured task in this process and print its timings and peak memory as JSON.

Each task runs in a fresh process (benchmarks/run.py starts them), so the peak resident
memory reported is that task's own.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import yaml


def _evidence_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "evidence").glob("*.yaml") if p.name != "themes.yaml")


def bare_yaml(root: Path) -> dict[str, float]:
    """The floor: PyYAML's C loader on the same files, nothing else."""
    start = time.perf_counter()
    for path in _evidence_files(root):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {"total": time.perf_counter() - start}


def core(root: Path) -> dict[str, float]:
    """The generator's core as it runs, with no cache: check (load, validate, link), then render.

    On a machine with two cores the pipeline splits loading and rendering with a forked
    child (builder/parallel.py); peak memory is then reported for each process.
    """
    from builder.pipeline import Project, check

    from builder.render import render_site

    start = time.perf_counter()
    result = check(Project(root))
    assert result.corpus is not None, [p.text() for p in result.problems if p.is_error][:3]
    checked = time.perf_counter()
    pages = render_site(result.corpus)
    done = time.perf_counter()
    return {"check": checked - start, "render Markdown": done - checked, "total": done - start, "pages": len(pages)}


def stages(root: Path) -> dict[str, float]:
    """The core stage by stage, in one process: load, references, validate, link, render.

    With the garbage collector paused, as builder.pipeline.check and render_site run.
    """
    import builder.parallel
    from builder.gcpause import paused_gc
    from builder.parallel import MIN_ITEMS

    builder.parallel.MIN_ITEMS = 2**62  # one process: each stage's own cost
    try:
        with paused_gc():
            return _core(root)
    finally:
        builder.parallel.MIN_ITEMS = MIN_ITEMS


def _core(root: Path) -> dict[str, float]:
    from builder.bibfile import read_bib

    from builder.corpus import Card, Entry, link
    from builder.model import Source, ThemesFile
    from builder.render import render_site
    from builder.validate import validate
    from builder.yamlfile import load_yaml

    times: dict[str, float] = {}
    start = time.perf_counter()
    docs = [load_yaml(p, f"evidence/{p.name}")[0] for p in _evidence_files(root)]
    themes_doc, _ = load_yaml(root / "evidence" / "themes.yaml", "evidence/themes.yaml")
    times["load YAML"] = time.perf_counter() - start

    start = time.perf_counter()
    references, _ = read_bib(root / "references.bib", "references.bib")
    times["parse references"] = time.perf_counter() - start

    start = time.perf_counter()
    sources = [(validate(doc, Source)[0], doc) for doc in docs]
    entries = [Entry(Card.of(source), source, doc=doc) for source, doc in sources]
    themes = validate(themes_doc, ThemesFile)[0]
    times["validate"] = time.perf_counter() - start

    start = time.perf_counter()
    corpus, problems = link(list(themes.themes), themes_doc, entries, references, "references.bib")
    assert not [p for p in problems if p.is_error]
    times["link"] = time.perf_counter() - start

    start = time.perf_counter()
    pages = render_site(corpus)
    times["render Markdown"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    times["pages"] = len(pages)
    times["largest generated Markdown (KB)"] = max(len(p.content) for p in pages) / 1024
    return times


def cached_core(root: Path) -> dict[str, float]:
    """The core with its caches, as `mkdocs build` runs it: check, render, save the stores.

    benchmarks/run.py runs it once to fill the caches, changes one evidence file, and runs it
    again: the second run is the warm build after one edit.
    """
    from builder.gcpause import paused_gc
    from builder.pipeline import Project, check
    from builder.render.shelf import RenderCache

    from builder.render import render_site

    project = Project(root, cache_dir=".cache/benchmark")
    times: dict[str, float] = {}
    start = time.perf_counter()
    result = check(project)
    assert result.corpus is not None
    times["check"] = time.perf_counter() - start
    start = time.perf_counter()
    with paused_gc():
        cache = RenderCache(project.cache_path())
        render_site(result.corpus, cache=cache)
        cache.save()
    times["render Markdown"] = time.perf_counter() - start
    times["total"] = times["check"] + times["render Markdown"]
    return times


EDITS = {
    # A contributor's correction: one word added to one source's summary (its own page, the
    # feed and evidence.json change)...
    "summary": ("evidence", "summary: >\n  ", "summary: >\n  Revised. "),
    # ...or to one of its findings (also the theme page, findings.csv and perhaps the briefing).
    "finding": ("evidence", "    statement: ", "    statement: Revised. "),
    # An editor's: a theme's description (its own pages), a reference's title (every page
    # listing references or sources, and the library parsed again).
    "theme description": ("evidence/themes.yaml", "description: ", "description: Revised "),
    "reference title": ("references.bib", "title = {", "title = {Revised "),
}


def edit_one_file(root: Path, what: str = "summary") -> None:
    """One word added to one source's summary or first finding, a theme's description or a reference's title."""
    where, old, new = EDITS[what]
    if where == "evidence":
        files = _evidence_files(root)
        path = files[len(files) // 2]
    else:
        path = root / where
    text = path.read_text(encoding="utf-8")
    edited = text.replace(old, new, 1)
    assert edited != text, f"no {what} in {path}"
    path.write_text(edited, encoding="utf-8")


def build(root: Path) -> dict[str, float]:
    """`mkdocs build` of the project (the evidence plugin does the core work inside it)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    start = time.perf_counter()
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    config.plugins.on_shutdown()
    return {"total": time.perf_counter() - start}


TASKS = {"bare_yaml": bare_yaml, "core": core, "stages": stages, "cached_core": cached_core, "build": build}


def main() -> None:
    task, root = sys.argv[1], Path(sys.argv[2])
    result = TASKS[task](root)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Forked children (builder/parallel.py) and processes MkDocs starts: the largest of them.
    result["child_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
