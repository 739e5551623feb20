"""The pages of the evidence itself: a page per theme, a page per source, the list of sources
and the references."""

from __future__ import annotations

from builder import fields
from builder.confidence import CONCERNS
from builder.corpus import CHECK_STATES, Entry
from builder.locator import unchecked
from builder.model import Finding, Source, Theme
from builder.render.citeformats import bibtex, ris
from builder.render.facets import data_attributes, filter_form, most_recent_first, source_facets
from builder.render.front import currency
from builder.render.html import Body, Page, a, escape, part_uri, table, ul
from builder.render.listing import Item, Listing, listed
from builder.render.messages import message_block, prompts, summary_table
from builder.render.provenance import EARLIER, check_said, kind_said, quoted_from, rating_said, what_was_read
from builder.render.referencelist import anchor
from builder.render.site import Site, text
from builder.synth import TYPE_NAMES, TYPE_SINGULAR, count, gaps

SAMPLE_LABELS = fields.sample_labels()


def implications_heading(site: Site) -> str:
    """'Implications for commissioners', as the editors name the readers (briefing.yaml), or 'Implications'."""
    readers = site.corpus.briefing.implications_for if site.corpus.briefing else None
    return f"Implications for {' '.join(readers.split())}" if readers else "Implications"


def appraisal_said(source: Source) -> str:
    """An editor's appraisal of the source's methods, signed and dated, or that there is none; one
    of an earlier version of the source (its design, setting, sample or what was read has changed
    since) is said to be so, and is not the source's appraisal."""
    found = source.appraisal or source.earlier_appraisal
    if found is None:
        return "Not appraised."
    said = (
        f"{escape(CONCERNS[found.concerns].capitalize())} ({text(found.tool)}): {text(found.reason)} "
        f"Appraised by {text(found.appraised_by)} on {found.appraised.isoformat()}."
    )
    return said if source.appraisal else f"Not appraised as it now stands. {EARLIER}: {said}"


def what_it_is(source: Source, finding: Finding) -> str:
    """What a finding comes from (the kind of source, and how little of it was read), and its
    strength where an editor rated it, with the reason: no grade by rule."""
    said = "; ".join(filter(None, (kind_said(source), rating_said(finding))))
    return escape(said[:1].upper() + said[1:])


# The styles of the three states (builder/assets/evidence.css).
_STATE_CLASS = {"reviewed": "checked", "supplied": "supplied", "not checked": "unchecked"}


def finding_block(site: Site, source: Source, finding: Finding, page: str, on_source_page: bool) -> str:
    """A finding: its statement, strength and where it comes from (or its theme), and its quote."""
    if on_source_page:
        theme = site.theme_title.get(finding.theme, finding.theme)
        where = "Theme: " + a(site.href(f"themes/{finding.theme}", page), escape(theme))
        opening = f'<div class="evidence-finding" id="finding-{finding.id}">'
    else:
        finding_href = site.href(f"sources/{source.id}", page, f"finding-{finding.id}")
        where = site.source_link(source, page) + " (" + a(finding_href, "finding") + ")"
        opening = '<div class="evidence-finding">'
    # The kind of source and links line is the same words on many findings: kept out of search.
    out = [
        opening,
        f"<p>{site.cited(finding.statement, page)}</p>",
        f'<p class="evidence-finding__meta" data-search-exclude>{what_it_is(source, finding)} · {where}</p>',
    ]
    if finding.quote:
        state = site.corpus.check_state(source.id)
        checked = f'<span class="evidence-{_STATE_CLASS[state]}">{CHECK_STATES[state]}</span>'
        pages = unchecked(finding.quote.locator) if state != "not checked" else []
        if pages:  # a page cannot be checked in a plain text: "checked" is not said of it
            checked += f' <span class="evidence-unchecked">({text(", ".join(pages))}: page not checked)</span>'
        said = " · ".join(
            filter(None, (text(finding.quote.locator), escape(quoted_from(source, finding.quote.locator)), checked))
        )
        out.append(
            f'<blockquote class="evidence-quote"><p>“{text(finding.quote.text)}”</p>'
            f'<p class="evidence-quote__locator" data-search-exclude>{said}</p></blockquote>'
        )
    return "".join(out) + "</div>"


