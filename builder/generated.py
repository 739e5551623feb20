"""The generated pages of one build, made when first asked for, and held where they cost least.

Every page's name, and the navigation's titles, are known before any page is made
(builder/render/__init__.py page_groups). `evidence build` then makes every page, in order, and
keeps each page's HTML in a temporary file until MkDocs writes it: at 10,000 sources the pages'
HTML held in memory until then was most of a build's peak memory. The file has no name (it is
gone when closed, or when the process ends, however it ends), and is made beside the site, not
in a memory-backed /tmp. The preview (builder/preview.py) makes a page's group when a reader or
its writer first asks for one of its pages, and holds it in memory.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from builder.render import Group, Page


class Generated:
    def __init__(self, groups: list[Group], spool: Path | None = None) -> None:
        """spool: a folder to keep the pages' HTML in, instead of in memory."""
        self.groups = groups
        self._group = {uri: group for group in groups for uri in group.uris}
        self._pages: dict[str, Page] = {}  # made; without their HTML when spooled
        self._spool = tempfile.TemporaryFile(dir=spool) if spool else None  # noqa: SIM115 (closed by close())
        self._spooled: dict[str, tuple[int, int]] = {}  # where each page's HTML is in the spool

    @property
    def uris(self) -> list[str]:
        return list(self._group)

    @property
    def nav(self) -> list[tuple[str, str]]:
        """The pages in the navigation, with their titles, known before they are made."""
        return [(group.uris[0], group.title) for group in self.groups if group.title is not None]

    def shows_pdf(self, uri: str) -> bool:
        """Whether the page says how long the PDF is (it is made once the PDF is)."""
        return self._group[uri].shows_pdf

    def __len__(self) -> int:
        return len(self._group)

    def __contains__(self, uri: str) -> bool:
        return uri in self._group

    def page(self, uri: str) -> Page:
        """The page (made with its group, if not yet), without its HTML if that is spooled."""
        if uri not in self._pages:
            for page in self._group[uri].pages():
                self._pages[page.uri] = self._keep(page)
        return self._pages[uri]

    def body(self, uri: str) -> str:
        page = self.page(uri)
        if self._spool is None:
            return page.body
        start, length = self._spooled[uri]
        self._spool.seek(start)
        return self._spool.read(length).decode("utf-8")

    def full(self, uri: str) -> Page:
        """The page with its HTML."""
        page = self.page(uri)
        return page if self._spool is None else dataclasses.replace(page, body=self.body(uri))

    def make_all(self) -> None:
        for group in self.groups:
            self.page(group.uris[0])

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()

    def _keep(self, page: Page) -> Page:
        if self._spool is None:
            return page
        data = page.body.encode("utf-8")
        start = self._spool.seek(0, 2)
        self._spool.write(data)
        self._spooled[page.uri] = (start, len(data))
        return dataclasses.replace(page, body="")
