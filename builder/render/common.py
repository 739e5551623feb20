"""What every generated page shares: the Page type, the Site being rendered, pagination."""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from builder.cache import digest
from builder.corpus import Card, Corpus, Entry, FindingCard
from builder.model import Finding, Source
from builder.render.csl import format_with_csl
from builder.render.text import anchor, md, md_cited, paragraphs
from builder.synth import TYPE_RANK, gaps, strength

if TYPE_CHECKING:
    from builder.render.parts import ReferenceParts
    from builder.render.shelf import RenderCache

# Appended to a heading (attr_list), keeps its section out of the search index; on the line
# after a paragraph, that paragraph. The index
# holds what readers search for (titles, authors, summaries, findings, key messages): on
# a theme page only the key messages, as its findings are indexed on their source pages.
UNSEARCHED = "{ data-search-exclude }"


T = TypeVar("T")


class Page(NamedTuple):
    """One generated file. A named tuple: the cache unpickles tens of thousands of them."""

    src_uri: str  # path under docs/, e.g. "sources/x.md"; non-.md paths are downloads
    content: str  # empty when the text is kept in a pack
    edit_path: str = ""  # the file a contributor edits to change this page
    in_nav: bool = True
    kept: tuple[str, int, int] | None = None  # (pack, offset, length) in the cache (builder/render/shelf.py)

    def text(self) -> str:
        if self.kept is None:
            return self.content
        pack, offset, length = self.kept
        with open(pack, "rb") as file:
            file.seek(offset)
            return file.read(length).decode("utf-8")


@dataclass(frozen=True)
class RenderOptions:
    edit_url: str = ""  # e.g. https://github.com/ORG/REPO/edit/main/ ; empty: name the file only
    site_url: str = ""  # absolute base for the feed; empty: relative links
    max_age_years: int = 10  # a theme whose sources are all older than this has a gap
    pdf: bool = False  # downloads/briefing.pdf is made, so pages may link to it
    page_size: int = 200  # findings, sources or references on one page before it is split
    csl_style: str = ""  # a .csl file to format references with; empty: the built-in Harvard style
    search_summaries: bool = True  # False: a source is found by its title and findings only


def uri_of_part(src_uri: str, index: int) -> str:
    """The n-th page of a split page: themes/x.md, themes/x-2.md, themes/x-3.md..."""
    return src_uri if index == 0 else src_uri.removesuffix(".md") + f"-{index + 1}.md"


