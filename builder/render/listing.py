"""Pages that list many items (sources, references, a theme's findings), split into parts of
`page_size` items that link to each other, so that no page grows with the evidence base."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from builder.render.html import Body, Page, escape, part_uri, table
from builder.render.site import Site


@dataclass(frozen=True)
class Item:
    section: str  # the heading it is listed under ('' for none)
    html: str  # a list item's content, or a table row's cells joined
    attributes: str = ""  # on its <li>: the facets a filter reads (builder/render/facets.py)


@dataclass(frozen=True)
class Listing:
    uri: str
    title: str
    intro: Callable[[Body], object] = lambda body: None  # opens the first part
    outro: Callable[[Body], object] = lambda body: None  # closes the last part
    columns: Sequence[str] = ()  # for a table: its head; each item is then a row (cells as a list)
    numeric: frozenset[int] = frozenset()
    searched_sections: bool = True  # False: section headings are kept out of the search index
    description: str = ""
    edit_path: str = ""
    searchable: bool = True
    item_class: str = ""
    filters: str = ""  # a filter form, shown before the items of each part
    table_class: str = ""


def listed(site: Site, listing: Listing, items: Sequence[Item | list[str]]) -> list[Page]:
    size = site.page_size
    count = max(1, -(-len(items) // size))
    pages = []
    for i in range(count):
        body = Body()
        if i == 0:
            listing.intro(body)
        nav = _pages_nav(site, listing.uri, i, count)
        body.add(nav, listing.filters)
        chunk = items[i * size : (i + 1) * size]
        if listing.columns:
            body.add(table(list(listing.columns), list(chunk), numeric=listing.numeric, cls=listing.table_class))  # type: ignore[arg-type]
        else:
            _sections(
                body,
                listing,
                chunk,
                continued=i > 0 and bool(chunk) and chunk[0].section == items[i * size - 1].section,
            )  # type: ignore[union-attr]
        if i == count - 1:
            listing.outro(body)
        body.add(nav)
        title = listing.title if i == 0 else f"{listing.title} (page {i + 1} of {count})"
        pages.append(
            body.page(
                part_uri(listing.uri, i),
                title,
                description=listing.description,
                edit_path=listing.edit_path,
                searchable=listing.searchable,
                # Only the first part is in the navigation, so the navigation (on every page)
                # does not grow with the evidence base.
                in_nav=i == 0,
            )
        )
    return pages


def _sections(body: Body, listing: Listing, chunk: Sequence[Item], continued: bool) -> None:
    section, open_list = None, False
    css = f' class="{listing.item_class}"' if listing.item_class else ""
    for n, item in enumerate(chunk):
        if item.section and item.section != section:
            if open_list:
                body.add("</ul>")
            title = item.section + (" (continued)" if n == 0 and continued else "")
            body.heading(2, title, searched=listing.searched_sections)
            body.add(f"<ul{css}>")
            open_list = True
        elif not open_list:
            body.add(f"<ul{css}>")
            open_list = True
        section = item.section
        body.add(f"<li{item.attributes}>{item.html}</li>")
    if open_list:
        body.add("</ul>")


def _pages_nav(site: Site, uri: str, i: int, count: int) -> str:
    if count == 1:
        return ""
    page = part_uri(uri, i)
    links = [
        f'<strong aria-current="page">{n + 1}</strong>'
        if n == i
        else f'<a href="{escape(site.href(part_uri(uri, n), page))}">{n + 1}</a>'
        for n in range(count)
    ]
    return '<nav class="evidence-pages" aria-label="Pages">Pages: ' + " · ".join(links) + "</nav>"
