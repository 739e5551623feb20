"""The baseline of `make bench`: the same number and shape of pages as the generator makes from
a synthetic evidence base, written by hand as plain Markdown, built by plain MkDocs with
Material and its search and offline plugins (what a team would run without the generator).

A page per source (summary, a design table, findings with quotes, limitations, implications,
a formatted reference), a page per theme listing its findings by kind of source, a list of
sources and a list of references; source pages out of the navigation, as the generator's are.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import yaml

BASELINE_YML = """site_name: Benchmark baseline
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
  - offline
not_in_nav: |
  sources/*.md
  *--*.md
"""
PAGE_SIZE = 200  # as the generator splits long pages
KINDS = {
    "review": "Reviews",
    "study": "Studies",
    "report": "Reports",
    "commentary": "Commentaries",
    "blog": "Blog posts",
    "news": "News",
}


def write_baseline(project: Path, baseline: Path) -> None:
    shutil.rmtree(baseline, ignore_errors=True)
    docs = baseline / "docs"
    (docs / "sources").mkdir(parents=True)
    (docs / "themes").mkdir()
    editors = {"themes.yaml", "briefing.yaml", "text-reviews.yaml", "appraisals.yaml"}
    paths = sorted(p for p in (project / "evidence").glob("*.yaml") if p.name not in editors)
    sources = [yaml.safe_load(p.read_text()) for p in paths]
    themes = yaml.safe_load((project / "evidence" / "themes.yaml").read_text())["themes"]
    titles = {t["id"]: t["title"] for t in themes}
    by_theme: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for source in sources:
        (docs / "sources" / f"{source['id']}.md").write_text(_source_page(source, titles))
        for finding in source["findings"]:
            by_theme[finding["theme"]].append((source, finding))
    for theme in themes:
        found = sorted(by_theme[theme["id"]], key=lambda sf: list(KINDS).index(sf[0]["type"]))
        for i, part in enumerate(_parts(found)):
            name = theme["id"] if i == 0 else f"{theme['id']}--{i + 1}"
            (docs / "themes" / f"{name}.md").write_text(_theme_page(theme, part, first=i == 0))
    for i, part in enumerate(_parts(sources)):
        rows = "\n".join(
            f"| {s['added']} | [{s['cite']}](sources/{s['id']}.md) | {s['type']} | {len(s['findings'])} |" for s in part
        )
        name = "sources" if i == 0 else f"sources--{i + 1}"
        head = "| Added | Source | Kind | Findings |\n| --- | --- | --- | ---: |"
        (docs / f"{name}.md").write_text(f"# Sources\n\n{head}\n{rows}\n")
    for i, part in enumerate(_parts(sources)):
        refs = "\n".join(
            f"- {s['cite']}: *{s['design']}* ({s['added']}). https://doi.org/10.9999/{s['id']}" for s in part
        )
        (docs / ("references.md" if i == 0 else f"references--{i + 1}.md")).write_text(f"# References\n\n{refs}\n")
    (docs / "index.md").write_text(
        "# Evidence briefing\n\n" + "\n".join(f"- [{t['title']}](themes/{t['id']}.md)" for t in themes) + "\n"
    )
    (baseline / "mkdocs.yml").write_text(BASELINE_YML)


def _source_page(source: dict, titles: dict[str, str]) -> str:
    sample = source.get("sample") or {}
    lines = [
        f"# {source['design']}",
        "",
        f"**{source['cite']}** · {source['type']} · {source['design']}",
        "",
        "## Summary",
        "",
        source["summary"],
        "",
        "## Design, setting and sample",
        "",
        "| Aspect | Details |",
        "| --- | --- |",
        f"| Kind of source | {source['type']} |",
        f"| Design | {source['design']} |",
        f"| Setting | {source.get('setting', '')} |",
        *(f"| {name} | {value} |" for name, value in sample.items()),
        "",
        "## Findings",
        "",
    ]
    for finding in source["findings"]:
        lines += [
            finding["statement"],
            "",
            f"Strength: moderate · Theme: [{titles[finding['theme']]}](../themes/{finding['theme']}.md)",
            "",
        ]
        if finding.get("quote"):
            lines += [f"> “{finding['quote']['text']}” — {finding['quote']['locator']}", ""]
    lines += ["## Limitations", "", *(f"- {x}" for x in source["limitations"]), ""]
    lines += ["## Implications for commissioners", "", *(f"- {x}" for x in source["implications"]), ""]
    lines += [
        "## Cite this",
        "",
        f"{source['cite']} ({source['added']}) *{source['design']}*. Available at: https://doi.org/10.9999/{source['id']}",
        "",
    ]
    return "\n".join(lines)


def _parts(items: list) -> list[list]:
    return [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]


def _theme_page(theme: dict, findings: list[tuple[dict, dict]], first: bool) -> str:
    lines = [f"# {theme['title']}", ""]
    if first:
        lines += [f"**{theme['question']}**", "", theme["description"], ""]
    for kind, heading in KINDS.items():
        found = [(s, f) for s, f in findings if s["type"] == kind]
        if found:
            lines += [f"## {heading}", ""]
            for source, finding in found:
                lines += [f"- {finding['statement']} ([{source['cite']}](../sources/{source['id']}.md#findings))"]
            lines.append("")
    return "\n".join(lines)
