"""What a reader must know before the key messages, on the home page and the PDF's first page:
who publishes the briefing, when, under which licence, how to cite it, how it was made, and
how current its evidence is beside the policy context the editors record. Made only from what
evidence/briefing.yaml records: what it does not record is said to be "not recorded", and left
out of the suggested citation, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from builder.confidence import NOT_RECORDED
from builder.model import Source
from builder.render.html import escape, ul
from builder.render.site import Site, text
from builder.synth import count, period, scope_said

# (a page of the site, its label as plain text) -> a link to it, as HTML ('' where there is none)
Link = Callable[[str, str], str]


def front_matter(site: Site, link: Link) -> str:
    """The briefing's particulars, the kind of review it is, the currency of its evidence and a
    suggested citation."""
    briefing = site.corpus.briefing
    changes = link("changes", "what changed")
    changed = f" ({changes})" if changes else ""
    rows = [
        ("Published by", text(briefing.publisher) if briefing and briefing.publisher else NOT_RECORDED),
        ("Editors", text(", ".join(briefing.editors)) if briefing and briefing.editors else NOT_RECORDED),
        ("Published", briefing.published.isoformat() if briefing and briefing.published else NOT_RECORDED),
        ("Updated", f"{site.updated.isoformat()} · version {escape(site.version)}{changed}"),
        ("Licence", text(briefing.licence) if briefing and briefing.licence else NOT_RECORDED),
    ]
    particulars = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    methods = link("methods", "Methods and scope")
    if briefing is None:
        made = f"<p>How the evidence was gathered is {NOT_RECORDED} ({methods}).</p>"
    elif briefing.methods.systematic_review:
        made = f"<p>The evidence was gathered by a systematic review: {methods} says how.</p>"
    else:
        made = f"<p><strong>This is not a systematic review.</strong> {methods} says how the evidence was gathered.</p>"
    return (
        f'<dl class="evidence-front">{particulars}</dl>{made}{currency(site, site.corpus.sources)}'
        f'<p class="evidence-citation"><strong>Suggested citation:</strong> {citation(site)}</p>'
    )


def currency(site: Site, sources: Iterable[Source], of: str = "") -> str:
    """How current the evidence is: when its sources were published, beside the period the
    briefing speaks for and the changes of policy since (`of`: ' on this theme', say)."""
    sources = list(sources)
    when = period(site.corpus, sources)
    said = f"<p><strong>The evidence{escape(of)}:</strong> {count(len(sources), 'source')}"
    said += f", {when.said}." if sources else "."
    briefing = site.corpus.briefing
    scope = scope_said(briefing.scope) if briefing else ""
    if not scope:
        said += f" The period in scope is {NOT_RECORDED}."
    elif briefing and when.before(briefing.scope.from_year):
        every = "All of it is" if not when.undated else "Every dated source is"
        said += f" {every} older than the period in scope, {escape(scope)}."
    else:
        said += f" The period in scope: {escape(scope)}."
    changes = briefing.scope.policy_context if briefing else []
    if not changes:
        return said + f" The policy context is {NOT_RECORDED}.</p>"
    listed = [f"{c.date.isoformat()}: {text(c.change)}" for c in sorted(changes, key=lambda c: c.date)]
    return said + " The policy context, as the editors record it:</p>" + ul(listed, "evidence-policy")


def citation(site: Site) -> str:
    """A suggested citation, Harvard style, made only from what is recorded."""
    briefing = site.corpus.briefing
    editors = [" ".join(e.split()) for e in briefing.editors] if briefing else []
    publisher = " ".join(briefing.publisher.split()) if briefing and briefing.publisher else ""
    if editors:
        names = editors[0] if len(editors) == 1 else ", ".join(editors[:-1]) + " and " + editors[-1]
        author = f"{names} ({'ed.' if len(editors) == 1 else 'eds'})"
    else:
        author = publisher
    year = str(briefing.published.year) if briefing and briefing.published else "n.d."
    title = f"<em>{text(site.settings.site_name)}</em>"
    parts = [f"{escape(author)} ({year}) {title}." if author else f"{title} ({year})."]
    if briefing and briefing.version:
        parts.append(f"Version {text(briefing.version)}.")
    if publisher and editors:
        parts.append(f"{escape(publisher)}.")
    url = site.settings.site_url
    if url:
        parts.append(f'Available at: <a href="{escape(url)}">{escape(url)}</a>.')
    return " ".join(parts)
