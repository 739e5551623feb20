"""Key messages as a reader meets them: each with its confidence as the editors judged it (or
"not assessed") and the sources behind it; GRADE-CERQual's Summary of Qualitative Findings table
(one row a message: the message, the confidence, the explanation naming all four components,
the contributing sources); and, apart, the prompts the data give the editors, labelled as such."""

from __future__ import annotations

from collections.abc import Callable

from builder.confidence import COMPONENTS, Confidence
from builder.model import Finding, KeyMessage, Source, Theme
from builder.render.html import escape, table, ul
from builder.render.site import Site
from builder.synth import Backing, backing

SourceLink = Callable[[Source, Finding], str]
Cited = Callable[[str], str]  # contributor text as HTML, with its citations linked


def confidence_badge(confidence: Confidence) -> str:
    level = confidence.level or "not-assessed"
    return (
        f'<span class="evidence-confidence evidence-confidence--{level}">{escape(confidence.said.capitalize())}</span>'
    )


def judged(confidence: Confidence) -> str:
    """The overall confidence with who judged it, when and why; or that nobody has."""
    if confidence.earlier:  # the editors' level is of an earlier version: never shown as this one's
        return f"{confidence_badge(confidence)} (an editor judged an earlier version: {escape(confidence.earlier)})"
    if not confidence.level:
        return confidence_badge(confidence)
    return f"{confidence_badge(confidence)}, {escape(confidence.signed)}: {escape(_sentence(confidence.reason))}"


def _sources(back: Backing, link: SourceLink) -> tuple[str, str]:
    """The sources that back the message and those that qualify it, as HTML."""
    return _named_once(back.supporting, link), _named_once(back.qualifying, link)


def _named_once(found: tuple[tuple[Source, Finding], ...], link: SourceLink) -> str:
    """Each source once, in the order of first mention (linked to the first of its findings),
    separated by semicolons as Harvard separates citations."""
    first: dict[str, tuple[Source, Finding]] = {}
    for source, finding in found:
        first.setdefault(source.id, (source, finding))
    return "; ".join(link(source, finding) for source, finding in first.values())


def message_block(site: Site, message: KeyMessage, page: str, link: SourceLink, cited: Cited | None = None) -> str:
    """A key message: its statement, its confidence, and the findings behind it."""
    back = backing(site.corpus, message)
    supporting, qualifying = _sources(back, link)
    statement = (cited or (lambda value: site.cited(value, page)))(message.statement)
    out = [
        '<div class="evidence-message">',
        f'<p class="evidence-message__statement"><strong>{statement}</strong></p>',
        f"<p>{judged(site.confidence(message))}</p>",
        _since(message, back.supporting + back.qualifying),
        f"<p>Backed by {_ended(supporting)}" + (f" Qualified by {_ended(qualifying)}" if qualifying else "") + "</p>",
        "</div>",
    ]
    return "".join(out)


def _since(message: KeyMessage, behind: tuple[tuple[Source, Finding], ...]) -> str:
    """A fact for the reader and the editors, not a judgement: a source behind a judged message
    was added or its write-up revised after the judgement was recorded ('' if none was)."""
    if message.confidence is None:
        return ""
    dates = [d for source, _ in behind for d in (source.added, source.reviewed) if d]
    later = max(dates, default=None)
    if later is None or later <= message.confidence.assessed:
        return ""
    return (
        f'<p class="evidence-message__since">A source behind this message was added or its write-up revised on '
        f"{later.isoformat()}, after the judgement was recorded; the editors have not judged it again since.</p>"
    )


def messages_by_theme(
    site: Site, page: str, theme_href: Callable[[str], str], link: SourceLink, cited: Cited | None = None
) -> list[str]:
    """Every theme's key messages under its linked title; then the themes with none, named."""
    parts, quiet = [], []
    for theme in site.corpus.themes:
        title = f'<a href="{escape(theme_href(theme.id))}">{escape(theme.title)}</a>'
        if theme.key_messages:
            parts.append(f"<h3>{title}</h3>")
            parts += [message_block(site, m, page, link, cited) for m in theme.key_messages]
        else:
            quiet.append(title)
    if quiet:
        parts.append(f"<p>No key message yet on: {', '.join(quiet)}.</p>")
    return parts


def _sentence(text: str) -> str:
    """An editor's reason as a sentence: white space folded, a capital, a full stop."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


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
            supporting, qualifying = _sources(backing(site.corpus, message), link)
            explanation = "".join(
                f"<li><strong>{escape(c.name)}</strong>: {escape(c.said)}"
                + (f". {escape(_sentence(c.reason))}" if c.reason else ".")
                + "</li>"
                for c in confidence.components
            )
            finding = cited(message.statement)
            if with_theme:
                finding = f"<em>{escape(theme.title)}</em>: {finding}"
            sources = _ended(supporting) + (f" Qualified by {_ended(qualifying)}" if qualifying else "")
            rows.append([finding, judged(confidence), f"<ul>{explanation}</ul>", sources])
    if not rows:
        named = ", ".join(name.lower() for name in COMPONENTS.values())
        return f"<p>No key messages yet. When the editors write one, they may judge its confidence on {named}.</p>"
    head = ["Summarised finding", "Confidence in the evidence", "Explanation of the judgement", "Contributing sources"]
    return table(head, rows, cls="evidence-soqf", stacked=True)


def prompts(site: Site, theme: Theme) -> str:
    """What the data say about each component of each key message of a theme, for the editors
    who judge them: facts gathered by the generator, shown apart, closed and labelled, never a
    judgement. A message is named by its place on the page (the page says each one twice already);
    print leaves them out (builder/assets/evidence.css)."""
    blocks = []
    for number, message in enumerate(theme.key_messages, 1):
        components = "".join(
            f"<dt>{escape(c.name)} ({escape(c.said)})</dt><dd>{ul([escape(p) for p in c.prompts])}</dd>"
            for c in site.confidence(message).components
        )
        blocks.append(f"<p><strong>Key message {number}</strong></p><dl>{components}</dl>")
    return (
        '<details class="evidence-prompts"><summary>The editors\' working facts on each key message: '
        "not a judgement</summary><p>Facts the generator gathers from the evidence files, for the editors who judge "
        "confidence. They are not a judgement: only an editor's recorded judgement is shown as one.</p>"
        + "".join(blocks)
        + "</details>"
    )
