"""Render a linked Corpus to Markdown pages and downloads. Contributor text is escaped here, always."""

from __future__ import annotations

from builder.corpus import Corpus
from builder.render.common import Page, RenderOptions
from builder.render.downloads import downloads
from builder.render.feed import atom_feed
from builder.render.overview import briefing, browse_by_type, browse_by_year, evidence_map, how_to_read
from builder.render.pages import home, references_page, source_page, sources_index, theme_page

__all__ = ["Page", "RenderOptions", "render_site"]


def render_site(corpus: Corpus, options: RenderOptions | None = None) -> list[Page]:
    """Every generated page and download of the site, in a stable order."""
    options = options or RenderOptions()
    pages = [
        home(corpus, options),
        how_to_read(options),
        evidence_map(corpus),
        briefing(corpus),
        references_page(corpus),
        sources_index(corpus),
        browse_by_type(corpus),
        browse_by_year(corpus),
        atom_feed(corpus, options),
    ]
    pages += [theme_page(corpus, theme, options) for theme in corpus.themes]
    pages += [source_page(corpus, entry, options) for entry in corpus.entries]
    return pages + downloads(corpus)
