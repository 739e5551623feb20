"""The site's generated pages as Markdown: home, one per theme, one per source, references."""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass

from markupsafe import escape

from builder.corpus import Corpus, Entry
from builder.model import Finding, Source, Theme
from builder.render.reference import format_reference
from builder.render.text import anchor, md, md_cited, paragraphs
from builder.synth import TYPE_NAMES, TYPE_ORDER, strength

SAMPLE_LABELS = {
    "interviews": "Interviews",
    "observation_hours": "Hours of observation",
    "observations": "Meetings observed",
    "survey_respondents": "Survey respondents",
    "participants": "Participants",
    "organisations": "Organisations",
    "gps": "GPs covered",
    "population": "Population covered",
}


@dataclass(frozen=True)
class Page:
    src_uri: str  # path under docs/, e.g. "sources/x.md"
    content: str
    edit_path: str = ""  # the file a contributor edits to change this page
    in_nav: bool = True


def render_pages(corpus: Corpus, edit_url: str = "") -> list[Page]:
    pages = [home(corpus), references_page(corpus), sources_index(corpus)]
    pages += [theme_page(corpus, theme) for theme in corpus.themes]
    pages += [source_page(corpus, entry, edit_url) for entry in corpus.entries]
    return pages


def _page(src_uri: str, title: str, body: list[str], **kwargs: object) -> Page:
    """A page whose title is set in front matter, HTML-escaped.

    MkDocs and Material print page titles unescaped (<title>, navigation), so a title
    taken from the H1 would let a contributor's '</title><script>' through. Front matter
    wins over the H1, and its escaped form displays as the original text.
    """
    front = f"---\ntitle: {json.dumps(html.escape(' '.join(title.split())), ensure_ascii=False)}\n---\n\n"
    return Page(src_uri, front + f"# {md(title)}\n\n" + "\n".join(body), **kwargs)  # type: ignore[arg-type]


def _title(corpus: Corpus, source: Source) -> str:
    ref = corpus.references[source.cite]
    return ref.get("title") or source.id


def _cite_link(corpus: Corpus, source: Source, base: str) -> str:
    return f"[{md(corpus.labels[source.cite])}]({base}sources/{source.id}.md)"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def home(corpus: Corpus) -> Page:
    sources = corpus.sources
    findings = sum(len(s.findings) for s in sources)
    by_type = Counter(s.type for s in sources)
    lines = [
        f"This briefing brings together {_count(len(sources), 'source')} and {_count(findings, 'finding')} "
        f"on {_count(len(corpus.themes), 'theme')}. Every finding links to the source it comes from, "
        "and every source to its full reference.",
        "",
        "| Kind of source | Sources |",
        "| --- | ---: |",
    ]
    lines += [f"| {TYPE_NAMES[t]} | {by_type[t]} |" for t in TYPE_ORDER if by_type[t]]
    lines += ["", "## Themes", "", "| Theme | Question | Findings | Sources |", "| --- | --- | ---: | ---: |"]
    for theme in corpus.themes:
        on = corpus.findings_on(theme.id)
        n_sources = len({s.id for s, _ in on})
        lines.append(f"| [{md(theme.title)}](themes/{theme.id}.md) | {md(theme.question)} | {len(on)} | {n_sources} |")
    lines += [
        "",
        "See also: [all sources](sources/index.md) · [references](references.md)",
        "",
        "## Downloads",
        "",
        "- [All findings (CSV)](downloads/findings.csv): one row per finding, with its source, theme and strength",
        "- [The whole evidence base (JSON)](downloads/evidence.json), with its schema version",
        "- [The reference library (BibTeX)](downloads/references.bib)",
        "- [JSON Schema of an evidence file](schema/evidence.schema.json)",
        "",
    ]
    return _page("index.md", "Evidence briefing", lines)


def theme_page(corpus: Corpus, theme: Theme) -> Page:
    on = corpus.findings_on(theme.id)
    lines = [
        f"**{md(theme.question)}**",
        "",
        paragraphs(theme.description, corpus.labels, "../"),
        "",
    ]
    if not on:
        lines += ["No findings on this theme yet.", ""]
    for source_type in TYPE_ORDER:
        group = [(s, f) for s, f in on if s.type == source_type]
        if not group:
            continue
        lines += [f"## {TYPE_NAMES[source_type]}", ""]
        for source, finding in group:
            lines += _finding_block(corpus, source, finding, base="../", with_source=True)
    return _page(f"themes/{theme.id}.md", theme.title, lines, edit_path="evidence/themes.yaml")


