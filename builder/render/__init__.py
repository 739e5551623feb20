"""Render a linked Corpus to HTML pages and downloads. Contributor text is escaped here, always."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from builder.corpus import Corpus
from builder.memo import Memo
from builder.render.about import (
    CHANGES_TITLE,
    HOW_TO_READ_TITLE,
    METHODS_TITLE,
    changes_page,
    how_to_read,
    methods_page,
)
from builder.render.briefing import TITLE as BRIEFING_TITLE
from builder.render.briefing import PdfPages, briefing_page
from builder.render.downloads import downloads
from builder.render.facets import sources_data
from builder.render.feed import atom_feed
from builder.render.html import Download, Page, part_uri
from builder.render.overview import (
    BY_KIND_TITLE,
    BY_YEAR_TITLE,
    MAP_TITLE,
    browse_by_type,
    browse_by_year,
    evidence_map,
    home,
)
from builder.render.pages import (
    REFERENCES_TITLE,
    SOURCES_TITLE,
    references_pages,
    source_page,
    sources_index,
    theme_pages,
)
from builder.render.searchindex import Document
from builder.render.searchtext import search_documents
from builder.render.site import Site
from builder.settings import Settings

__all__ = [
    "PROSE",
    "Download",
    "Group",
    "Page",
    "Rendered",
    "other_files",
    "page_groups",
    "page_uris",
    "render",
    "render_site",
]


@dataclass(frozen=True)
class Rendered:
    pages: list[Page]
    files: list[Download]
    searched: list[Document]  # what the search index holds (builder/render/searchindex.py writes it)


@dataclass(frozen=True)
class Group:
    """Pages made together (one page, or the parts of a listing), known before they are made: by
    their names, and the title of the first in the navigation (None: none of them is in it)."""

    uris: tuple[str, ...]
    title: str | None
    make: Callable[[], list[Page]]
    shows_pdf: bool = False  # says how long the PDF is: made once the PDF is made

    def pages(self) -> list[Page]:
        made = self.make()
        # What was known before making them must be what they are: the navigation, the list of
        # files and the preview were made from it.
        nav = [(p.uri, p.title) for p in made if p.in_nav]
        if [p.uri for p in made] != list(self.uris) or nav != (
            [(self.uris[0], self.title)] if self.title is not None else []
        ):
            raise AssertionError(f"the pages made are not the pages announced: {self.uris[0]} ({self.title})")
        return made


def page_groups(site: Site, pdf_pages: Callable[[], PdfPages] = lambda: None) -> list[Group]:
    """Every generated page, in a stable order, grouped as made, none made yet. pdf_pages: the
    length of the PDF briefing, if there is one (made first: builder/build.py)."""
    corpus, size = site.corpus, site.page_size

    def parts(uri: str, items: int) -> tuple[str, ...]:
        return tuple(part_uri(uri, i) for i in range(max(1, -(-items // size))))

    sources = len(corpus.entries)
    groups = [
        Group(("index",), site.settings.site_name, lambda: [home(site, pdf_pages())], shows_pdf=True),
        Group(("how-to-read",), HOW_TO_READ_TITLE, lambda: [how_to_read(site)]),
        Group(("methods",), METHODS_TITLE, lambda: [methods_page(site)]),
        Group(("changes",), CHANGES_TITLE, lambda: [changes_page(site)]),
        Group(("evidence-map",), MAP_TITLE, lambda: [evidence_map(site)]),
        Group(("briefing",), BRIEFING_TITLE, lambda: [briefing_page(site, pdf_pages())], shows_pdf=True),
    ]
    groups += [
        Group(parts(f"themes/{t.id}", len(corpus.findings_on(t.id))), t.title, lambda t=t: theme_pages(site, t))
        for t in corpus.themes
    ]
    groups += [
        Group(parts("sources/index", sources), SOURCES_TITLE, lambda: sources_index(site)),
        Group(parts("references", len(corpus.references)), REFERENCES_TITLE, lambda: references_pages(site)),
        Group(parts("browse/types", sources), BY_KIND_TITLE, lambda: browse_by_type(site)),
        Group(parts("browse/years", sources), BY_YEAR_TITLE, lambda: browse_by_year(site)),
    ]
    return groups + [
        Group((f"sources/{e.source.id}",), None, lambda e=e: [source_page(site, e)]) for e in corpus.entries
    ]


PROSE = ("index", "how-to-read", "methods", "changes", "evidence-map")  # searched as pages of prose


def render_site(corpus: Corpus, settings: Settings, memo: Memo | None = None, pdf_pages: int | None = None) -> Rendered:
    """Every generated page and download of the site, in a stable order. pdf_pages: the length of
    the PDF briefing, if there is one (builder/build.py makes it first)."""
    return render(Site(corpus, settings, memo or Memo(keeps=False)), pdf_pages)


def render(site: Site, pdf_pages: int | None = None) -> Rendered:
    """render_site, from a Site whose shared work (formatted references...) may be used already."""
    pages = [page for group in page_groups(site, lambda: pdf_pages) for page in group.pages()]
    prose = [page for page in pages if page.uri in PROSE]
    files = [Download(path, make()) for path, make in other_files(site).items()]
    return Rendered(pages, files, list(search_documents(site, prose)))


def other_files(site: Site) -> dict[str, Callable[[], str]]:
    """The feed, the filters' data and the downloads, by their paths, known before they are made
    (the preview lists them first), each made when called."""
    return {"feed.xml": lambda: atom_feed(site), "browse/sources.js": lambda: sources_data(site), **downloads(site)}


def page_uris(corpus: Corpus, settings: Settings) -> list[str]:
    """The names of the pages render_site makes, worked out without rendering them."""
    return [uri for group in page_groups(Site(corpus, settings)) for uri in group.uris]
