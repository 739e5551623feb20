"""The references as the site lists them: in author-date order over the parts of the
references page, each with its formatted text and its place there."""

from __future__ import annotations

from functools import cached_property

from builder.corpus import Corpus
from builder.memo import Memo
from builder.render.csl import format_with_csl
from builder.render.html import Links, part_uri
from builder.render.reference import format_reference
from builder.settings import Settings


def anchor(key: str) -> str:
    """The id of a reference on the references page; different keys never share one."""
    return "ref-" + "".join(c if c.isascii() and (c.isalnum() or c == "-") else f"_{ord(c):x}_" for c in key)


class ReferenceList:
    """One build's references page, worked out once for every page that links to it."""

    def __init__(self, corpus: Corpus, settings: Settings, memo: Memo, links: Links) -> None:
        self.corpus, self.settings, self.memo, self.links = corpus, settings, memo, links

    @cached_property
    def order(self) -> list[str]:
        """The sources' own references first, then the works they cite; each in author-date order."""
        labels, works = self.corpus.labels, self.corpus.works_cited
        return sorted(self.corpus.references, key=lambda key: (key in works, labels[key].lower(), key))

    @cached_property
    def page(self) -> dict[str, str]:
        """Which part of the (split) references page lists each key."""
        size = self.settings.options.page_size
        return {key: part_uri("references", i // size) for i, key in enumerate(self.order)}

    def href(self, key: str, page: str) -> str:
        return self.links.href(self.page.get(key, "references"), page, anchor(key))

    @cached_property
    def html(self) -> dict[str, str]:
        """Each reference formatted, by its key: in the CSL style the settings name, else our own."""
        style = self.settings.options.csl_style
        if style:
            return format_with_csl(self.corpus.references, self.settings.path(style))
        formatted = self.memo.get  # a reference's text follows from its entry alone
        return {
            key: formatted("reference", (key, ref.raw), lambda ref=ref: format_reference(ref))
            for key, ref in self.corpus.references.items()
        }
