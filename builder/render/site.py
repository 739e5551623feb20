"""What every page of a site is rendered from: the corpus, the settings, and the derived
lookups and text helpers all pages share. Contributor text becomes HTML only here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cached_property

from builder.appraisals import judgements_of
from builder.cite import CiteGroup, split_citations
from builder.confidence import Confidence, assess
from builder.corpus import Corpus, Entry
from builder.memo import Memo
from builder.model import Finding, KeyMessage, Source
from builder.render.html import Links, escape
from builder.render.referencelist import ReferenceList
from builder.settings import Settings
from builder.synth import TYPE_RANK

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def text(value: str) -> str:
    """Plain contributor text as HTML: white space folded, everything escaped."""
    return escape(" ".join(value.split()))


class Site:
    """One build's site: made anew for each build (a preview's too), so what it works out once
    and keeps (the cached properties, its references, the source keys, the confidences) lasts
    one build. What lasts between a preview's builds is in `memo`, keyed by everything it was
    made from."""

    def __init__(self, corpus: Corpus, settings: Settings, memo: Memo | None = None) -> None:
        self.corpus = corpus
        self.settings = settings
        self.memo = memo or Memo(keeps=False)
        self._source_keys: dict[str, tuple] = {}  # by the source's file
        self._confidence: dict[str, Confidence] = {}  # by the key message as written
        self.links = Links(settings.use_directory_urls)
        self.references = ReferenceList(corpus, settings, self.memo, self.links)

    @cached_property
    def shared_key(self) -> tuple:
        """What every page reads besides its own data: the settings, the themes' titles, and whom
        the briefing's implications are for (briefing.yaml), which heads each source's page."""
        style = (
            self.settings.path(self.settings.options.csl_style).read_bytes() if self.settings.options.csl_style else b""
        )
        readers = self.corpus.briefing.implications_for if self.corpus.briefing else None
        return (repr(self.settings), style, tuple((t.id, t.title) for t in self.corpus.themes), readers)

    def source_key(self, entry: Entry) -> tuple:
        """All that a source's own parts read (its page, its findings on theme pages, its rows):
        its file, and each reference it cites as pages show it (label, place, formatted text,
        and the entry as written, which "Cite this" shows as BibTeX and RIS)."""
        if not self.memo.keeps:
            return ()
        if entry.file not in self._source_keys:
            refs = self.corpus.labels, self.references.page, self.references.html
            entries = self.corpus.references
            shown = tuple(
                (key, entries[key].raw if key in entries else None, *(found.get(key) for found in refs))
                for key in self.corpus.cited[entry.source.id]
            )
            checked = self.corpus.checked.get(entry.source.id)
            judged = judgements_of(entry.source)  # from the editors' record, not the source's file
            self._source_keys[entry.file] = (entry.file, entry.doc.text, checked, judged, self.shared_key, shown)
        return self._source_keys[entry.file]

    @property
    def page_size(self) -> int:
        return self.settings.options.page_size

    def href(self, target: str, page: str, fragment: str = "") -> str:
        return self.links.href(target, page, fragment)

    def file_href(self, path: str, page: str) -> str:
        return self.links.href(path, page, file=True)

    def cited(self, value: str, page: str, ref_href: Callable[[str], str] | None = None) -> str:
        """Contributor text as HTML, its [@key] citations as author-date links (to the references
        page, or where ref_href says)."""
        out = []
        for part in split_citations(" ".join(value.split())):
            if isinstance(part, CiteGroup):
                links = []
                for cite in part.items:
                    label = self.corpus.labels.get(cite.key, cite.key) + (f", {cite.locator}" if cite.locator else "")
                    href = ref_href(cite.key) if ref_href else self.references.href(cite.key, page)
                    links.append(f'<a href="{escape(href)}">{escape(label)}</a>')
                out.append("(" + "; ".join(links) + ")")
            else:
                out.append(escape(part))
        return "".join(out)

    def paragraphs(self, value: str, page: str) -> str:
        """A text of one or more paragraphs (blank lines between them) as <p> elements."""
        blocks = [b for b in _PARAGRAPH_BREAK.split(value) if b.strip()]
        return "".join(f"<p>{self.cited(b, page)}</p>" for b in blocks)

    def title_of(self, source: Source) -> str:
        return self.corpus.references[source.cite].get("title") or source.id

    def label(self, source: Source) -> str:
        return self.corpus.labels[source.cite]

    def year(self, source: Source) -> str:
        return self.corpus.references[source.cite].year

    def source_link(self, source: Source, page: str, fragment: str = "") -> str:
        href = self.href(f"sources/{source.id}", page, fragment)
        return f'<a href="{escape(href)}">{escape(self.label(source))}</a>'

    @cached_property
    def theme_title(self) -> dict[str, str]:
        return {theme.id: theme.title for theme in self.corpus.themes}

    def confidence(self, message: KeyMessage) -> Confidence:
        """The key message's confidence: the editor's judgements, else derived (builder/confidence.py)."""
        # Kept by the message as written, from which (with the corpus) it follows: its id is
        # unique only within its theme.
        key = message.model_dump_json()
        if key not in self._confidence:
            scope = self.corpus.briefing.scope if self.corpus.briefing else None
            self._confidence[key] = assess(self.corpus, message, scope)
        return self._confidence[key]

    @property
    def updated(self) -> dt.date:
        """When the briefing last changed: a source added or reviewed, or an editors' note."""
        notes = [change.date for change in self.corpus.briefing.changes] if self.corpus.briefing else []
        return max([self.corpus.latest_date, *notes])

    @property
    def version(self) -> str:
        given = self.corpus.briefing.version if self.corpus.briefing else None
        return given or self.updated.isoformat()

    def theme_findings(self, theme_id: str) -> list[tuple[Source, Finding]]:
        """A theme's findings in page order: strongest kinds of source first, then by source."""
        return sorted(self.corpus.findings_on(theme_id), key=lambda sf: (TYPE_RANK[sf[0].type], sf[0].id))
