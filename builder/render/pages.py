"""The core pages as Markdown: home, one per theme, one per source, sources, references."""

from __future__ import annotations

from collections import Counter

from builder.corpus import Corpus, Entry
from builder.model import Theme
from builder.render.common import Page, RenderOptions, cite_link, count, finding_block, finding_link, page, title_of
from builder.render.reference import format_reference
from builder.render.text import anchor, md, md_cited, paragraphs
from builder.synth import TYPE_NAMES, TYPE_ORDER, TYPE_SINGULAR, backing, gaps

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


def home(corpus: Corpus, options: RenderOptions) -> Page:
    sources = corpus.sources
    findings = sum(len(s.findings) for s in sources)
    by_type = Counter(s.type for s in sources)
    lines = [
        f"This briefing brings together {count(len(sources), 'source')} and {count(findings, 'finding')} "
        f"on {count(len(corpus.themes), 'theme')}. Every finding links to the source it comes from, "
        "and every source to its full reference. [How to read this briefing](how-to-read.md) explains "
        "the strength labels.",
        "",
        "| Kind of source | Sources |",
        "| --- | ---: |",
        *[f"| {TYPE_NAMES[t]} | {by_type[t]} |" for t in TYPE_ORDER if by_type[t]],
        "",
        "## Themes",
        "",
        "| Theme | Question | Findings | Sources |",
        "| --- | --- | ---: | ---: |",
    ]
    for theme in corpus.themes:
        on = corpus.findings_on(theme.id)
        lines.append(
            f"| [{md(theme.title)}](themes/{theme.id}.md) | {md(theme.question)} | {len(on)} | "
            f"{len({s.id for s, _ in on})} |"
        )
    lines += ["", "## Where the evidence is thin", ""]
    for theme in corpus.themes:
        found = gaps(corpus, theme.id, options.max_age_years)
        if found:
            lines.append(
                f"- [{md(theme.title)}](themes/{theme.id}.md#what-the-evidence-lacks): "
                + " ".join(md(g) for g in found)
            )
    lines += [
        "",
        "## Explore and download",
        "",
        "- [Evidence map](evidence-map.md): themes against kinds of source, with the gaps",
        "- [The whole briefing on one page](briefing.md), for printing"
        + (" ([PDF](downloads/briefing.pdf))" if options.pdf else ""),
        "- Browse sources [by kind](browse/types.md), [by year](browse/years.md) or "
        "[newest first](sources/index.md); [Atom feed of new sources](feed.xml)",
        "- [All findings (CSV)](downloads/findings.csv): one row per finding, with its source, theme and strength",
        "- [The whole evidence base (JSON)](downloads/evidence.json), with its schema version",
        "- The reference library as [BibTeX](downloads/references.bib) or [CSL-JSON](downloads/references.json)",
        "- [JSON Schema of an evidence file](schema/evidence.schema.json)",
        "",
    ]
    summary = f"What the evidence says, theme by theme: {count(len(sources), 'source')}, {count(findings, 'finding')}."
    return page("index.md", "Evidence briefing", lines, description=summary)


def key_messages(corpus: Corpus, theme: Theme, base: str) -> list[str]:
    lines: list[str] = []
    for message in theme.key_messages:
        back = backing(corpus, message)
        kinds = ", ".join(count(n, TYPE_SINGULAR[t], TYPE_NAMES[t].lower()) for t, n in back.types.items())
        support = ", ".join(finding_link(corpus, s, f, base) for s, f in back.supporting)
        lines += [
            f"**{md_cited(message.statement, corpus.labels, base)}**",
            "",
            f"*{back.consistency.capitalize()}*: backed by {count(len(back.source_ids), 'source')} "
            f"({md(kinds)}): {support}.",
            "",
        ]
        if back.qualifying:
            lines += [
                "Qualified by: " + ", ".join(finding_link(corpus, s, f, base) for s, f in back.qualifying) + ".",
                "",
            ]
    return lines