def split(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


@dataclass(frozen=True)
class Site:
    """The corpus being rendered, with the options and the derived links every page uses."""

    corpus: Corpus
    options: RenderOptions
    cache: RenderCache = field(default_factory=lambda: _no_cache())  # what is kept between builds

    @cached_property
    def options_key(self) -> str:
        return repr(self.options)

    @cached_property
    def themes_key(self) -> str:
        """The themes as pages that link to them show them."""
        return repr([(t.id, t.title) for t in self.corpus.themes])

    def shared_by_every_source(self) -> None:
        """Work out now what rendering any source reads (builder/parallel.py: before forking)."""
        _ = self.reference_html, self.reference_uri, self.label_md, self.theme_title_md

    @cached_property
    def references_digest(self) -> bytes:
        """Of every reference, in file order (which labels depend on)."""
        return hashlib.sha256(b"".join(ref.digest for ref in self.corpus.references.values())).digest()

    @cached_property
    def render_digest(self) -> bytes:
        """What every page depends on: the options, the themes as pages link to them, the CSL style."""
        if not self.options.csl_style:
            return digest("site", self.options_key, self.themes_key)
        # A CSL processor formats each reference knowing the others (to tell 2012a from 2012b).
        style = Path(self.options.csl_style).read_text(encoding="utf-8")
        return digest("site", self.options_key, self.themes_key, style, self.references_digest.hex())

    def _reference_digest(self, key: str) -> bytes:
        """A reference as a page that cites it shows it: its fields, label and link.

        How it is formatted follows from these, the code and the CSL style (render_digest).
        """
        if key not in self._reference_digests:
            ref = self.corpus.references.get(key)
            shown = (ref.digest.hex(), self.corpus.labels[key], self.reference_uri.get(key, "")) if ref else ("?",)
            self._reference_digests[key] = digest(*shown)
        return self._reference_digests[key]

    @cached_property
    def _reference_digests(self) -> dict[str, bytes]:
        return {}

    @cached_property
    def source_keys(self) -> list[bytes]:
        """For each entry, a digest of all that rendering its parts reads (its id when nothing is kept).

        Worked out again only for evidence files whose text or cited references changed since
        the last build, unless the options, the themes or the labels changed: each is kept
        under its text's digest and its cited references' digests.
        """
        if not self.cache.keeps:
            return [e.card.id.encode() for e in self.corpus.entries]
        known_key = hashlib.sha256(b"source keys" + self.render_digest + self.labels_digest).digest()
        known: dict[bytes, bytes] = self.cache.keys.get(known_key) or {}
        refs, missing = self.corpus.references, digest("missing")
        keys = {}
        for entry in self.corpus.entries:
            text = entry.doc.digest or digest("source", entry.doc.text)  # type: ignore[arg-type]
            cited = b"".join(refs[k].digest if k in refs else missing for k in entry.card.cited)
            known_as = text + cited + entry.file.encode()
            keys[known_as] = known.get(known_as) or self._source_key(entry, text)
        if keys != known:
            self.cache.keys.put(known_key, keys)
        return list(keys.values())

    def _source_key(self, entry: Entry, text: bytes) -> bytes:
        """Made of fixed-length digests: the options and themes, the evidence file's text, and
        each reference it cites as it is shown, so no separator is needed. Add to it whatever
        builder/render/parts.py comes to read.
        """
        h = hashlib.sha256(self.render_digest + text)
        for key in entry.card.cited:  # the cite key comes first: its place tells the source's own reference apart
            h.update(self._reference_digest(key))
        h.update(entry.file.encode())  # last, so its length needs no marking
        return h.digest()

    @cached_property
    def theme_sources(self) -> dict[str, list[str]]:
        """The ids of each theme's sources (those with a finding on it), in the order of the sources."""
        found: dict[str, dict[str, None]] = {}
        for card in self.corpus.cards:
            for finding in card.findings:
                found.setdefault(finding.theme, {})[card.id] = None
        return {theme: list(ids) for theme, ids in found.items()}

    @cached_property
    def entry(self) -> dict[str, Entry]:
        """Each entry by its source's id."""
        return {e.card.id: e for e in self.corpus.entries}

    @cached_property
    def source_key(self) -> dict[str, bytes]:
        """source_keys by source id."""
        return dict(zip((e.card.id for e in self.corpus.entries), self.source_keys, strict=True))

    @cached_property
    def listing_digest(self) -> bytes:
        """Of all that the pages made from cards read (render_digest, every source's card, every
        reference's key, label and year); a page that shows more is kept under that too
        (themes_digest, references_digest, ...).

        Not a reference's other fields: an edit to a title changes its own source's pages and
        one part of each list of sources (listed_as; render/listing.py), not these pages.
        """
        h = hashlib.sha256(self.render_digest + self.labels_digest)
        for card in self.corpus.cards:
            h.update(card.digest or digest(repr(card)))
        return h.digest()

    @cached_property
    def labels_digest(self) -> bytes:
        """Of every reference's key, label and year: where citations link to (reference_uri), what
        they show, and what the gaps read."""
        labels = self.corpus.labels
        return digest(*(f"{key}\0{labels[key]}\0{ref.year}" for key, ref in self.corpus.references.items()))

    def listed_as(self, card: Card) -> bytes:
        """Of a source as lists of sources show it, but for its label: its card and its reference
        (b"" when nothing is kept)."""
        if not self.cache.keeps:
            return b""
        return (card.digest or digest(repr(card))) + self.corpus.references[card.cite].digest

    def themes_digest(self, *fields: str) -> bytes:
        """Of these fields of every theme: for the pages that show them."""
        return digest(repr([[getattr(theme, name) for name in fields] for theme in self.corpus.themes]))

    def remembered(self, name: str, make: Callable[[], T]) -> T:
        """make(), kept under what the pages made from cards read and the name: for what it works out from them."""
        if not self.cache.keeps:  # no key worked out for nothing to keep
            return make()
        key = hashlib.sha256(self.listing_digest + digest("remembered", name)).digest()
        kept = self.cache.parts.get(key)
        return kept if kept is not None else self.cache.parts.put(key, make())

    def kept(self, name: str, make: Callable[[], Sequence[Page]], *also: bytes) -> list[Page]:
        """make()'s pages, kept on the shelf under what the pages made from cards read, the name
        and `also`."""
        return self.kept_as(name, make, self.listing_digest, *also)

    def kept_as(self, name: str, make: Callable[[], Sequence[Page]], *digests: bytes) -> list[Page]:
        """make()'s pages, kept on the shelf under the options and themes, the name and these
        digests (fixed-length, so no separator is needed)."""
        if not self.cache.keeps:
            return list(make())
        key = hashlib.sha256(self.render_digest + digest("kept", name) + b"".join(digests)).digest()
        return self.cache.shelf.pages(key, make)

    @cached_property
    def _titles_md(self) -> dict[str, str]:
        return {}

    def title_md(self, card: Card) -> str:
        """A source's title (its reference's), escaped once for every list that shows it."""
        if card.id not in self._titles_md:
            self._titles_md[card.id] = md(self.title_of(card))
        return self._titles_md[card.id]

    @cached_property
    def year(self) -> dict[str, str]:
        """Each source's year, or 'n.d.'."""
        return {c.id: self.corpus.references[c.cite].year or "n.d." for c in self.corpus.cards}

    @cached_property
    def reference_parts(self) -> dict[str, ReferenceParts]:
        from builder.render.parts import reference_parts  # parts.py builds on this module

        references = self.corpus.references
        return dict(zip(references, reference_parts(self, list(references.values())), strict=True))

    @cached_property
    def references_sorted(self) -> list[str]:
        labels = self.corpus.labels
        return sorted(self.corpus.references, key=lambda key: (labels[key].lower(), key))

    @cached_property
    def reference_uri(self) -> dict[str, str]:
        """Which page of the (split) references page lists each key."""
        parts = split(self.references_sorted, self.options.page_size)
        return {key: uri_of_part("references.md", i) for i, part in enumerate(parts) for key in part}

    @cached_property
    def reference_html(self) -> dict[str, str]:
        if self.options.csl_style:
            return format_with_csl(self.corpus.references, Path(self.options.csl_style))
        return {key: parts.html for key, parts in self.reference_parts.items()}

    @cached_property
    def _theme_findings(self) -> dict[str, list[tuple[Card, FindingCard]]]:
        return {}

    def theme_findings(self, theme_id: str) -> list[tuple[Card, FindingCard]]:
        """A theme's findings in page order: strongest kinds of source first, then by source.

        Sorted when first asked for: after one edit, most pages that show them are kept.
        """
        if theme_id not in self._theme_findings:
            on = self.corpus.findings_on(theme_id)
            self._theme_findings[theme_id] = sorted(on, key=lambda sf: (TYPE_RANK[sf[0].type], sf[0].id))
        return self._theme_findings[theme_id]

    @cached_property
    def theme_gaps(self) -> dict[str, list[str]]:
        """What each theme lacks; shown on the home page and the theme page. From cards alone."""
        themes, max_age = self.corpus.themes, self.options.max_age_years
        return self.remembered("gaps", lambda: {theme.id: gaps(self.corpus, theme.id, max_age) for theme in themes})

    def ref_href(self, base: str) -> Callable[[str], str]:
        """Where a citation of a reference links to, from a page at `base`."""
        return lambda key: f"{base}{self.reference_uri.get(key, 'references.md')}#{anchor(key)}"

    @cached_property
    def _cited(self) -> dict[tuple[str, str], str]:
        return {}

    def cited(self, text: str, base: str) -> str:
        """Contributor text with its citations linked; memoised, as statements appear twice."""
        key = (text, base)
        if key not in self._cited:
            self._cited[key] = md_cited(text, self.corpus.labels, self.ref_href(base))
        return self._cited[key]

    @cached_property
    def theme_title_md(self) -> dict[str, str]:
        return {theme.id: md(theme.title) for theme in self.corpus.themes}

    @cached_property
    def label_md(self) -> dict[str, str]:
        """Each reference's author-date label, escaped once for every link that shows it."""
        return {key: md(label) for key, label in self.corpus.labels.items()}

    def paragraphs(self, text: str, base: str) -> str:
        return paragraphs(text, self.corpus.labels, self.ref_href(base))

    def title_of(self, source: Card | Source) -> str:
        return self.corpus.references[source.cite].get("title") or source.id

    def cite_link(self, source: Card | Source, base: str) -> str:
        return f"[{self.label_md[source.cite]}]({base}sources/{source.id}.md)"

    def finding_link(self, source: Card | Source, finding: FindingCard | Finding, base: str) -> str:
        return f"[{self.label_md[source.cite]}]({base}sources/{source.id}.md#finding-{finding.id})"

    def finding_block(self, source: Source, finding: Finding, base: str, on_source_page: bool) -> list[str]:
        """A finding: statement, strength and where it comes from (or its theme), and its quote."""
        if on_source_page:
            where = f"Theme: [{self.theme_title_md.get(finding.theme, '')}]({base}themes/{finding.theme}.md)"
            lines = [f'<a id="finding-{finding.id}"></a>']
        else:
            where = self.cite_link(source, base) + f" ([finding]({base}sources/{source.id}.md#finding-{finding.id}))"
            lines = []
        # The strength and links line is the same words on every finding: kept out of search
        # (a third of a source's index entry), as an attribute list on its own paragraph.
        lines += [
            self.cited(finding.statement, base),
            "",
            f"{strength_badge(source, finding)} · {where}",
            UNSEARCHED,
            "",
        ]
        if finding.quote:
            lines += [f"> “{md(finding.quote.text)}” — {md(finding.quote.locator)}", ""]
        return lines


def _no_cache() -> RenderCache:
    from builder.render.shelf import RenderCache  # shelf.py keeps Pages: it builds on this module

    return RenderCache(None)


def page(
    src_uri: str, title: str, body: list[str], *, description: str = "", searchable: bool = True, **kwargs: object
) -> Page:
    """A page whose title (and description) are set in front matter, HTML-escaped.

    MkDocs and Material print page titles and descriptions unescaped (<title>, navigation,
    <meta>), so a title taken from the H1 would let a contributor's '</title><script>'
    through. Front matter wins over the H1, and its escaped form displays as the original.
    """
    meta = {"title": html.escape(" ".join(title.split()))}
    if description:
        meta["description"] = html.escape(_shorten(description, 200))
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    if not searchable:  # pages that repeat others' text would only duplicate search results
        front += "search:\n  exclude: true\n"
    return Page(src_uri, f"---\n{front}---\n\n# {md(title)}\n\n" + "\n".join(body), **kwargs)  # type: ignore[arg-type]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def strength_badge(source: Source, finding: Finding) -> str:
    level, why = strength(source, finding)
    return (
        f'<span class="evidence-strength evidence-strength--{level}" title="{html.escape(why)}">'
        f"Strength: {level.replace('-', ' ')}</span>"
    )
