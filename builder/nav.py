"""The site's navigation, the same for every engine, when mkdocs.yml gives none."""

from __future__ import annotations

import html


def default_nav(in_nav: list[tuple[str, str]], handwritten: list[str]) -> list:
    """Home, the themes in themes.yaml order, the overviews, then hand-written pages; with titles.
    in_nav: the generated pages the navigation names, with their titles (known before any is made)."""

    def entry(uri: str, title: str) -> dict:
        # Titles given here are the ones the theme prints, unescaped: they are escaped here.
        return {html.escape(title): uri + ".md"}

    home = [{"Home": "index.md"} for uri, _ in in_nav if uri == "index"]
    themes = [entry(*p) for p in in_nav if p[0].startswith("themes/")]
    browse = [entry(*p) for p in in_nav if p[0].startswith("browse/")]
    rest = [entry(*p) for p in in_nav if p[0] != "index" and not p[0].startswith(("themes/", "browse/"))]
    return [*home, {"Themes": themes}, *rest, {"Browse": browse}, *sorted(handwritten)]
