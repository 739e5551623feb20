"""The generated pages of one build, made when first asked for, and held where they cost least.

Every page's name, and the navigation's titles, are known before any page is made
(builder/render/__init__.py page_groups). `evidence build` then makes every page, in order, and
keeps each page's HTML, and the other generated files, in a Spool until MkDocs writes them: at
10,000 sources, holding them in memory until then was most of a build's peak memory. The
preview (builder/preview.py) makes a page's group when a reader or its writer first asks for one
of its pages, and holds it in memory.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from builder.render import Group, Page


class Spool:
    """Texts kept on disk until they are read back: in a file with no name (gone when closed, or
    when the process ends, however it ends), made in a folder beside the site rather than in a
    /tmp that may be memory."""

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close())

    def keep(self, content: str | bytes, *, as_bytes: bool = False) -> Callable[[], str | bytes]:
        """Keep `content`; a function that reads it back: as given, or as bytes (UTF-8) for a file
        only written out, which then is not decoded to be encoded again (two copies of a 40 MB
        download at 10,000 sources)."""
        text = isinstance(content, str) and not as_bytes
        data = content.encode("utf-8") if isinstance(content, str) else content
        start, length = self._file.seek(0, 2), len(data)
        self._file.write(data)

        def read() -> str | bytes:
            self._file.seek(start)
            got = self._file.read(length)
            return got.decode("utf-8") if text else got

        return read

    def close(self) -> None:
        self._file.close()


class Generated:
    def __init__(self, groups: list[Group], spool: Spool | None = None) -> None:
        """spool: where to keep the pages' HTML, instead of in memory."""
        self.groups = groups
        self.spool = spool
        self._group = {uri: group for group in groups for uri in group.uris}
        self._pages: dict[str, Page] = {}  # made; without their HTML when spooled
        self._bodies: dict[str, Callable[[], str | bytes]] = {}  # reading back a spooled page's HTML

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

    def page(self, uri: str) -> Page:
        """The page (made with its group, if not yet), without its HTML if that is spooled."""
        if uri not in self._pages:
            for page in self._group[uri].pages():
                self._pages[page.uri] = self._keep(page)
        return self._pages[uri]

    def body(self, uri: str) -> str:
        page = self.page(uri)
        return page.body if self.spool is None else str(self._bodies[uri]())

    def full(self, uri: str) -> Page:
        """The page with its HTML."""
        page = self.page(uri)
        return page if self.spool is None else dataclasses.replace(page, body=self.body(uri))

    def forget_pdf_pages(self) -> None:
        """The pages that say how long the PDF is are made again when next asked for: the preview's
        were made before its PDF was, saying it was being made."""
        for group in self.groups:
            if group.shows_pdf:
                for uri in group.uris:
                    self._pages.pop(uri, None)
                    self._bodies.pop(uri, None)

    def make_all(self) -> None:
        for group in self.groups:
            self.page(group.uris[0])

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()

    def _keep(self, page: Page) -> Page:
        if self.spool is None:
            return page
        self._bodies[page.uri] = self.spool.keep(page.body)
        return dataclasses.replace(page, body="")
