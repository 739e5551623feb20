"""Key messages as a reader meets them: each with its confidence and the sources behind it, and
GRADE-CERQual's Summary of Qualitative Findings table (one row a message: the message, the
confidence, the explanation naming all four components, the contributing sources)."""

from __future__ import annotations

from collections.abc import Callable

from builder.confidence import COMPONENTS, Confidence
from builder.model import Finding, KeyMessage, Source, Theme
from builder.render.html import escape, table
from builder.render.site import Site
from builder.synth import backing

SourceLink = Callable[[Source, Finding], str]
Cited = Callable[[str], str]  # contributor text as HTML, with its citations linked


def confidence_badge(confidence: Confidence) -> str:
    level = confidence.level or "not-assessed"
    by = f" ({confidence.by})" if confidence.by else ""
    return (
        f'<span class="evidence-confidence evidence-confidence--{level}" title="{escape(confidence.reason)}">'
        f"{escape(confidence.said.capitalize())}{escape(by)}</span>"
    )


def _sources(site: Site, message: KeyMessage, link: SourceLink) -> tuple[str, str]:
    back = backing(site.corpus, message)
    supporting = ", ".join(link(s, f) for s, f in back.supporting)
    qualifying = ", ".join(link(s, f) for s, f in back.qualifying)
    return supporting, qualifying


def message_block(site: Site, message: KeyMessage, page: str, link: SourceLink, cited: Cited | None = None) -> str:
    """A key message: its statement, its confidence, and the findings behind it."""
    supporting, qualifying = _sources(site, message, link)
    statement = (cited or (lambda value: site.cited(value, page)))(message.statement)
    out = [
        '<div class="evidence-message">',
        f'<p class="evidence-message__statement"><strong>{statement}</strong></p>',
        f"<p>{confidence_badge(site.confidence(message))} · Backed by {_ended(supporting)}"
        + (f" Qualified by {_ended(qualifying)}" if qualifying else "")
        + "</p></div>",
    ]
    return "".join(out)


def messages_by_theme(
    site: Site, page: str, theme_href: Callable[[str], str], link: SourceLink, cited: Cited | None = None
) -> list[str]:
    """Every theme's key messages under its linked title (themes with none are left out)."""
    parts = []
    for theme in site.corpus.themes:
        if theme.key_messages:
            parts.append(f'<h3><a href="{escape(theme_href(theme.id))}">{escape(theme.title)}</a></h3>')
            parts += [message_block(site, m, page, link, cited) for m in theme.key_messages]
    return parts


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ended(html: str) -> str:
    """A sentence's end: a label ending in 'n.d.' or 'et al.' ends it already."""
    return html if html.endswith((".", ".</a>")) else html + "."


def summary_table(
    site: Site, themes: list[Theme], page: str, link: SourceLink, cited: Cited | None = None, with_theme: bool = False
) -> str:
    """GRADE-CERQual's Summary of Qualitative Findings table for the key messages of `themes`."""
    cited = cited or (lambda value: site.cited(value, page))
    rows = []
    for theme in themes:
        for message in theme.key_messages:
            confidence = site.confidence(message)
            supporting, qualifying = _sources(site, message, link)
            explanation = "".join(
                f"<li><strong>{escape(c.name)}</strong>: {escape(c.said)}"
                + (f" ({escape(c.by)})" if c.by else "")
                + f". {escape(_capital(c.reason))}.</li>"
                for c in confidence.components
            )
            overall = f"{escape(_capital(confidence.reason))}."
            finding = cited(message.statement)
            if with_theme:
                finding = f"<em>{escape(theme.title)}</em>: {finding}"
            sources = supporting + (f"; qualified by {qualifying}" if qualifying else "")
            rows.append([finding, f"{confidence_badge(confidence)}<br>{overall}", f"<ul>{explanation}</ul>", sources])
    if not rows:
        named = ", ".join(name.lower() for name in COMPONENTS.values())
        return f"<p>No key messages yet. When the editors write one, its confidence will be judged on {named}.</p>"
    head = ["Summarised finding", "Confidence in the evidence", "Explanation of the judgement", "Contributing sources"]
    return table(head, rows, cls="evidence-soqf")
