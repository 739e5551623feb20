"""The pieces every generated page is built from: the Page value, links between pages, and
HTML made from structure, with every piece of text escaped on its way in.

Pages are HTML, not Markdown: the generator knows each page's structure, so it escapes and
writes the HTML (and the table of contents) itself instead of writing Markdown for
Python-Markdown to parse back, which cost most of a build.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from dataclasses import dataclass, field

from builder.compat import escape


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str  # plain text


@dataclass(frozen=True)
class Page:
    """One generated page: its name (a path without extension), title and article HTML."""

    uri: str  # e.g. "themes/leadership"
    title: str  # plain text
    body: str  # the article's HTML, starting with its <h1>
    toc: tuple[Heading, ...] = ()
    description: str = ""
    in_nav: bool = True
    edit_path: str = ""  # the file a contributor edits to change this page
    searchable: bool = True
    hide_toc: bool = False  # a wide page (the evidence map) takes the table of contents' room


@dataclass(frozen=True)
class Download:
    path: str  # e.g. "downloads/findings.csv"
    content: str | bytes


@dataclass(frozen=True)
class Links:
    """Relative links between pages, for either URL style of the site."""

    directory_urls: bool = False

    def url(self, uri: str) -> str:
        """A page's address relative to the site's root."""
        if not self.directory_urls:
            return uri + ".html"
        if uri == "index":
            return ""
        return uri.removesuffix("index") if uri.endswith("/index") else uri + "/"

    def href(self, target: str, page: str, fragment: str = "", *, file: bool = False) -> str:
        """The link from page `page` to page (or, with file=True, file) `target`."""
        folder, _, name = (target if file else self.url(target)).rpartition("/")
        rel = _relative_folder(folder, self._folder(page)) + name
        return (rel or "./") + (f"#{fragment}" if fragment else "")

    def _folder(self, page: str) -> str:
        return posixpath.dirname(self.url(page))


def part_uri(uri: str, index: int) -> str:
    """The n-th part of a split page: themes/x, themes/x--2, ... ('--' is never in an id)."""
    return uri if index == 0 else f"{uri}--{index + 1}"


@functools.lru_cache(maxsize=4096)
def _relative_folder(there: str, here: str) -> str:
    """The way from folder `here` to folder `there` ('' or ending in '/'); pages sit in a few
    folders only, so this is worked out a few times per build, not once per link."""
    rel = posixpath.relpath(there or ".", here or ".")
    return "" if rel == "." else rel + "/"


def a(href: str, text_html: str, **attrs: str) -> str:
    extra = "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())
    return f'<a href="{escape(href)}"{extra}>{text_html}</a>'


def table(
    head: list[str],
    rows: list[list[str]],
    *,
    numeric: frozenset[int] = frozenset(),
    cls: str = "",
    stacked: bool = False,
) -> str:
    """A table of HTML cells; numeric columns are right-aligned. Wrapped so that a wide table
    scrolls inside its column instead of being cut off; `stacked`, a phone shows each row as a
    block, each cell under its column's name (builder/assets/evidence.css), so nothing is cut off."""
    align = ' style="text-align: right"'
    th = "".join(f'<th scope="col"{align if i in numeric else ""}>{cell}</th>' for i, cell in enumerate(head))
    labels = [f' data-label="{escape(html.unescape(_TAG.sub("", cell)))}"' if stacked else "" for cell in head]
    body = "".join(
        "<tr>"
        + "".join(f"<td{labels[i]}{align if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    # The class goes on the wrapper: Material styles only tables that have none.
    css = "".join(f" {c}" for c in (cls, "evidence-stacked" if stacked else "") if c)
    return (
        f'<div class="md-typeset__scrollwrap{css}"><div class="md-typeset__table"><table>'
        f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div></div>"
    )


_TAG = re.compile(r"<[^>]*>")


def ul(items: list[str], cls: str = "") -> str:
    css = f' class="{cls}"' if cls else ""
    return f"<ul{css}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def shortened(text: str, limit: int) -> str:
    """White space folded, and cut at a word before `limit` characters, with '…'."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


@dataclass
class Body:
    """A page's article as it is written: HTML parts, and its headings for the table of contents."""

    parts: list[str] = field(default_factory=list)
    toc: list[Heading] = field(default_factory=list)

    def add(self, *parts: str) -> Body:
        self.parts.extend(parts)
        return self

    def heading(self, level: int, title: str, id: str = "", *, searched: bool = True) -> Body:
        """A heading with an id and a permalink; plain-text title, escaped here."""
        id = id or slug(title)
        skip = "" if searched else " data-search-exclude"
        self.parts.append(
            f'<h{level} id="{escape(id)}"{skip}>{escape(title)}'
            f'<a class="headerlink" href="#{escape(id)}" title="Permanent link">&para;</a></h{level}>'
        )
        self.toc.append(Heading(level, id, title))
        return self

    def page(self, uri: str, title: str, **kwargs: object) -> Page:
        article = f"<h1>{escape(title)}</h1>" + "".join(self.parts)
        return Page(uri, title, article, tuple(self.toc), **kwargs)  # type: ignore[arg-type]
