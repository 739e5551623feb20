"""Last line of defence: the HTML of generated pages passes an allow-list sanitiser (nh3).

The renderer already escapes every contributor string; this makes sure that even a
renderer bug cannot put a script, an event handler or a javascript: URL on a page.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a",
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "hr",
    "span",
    "br",
    "div",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "data-search-exclude"},
    "a": {"href"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )
