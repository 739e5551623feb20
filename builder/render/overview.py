"""Pages that look across the evidence base: the evidence map, browsing, the printable briefing."""

from __future__ import annotations

from collections import defaultdict

from builder.corpus import Corpus
from builder.model import Source
from builder.render.common import Page, RenderOptions, cite_link, count, page, title_of
from builder.render.pages import key_messages
from builder.render.text import md, md_cited
from builder.synth import STRENGTH_BY_TYPE, TYPE_NAMES, TYPE_ORDER, strength


def _section_anchor(source_type: str) -> str:
    # The slug Python-Markdown's toc gives the "## Studies" heading of a theme page.
    return TYPE_NAMES[source_type].lower().replace(" ", "-")


def evidence_map(corpus: Corpus) -> Page:
    """Themes as rows, kinds of source as columns; each cell sources and findings, or a gap."""
    head = "| Theme | " + " | ".join(TYPE_NAMES[t] for t in TYPE_ORDER) + " |"
    lines = [
        "Each cell counts the sources and findings of one kind on one theme and links to them. "
        "An empty cell is a gap: no evidence of that kind on that theme.",
        "",
        head,
        "| --- |" + " ---: |" * len(TYPE_ORDER),
    ]
    for theme in corpus.themes:
        on = corpus.findings_on(theme.id)
        cells = []
        for source_type in TYPE_ORDER:
            findings = [f for s, f in on if s.type == source_type]
            n_sources = len({s.id for s, _ in on if s.type == source_type})
            cells.append(
                f"[{count(n_sources, 'source')}, {count(len(findings), 'finding')}]"
                f"(themes/{theme.id}.md#{_section_anchor(source_type)})"
                if findings
                else "*gap*"
            )
        lines.append(f"| [{md(theme.title)}](themes/{theme.id}.md) | " + " | ".join(cells) + " |")
    return page("evidence-map.md", "Evidence map", lines + [""])


def _source_line(corpus: Corpus, source: Source) -> str:
    findings = count(len(source.findings), "finding")
    return f"- {cite_link(corpus, source, '../')}: {md(title_of(corpus, source))} ({findings})"


def browse_by_type(corpus: Corpus) -> Page:
    lines: list[str] = []
    for source_type in TYPE_ORDER:
        group = [s for s in corpus.sources if s.type == source_type]
        if group:
            lines += [f"## {TYPE_NAMES[source_type]}", ""] + [_source_line(corpus, s) for s in group] + [""]
    return page("browse/types.md", "Sources by kind", lines, searchable=False)


def browse_by_year(corpus: Corpus) -> Page:
    by_year: dict[str, list[Source]] = defaultdict(list)
    for source in corpus.sources:
        by_year[corpus.references[source.cite].year or "n.d."].append(source)
    lines: list[str] = []
    for year in sorted(by_year, key=lambda y: (y == "n.d.", "" if y == "n.d." else str(9999 - int(y)))):
        lines += [f"## {year}", ""] + [_source_line(corpus, s) for s in by_year[year]] + [""]
    return page("browse/years.md", "Sources by year", lines, searchable=False)


def briefing(corpus: Corpus) -> Page:
    """Every theme's key messages and findings on one page, for reading through or printing."""
    lines = [
        "Every theme's key messages and findings on one page. Print it from your browser; the "
        "navigation is left out of the printout.",
        "",
    ]
    for theme in corpus.themes:
        lines += [f"## {md(theme.title)}", "", f"*{md(theme.question)}*", ""]
        lines += key_messages(corpus, theme, "")
        on = corpus.findings_on(theme.id)
        if on:
            lines += ["**Findings**", ""]
        for source, finding in sorted(on, key=lambda sf: TYPE_ORDER.index(sf[0].type)):
            level = strength(source, finding)[0].replace("-", " ")
            lines.append(
                f"- {md_cited(finding.statement, corpus.labels, '')} "
                f"({cite_link(corpus, source, '')}; strength: {level})"
            )
        lines.append("")
    return page("briefing.md", "The briefing on one page", lines, searchable=False)


STRENGTH_WHY = {
    "review": "brings together several studies",
    "study": "empirical research, usually peer-reviewed, in one setting",
    "report": "evidence gathered and published by an organisation",
    "commentary": "the informed opinion of one author",
    "blog": "the informed opinion of one author",
    "news": "a second-hand account of someone's opinion",
}


def how_to_read(options: RenderOptions) -> Page:
    """The reading guide. The strength table is printed from the rule the code applies."""
    lines = [
        "## Themes and findings",
        "",
        "Each theme page answers one question. It opens with key messages: what the evidence on the theme "
        "adds up to, written by the editors, each with the findings behind it. Then come the findings from "
        "every source on the theme, grouped by the kind of source, strongest kinds first. A finding is a "
        "statement in our own words, often with a short verbatim quote and where it is in the source.",
        "",
        "## Consistency of a key message",
        "",
        "- *Consistent across sources*: findings from two or more sources support it and none qualifies it.",
        "- *Mixed*: some finding qualifies or contradicts it.",
        "- *Single source*: only one source supports it.",
        "",
        "These labels are worked out from the findings a message lists; nobody types them.",
        "",
        "## Strength of evidence",
        "",
        "Every finding carries a strength label. By default it follows from the kind of source:",
        "",
        "| Kind of source | Default strength | Why |",
        "| --- | --- | --- |",
        *[f"| {TYPE_NAMES[t]} | {STRENGTH_BY_TYPE[t].replace('-', ' ')} | {STRENGTH_WHY[t]} |" for t in TYPE_ORDER],
        "",
        "An editor may set a different strength for one finding and must then give the reason; "
        "point at the label to read it.",
        "",
        "## Gaps",
        "",
        "Each theme page ends with what the evidence base lacks on it: no empirical study, review or report; "
        f"only one source; every source more than {options.max_age_years} years older than the evidence base's "
        "latest update; sources with no date. The [evidence map](evidence-map.md) shows the gaps for all themes.",
        "",
        "## References",
        "",
        "Citations are author-date (Harvard style): up to three authors are named, four or more are shown as "
        "the first author *et al.*. A reference with no author is listed under the periodical or organisation "
        "that published it, and one with no date shows *n.d.*. Fields a source does not give are left out, "
        "never guessed.",
        "",
    ]
    return page("how-to-read.md", "How to read this briefing", lines)
