"""The whole briefing, for reading on the site and as a PDF that stands alone.

Both open with its front matter (who publishes it, when, the version, the licence, how the
evidence was gathered, how current it is, how to cite it: builder/render/front.py), put the key
messages and their confidence first, then where the evidence is thin, then each theme's findings
with their quotes, then how the briefing was made and how to read it, and a list of every work
cited, the sources of the evidence apart from the works they cite. On the site links go to the
site's pages; in the PDF they go to the PDF's own sections and reference list, or, when SITE_URL
is set, to the published site with its address printed: never to a relative web address, which
leads nowhere once the PDF is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from builder.corpus import CHECK_STATES
from builder.model import Finding, Source
from builder.render.front import front_matter, thin
from builder.render.html import Body, Page, a, escape, ul
from builder.render.messages import messages_by_theme, summary_table
from builder.render.pages import WORKS_CITED
from builder.render.provenance import kind_said, quoted_from, rating_said, what_was_read
from builder.render.referencelist import anchor
from builder.render.site import Site, text
from builder.synth import gap_rules_said

FINDINGS_PER_THEME = 40
# And at most this many characters of their statements and quotes: forty findings of 5,000
# characters would be sixty pages a theme (80 such findings took the PDF 17 s and 117 pages).
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
        return f"#{anchor(key)}" if self.in_pdf else self.site.references.href(key, self.page)

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

    def address(self, uri: str) -> str:
        """A page's address on the published site ('' when SITE_URL is not set)."""
        url = self.site.settings.site_url
        return url.rstrip("/") + "/" + self.site.links.url(uri) if url else ""

    def named(self, uri: str, label: str) -> str:
        """A page of the site in the PDF, which may be printed: its name, and its address written
        out when SITE_URL is set."""
        address = self.address(uri)
        return f"{escape(label)} ({a(address, escape(address))})" if address else escape(label)

    def published(self, uri: str, label: str) -> str:
        """A page of the site: a link on the site; in the PDF, named, or said to be on the
        briefing's website when it has no address."""
        if not self.in_pdf:
            return a(self.site.href(uri, self.page), escape(label))
        return self.named(uri, label) + ("" if self.address(uri) else " on the briefing's website")

    def front(self, uri: str, label: str) -> str:
        """A link of the front matter ('' for none): in the PDF, the methods are its own section."""
        if self.in_pdf and uri == "methods":
            return a("#how-it-was-made", "How this briefing was made")
        if not self.in_pdf:
            return self.published(uri, label)
        address = self.address(uri)
        return a(address, escape(label)) if address else ""


def _parts(site: Site, body: Body, links: _Links) -> None:
    """Key messages, the summary table, the gaps, each theme, the methods and the references."""
    themes = site.corpus.themes
    cited: Callable[[str], str] = lambda value: site.cited(value, links.page, links.reference)  # noqa: E731
    source_link = links.source
    body.heading(2, "Key messages", "key-messages")
    body.add(*messages_by_theme(site, links.page, links.theme, source_link, cited))
    body.heading(2, "Summary of qualitative findings", "summary-of-findings")
    body.add(summary_table(site, list(themes), links.page, source_link, cited, with_theme=True))
    body.heading(2, "Where the evidence is thin", "thin").add(thin(site, links.theme))
    for theme in themes:
        body.heading(2, theme.title, f"theme-{theme.id}")
        body.add(f"<p><em>{text(theme.question)}</em></p>")
        ordered = site.theme_findings(theme.id)
        shown = _within_bounds(ordered)
        items = [_finding(site, s, f, source_link(s, f), cited) for s, f in shown]
        body.add(ul(items) if items else "<p>No findings on this theme yet.</p>")
        if len(ordered) > len(shown):
            more = links.published(f"themes/{theme.id}", "the theme's page")
            body.add(
                f"<p>The other {len(ordered) - len(shown)} findings on this theme, after these in order of kind "
                f"of source, are on {more}.</p>"
            )
    _method(site, body, links)
    body.heading(2, "References", "references")
    keys, works_cited = _sorted(site, links.cited), site.corpus.works_cited
    works = [k for k in keys if k in works_cited]
    body.add(_references(site, [k for k in keys if k not in works_cited]))
    if works:
        body.heading(3, WORKS_CITED, "works-cited").add(_references(site, works))


