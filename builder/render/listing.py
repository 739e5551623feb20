"""Pages that list many items (sources, references, a theme's findings), split into parts of
`page_size` items that link to each other; each part kept under the digests of its own items.

After an edit to one source or one reference at 10,000 sources, one part of each list shows
something new; the other parts are neither made again nor written again to the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from builder.cache import digest
from builder.render.common import UNSEARCHED, Page, Site, page, uri_of_part

T = TypeVar("T")


class Listing(NamedTuple):
    """What a listing's parts show besides their items."""

    src_uri: str
    title: str
    intro: Sequence[str] = ()  # opens the first part
    outro: Sequence[str] = ()  # closes the last part
    table_head: Sequence[str] = ()  # for a table: its items are its rows
    searched: bool = True  # False: its section headings are kept out of the search index
    searchable: bool = True  # False: the whole page is
    edit_path: str = ""
    description: str = ""


class Item(NamedTuple):
    section: str  # the heading it is listed under ('' for none)
    # What its lines show, for its part's key: digests (of one length for all items of a
    # list, so no separator is needed; b"" when no cache keeps anything) and text.
    shows: bytes
    said: str = ""


def listed(
    site: Site, listing: Listing, items: Sequence[Item], lines: Callable[[int, bool], Sequence[str]]
) -> list[Page]:
    """The listing's parts. lines(i, ends_section): the lines of the i-th item, the last of its
    section or not; asked for only for the items of a part that must be made again."""
    size = site.options.page_size
    count = max(1, -(-len(items) // size))
    sections = [item.section for item in items]

    def make(i: int) -> list[Page]:
        start, end = i * size, min(len(items), (i + 1) * size)
        body = list(listing.intro) if i == 0 else []
        nav = _nav(listing.src_uri, i, count)
        body += ([nav, ""] if nav else []) + list(listing.table_head)
        section = None
        for n in range(start, end):
            if sections[n] and sections[n] != section:
                continued = " (continued)" if n == start and start > 0 and sections[n - 1] == sections[n] else ""
                body += [f"## {sections[n]}{continued}" + ("" if listing.searched else f" {UNSEARCHED}"), ""]
            section = sections[n]
            body += lines(n, n + 1 == len(items) or sections[n + 1] != sections[n])
        body += [""] if listing.table_head else []
        body += list(listing.outro) if i == count - 1 else []
        body += [nav, ""] if nav else []
        title = listing.title if i == 0 else f"{listing.title} (page {i + 1} of {count})"
        # Only the first part is in the navigation, so the navigation (on every page) does not
        # grow with the evidence base; the parts link to each other.
        return [
            page(
                uri_of_part(listing.src_uri, i),
                title,
                body,
                description=listing.description,
                searchable=listing.searchable,
                edit_path=listing.edit_path,
                in_nav=i == 0,
            )
        ]

    if not site.cache.keeps:
        return [p for i in range(count) for p in make(i)]
    common = site.render_digest + digest("listing", repr(listing._replace(intro=(), outro=())), str(count))
    pages = []
    for i in range(count):
        start, end = i * size, min(len(items), (i + 1) * size)
        shown = (
            listing.intro if i == 0 else (),
            listing.outro if i == count - 1 else (),
            sections[max(0, start - 1) : end + 1],  # and the sections around it: "continued", blank lines
            [item.said for item in items[start:end]],
        )
        key = hashlib.sha256(common + digest(str(i), repr(shown)) + b"".join(item.shows for item in items[start:end]))
        pages += site.cache.shelf.pages(key.digest(), lambda i=i: make(i))
    return pages


def _nav(src_uri: str, i: int, count: int) -> str:
    if count == 1:
        return ""
    name = src_uri.rsplit("/", 1)[-1]
    links = [
        f"**{n + 1}**" if n == i else f"[{n + 1}]({uri_of_part(name, n).rsplit('/', 1)[-1]})" for n in range(count)
    ]
    return "Pages: " + " · ".join(links)
