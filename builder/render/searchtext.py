"""What a reader can find: each generated page as a search document, with the text of its
parts weighted by where it stands (builder/render/searchindex.py ranks and writes them)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from builder import fields
from builder.corpus import Corpus
from builder.render import ranking
from builder.render.html import Page, shortened
from builder.render.referencelist import anchor
from builder.render.searchindex import PART, SNIPPET, Document
from builder.render.site import Site
from builder.synth import TYPE_SINGULAR

_TAG = re.compile(r"<[^>]*>")


def _snippet(text: str) -> str:
    return shortened(text, SNIPPET)


def _people(ref) -> str:
    return PART.join(f"{p.given} {p.family}" for p in ref.authors)


def page_document(url: str, title: str, text: str) -> Document:
    """A page of prose (the guide, the methods, a hand-written page) as one document."""
    return Document(url, title, "Page", _snippet(text), (("title", title), ("text", text)))


def text_of(body_html: str) -> str:
    """The text of generated HTML (which has no '>' inside a tag's attributes but escaped)."""
    return html.unescape(_TAG.sub(" ", body_html))


def search_documents(site: Site, prose: list[Page]) -> Iterator[Document]:
    """The sources, the themes, the works the sources cite, and the pages of prose: each made when
    the index asks for it, and let go once its words are taken (builder/render/searchindex.py)."""
    corpus, links = site.corpus, site.links
    yield from (page_document(links.url(p.uri), p.title, text_of(p.body)) for p in prose)
    yield from (_theme(site, theme) for theme in corpus.themes)
    for e in corpus.entries:
        yield site.memo.get("searched", site.source_key(e), lambda e=e: _source(site, e.source))
    for key, ref in corpus.references.items():
        if key not in corpus.works_cited:
            continue  # a source's own reference: found through its page
        yield Document(
            links.url(site.references.page[key]) + "#" + anchor(key),
            ref.get("title") or key,
            f"Work cited by the sources · {corpus.labels[key]}",
            _snippet(" ".join(filter(None, [ref.container, ref.year]))),
            (
                ("title", ref.get("title")),
                ("people", _people(ref)),
                ("ids", f"{key} {ref.get('doi')} {ref.year} {_venue(ref)}"),
            ),
            ranking.WORKS_CITED_WEIGHT,
        )


def _venue(ref) -> str:
    """Where the work was published: a reader may search by journal or publisher."""
    return " ".join(
        filter(None, (ref.container, ref.get("publisher"), ref.get("organization"), ref.get("howpublished")))
    )


def _theme(site: Site, theme) -> Document:
    messages = PART.join(m.statement for m in theme.key_messages)
    return Document(
        site.links.url(f"themes/{theme.id}"),
        theme.title,
        "Theme",
        _snippet(theme.question),
        (("title", theme.title), ("heading", theme.question), ("statements", messages), ("text", theme.description)),
    )


def _source(site: Site, source) -> Document:
    corpus: Corpus = site.corpus
    ref = corpus.references[source.cite]
    people = _people(ref) + PART + ref.corporate_author
    themes = {site.theme_title.get(f.theme, "") for f in source.findings}
    found = fields.searched(source)  # the source's own texts, under the part of the entry each is in
    ids = f"{site.label(source)} {ref.get('doi')} {site.year(source)} {_venue(ref)} {' '.join(found.pop('ids', []))}"
    return Document(
        site.links.url(f"sources/{source.id}"),
        site.title_of(source),
        f"{TYPE_SINGULAR[source.type].capitalize()} · {site.label(source)}",
        _snippet(source.summary),
        (
            ("title", site.title_of(source)),
            ("people", people),
            ("ids", ids),
            ("themes", " ".join(sorted(themes))),
            *((part, PART.join(texts)) for part, texts in found.items()),
        ),
    )
