"""Render a linked Corpus to Markdown pages. Contributor text is escaped here, always."""

from builder.render.downloads import downloads
from builder.render.pages import Page, render_pages

__all__ = ["Page", "downloads", "render_pages"]
