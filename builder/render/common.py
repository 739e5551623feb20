"""Pieces every generated page shares: the Page type, titles, links, finding blocks."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from markupsafe import escape

from builder.corpus import Corpus
from builder.model import Finding, Source
from builder.render.text import md, md_cited
from builder.synth import strength


@dataclass(frozen=True)
class Page:
    src_uri: str  # path under docs/, e.g. "sources/x.md"; non-.md paths are downloads
    content: str
    edit_path: str = ""  # the file a contributor edits to change this page
    in_nav: bool = True


@dataclass(frozen=True)
class RenderOptions:
    edit_url: str = ""  # e.g. https://github.com/ORG/REPO/edit/main/ ; empty: name the file only
    site_url: str = ""  # absolute base for the feed; empty: relative links
    max_age_years: int = 10  # a theme whose sources are all older than this has a gap
    pdf: bool = False  # downloads/briefing.pdf is made, so pages may link to it


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


def title_of(corpus: Corpus, source: Source) -> str:
    return corpus.references[source.cite].get("title") or source.id


def cite_link(corpus: Corpus, source: Source, base: str) -> str:
    return f"[{md(corpus.labels[source.cite])}]({base}sources/{source.id}.md)"


def finding_link(corpus: Corpus, source: Source, finding: Finding, base: str) -> str:
    return f"[{md(corpus.labels[source.cite])}]({base}sources/{source.id}.md#finding-{finding.id})"


def count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def strength_badge(source: Source, finding: Finding) -> str:
    level, why = strength(source, finding)
    return (
        f'<span class="evidence-strength evidence-strength--{level}" title="{escape(why)}">'
        f"Strength: {level.replace('-', ' ')}</span>"
    )


def finding_block(corpus: Corpus, source: Source, finding: Finding, base: str, on_source_page: bool) -> list[str]:
    """A finding: statement, strength and where it comes from (or its theme), and its quote."""
    if on_source_page:
        theme_title = next((t.title for t in corpus.themes if t.id == finding.theme), finding.theme)
        where = f"Theme: [{md(theme_title)}]({base}themes/{finding.theme}.md)"
        lines = [f'<a id="finding-{finding.id}"></a>']
    else:
        where = cite_link(corpus, source, base) + f" ([finding]({base}sources/{source.id}.md#finding-{finding.id}))"
        lines = []
    lines += [md_cited(finding.statement, corpus.labels, base), "", f"{strength_badge(source, finding)} · {where}", ""]
    if finding.quote:
        lines += [f"> “{md(finding.quote.text)}” — {md(finding.quote.locator)}", ""]
    return lines
