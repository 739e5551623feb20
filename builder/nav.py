"""The site's navigation, the same for every engine, when mkdocs.yml gives none."""

from __future__ import annotations

import html

from builder.render.html import Page


def default_nav(pages: list[Page], handwritten: list[str]) -> list:
    """Home, the themes in themes.yaml order, the overviews, then hand-written pages; with titles."""

    def entry(page: Page) -> dict:
        # Titles given here are the ones the theme prints, unescaped: they are escaped here.
        return {html.escape(page.title): page.uri + ".md"}

    home = [{"Home": "index.md"} for p in pages if p.uri == "index"]
    in_nav = [p for p in pages if p.in_nav and p.uri != "index"]
    themes = [entry(p) for p in in_nav if p.uri.startswith("themes/")]
    browse = [entry(p) for p in in_nav if p.uri.startswith("browse/")]
    rest = [entry(p) for p in in_nav if not p.uri.startswith(("themes/", "browse/"))]
    return [*home, {"Themes": themes}, *rest, {"Browse": browse}, *sorted(handwritten)]