def _finding(site: Site, source: Source, finding: Finding, link: str, cited: Callable[[str], str]) -> str:
    """A finding: its statement, its source and what that is, its rating if an editor gave one,
    and its quote with where it is in what was read and how it was checked."""
    said = "; ".join(escape(x) for x in (kind_said(source), rating_said(finding)) if x)
    out = f"<p>{cited(finding.statement)} ({link}; {said})</p>"
    quote = finding.quote
    if quote:
        where = filter(None, (text(quote.locator), escape(quoted_from(source, quote.locator))))
        checked = CHECK_STATES[site.corpus.check_state(source.id)]
        quoted = f"“{text(quote.text)}” ({'; '.join(where)}; {checked})"
        out += f'<blockquote class="evidence-quote"><p>{quoted}</p></blockquote>'
    return out


def _references(site: Site, keys: list[str]) -> str:
    """References, each with what was read of it where it is a source's and that is recorded."""
    read = {s.cite: s for s in site.corpus.sources}
    return ul(
        [
            f'<span id="{anchor(k)}">{site.references.html[k]}</span>'
            + (f" What was read: {what_was_read(read[k])}" if k in read and read[k].read else "")
            for k in keys
        ],
        "evidence-references",
    )


def _within_bounds(ordered: list[tuple[Source, Finding]]) -> list[tuple[Source, Finding]]:
    """A theme's first findings, in page order, up to FINDINGS_PER_THEME and THEME_CHARACTERS."""
    shown, size = [], 0
    for source, finding in ordered[:FINDINGS_PER_THEME]:
        size += len(finding.statement) + (len(finding.quote.text) if finding.quote else 0)
        if shown and size > THEME_CHARACTERS:
            break
        shown.append((source, finding))
    return shown


def _method(site: Site, body: Body, links: _Links) -> None:
    """How the briefing was made and how to read it: what a reader of the PDF alone needs."""
    briefing = site.corpus.briefing
    body.heading(2, "How this briefing was made", "how-it-was-made")
    if briefing is not None:
        body.add(f"<p>{text(briefing.methods.statement)}</p>")
    body.add(
        f"<p>{len(site.corpus.sources)} sources are written up, each in our own words. Each finding names its "
        "source and the kind of source, and says when only the source's abstract or someone else's summary of it "
        "was read; a quote is word for word, with where it is in what was read and whether it was checked against "
        "a stored copy of that text. No finding is graded by the kind of its source: a strength is shown only "
        "where an editor rated one finding, with the reason, and it is not a confidence.</p>",
        "<p>A key message's confidence, GRADE-CERQual style, is the editors' judgement, with its reason, who made "
        "it and when; where nobody has judged it, it says confidence not assessed.</p>",
        f"<p>{escape(gap_rules_said(site.settings.options.max_age_years))}</p>",
        _more(site, links),
    )


def _more(site: Site, links: _Links) -> str:
    """Where the reading guide, the methods and each source's page are."""
    if not links.in_pdf:
        guide, methods = (
            links.published("how-to-read", "How to read this briefing"),
            links.published("methods", "Methods and scope"),
        )
        return f"<p>{guide} says more, and {methods} gives the scope.</p>"
    url = site.settings.site_url
    where = f", at {a(url, escape(url))}," if url else ""
    return (
        f"<p>The briefing's website{where} has more: {links.named('how-to-read', 'How to read this briefing')}; "
        f"{links.named('methods', 'Methods and scope')}; and a page for each source, with its summary, "
        "limitations and implications.</p>"
    )


def _sorted(site: Site, keys: dict[str, None]) -> list[str]:
    labels = site.corpus.labels
    return sorted((k for k in keys if k in site.corpus.references), key=lambda k: (labels[k].lower(), k))


def _opening(site: Site, links: _Links) -> str:
    """The question and the front matter."""
    briefing = site.corpus.briefing
    question = f"<p><strong>{text(briefing.question)}</strong></p>" if briefing else ""
    return question + front_matter(site, links.front)


# The PDF's length while the preview's PDF is being made (builder/preview.py): a page asked for
# then says so, and is written again, with the length, once the PDF is made.
BEING_MADE = "being made"
PdfPages = int | str | None  # the PDF's length; BEING_MADE; None: no PDF


def pdf_said(pdf_pages: int | str) -> str:
    """The PDF as a page names it: with its length, or being made."""
    if isinstance(pdf_pages, int):
        return f"a PDF of {pdf_pages} pages"
    return "a PDF (being made: its length shows here once it is made)"


def briefing_page(site: Site, pdf_pages: PdfPages) -> Page:
    uri = "briefing"
    body = Body()
    if pdf_pages:
        pdf = a(site.file_href("downloads/briefing.pdf", uri), pdf_said(pdf_pages))
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
