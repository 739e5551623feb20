"""Pages that look across the evidence base: home, the evidence map, browsing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from builder.model import Source, Theme
from builder.render.briefing import PdfPages, pdf_said
from builder.render.facets import filter_form, source_facets
from builder.render.front import front_matter, thin
from builder.render.html import Body, Page, a, escape, part_uri, table, ul
from builder.render.listing import Item, Listing, listed
from builder.render.messages import messages_by_theme
from builder.render.pages import count
from builder.render.site import Site, text
from builder.synth import (
    EMPIRICAL,
    NO_EVIDENCE,
    ONLY_OPINION,
    TYPE_NAMES,
    TYPE_ORDER,
    TYPE_RANK,
    evidence_gap,
)

# The pages' titles, which the navigation shows (builder/render/__init__.py).
MAP_TITLE, BY_KIND_TITLE, BY_YEAR_TITLE = "Evidence map", "Sources by kind", "Sources by year"


def home(site: Site, pdf_pages: PdfPages = None) -> Page:
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
    body.heading(2, "The evidence at a glance").add(_glance(site, uri))
    body.heading(2, "Where the evidence is thin").add(thin(site, lambda theme_id: site.href(f"themes/{theme_id}", uri)))
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
    themes = table(["Theme", "Question", "Findings", "Sources"], rows, numeric=frozenset({2, 3}), stacked=True)
    return (
        f"<p>{count(len(sources), 'source')} and {count(findings, 'finding')} on {count(len(corpus.themes), 'theme')}. "
        "Every finding links to the source it comes from, and every source to its full reference. "
        f"{a(site.href('how-to-read', uri), 'How to read this briefing')} explains the labels, and "
        f"{a(site.href('methods', uri), 'Methods and scope')} how the evidence was gathered.</p>" + kinds + themes
    )


def _explore(site: Site, uri: str, pdf_pages: PdfPages) -> list[str]:
    def page(target: str, label: str) -> str:
        return a(site.href(target, uri), label)

    def file(path: str, label: str) -> str:
        return a(site.file_href(path, uri), label)

    pdf = f", and {file('downloads/briefing.pdf', 'as ' + pdf_said(pdf_pages))}" if pdf_pages else ""
    return [
        page("evidence-map", "Evidence map") + ": which questions have research behind them, which only opinion, "
        "which nothing",
        page("briefing", "The whole briefing") + f" on one web page, for reading or printing{pdf}",
        page("changes", "What changed") + ": every update, newest first",
        f"Browse sources {page('browse/types', 'by kind')}, {page('browse/years', 'by year')} or "
        f"{page('sources/index', 'most recently added first')}; {file('feed.xml', 'Atom feed of new sources')}",
        file("downloads/findings.csv", "All findings (CSV)")
        + ": one row per finding, with its source, theme, quote and what was read",
        file("downloads/evidence.json", "The whole evidence base (JSON)") + ", with its schema version",
        f"The reference library as {file('downloads/references.bib', 'BibTeX')}, "
        f"{file('downloads/references.ris', 'RIS')} or {file('downloads/references.json', 'CSL-JSON')}",
        file("schema/evidence.schema.json", "JSON Schema of an evidence file"),
    ]


def evidence_map(site: Site) -> Page:
    """An evidence and gap map: the briefing's questions (its themes) as rows, the kinds of
    source as columns, research first; each cell the number of sources, shaded by it, opening
    the list of them. A gap is a question with no evidence, or with only opinion and news, as
    in an evidence and gap map (Campbell, EPPI-Mapper); a kind of source a question lacks is
    only an empty cell. With JavaScript the map is drawn again from browse/sources.js
    (builder/assets/evidence-browse.js): filtered, or with other rows and columns."""
    uri = "evidence-map"
    found: dict[tuple[str, str], set[str]] = defaultdict(set)  # (theme, kind): the sources
    for theme in site.corpus.themes:
        for source, _ in site.theme_findings(theme.id):
            found[theme.id, source.type].add(source.id)
    most = max(map(len, found.values()), default=1)
    rows, gapped = [], defaultdict(list)
    for theme in site.corpus.themes:
        gap = evidence_gap(kind for kind in TYPE_ORDER if found[theme.id, kind])
        title = a(site.href(f"themes/{theme.id}", uri), escape(theme.title))
        gapped[gap].append(f"{title}: {text(theme.question)}")
        said = f'<span class="evidence-map__gap">Gap: {escape(gap)}</span>' if gap else ""
        head = f'{title}{said}<span class="evidence-map__confidence">{_confidences(site, theme)}</span>'
        every = len(set().union(*(found[theme.id, kind] for kind in TYPE_ORDER)))
        total = a(_list(site, uri, theme=theme.id), f'{every}<span class="evidence-hidden"> in all</span>')
        cells = [_cell(site, uri, theme, kind, len(found[theme.id, kind]), most) for kind in TYPE_ORDER]
        rows.append([head, *cells, total if every else "0"])
    body = Body().add(
        "<p>Each row is a question of the briefing (a theme), each column a kind of source: research (reviews, "
        "studies and reports), then opinion and news. A cell counts the sources of that kind on that question, is "
        "darker the more there are, and opens the list of them. A question is an <strong>evidence gap</strong> "
        "when no source speaks to it, or only opinion and news do; a kind of source a question lacks is only an "
        "empty cell. Filters narrow what the cells count, not the gaps: those are of the whole evidence base.</p>",
        _gaps_said(gapped),
        '<form class="evidence-map-picker" hidden><label>Rows <select data-axis="rows"></select></label> '
        '<label>Columns <select data-axis="columns"></select></label></form>',
        filter_form(site, _present(site), "map"),
        '<div id="evidence-map-results"></div>',
        _map_table(rows),
    )
    return body.page(uri, MAP_TITLE, hide_toc=True)


def _list(site: Site, uri: str, **filters: str) -> str:
    """The address of the list of sources, narrowed by these filters."""
    return site.href("sources/index", uri) + "#" + "&".join(f"{name}={value}" for name, value in filters.items())


def _cell(site: Site, uri: str, theme: Theme, kind: str, n: int, most: int) -> str:
    """A cell of the map: how many sources of a kind speak to a question, opening their list."""
    where = f"{escape(TYPE_NAMES[kind].lower())} on {escape(theme.title)}"
    if not n:
        return f'<span class="evidence-hidden">no {where}</span>'
    return (
        f'<a class="evidence-map__cell" style="--share: {n / most:.2f}" '
        f'href="{escape(_list(site, uri, theme=theme.id, kind=kind))}"><strong>{n}</strong>'
        f'<span class="evidence-hidden"> {"source" if n == 1 else "sources"} ({where})</span></a>'
    )


def _gaps_said(gapped: dict[str, list[str]]) -> str:
    """The questions that are evidence gaps, by what they lack."""
    if not gapped[NO_EVIDENCE] and not gapped[ONLY_OPINION]:
        return "<p>No evidence gap: research speaks to every question.</p>"
    said = "".join(
        f"<li><strong>{heading}:</strong> {ul(gapped[gap]) if gapped[gap] else 'none.'}</li>"
        for gap, heading in ((NO_EVIDENCE, "No evidence"), (ONLY_OPINION, "Only opinion and news"))
    )
    return f'<p>The evidence gaps: questions no research speaks to.</p><ul class="evidence-map__gaps">{said}</ul>'


def _present(site: Site) -> dict[str, set[str]]:
    present: dict[str, set[str]] = defaultdict(set)
    for source in site.corpus.sources:
        for name, values in source_facets(site, source).items():
            present[name].update(values)
    return present


def _map_table(rows: list[list[str]]) -> str:
    """The map as a table: research and opinion grouped under a heading of their own."""
    research = [kind for kind in TYPE_ORDER if kind in EMPIRICAL]
    head = (
        '<tr><th scope="col" rowspan="2">Question (theme), and confidence in its key messages</th>'
        f'<th scope="colgroup" colspan="{len(research)}">Research</th>'
        f'<th scope="colgroup" colspan="{len(TYPE_ORDER) - len(research)}">Opinion and news</th>'
        '<th scope="col" rowspan="2">All sources</th></tr><tr>'
        + "".join(f'<th scope="col">{escape(TYPE_NAMES[t])}</th>' for t in TYPE_ORDER)
        + "</tr>"
    )
    labels = [escape(TYPE_NAMES[t]) for t in TYPE_ORDER] + ["All sources"]  # a cell's name, where it stands alone
    body = "".join(
        "<tr>"
        + f'<th scope="row">{cells[0]}</th>'
        + "".join(f'<td data-label="{label}">{cell}</td>' for label, cell in zip(labels, cells[1:], strict=True))
        + "</tr>"
        for cells in rows
    )
    return (
        '<div class="md-typeset__scrollwrap evidence-map evidence-static"><div class="md-typeset__table"><table>'
        f'<colgroup><col class="evidence-map__rows"><col span="{len(TYPE_ORDER) + 1}"></colgroup>'
        f"<thead>{head}</thead><tbody>{body}</tbody></table></div></div>"
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
