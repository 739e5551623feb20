"""Render a linked Corpus to HTML pages and downloads. Contributor text is escaped here, always."""

from __future__ import annotations

from dataclasses import dataclass

from builder.corpus import Corpus
from builder.memo import Memo
from builder.render.about import changes_page, how_to_read, methods_page
from builder.render.briefing import briefing_page
from builder.render.downloads import downloads
from builder.render.facets import sources_data
from builder.render.feed import atom_feed
from builder.render.html import Download, Page
from builder.render.overview import browse_by_type, browse_by_year, evidence_map, home
from builder.render.pages import references_pages, source_page, sources_index, theme_pages
from builder.render.searchindex import Document
from builder.render.searchtext import search_documents
from builder.render.site import Site, part_uri
from builder.settings import Settings

__all__ = ["Download", "Page", "Rendered", "page_uris", "render", "render_site"]


@dataclass(frozen=True)
class Rendered:
    pages: list[Page]
    files: list[Download]
    searched: list[Document]  # what the search index holds (builder/render/searchindex.py writes it)


def render_site(corpus: Corpus, settings: Settings, memo: Memo | None = None, pdf_pages: int | None = None) -> Rendered:
    """Every generated page and download of the site, in a stable order. pdf_pages: the length of
    the PDF briefing, if there is one (builder/build.py makes it first)."""
    return render(Site(corpus, settings, memo or Memo(keeps=False)), pdf_pages)


def render(site: Site, pdf_pages: int | None = None) -> Rendered:
    """render_site, from a Site whose shared work (formatted references...) may be used already."""
    corpus = site.corpus
    prose = [home(site, pdf_pages), how_to_read(site), methods_page(site), changes_page(site), evidence_map(site)]
    pages = [*prose, briefing_page(site, pdf_pages)]  # FIXED_PAGES
    for theme in corpus.themes:
        pages += theme_pages(site, theme)
    pages += sources_index(site) + references_pages(site) + browse_by_type(site) + browse_by_year(site)
    pages += [source_page(site, entry) for entry in corpus.entries]
    return Rendered(pages, [atom_feed(site), sources_data(site), *downloads(site)], search_documents(site, prose))


FIXED_PAGES = ("index", "how-to-read", "methods", "changes", "evidence-map", "briefing")


def page_uris(corpus: Corpus, settings: Settings) -> list[str]:
    """The names of the pages render_site makes, worked out without rendering them."""
    size = settings.options.page_size

    def parts(uri: str, items: int) -> list[str]:
        return [part_uri(uri, i) for i in range(max(1, -(-items // size)))]

    uris = list(FIXED_PAGES)
    for theme in corpus.themes:
        uris += parts(f"themes/{theme.id}", len(corpus.findings_on(theme.id)))
    sources = len(corpus.entries)
    uris += parts("sources/index", sources) + parts("references", len(corpus.references))
    uris += parts("browse/types", sources) + parts("browse/years", sources)
    return uris + [f"sources/{entry.source.id}" for entry in corpus.entries]