def theme_pages(site: Site, theme: Theme) -> list[Page]:
    """A theme's key messages, its findings grouped by kind of source, and its gaps."""
    uri = f"themes/{theme.id}"
    findings = site.theme_findings(theme.id)

    def intro(body: Body) -> None:
        body.add(f"<p><strong>{text(theme.question)}</strong></p>", site.paragraphs(theme.description, uri))
        body.add(currency(site, {s.id: s for s, _ in findings}.values(), " on this theme"))
        link = lambda s, f: site.source_link(s, uri, f"finding-{f.id}")  # noqa: E731
        if theme.key_messages:
            body.heading(2, "Key messages").add(*(message_block(site, m, uri, link) for m in theme.key_messages))
        body.heading(2, "Summary of qualitative findings", searched=False).add(summary_table(site, [theme], uri, link))
        if not findings:
            body.add("<p>No findings on this theme yet.</p>")

    def outro(body: Body) -> None:
        # The editors' working facts come after what readers came for, the findings.
        if theme.key_messages:
            body.heading(2, "Prompts for the editor", searched=False).add(prompts(site, theme))
        lacks = gaps(site.corpus, theme.id, site.settings.options.max_age_years)
        body.heading(2, "What the evidence lacks", searched=False)
        body.add(ul([escape(g) for g in lacks] or ["No gap found by the rules."]))

    of_source: dict[str, dict[str, list[str]]] = {}
    for source, _ in findings:
        if source.id not in of_source:
            of_source[source.id] = source_facets(site, source)
    facets = [_finding_facets(of_source[s.id], s, f) for s, f in findings]
    present: dict[str, set[str]] = {}
    for found in facets:
        for name, values in found.items():
            present.setdefault(name, set()).update(values)
    listing = Listing(
        uri,
        theme.title,
        intro,
        outro,
        searched_sections=False,
        edit_path=site.settings.options.themes_file,
        description=f"{theme.question} {theme.description}",
        item_class="evidence-findings",
        filters=filter_form(site, present, "findings"),
    )

    # A finding's page part is worked out for the part it lands on, so its links are right there.
    def block(i: int, source: Source, finding: Finding) -> str:
        page = _part_of(site, uri, i)
        key = (site.source_key(site.corpus.by_id[source.id]), finding.id, page)
        return site.memo.get("finding", key, lambda: finding_block(site, source, finding, page, on_source_page=False))

    items = [Item(TYPE_NAMES[s.type], block(i, s, f), data_attributes(facets[i])) for i, (s, f) in enumerate(findings)]
    return listed(site, listing, items)


def _finding_facets(of_source: dict[str, list[str]], source: Source, finding: Finding) -> dict[str, list[str]]:
    """A finding's facets: its source's, but for its own rating (a theme is one already)."""
    facets = {name: values for name, values in of_source.items() if name != "theme"}
    facets["strength"] = [finding.strength.level] if finding.strength else []
    return facets


