"""The whole briefing, for reading on the site and as a PDF that stands alone.

Both open with its front matter (who publishes it, when, the version, the licence, how current
the evidence is, how to cite it: builder/render/front.py), put the key messages and their
confidence first, then each theme, then how the evidence was gathered and a list of every work
cited, the sources of the evidence apart from the works they cite. On the site links go to the
site's pages; in the PDF they go to the PDF's own sections and reference list, or, when SITE_URL
is set, to the published site: never to a relative web address, which leads nowhere once the
PDF is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from builder.model import Finding, Source
from builder.render.front import front_matter
from builder.render.html import Body, Page, a, escape, ul
from builder.render.messages import messages_by_theme, summary_table
from builder.render.pages import WORKS_CITED
from builder.render.provenance import what_was_read
from builder.render.site import Site, anchor, text
from builder.synth import STRENGTH_ORDER, strength

FINDINGS_PER_THEME = 40
# And at most this many characters of their statements: forty findings of 5,000 characters
# would be sixty pages a theme (80 such findings took the PDF 17 s and 117 pages).
THEME_CHARACTERS = 40_000
TITLE = "The whole briefing"


@dataclass
class _Links:
    """Where a part of the briefing links to, on the site's page or in the PDF."""

    site: Site
    page: str
    in_pdf: bool
    cited: dict[str, None]  # the keys of the works cited, in order of first citation

    def reference(self, key: str) -> str:
        self.cited.setdefault(key, None)
        return f"#{anchor(key)}" if self.in_pdf else self.site.reference_href(key, self.page)

    def source(self, source: Source, finding: Finding | None = None) -> str:
        """A link to a source: its reference in the PDF, its page on the site. Either way the
        source's reference is listed under References."""
        label = escape(self.site.label(source))
        reference = self.reference(source.cite)
        if self.in_pdf:
            return a(reference, label)
        return a(self.site.href(f"sources/{source.id}", self.page, f"finding-{finding.id}" if finding else ""), label)

    def theme(self, theme_id: str) -> str:
        return f"#theme-{theme_id}" if self.in_pdf else self.site.href(f"themes/{theme_id}", self.page)

    def published(self, uri: str, label: str) -> str:
        """A link to a page of the site: absolute in the PDF (if SITE_URL is set), else text."""
        if not self.in_pdf:
            return a(self.site.href(uri, self.page), escape(label))
        url = self.site.settings.site_url
        return a(url.rstrip("/") + "/" + self.site.links.url(uri), escape(label)) if url else escape(label)

    def front(self, uri: str, label: str) -> str:
        """A link of the front matter ('' for none): in the PDF, the methods are its own section."""
        if self.in_pdf and uri == "methods":
            return a("#how-it-was-made", "How this briefing was made")
        if self.in_pdf and not self.site.settings.site_url:
            return ""
        return self.published(uri, label)


def _parts(site: Site, body: Body, links: _Links) -> None:
    """Key messages, the summary table, each theme, the methods and the references."""
    themes = site.corpus.themes
    cited: Callable[[str], str] = lambda value: site.cited(value, links.page, links.reference)  # noqa: E731
    source_link = links.source
    body.heading(2, "Key messages", "key-messages")
    body.add(*messages_by_theme(site, links.page, links.theme, source_link, cited))
    body.heading(2, "Summary of qualitative findings", "summary-of-findings")
    body.add(summary_table(site, list(themes), links.page, source_link, cited, with_theme=True))
    for theme in themes:
        body.heading(2, theme.title, f"theme-{theme.id}")
        body.add(f"<p><em>{text(theme.question)}</em></p>")
        ranked = sorted(site.theme_findings(theme.id), key=lambda sf: STRENGTH_ORDER.index(strength(*sf)[0]))
        shown = _within_bounds(ranked)
        items = [
            f"{cited(f.statement)} ({source_link(s, f)}; strength: {strength(s, f)[0].replace('-', ' ')})"
            for s, f in shown
        ]
        body.add(ul(items) if items else "<p>No findings on this theme yet.</p>")
        if len(ranked) > len(shown):
            more = links.published(f"themes/{theme.id}", "the theme's page")
            body.add(f"<p>{len(ranked) - len(shown)} more findings, of equal or lower strength, are on {more}.</p>")
    _method(site, body, links)
    body.heading(2, "References", "references")
    keys, works_cited = _sorted(site, links.cited), site.corpus.works_cited
    works = [k for k in keys if k in works_cited]
    body.add(_references(site, [k for k in keys if k not in works_cited]))
    if works:
        body.heading(3, WORKS_CITED, "works-cited").add(_references(site, works))