def _finding_block(corpus: Corpus, source: Source, finding: Finding, base: str, with_source: bool) -> list[str]:
    level, why = strength(source, finding)
    theme_title = next((t.title for t in corpus.themes if t.id == finding.theme), finding.theme)
    meta = [
        f'<span class="evidence-strength evidence-strength--{level}" title="{escape(why)}">'
        f"Strength: {level.replace('-', ' ')}</span>"
    ]
    if with_source:
        finding_link = f"{base}sources/{source.id}.md#finding-{finding.id}"
        meta.append(_cite_link(corpus, source, base) + f" ([finding]({finding_link}))")
    else:
        meta.append(f"Theme: [{md(theme_title)}]({base}themes/{finding.theme}.md)")
    lines = [
        f'<a id="finding-{finding.id}"></a>' if not with_source else "",
        md_cited(finding.statement, corpus.labels, base),
        "",
        " · ".join(meta),
        "",
    ]
    if finding.quote:
        lines += [f"> “{md(finding.quote.text)}” — {md(finding.quote.locator)}", ""]
    return [line for i, line in enumerate(lines) if line or i > 0]


def source_page(corpus: Corpus, entry: Entry, edit_url: str) -> Page:
    source = entry.source
    ref = corpus.references[source.cite]
    lines = [
        f"**{md(corpus.labels[source.cite])}** · {md(source.type)} · {md(source.design)}",
        "",
        "## Summary",
        "",
        paragraphs(source.summary, corpus.labels, "../"),
        "",
        "## Design, setting and sample",
        "",
        "| Aspect | Details |",
        "| --- | --- |",
        f"| Kind of source | {md(source.type)} |",
        f"| Design | {md_cited(source.design, corpus.labels, '../')} |",
    ]
    if source.setting:
        lines.append(f"| Setting | {md_cited(source.setting, corpus.labels, '../')} |")
    if source.sample:
        for name, label in SAMPLE_LABELS.items():
            value = getattr(source.sample, name)
            if value is not None:
                lines.append(f"| {label} | {value:,} |")
        if source.sample.notes:
            lines.append(f"| Sample notes | {md(source.sample.notes)} |")
    lines += ["", "## Findings", ""]
    for finding in source.findings:
        lines += _finding_block(corpus, source, finding, base="../", with_source=False)
    lines += ["## Limitations", ""] + [f"- {md_cited(t, corpus.labels, '../')}" for t in source.limitations]
    lines += ["", "## Implications for commissioners", ""]
    lines += [f"- {md_cited(t, corpus.labels, '../')}" for t in source.implications]
    if source.references:
        lines += ["", "## Works this source cites", ""]
        lines += [f"- [{md(corpus.labels[k])}](../references.md#{anchor(k)})" for k in source.references]
    lines += ["", "## Reference", "", f'<p class="evidence-reference">{format_reference(ref)}</p>', ""]
    dates = f"Added {source.added.isoformat()}"
    if source.reviewed:
        dates += f"; last reviewed {source.reviewed.isoformat()}"
    edit = f"[`{entry.file}`]({edit_url}{entry.file})" if edit_url else f"`{entry.file}`"
    lines += ["---", "", f"{dates}. To correct this page, edit {edit}.", ""]
    return _page(f"sources/{source.id}.md", _title(corpus, source), lines, edit_path=entry.file, in_nav=False)


def sources_index(corpus: Corpus) -> Page:
    lines = ["| Source | Kind | Title | Findings |", "| --- | --- | --- | ---: |"]
    for source in corpus.sources:
        lines.append(
            f"| {_cite_link(corpus, source, '../')} | {md(source.type)} | "
            f"{md(_title(corpus, source))} | {len(source.findings)} |"
        )
    return _page("sources/index.md", "Sources", lines + [""])


def references_page(corpus: Corpus) -> Page:
    lines = [f"{_count(len(corpus.references), 'reference')}, in author-date order.", ""]
    ordered = sorted(corpus.references.values(), key=lambda r: (corpus.labels[r.key].lower(), r.key))
    for ref in ordered:
        backlinks = ", ".join(f'<a href="sources/{sid}.html">{sid}</a>' for sid in corpus.cited_by.get(ref.key, ()))
        cited = f' <span class="evidence-citedby">Cited by: {backlinks}</span>' if backlinks else ""
        lines += [f'<p class="evidence-reference" id="{anchor(ref.key)}">{format_reference(ref)}{cited}</p>', ""]
    return _page("references.md", "References", lines)
