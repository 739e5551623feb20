"""The core pages as Markdown: home, theme pages, source pages, the sources list, references."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from builder.corpus import Entry
from builder.model import Theme
from builder.render.common import UNSEARCHED, Page, Site, count, page
from builder.render.listing import Item, Listing, listed
from builder.render.text import anchor, md
from builder.synth import TYPE_NAMES, TYPE_ORDER, TYPE_SINGULAR, backing

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


def home(site: Site) -> Page:
    corpus, options = site.corpus, site.options
    sources = corpus.cards
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
        found = site.theme_gaps[theme.id]
        if found:
            lines.append(f"- [{md(theme.title)}](themes/{theme.id}.md): " + " ".join(md(g) for g in found))
    pdf = " ([PDF](downloads/briefing.pdf))" if options.pdf else ""
    lines += [
        "",
        "## Explore and download",
        "",
        "- [Evidence map](evidence-map.md): themes against kinds of source, with the gaps",
        f"- [The whole briefing on one page](briefing.md), for printing{pdf}",
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


def key_messages(site: Site, theme: Theme, base: str) -> list[str]:
    lines: list[str] = []
    for message in theme.key_messages:
        back = backing(site.corpus, message)
        kinds = ", ".join(count(n, TYPE_SINGULAR[t], TYPE_NAMES[t].lower()) for t, n in back.types.items())
        support = ", ".join(site.finding_link(s, f, base) for s, f in back.supporting)
        lines += [
            f"**{site.cited(message.statement, base)}**",
            "",
            f"*{back.consistency.capitalize()}*: backed by {count(len(back.source_ids), 'source')} "
            f"({md(kinds)}): {support}.",
            "",
        ]
        if back.qualifying:
            qualifying = ", ".join(site.finding_link(s, f, base) for s, f in back.qualifying)
            lines += [f"Qualified by: {qualifying}.", ""]
    return lines


def theme_pages(
    site: Site,
    theme: Theme,
    blocks_digests: Mapping[str, Mapping[str, bytes]],
    blocks_of: Callable[[str], Mapping[str, str]],
) -> list[Page]:
    """A theme's key messages, its findings grouped by kind of source, and its gaps.

    Each source's findings as theme pages show them are rendered with the source
    (render/parts.py): blocks_of(source id) by finding id, read only for the parts made
    again; blocks_digests, of them by source and theme.
    """
    intro = [f"**{md(theme.question)}**", "", site.paragraphs(theme.description, "../"), ""]
    if theme.key_messages:
        intro += ["## Key messages", ""] + key_messages(site, theme, "../")
    findings = site.theme_findings(theme.id)
    if not findings:
        intro += ["No findings on this theme yet.", ""]
    lacks = site.theme_gaps[theme.id]
    outro = [
        f"## What the evidence lacks {UNSEARCHED}",
        "",
        *([f"- {md(g)}" for g in lacks] or ["- No gap found by the rules."]),
        "",
    ]
    listing = Listing(
        f"themes/{theme.id}.md",
        theme.title,
        intro,
        outro,
        searched=False,
        edit_path="evidence/themes.yaml",
        description=f"{theme.question} {theme.description}",
    )
    keeps = site.cache.keeps
    items = [Item(TYPE_NAMES[s.type], blocks_digests[s.id][theme.id] if keeps else b"", f.id) for s, f in findings]
    blocks: dict[str, Mapping[str, str]] = {}

    def lines(i: int, _: bool) -> list[str]:
        source, finding = findings[i]
        if source.id not in blocks:
            blocks[source.id] = blocks_of(source.id)
        return [blocks[source.id][finding.id]]

    return listed(site, listing, items, lines)


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


def source_page(site: Site, entry: Entry) -> Page:
    source, labels = entry.source, site.corpus.labels
    lines = [
        f"**{md(labels[source.cite])}** · {md(source.type)} · {md(source.design)}",
        "",
        "## Summary" + ("" if site.options.search_summaries else f" {UNSEARCHED}"),
        "",
        site.paragraphs(source.summary, "../"),
        "",
        f"## Design, setting and sample {UNSEARCHED}",
        "",
        "| Aspect | Details |",
        "| --- | --- |",
        f"| Kind of source | {md(source.type)} |",
        f"| Design | {site.cited(source.design, '../')} |",
    ]
    if source.setting:
        lines.append(f"| Setting | {site.cited(source.setting, '../')} |")
    lines += _sample_rows(entry) + ["", "## Findings", ""]
    for finding in source.findings:
        lines += site.finding_block(source, finding, "../", on_source_page=True)
    lines += [f"## Limitations {UNSEARCHED}", ""] + [f"- {site.cited(t, '../')}" for t in source.limitations]
    lines += ["", f"## Implications for commissioners {UNSEARCHED}", ""] + [
        f"- {site.cited(t, '../')}" for t in source.implications
    ]
    if source.references:
        href = site.ref_href("../")
        lines += ["", f"## Works this source cites {UNSEARCHED}", ""] + [
            f"- [{md(labels[k])}]({href(k)})" for k in source.references
        ]
    downloads = f"../downloads/cite/{source.id}"
    lines += [
        "",
        f"## Cite this {UNSEARCHED}",
        "",
        f'<p class="evidence-reference">{site.reference_html[source.cite]}</p>',
        "",
        f"Download the reference as [BibTeX]({downloads}.bib), [RIS]({downloads}.ris) or [CSL-JSON]({downloads}.json).",
        "",
    ]
    dates = f"Added {source.added.isoformat()}"
    if source.reviewed:
        dates += f"; last reviewed {source.reviewed.isoformat()}"
    edit_url = site.options.edit_url
    edit = f"[`{entry.file}`]({edit_url}{entry.file})" if edit_url else f"`{entry.file}`"
    lines += ["---", "", f"{dates}. To correct this page, edit {edit}.", ""]
    return page(
        f"sources/{source.id}.md",
        site.title_of(source),
        lines,
        edit_path=entry.file,
        in_nav=False,
        description=source.summary,
    )


def sources_index(site: Site) -> list[Page]:
    sources = sorted(site.corpus.cards, key=lambda s: (s.added, s.id), reverse=True)
    head = ["| Added | Source | Kind | Title | Findings |", "| --- | --- | --- | --- | ---: |"]
    listing = Listing("sources/index.md", "Sources", ["Newest first.", ""], table_head=head, searchable=False)

    def row(i: int, _: bool) -> list[str]:
        s = sources[i]
        title = site.title_md(s)
        return [f"| {s.added.isoformat()} | {site.cite_link(s, '../')} | {md(s.type)} | {title} | {len(s.findings)} |"]

    labels = site.corpus.labels
    return listed(site, listing, [Item("", site.listed_as(s), labels[s.cite]) for s in sources], row)


def references_pages(site: Site) -> list[Page]:
    corpus, keys = site.corpus, site.references_sorted
    intro = [f"{count(len(corpus.references), 'reference')}, in author-date order.", ""]
    listing = Listing("references.md", "References", intro, searchable=False)

    def entry(i: int, _: bool) -> list[str]:
        key = keys[i]
        # Raw HTML, so MkDocs does not rewrite the link: the .html target is written out.
        backlinks = ", ".join(f'<a href="sources/{sid}.html">{sid}</a>' for sid in corpus.cited_by.get(key, ()))
        cited = f' <span class="evidence-citedby">Cited by: {backlinks}</span>' if backlinks else ""
        return [f'<p class="evidence-reference" id="{anchor(key)}">{site.reference_html[key]}{cited}</p>', ""]

    refs, labels, cited_by, keeps = corpus.references, corpus.labels, corpus.cited_by, site.cache.keeps
    items = [Item("", refs[key].digest if keeps else b"", repr((labels[key], cited_by.get(key, ())))) for key in keys]
    return listed(site, listing, items, entry)