def _references(site: Site, keys: list[str]) -> str:
    """References, each with what was read of it where it is a source's and that is recorded."""
    read = {s.cite: s for s in site.corpus.sources}
    return ul(
        [
            f'<span id="{anchor(k)}">{site.reference_html[k]}</span>'
            + (f" What was read: {what_was_read(read[k])}" if k in read and read[k].read else "")
            for k in keys
        ],
        "evidence-references",
    )


def _within_bounds(ranked: list[tuple[Source, Finding]]) -> list[tuple[Source, Finding]]:
    """The strongest findings of a theme, up to FINDINGS_PER_THEME and THEME_CHARACTERS."""
    shown, size = [], 0
    for source, finding in ranked[:FINDINGS_PER_THEME]:
        size += len(finding.statement)
        if shown and size > THEME_CHARACTERS:
            break
        shown.append((source, finding))
    return shown


def _method(site: Site, body: Body, links: _Links) -> None:
    briefing = site.corpus.briefing
    body.heading(2, "How this briefing was made", "how-it-was-made")
    if briefing is not None:
        body.add(f"<p>{text(briefing.methods.statement)}</p>")
    body.add(
        f"<p>{len(site.corpus.sources)} sources are written up, each in our own words, with short quotes and "
        "where they are in the source. A key message's confidence, GRADE-CERQual style, is the editors' "
        "judgement, with its reason, who made it and when; where nobody has judged it, it says not assessed. "
        f"{links.published('how-to-read', 'How to read this briefing')} says more, and "
        f"{links.published('methods', 'Methods and scope')} gives the scope.</p>"
    )


def _sorted(site: Site, keys: dict[str, None]) -> list[str]:
    labels = site.corpus.labels
    return sorted((k for k in keys if k in site.corpus.references), key=lambda k: (labels[k].lower(), k))


def _opening(site: Site, links: _Links) -> str:
    """The question and the front matter."""
    briefing = site.corpus.briefing
    question = f"<p><strong>{text(briefing.question)}</strong></p>" if briefing else ""
    return question + front_matter(site, links.front)


def briefing_page(site: Site, pdf_pages: int | None) -> Page:
    uri = "briefing"
    body = Body()
    if pdf_pages:
        pdf = a(site.file_href("downloads/briefing.pdf", uri), f"a PDF of {pdf_pages} pages")
        body.add(f'<p class="evidence-dated">The whole briefing on one page; it is also {pdf}.</p>')
    links = _Links(site, uri, in_pdf=False, cited={})
    body.add(_opening(site, links))
    _parts(site, body, links)
    return body.page(uri, TITLE, searchable=False)


def briefing_document(site: Site) -> str:
    """The briefing as one HTML document, for the PDF: every link inside it or absolute."""
    body = Body()
    url = site.settings.site_url
    online = (
        f'<p>Online, with every source: <a class="evidence-address" href="{escape(url)}">{escape(url)}</a></p>'
        if url
        else ""
    )
    links = _Links(site, "briefing", in_pdf=True, cited={})
    body.add(
        f'<section class="title-page"><p class="kind">Evidence briefing</p>{_opening(site, links)}{online}</section>'
    )
    _parts(site, body, links)
    return body.page("briefing", site.settings.site_name).body
