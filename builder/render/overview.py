"""Pages that look across the evidence base: home, the evidence map, browsing, the briefing
on one page and the guide to reading it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from builder.model import Source
from builder.render.html import Body, Page, a, escape, slug, table, ul
from builder.render.listing import Item, Listing, listed
from builder.render.pages import count, key_messages
from builder.render.site import Site, part_uri, text
from builder.synth import STRENGTH_BY_TYPE, STRENGTH_ORDER, TYPE_NAMES, TYPE_ORDER, TYPE_RANK, gaps, strength


def home(site: Site) -> Page:
    corpus, uri = site.corpus, "index"
    sources = corpus.sources
    findings = sum(len(s.findings) for s in sources)
    by_type = Counter(s.type for s in sources)
    body = Body()
    body.add(
        f"<p>This briefing brings together {count(len(sources), 'source')} and {count(findings, 'finding')} "
        f"on {count(len(corpus.themes), 'theme')}. Every finding links to the source it comes from, and every "
        f"source to its full reference. {a(site.href('how-to-read', uri), 'How to read this briefing')} explains "
        "the strength labels.</p>",
        table(
            ["Kind of source", "Sources"],
            [[TYPE_NAMES[t], str(by_type[t])] for t in TYPE_ORDER if by_type[t]],
            numeric=frozenset({1}),
        ),
    )
    rows = []
    for theme in corpus.themes:
        on = corpus.findings_on(theme.id)
        link = a(site.href(f"themes/{theme.id}", uri), escape(theme.title))
        rows.append([link, text(theme.question), str(len(on)), str(len({s.id for s, _ in on}))])
    body.heading(2, "Themes").add(table(["Theme", "Question", "Findings", "Sources"], rows, numeric=frozenset({2, 3})))
    thin = []
    for theme in corpus.themes:
        found = gaps(corpus, theme.id, site.settings.options.max_age_years)
        if found:
            thin.append(a(site.href(f"themes/{theme.id}", uri), escape(theme.title)) + ": " + escape(" ".join(found)))
    body.heading(2, "Where the evidence is thin").add(ul(thin))
    body.heading(2, "Explore and download").add(ul(_explore(site, uri)))
    summary = f"What the evidence says, theme by theme: {count(len(sources), 'source')}, {count(findings, 'finding')}."
    return body.page(uri, "Evidence briefing", description=summary)


def _explore(site: Site, uri: str) -> list[str]:
    def page(target: str, label: str) -> str:
        return a(site.href(target, uri), label)

    def file(path: str, label: str) -> str:
        return a(site.file_href(path, uri), label)

    pdf = f" ({file('downloads/briefing.pdf', 'PDF')})" if site.settings.options.pdf else ""
    return [
        page("evidence-map", "Evidence map") + ": themes against kinds of source, with the gaps",
        page("briefing", "The whole briefing on one page") + f", for printing{pdf}",
        f"Browse sources {page('browse/types', 'by kind')}, {page('browse/years', 'by year')} or "
        f"{page('sources/index', 'newest first')}; {file('feed.xml', 'Atom feed of new sources')}",
        file("downloads/findings.csv", "All findings (CSV)")
        + ": one row per finding, with its source, theme and strength",
        file("downloads/evidence.json", "The whole evidence base (JSON)") + ", with its schema version",
        f"The reference library as {file('downloads/references.bib', 'BibTeX')}, "
        f"{file('downloads/references.ris', 'RIS')} or {file('downloads/references.json', 'CSL-JSON')}",
        file("schema/evidence.schema.json", "JSON Schema of an evidence file"),
    ]


def evidence_map(site: Site) -> Page:
    """Themes as rows, kinds of source as columns; each cell sources and findings, or a gap."""
    uri = "evidence-map"
    rows = []
    for theme in site.corpus.themes:
        first: dict[str, int] = {}  # where each kind's section starts on the theme page
        findings: Counter[str] = Counter()
        sources: dict[str, set[str]] = defaultdict(set)
        for i, (source, _) in enumerate(site.theme_findings(theme.id)):
            first.setdefault(source.type, i)
            findings[source.type] += 1
            sources[source.type].add(source.id)
        cells = [a(site.href(f"themes/{theme.id}", uri), escape(theme.title))]
        for kind in TYPE_ORDER:
            if kind not in first:
                cells.append("<em>gap</em>")
                continue
            part = part_uri(f"themes/{theme.id}", first[kind] // site.page_size)
            counts = f"{count(len(sources[kind]), 'source')}, {count(findings[kind], 'finding')}"
            cells.append(a(site.href(part, uri, _section_id(kind)), counts))
        rows.append(cells)
    body = Body().add(
        "<p>Each cell counts the sources and findings of one kind on one theme and links to them. "
        "An empty cell is a gap: no evidence of that kind on that theme.</p>",
        table(["Theme", *(TYPE_NAMES[t] for t in TYPE_ORDER)], rows, numeric=frozenset(range(1, len(TYPE_ORDER) + 1))),
    )
    return body.page(uri, "Evidence map")


def _section_id(kind: str) -> str:
    return slug(TYPE_NAMES[kind])  # the id of that kind's heading on a theme page


def _sources_under(
    site: Site, listing: Listing, sources: Sequence[Source], section: Callable[[Source], str]
) -> list[Page]:
    def item(i: int, s: Source) -> Item:
        page = part_uri(listing.uri, i // site.page_size)
        return Item(
            section(s), f"{site.source_link(s, page)}: {escape(site.title_of(s))} ({count(len(s.findings), 'finding')})"
        )

    return listed(site, listing, [item(i, s) for i, s in enumerate(sources)])


def browse_by_type(site: Site) -> list[Page]:
    sources = sorted(site.corpus.sources, key=lambda s: (TYPE_RANK[s.type], s.id))
    return _sources_under(
        site, Listing("browse/types", "Sources by kind", searchable=False), sources, lambda s: TYPE_NAMES[s.type]
    )


def browse_by_year(site: Site) -> list[Page]:
    def order(s: Source) -> tuple:
        year = site.year(s)
        return (not year, -int(year) if year else 0, s.id)

    sources = sorted(site.corpus.sources, key=order)
    listing = Listing("browse/years", "Sources by year", searchable=False)
    return _sources_under(site, listing, sources, lambda s: site.year(s) or "No date")


BRIEFING_FINDINGS_PER_THEME = 40


def briefing(site: Site) -> Page:
    """Every theme's key messages and its strongest findings on one page, for reading or printing."""
    uri = "briefing"
    body = Body().add(
        "<p>Every theme's key messages and findings on one page. Print it from your browser; the navigation "
        "is left out of the printout.</p>"
    )
    for theme in site.corpus.themes:
        body.heading(2, theme.title, f"theme-{theme.id}")
        body.add(f"<p><em>{text(theme.question)}</em></p>", key_messages(site, theme, uri))
        ranked = sorted(site.theme_findings(theme.id), key=lambda sf: STRENGTH_ORDER.index(strength(*sf)[0]))
        shown = ranked[:BRIEFING_FINDINGS_PER_THEME]
        if shown:
            items = [
                f"{site.cited(f.statement, uri)} ({site.source_link(s, uri)}; "
                f"strength: {strength(s, f)[0].replace('-', ' ')})"
                for s, f in shown
            ]
            body.add("<p><strong>Findings</strong></p>", ul(items))
        if len(ranked) > len(shown):
            more = a(site.href(f"themes/{theme.id}", uri), "theme page")
            body.add(f"<p>The {more} has {len(ranked) - len(shown)} more findings, of equal or lower strength.</p>")
    return body.page(uri, "The briefing on one page", searchable=False)


