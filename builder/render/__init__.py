"""Render a linked Corpus to Markdown pages and downloads. Contributor text is escaped here, always."""

from __future__ import annotations

from builder.corpus import Corpus
from builder.gcpause import paused_gc
from builder.render.common import Page, RenderOptions, Site
from builder.render.downloads import downloads
from builder.render.feed import atom_feed
from builder.render.overview import briefing, browse_by_type, browse_by_year, evidence_map, how_to_read
from builder.render.pages import home, references_pages, source_page, sources_index, theme_pages

__all__ = ["Page", "RenderOptions", "render_site"]


def render_site(corpus: Corpus, options: RenderOptions | None = None) -> list[Page]:
    """Every generated page and download of the site, in a stable order."""
    with paused_gc():
        return _render(Site(corpus, options or RenderOptions()))


def _render(site: Site) -> list[Page]:
    corpus = site.corpus
    pages = [home(site), how_to_read(site.options), evidence_map(site), briefing(site)]
    for theme in corpus.themes:
        pages += theme_pages(site, theme)
    pages += sources_index(site) + references_pages(site) + browse_by_type(site) + browse_by_year(site)
    pages += [source_page(site, entry) for entry in corpus.entries]
    return pages + [atom_feed(site)] + downloads(corpus)
