"""Pages that look across the evidence base: the evidence map, browsing, the printable briefing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from builder.corpus import Card
from builder.render.common import Page, RenderOptions, Site, count, page, uri_of_part
from builder.render.listing import Item, Listing, listed
from builder.render.pages import key_messages
from builder.render.text import md
from builder.synth import STRENGTH_BY_TYPE, STRENGTH_ORDER, TYPE_NAMES, TYPE_ORDER, TYPE_RANK, strength


def _section_anchor(source_type: str) -> str:
    # The slug Python-Markdown's toc gives the "## Studies" heading of a theme page
    # (attr_list removes the "{ data-search-exclude }" before the slug is made).
    return TYPE_NAMES[source_type].lower().replace(" ", "-")


def evidence_map(site: Site) -> Page:
    """Themes as rows, kinds of source as columns; each cell sources and findings, or a gap."""
    head = "| Theme | " + " | ".join(TYPE_NAMES[t] for t in TYPE_ORDER) + " |"
    lines = [
        "Each cell counts the sources and findings of one kind on one theme and links to them. "
        "An empty cell is a gap: no evidence of that kind on that theme.",
        "",
        head,
        "| --- |" + " ---: |" * len(TYPE_ORDER),
    ]
    for theme in site.corpus.themes:
        first: dict[str, int] = {}  # where each kind's section starts on the theme page
        findings: Counter[str] = Counter()
        sources: dict[str, set[str]] = defaultdict(set)
        for i, (source, _) in enumerate(site.theme_findings(theme.id)):
            first.setdefault(source.type, i)
            findings[source.type] += 1
            sources[source.type].add(source.id)
        cells = []
        for source_type in TYPE_ORDER:
            if source_type not in first:
                cells.append("*gap*")
                continue
            part = uri_of_part(f"themes/{theme.id}.md", first[source_type] // site.options.page_size)
            target = f"{part}#{_section_anchor(source_type)}"
            counts = f"{count(len(sources[source_type]), 'source')}, {count(findings[source_type], 'finding')}"
            cells.append(f"[{counts}]({target})")
        lines.append(f"| [{md(theme.title)}](themes/{theme.id}.md) | " + " | ".join(cells) + " |")
    return page("evidence-map.md", "Evidence map", lines + [""])


def _sources_under(site: Site, listing: Listing, sources: Sequence[Card], section: Callable[[Card], str]) -> list[Page]:
    """Sources as a list under headings, each with its title and number of findings."""

    def lines(i: int, ends_section: bool) -> list[str]:
        s = sources[i]
        findings = count(len(s.findings), "finding")
        # A list must end with a blank line before the next section heading.
        return [f"- {site.cite_link(s, '../')}: {site.title_md(s)} ({findings})"] + ([""] if ends_section else [])

    labels = site.corpus.labels
    return listed(site, listing, [Item(section(s), site.listed_as(s), labels[s.cite]) for s in sources], lines)


def browse_by_type(site: Site) -> list[Page]:
    sources = sorted(site.corpus.cards, key=lambda s: (TYPE_RANK[s.type], s.id))
    listing = Listing("browse/types.md", "Sources by kind", searchable=False)
    return _sources_under(site, listing, sources, lambda s: TYPE_NAMES[s.type])


def browse_by_year(site: Site) -> list[Page]:
    year = site.year
    # Newest first, undated last.
    sources = sorted(
        site.corpus.cards, key=lambda s: (year[s.id] == "n.d.", -int(year[s.id]) if year[s.id] != "n.d." else 0, s.id)
    )
    listing = Listing("browse/years.md", "Sources by year", searchable=False)
    return _sources_under(site, listing, sources, lambda s: year[s.id])


BRIEFING_FINDINGS_PER_THEME = 40


Shown = dict[str, tuple[list[tuple[str, str]], int]]  # theme id -> ((source id, finding id)s shown, of how many)


def briefing_shown(site: Site) -> Shown:
    """Which findings the briefing shows: each theme's strongest, at most 40. From cards alone."""
    shown: Shown = {}
    for theme in site.corpus.themes:
        findings = sorted(site.theme_findings(theme.id), key=lambda sf: STRENGTH_ORDER.index(strength(sf[0], sf[1])[0]))
        shown[theme.id] = ([(c.id, f.id) for c, f in findings[:BRIEFING_FINDINGS_PER_THEME]], len(findings))
    return shown


def briefing(site: Site, shown: Shown) -> Page:
    """Every theme's key messages and its strongest findings on one page, for reading or printing.

    Only the sources of the findings shown are read in full.
    """
    out = [
        "Every theme's key messages and findings on one page. Print it from your browser; the "
        "navigation is left out of the printout.",
        "",
    ]
    for theme in site.corpus.themes:
        out += [f"## {md(theme.title)}", "", f"*{md(theme.question)}*", ""] + key_messages(site, theme, "")
        findings, total = shown[theme.id]
        out += ["**Findings**", ""] if findings else []
        for source_id, finding_id in findings:
            source = site.entry[source_id].source
            finding = next(f for f in source.findings if f.id == finding_id)
            level = strength(source, finding)[0].replace("-", " ")
            out.append(f"- {site.cited(finding.statement, '')} ({site.cite_link(source, '')}; strength: {level})")
        if total > len(findings):
            out += [
                "",
                f"The [theme page](themes/{theme.id}.md) has {total - len(findings)} more findings, "
                "of equal or lower strength.",
            ]
        out.append("")
    return page("briefing.md", "The briefing on one page", out, searchable=False)


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