def _part_of(site: Site, uri: str, index: int) -> str:
    return part_uri(uri, index // site.page_size)


def source_page(site: Site, entry: Entry) -> Page:
    return site.memo.get("source page", site.source_key(entry), lambda: _source_page(site, entry))


def _source_page(site: Site, entry: Entry) -> Page:
    source = entry.source
    uri = f"sources/{source.id}"
    body = Body()
    body.add(
        f'<p class="evidence-byline"><strong>{escape(site.label(source))}</strong> · '
        f"{escape(TYPE_SINGULAR[source.type])} · {text(source.design)}</p>"
    )
    body.heading(2, "Summary").add(site.paragraphs(source.summary, uri))
    rows = [["Kind of source", escape(TYPE_SINGULAR[source.type])], ["Design", site.cited(source.design, uri)]]
    if source.setting:
        rows.append(["Setting", site.cited(source.setting, uri)])
    if source.sample:
        rows += [
            [label, f"{value:,}"]
            for name, label in SAMPLE_LABELS.items()
            if (value := getattr(source.sample, name)) is not None
        ]
        if source.sample.notes:
            rows.append(["Sample notes", text(source.sample.notes)])
    rows.append(["Appraisal of its methods", appraisal_said(source)])
    body.heading(2, "Design, setting and sample", searched=False).add(table(["Aspect", "Details"], rows))
    body.heading(2, "What was read", searched=False)
    read = what_was_read(source) or "What was read is not recorded."
    body.add(f"<p>{read} {check_said(site.corpus, source.id)}</p>")
    body.heading(2, "Findings").add(
        *(finding_block(site, source, f, uri, on_source_page=True) for f in source.findings)
    )
    body.heading(2, "Limitations", searched=False).add(ul([site.cited(t, uri) for t in source.limitations]))
    body.heading(2, implications_heading(site), "implications", searched=False)
    body.add(ul([site.cited(t, uri) for t in source.implications]))
    if source.references:
        cites = [a(site.references.href(k, uri), escape(site.corpus.labels[k])) for k in source.references]
        body.heading(2, "Works this source cites", searched=False).add(ul(cites))
    ref = site.corpus.references[source.cite]
    body.heading(2, "Cite this", searched=False)
    body.add(
        f'<p class="evidence-reference">{site.references.html[source.cite]}</p>',
        *(
            f'<details class="evidence-cite"><summary>{name}</summary><pre><code>{escape(text)}</code></pre></details>'
            for name, text in (("BibTeX", bibtex(ref)), ("RIS", ris(ref, source.type)))
        ),
    )
    # `reviewed:` is the write-up checked against what was read: not an editor's review of the stored text.
    dates = f"Added {source.added.isoformat()}"
    if source.reviewed:
        dates += f"; write-up last checked against what was read on {source.reviewed.isoformat()}"
    edit_url = site.settings.options.edit_url
    # Where the file can be edited online, say so; a file name alone helps no reader.
    edit = f" {a(edit_url + entry.file, 'Suggest a correction to this page')}." if edit_url else ""
    body.add(f'<hr><p class="evidence-dates" data-search-exclude>{dates}.{edit}</p>')
    return body.page(uri, site.title_of(source), edit_path=entry.file, in_nav=False, description=source.summary)


# The lists' titles, which the navigation shows (builder/render/__init__.py).
SOURCES_TITLE, REFERENCES_TITLE = "Sources", "References"


def sources_index(site: Site) -> list[Page]:
    """Every source, title first (a phone shows the title and the year before anything else)."""
    sources = most_recent_first(site)
    uri = "sources/index"
    present: dict[str, set[str]] = {}
    for source in sources:
        for name, values in source_facets(site, source).items():
            present.setdefault(name, set()).update(values)

    def intro(body: Body) -> None:
        # With JavaScript, the filters narrow every source (browse/sources.js) and show the
        # result here, in the same form; without it, the list below is the whole list.
        body.add(filter_form(site, present, "sources"), '<div id="evidence-browse-results"></div>')
        body.add('<p class="evidence-static">Most recently added first.</p>')

    def item(i: int, source: Source) -> Item:
        page = part_uri(uri, i // site.page_size)
        link = a(site.href(f"sources/{source.id}", page), escape(site.title_of(source)))
        said = " · ".join(
            [
                escape(site.label(source)),
                escape(TYPE_SINGULAR[source.type].capitalize()),
                count(len(source.findings), "finding"),
            ]
        )
        return Item(
            "",
            f'<span class="evidence-sources__title">{link}</span> <span class="evidence-sources__said">{said}</span>',
        )

    listing = Listing(uri, SOURCES_TITLE, intro, searchable=False, item_class="evidence-sources evidence-static")
    return listed(site, listing, [item(i, s) for i, s in enumerate(sources)])


def references_pages(site: Site) -> list[Page]:
    corpus = site.corpus
    written_up = {s.cite: s for s in corpus.sources}

    def entry(key: str, page: str) -> str:
        """A reference, with the page of the source it is (if it is one) and the sources citing it, by label."""
        own = written_up.get(key)
        citing = [corpus.by_id[i].source for i in corpus.cited_by.get(key, ()) if own is None or i != own.id]
        links = [f"Its write-up: {site.source_link(own, page)}"] if own else []
        if citing:
            links.append("Cited by: " + "; ".join(site.source_link(s, page) for s in citing))
        said = "".join(f' <span class="evidence-citedby">{link}</span>' for link in links)
        return f'<p class="evidence-reference" id="{anchor(key)}">{site.references.html[key]}{said}</p>'

    works = corpus.works_cited
    cite = f", then {count(len(works), 'work')} the sources cite: not evidence, and counted nowhere as evidence"
    intro = (
        f"<p>{count(len(corpus.references) - len(works), 'source')} of the evidence{cite if works else ''}. "
        "Each list is in author-date order.</p>"
    )
    listing = Listing(
        "references", REFERENCES_TITLE, lambda body: body.add(intro), searchable=False, item_class="evidence-references"
    )
    items = [
        Item(WORKS_CITED if key in works else "Sources of the evidence", entry(key, site.references.page[key]))
        for key in site.references.order
    ]
    return listed(site, listing, items)


WORKS_CITED = "Works cited by the sources"