STRENGTH_WHY = {
    "review": "brings together several studies",
    "study": "empirical research, usually peer-reviewed, in one setting",
    "report": "evidence gathered and published by an organisation",
    "commentary": "the informed opinion of one author",
    "blog": "the informed opinion of one author",
    "news": "a second-hand account of someone's opinion",
}


def how_to_read(site: Site) -> Page:
    """The reading guide. The strength table is printed from the rule the code applies."""
    uri = "how-to-read"
    body = Body()
    body.heading(2, "Themes and findings").add(
        "<p>Each theme page answers one question. It opens with key messages: what the evidence on the theme "
        "adds up to, written by the editors, each with the findings behind it. Then come the findings from "
        "every source on the theme, grouped by the kind of source, strongest kinds first. A finding is a "
        "statement in our own words, often with a short verbatim quote and where it is in the source.</p>"
    )
    body.heading(2, "Consistency of a key message").add(
        ul(
            [
                "<em>Consistent across sources</em>: findings from two or more sources support it, "
                "and none qualifies it.",
                "<em>Mixed</em>: some finding qualifies or contradicts it.",
                "<em>Single source</em>: only one source supports it.",
            ]
        ),
        "<p>These labels are worked out from the findings a message lists; nobody types them.</p>",
    )
    rows = [[TYPE_NAMES[t], STRENGTH_BY_TYPE[t].replace("-", " "), STRENGTH_WHY[t]] for t in TYPE_ORDER]
    body.heading(2, "Strength of evidence").add(
        "<p>Every finding carries a strength label. By default it follows from the kind of source:</p>",
        table(["Kind of source", "Default strength", "Why"], rows),
        "<p>An editor may set a different strength for one finding and must then give the reason; point at the "
        "label to read it.</p>",
    )
    years = site.settings.options.max_age_years
    body.heading(2, "Gaps").add(
        "<p>Each theme page ends with what the evidence base lacks on it: no empirical study, review or report; "
        f"only one source; every source more than {years} years older than the evidence base's latest update; "
        f"sources with no date. The {a(site.href('evidence-map', uri), 'evidence map')} shows the gaps for all "
        "themes.</p>"
    )
    body.heading(2, "References").add(
        "<p>Citations are author-date (Harvard style): up to three authors are named, and four or more are shown "
        "as the first author and <em>et al.</em> A reference with no author is listed under the periodical or "
        "organisation that published it, and one with no date shows <em>n.d.</em> in place of the year. Fields a "
        "source does not give are left out, never guessed.</p>"
    )
    return body.page(uri, "How to read this briefing")
