"""Render a linked Corpus to Markdown pages and downloads. Contributor text is escaped here, always."""

from __future__ import annotations

from builder.cache import digest
from builder.corpus import Corpus
from builder.gcpause import paused_gc
from builder.model import Theme
from builder.render.common import Page, RenderOptions, Site
from builder.render.downloads import downloads
from builder.render.feed import atom_feed
from builder.render.overview import briefing, briefing_shown, browse_by_type, browse_by_year, evidence_map, how_to_read
from builder.render.pages import home, references_pages, sources_index, theme_pages
from builder.render.parts import source_blocks, source_parts, source_rows
from builder.render.shelf import RenderCache

__all__ = ["Page", "RenderOptions", "render_site"]


def render_site(corpus: Corpus, options: RenderOptions | None = None, cache: RenderCache | None = None) -> list[Page]:
    """Every generated page and download of the site, in a stable order.

    With a cache, each page and part is taken from it when what it reads is unchanged, and
    kept in it otherwise (the caller saves it); pages taken from it are read when asked for (Page.text).
    """
    with paused_gc():
        return _render(Site(corpus, options or RenderOptions(), cache or RenderCache(None)))


def _render(site: Site) -> list[Page]:
    corpus = site.corpus
    # The pages that list sources from their cards alone are made while a child renders parts.
    parts, listings = source_parts(site, corpus.entries, lambda: _listings(site))
    front, back = listings
    pages = front + _briefing(site)
    blocks = {entry.card.id: p.blocks_digests for entry, p in zip(corpus.entries, parts, strict=True)}
    for theme in corpus.themes:
        pages += _theme_pages(site, theme, blocks)
    pages += back + [p.page for p in parts]
    pages.append(atom_feed(site))
    return pages + downloads(site, parts, lambda: source_rows(site))


def _listings(site: Site) -> tuple[list[Page], list[Page]]:
    """The pages made from cards, references and themes alone: (those before the theme pages, those after)."""
    front = [
        *site.kept("home", lambda: [home(site)], site.themes_digest("question")),
        *site.kept("how to read", lambda: [how_to_read(site.options)]),
        *site.kept("evidence map", lambda: [evidence_map(site)]),
    ]
    # Lists of many sources or references, kept whole under every card and reference; else
    # each part under the digests of its own items (render/listing.py).
    every = (site.listing_digest, site.references_digest)
    back = site.kept_as("sources", lambda: sources_index(site), *every)
    back += site.kept_as("references", lambda: references_pages(site), *every)
    back += site.kept_as("types", lambda: browse_by_type(site), *every)
    back += site.kept_as("years", lambda: browse_by_year(site), *every)
    return front, back


def _briefing(site: Site) -> list[Page]:
    """The briefing, kept under what listing pages read and the sources of the findings it shows."""
    shown = site.remembered("briefing shown", lambda: briefing_shown(site))
    ids = dict.fromkeys(source_id for findings, _ in shown.values() for source_id, _ in findings)
    themes = site.themes_digest("question", "key_messages")
    return site.kept("briefing", lambda: [briefing(site, shown)], themes, *(site.source_key[i] for i in ids))


def _theme_pages(site: Site, theme: Theme, blocks_digests: dict[str, dict[str, bytes]]) -> list[Page]:
    """A theme's pages, kept whole under what pages made from cards read, the theme and its
    findings as it shows them; else each part under its own (render/listing.py)."""
    ids = site.theme_sources.get(theme.id, [])
    return site.kept(
        f"theme {theme.id}",
        lambda: theme_pages(site, theme, blocks_digests, lambda source_id: source_blocks(site, theme.id, source_id)),
        digest(repr(theme)),
        *(blocks_digests[i][theme.id] for i in ids),
    )
