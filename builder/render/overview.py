"""Pages that look across the evidence base: home, the evidence map, browsing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from builder.model import Source
from builder.render.front import front_matter
from builder.render.html import Body, Page, a, escape, table, ul
from builder.render.listing import Item, Listing, listed
from builder.render.messages import messages_by_theme
from builder.render.pages import count
from builder.render.site import Site, part_uri, text
from builder.synth import TYPE_NAMES, TYPE_ORDER, TYPE_RANK, gaps

# The pages' titles, which the navigation shows (builder/render/__init__.py).
MAP_TITLE, BY_KIND_TITLE, BY_YEAR_TITLE = "Evidence map", "Sources by kind", "Sources by year"


def home(site: Site, pdf_pages: int | None = None) -> Page:
    """The question, who publishes the briefing, when and how current its evidence is; then the
    bottom line: every theme's key messages with their confidence and sources; the counts, the
    themes and the gaps after. Release notes are on the change log, not here."""
    corpus, uri = site.corpus, "index"
    body = Body()
    if corpus.briefing:
        body.add(f"<p><strong>{text(corpus.briefing.question)}</strong></p>")
    body.add(front_matter(site, lambda target, label: a(site.href(target, uri), escape(label))))
    body.heading(2, "Key messages")
    link = lambda s, f: site.source_link(s, uri, f"finding-{f.id}")  # noqa: E731
    body.add(*messages_by_theme(site, uri, lambda theme_id: site.href(f"themes/{theme_id}", uri), link))
    quiet = [a(site.href(f"themes/{t.id}", uri), escape(t.title)) for t in corpus.themes if not t.key_messages]
    if quiet:
        body.add(f"<p>No key message yet on: {', '.join(quiet)}.</p>")
    body.heading(2, "The evidence at a glance").add(_glance(site, uri))
    thin = []
    for theme in corpus.themes:
        found = gaps(corpus, theme.id, site.settings.options.max_age_years)
        if found:
            thin.append(a(site.href(f"themes/{theme.id}", uri), escape(theme.title)) + ": " + escape(" ".join(found)))
    body.heading(2, "Where the evidence is thin").add(ul(thin) if thin else "<p>No gap found by the rules.</p>")
    body.heading(2, "Explore and download").add(ul(_explore(site, uri, pdf_pages)))
    sources, findings = len(corpus.sources), sum(len(s.findings) for s in corpus.sources)
    summary = f"What the evidence says, theme by theme: {count(sources, 'source')}, {count(findings, 'finding')}."
    return body.page(uri, site.settings.site_name, description=summary)


def _glance(site: Site, uri: str) -> str:
    corpus = site.corpus
    sources = corpus.sources
    findings = sum(len(s.findings) for s in sources)
    by_type = Counter(s.type for s in sources)
    kinds = table(
        ["Kind of source", "Sources"],
        [[TYPE_NAMES[t], str(by_type[t])] for t in TYPE_ORDER if by_type[t]],
        numeric=frozenset({1}),
    )
    rows = []
    for theme in corpus.themes:
        on = corpus.findings_on(theme.id)
        link = a(site.href(f"themes/{theme.id}", uri), escape(theme.title))
        rows.append([link, text(theme.question), str(len(on)), str(len({s.id for s, _ in on}))])
    themes = table(["Theme", "Question", "Findings", "Sources"], rows, numeric=frozenset({2, 3}))
    return (
        f"<p>{count(len(sources), 'source')} and {count(findings, 'finding')} on {count(len(corpus.themes), 'theme')}. "
        "Every finding links to the source it comes from, and every source to its full reference. "
        f"{a(site.href('how-to-read', uri), 'How to read this briefing')} explains the labels, and "
        f"{a(site.href('methods', uri), 'Methods and scope')} how the evidence was gathered.</p>" + kinds + themes
    )


def _explore(site: Site, uri: str, pdf_pages: int | None) -> list[str]:
    def page(target: str, label: str) -> str:
        return a(site.href(target, uri), label)

    def file(path: str, label: str) -> str:
        return a(site.file_href(path, uri), label)

    pdf = f", and {file('downloads/briefing.pdf', f'as a PDF of {pdf_pages} pages')}" if pdf_pages else ""
    return [
        page("evidence-map", "Evidence map") + ": themes against kinds of source, with the gaps",
        page("briefing", "The whole briefing") + f" on one web page, for reading or printing{pdf}",
        page("changes", "What changed") + ": every update, newest first",
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
    """Themes as rows, kinds of source as columns: each cell the number of sources, shaded by it,
    and a link to the list of those sources; each theme with the confidence of its key messages.
    With JavaScript the reader may pick the two facets (builder/assets/evidence-browse.js)."""
    uri = "evidence-map"
    counts: dict[tuple[str, str], set[str]] = defaultdict(set)
    findings: Counter[tuple[str, str]] = Counter()
    for theme in site.corpus.themes:
        for source, _ in site.theme_findings(theme.id):
            counts[theme.id, source.type].add(source.id)
            findings[theme.id, source.type] += 1
    most = max((len(ids) for ids in counts.values()), default=1)
    rows = []
    for theme in site.corpus.themes:
        cells = [
            a(site.href(f"themes/{theme.id}", uri), escape(theme.title))
            + f'<span class="evidence-map__confidence">{_confidences(site, theme)}</span>'
        ]
        for kind in TYPE_ORDER:
            n = len(counts[theme.id, kind])
            if not n:
                cells.append('<span class="evidence-map__gap">gap</span>')
                continue
            target = site.href("sources/index", uri) + f"#theme={theme.id}&kind={kind}"
            where = (
                f" {'source' if n == 1 else 'sources'} ({escape(TYPE_NAMES[kind].lower())} on {escape(theme.title)})"
            )
            cells.append(
                f'<a class="evidence-map__cell" style="--share: {n / most:.2f}" href="{escape(target)}">'
                f'<strong>{n}</strong><span class="evidence-hidden">{where}</span>'
                f'<span class="evidence-map__findings">{count(findings[theme.id, kind], "finding")}</span></a>'
            )
        rows.append(cells)
    head = ["Theme, and confidence in its key messages", *(_column(TYPE_NAMES[t], SHORT[t]) for t in TYPE_ORDER)]
    body = Body().add(
        "<p>How many sources of each kind speak to each theme: a darker cell has more. A cell opens the list of "
        "its sources; <em>gap</em> means no source of that kind on that theme.</p>",
        '<form class="evidence-map-picker" hidden><label>Rows <select data-axis="rows"></select></label> '
        '<label>Columns <select data-axis="columns"></select></label></form>',
        '<div id="evidence-map-results"></div>',
        table(head, rows, cls="evidence-map evidence-static"),
    )
    return body.page(uri, MAP_TITLE, hide_toc=True)


SHORT = {"review": "Rev.", "study": "Stud.", "report": "Rep.", "commentary": "Comm.", "blog": "Blogs", "news": "News"}


def _column(name: str, short: str) -> str:
    """A column's name, and a short one that a phone's narrow screen shows in its place."""
    return (
        f'<span class="evidence-map__long">{escape(name)}</span>'
        f'<span class="evidence-map__short" aria-hidden="true">{escape(short)}</span>'
    )


def _confidences(site: Site, theme) -> str:
    levels = [site.confidence(m) for m in theme.key_messages]
    if not levels:
        return "no key message"
    return ", ".join(
        f'<span class="evidence-confidence evidence-confidence--{c.level or "not-assessed"}">{escape(c.said)}</span>'
        for c in levels
    )


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
        site, Listing("browse/types", BY_KIND_TITLE, searchable=False), sources, lambda s: TYPE_NAMES[s.type]
    )


def browse_by_year(site: Site) -> list[Page]:
    def order(s: Source) -> tuple:
        year = site.year(s)
        return (not year, -int(year) if year else 0, s.id)

    sources = sorted(site.corpus.sources, key=order)
    listing = Listing("browse/years", BY_YEAR_TITLE, searchable=False)
    return _sources_under(site, listing, sources, lambda s: site.year(s) or "No date")