def theme_page(corpus: Corpus, theme: Theme, options: RenderOptions) -> Page:
    on = corpus.findings_on(theme.id)
    lines = [f"**{md(theme.question)}**", "", paragraphs(theme.description, corpus.labels, "../"), ""]
    if theme.key_messages:
        lines += ["## Key messages", ""] + key_messages(corpus, theme, "../")
    if not on:
        lines += ["No findings on this theme yet.", ""]
    for source_type in TYPE_ORDER:
        group = [(s, f) for s, f in on if s.type == source_type]
        if group:
            lines += [f"## {TYPE_NAMES[source_type]}", ""]
            for source, finding in group:
                lines += finding_block(corpus, source, finding, "../", on_source_page=False)
    lines += ["## What the evidence lacks", ""]
    lines += [f"- {md(g)}" for g in gaps(corpus, theme.id, options.max_age_years)] or ["- No gap found by the rules."]
    return page(
        f"themes/{theme.id}.md",
        theme.title,
        lines + [""],
        edit_path="evidence/themes.yaml",
        description=f"{theme.question} {theme.description}",
    )


def _sample_rows(entry: Entry) -> list[str]:
    sample = entry.source.sample
    if sample is None:
        return []
    rows = [
        f"| {label} | {value:,} |"
        for name, label in SAMPLE_LABELS.items()
        if (value := getattr(sample, name)) is not None
    ]
    return rows + ([f"| Sample notes | {md(sample.notes)} |"] if sample.notes else [])


def source_page(corpus: Corpus, entry: Entry, options: RenderOptions) -> Page:
    source = entry.source
    labels = corpus.labels
    lines = [
        f"**{md(labels[source.cite])}** · {md(source.type)} · {md(source.design)}",
        "",
        "## Summary",
        "",
        paragraphs(source.summary, labels, "../"),
        "",
        "## Design, setting and sample",
        "",
        "| Aspect | Details |",
        "| --- | --- |",
        f"| Kind of source | {md(source.type)} |",
        f"| Design | {md_cited(source.design, labels, '../')} |",
    ]
    if source.setting:
        lines.append(f"| Setting | {md_cited(source.setting, labels, '../')} |")
    lines += _sample_rows(entry) + ["", "## Findings", ""]
    for finding in source.findings:
        lines += finding_block(corpus, source, finding, "../", on_source_page=True)
    lines += ["## Limitations", ""] + [f"- {md_cited(t, labels, '../')}" for t in source.limitations]
    lines += ["", "## Implications for commissioners", ""] + [
        f"- {md_cited(t, labels, '../')}" for t in source.implications
    ]
    if source.references:
        lines += ["", "## Works this source cites", ""]
        lines += [f"- [{md(labels[k])}](../references.md#{anchor(k)})" for k in source.references]
    lines += [
        "",
        "## Cite this",
        "",
        f'<p class="evidence-reference">{format_reference(corpus.references[source.cite])}</p>',
        "",
        f"Download the reference as [BibTeX](../downloads/cite/{source.id}.bib), "
        f"[RIS](../downloads/cite/{source.id}.ris) or [CSL-JSON](../downloads/cite/{source.id}.json).",
        "",
    ]
    dates = f"Added {source.added.isoformat()}" + (
        f"; last reviewed {source.reviewed.isoformat()}" if source.reviewed else ""
    )
    edit = f"[`{entry.file}`]({options.edit_url}{entry.file})" if options.edit_url else f"`{entry.file}`"
    lines += ["---", "", f"{dates}. To correct this page, edit {edit}.", ""]
    return page(
        f"sources/{source.id}.md",
        title_of(corpus, source),
        lines,
        edit_path=entry.file,
        in_nav=False,
        description=source.summary,
    )


def sources_index(corpus: Corpus) -> Page:
    lines = ["Newest first.", "", "| Added | Source | Kind | Title | Findings |", "| --- | --- | --- | --- | ---: |"]
    for source in sorted(corpus.sources, key=lambda s: (s.added, s.id), reverse=True):
        lines.append(
            f"| {source.added.isoformat()} | {cite_link(corpus, source, '../')} | {md(source.type)} | "
            f"{md(title_of(corpus, source))} | {len(source.findings)} |"
        )
    return page("sources/index.md", "Sources", lines + [""])


def references_page(corpus: Corpus) -> Page:
    lines = [f"{count(len(corpus.references), 'reference')}, in author-date order.", ""]
    for ref in sorted(corpus.references.values(), key=lambda r: (corpus.labels[r.key].lower(), r.key)):
        backlinks = ", ".join(f'<a href="sources/{sid}.html">{sid}</a>' for sid in corpus.cited_by.get(ref.key, ()))
        cited = f' <span class="evidence-citedby">Cited by: {backlinks}</span>' if backlinks else ""
        lines += [f'<p class="evidence-reference" id="{anchor(ref.key)}">{format_reference(ref)}{cited}</p>', ""]
    return page("references.md", "References", lines)
